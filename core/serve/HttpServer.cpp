#include "serve/HttpServer.h"

#include "serve/HttpMessage.h"
#include "serve/InferenceService.h"
#include "serve/Scheduling.h"
#include "util/Error.h"
#include "util/Json.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <sys/socket.h>

namespace nc::serve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kIdleBufferBytes = 64 * 1024;
using Clock = std::chrono::steady_clock;

// The status line and headers of an answer, then its body: what goes on the wire.
std::string serialize(const HttpResponse& r, unsigned version, bool keepAlive, bool head) {
    const auto reason = http::obsolete_reason(static_cast<http::status>(r.status));
    const std::string_view body = head ? std::string_view() : std::string_view(r.body);
    std::string out;
    out.reserve(160 + body.size());
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(r.status);
    out += ' ';
    out.append(reason.data(), reason.size());
    out += "\r\nServer: NeuralCanvas\r\nContent-Type: ";
    out += r.contentType;
    out += "\r\n";
    for (const auto& [name, value] : r.headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    if (version == 10 && keepAlive)
        out += "Connection: keep-alive\r\n";
    else if (version != 10 && !keepAlive)
        out += "Connection: close\r\n";
    out += "Content-Length: ";
    out += std::to_string(body.size());
    out += "\r\n\r\n";
    out += body;
    return out;
}

// One client connection. Reads and timers run on the connection's strand; the answer is sent by
// whichever thread produced it (usually the model's thread, straight after the forward pass), so
// the client gets it without a hand-over back to the I/O thread, which only resumes reading.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, InferenceService& service, std::atomic<int>& open)
        : m_socket(std::move(socket)), m_timer(m_socket.get_executor()), m_service(service), m_open(open) {
        m_fd = m_socket.native_handle();
        ++m_open;
        m_service.connectionOpened();
    }
    ~Session() {
        --m_open;
        m_service.connectionClosed();
    }

    void start() {
        net::dispatch(m_socket.get_executor(), [self = shared_from_this()] { self->read(); });
    }

private:
    // The read deadline is kept lazily: moving it forward is a store, and the one timer of the
    // connection, when it fires, re-arms itself for the deadline it finds. A keep-alive client
    // that sends a request every few milliseconds costs no timer system call per request.
    void setDeadline(std::int64_t ms) {
        m_deadline = Clock::now() + std::chrono::milliseconds(ms);
        if (m_timerArmed)
            return;
        m_timerArmed = true;
        m_timer.expires_at(m_deadline);
        m_timer.async_wait([self = shared_from_this()](beast::error_code ec) { self->onTimer(ec); });
    }
    void onTimer(beast::error_code ec) {
        m_timerArmed = false;
        if (ec || m_closed)
            return;
        if (m_busy) // the model's time is not the client's
            return setDeadline(m_service.limits().readTimeoutMs);
        if (Clock::now() < m_deadline) {
            const auto deadline = m_deadline;
            m_timerArmed = true;
            m_timer.expires_at(deadline);
            m_timer.async_wait([self = shared_from_this()](beast::error_code ec) { self->onTimer(ec); });
            return;
        }
        // Too slow (a request trickling in, an idle keep-alive, an answer not read): cut off. The
        // pending read or write ends with operation_aborted and closes the connection.
        beast::error_code ignored;
        m_socket.cancel(ignored);
        close();
    }

    void read() {
        const ServeLimits& limits = m_service.limits();
        m_parser.emplace();
        http1::applyLimits(*m_parser, limits);
        setDeadline(limits.readTimeoutMs); // for header and body
        // The header first, so the buffer can be sized to the body: Beast reads into the free space
        // of the buffer, and a buffer kept at its small starting size takes a 13 KB single-image
        // JSON request in 512-byte reads, each with its own epoll round.
        http::async_read_header(m_socket, m_buffer, *m_parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->onHeader(ec);
        });
    }

    void onHeader(beast::error_code ec) {
        if (ec || m_parser->is_done())
            return onRead(ec);
        if (const auto length = m_parser->content_length()) {
            constexpr std::uint64_t kMaxReadSize = 1 << 20; // bigger bodies arrive in reads of 1 MiB
            const std::size_t want = std::size_t(std::min<std::uint64_t>(*length, kMaxReadSize));
            if (m_buffer.capacity() - m_buffer.size() < want)
                m_buffer.reserve(m_buffer.size() + want);
        }
        http::async_read(m_socket, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec) {
        if (m_closed)
            return;
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
            ec == net::error::operation_aborted)
            return close(); // the client left, or took too long: nothing to answer
        if (ec) {
            const http1::ReadRefusal r = http1::refusalFor(ec, m_service.limits());
            return refuse(r.status, r.message);
        }
        if (m_buffer.capacity() > kIdleBufferBytes && m_buffer.size() == 0)
            m_buffer.shrink_to_fit(); // an idle connection does not keep a big request's buffer
        http::request<http::string_body> msg = m_parser->release();
        m_parser.reset();
        m_keepAlive = msg.keep_alive();
        m_version = msg.version();
        m_head = msg.method() == http::verb::head;
        const HttpRequest req = http1::toRequest(std::move(msg));
        m_busy = true;
        try {
            m_service.handle(req, [self = shared_from_this()](HttpResponse r) { self->deliver(std::move(r)); });
        } catch (const std::exception& e) { // never expected: the service answers its own errors
            refuse(500, "the server failed on this request");
        }
    }

    void refuse(int status, const std::string& message) {
        m_service.countRefusal(status);
        HttpResponse r;
        r.status = status;
        r.body = Json{{"error", message}}.dump(-1, ' ', false, Json::error_handler_t::replace);
        m_keepAlive = false;
        m_busy = true;
        deliver(std::move(r));
    }

    // Any thread, once per request, while the strand has no operation on the socket (between a
    // request read and the next read: HTTP/1.1 without pipelining). Tries to send the whole answer
    // at once; what the socket does not take now is written by the strand.
    void deliver(HttpResponse r) {
        auto wire = std::make_shared<std::string>(serialize(r, m_version ? m_version : 11, m_keepAlive, m_head));
        std::size_t sent = 0;
        bool failed = false;
        while (sent < wire->size()) {
            const ssize_t n = ::send(m_fd, wire->data() + sent, wire->size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                sent += std::size_t(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                failed = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
                break;
            }
        }
        net::post(m_socket.get_executor(), [self = shared_from_this(), wire, sent, failed] {
            self->afterSend(wire, sent, failed);
        });
    }

    void afterSend(const std::shared_ptr<std::string>& wire, std::size_t sent, bool failed) {
        m_busy = false;
        if (failed || m_closed)
            return close();
        if (sent == wire->size())
            return m_keepAlive ? read() : close();
        // A big answer (an explanation's PNG) or a slow reader: the rest goes out asynchronously,
        // within the read timeout.
        setDeadline(m_service.limits().readTimeoutMs);
        net::async_write(m_socket, net::buffer(wire->data() + sent, wire->size() - sent),
                         [self = shared_from_this(), wire](beast::error_code ec, std::size_t) {
            if (ec || !self->m_keepAlive)
                return self->close();
            self->read();
        });
    }

    void close() {
        if (m_closed)
            return;
        m_closed = true;
        beast::error_code ignored;
        m_timer.cancel();
        m_socket.shutdown(tcp::socket::shutdown_send, ignored);
        m_socket.close(ignored);
    }

    tcp::socket m_socket;
    int m_fd = -1;
    net::steady_timer m_timer;
    Clock::time_point m_deadline;
    bool m_timerArmed = false, m_busy = false, m_closed = false; // strand only
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    InferenceService& m_service;
    std::atomic<int>& m_open;
    bool m_keepAlive = true, m_head = false; // set before the request is handled, read by deliver
    unsigned m_version = 11;
};

} // namespace

struct HttpServer::Impl {
    InferenceService& service;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::string host;
    int ioThreads = 1;
    std::atomic<int> open{0};
    std::atomic<bool> stopping{false};

    net::steady_timer drainTimer{ioc};
    std::chrono::steady_clock::time_point drainDeadline;

    explicit Impl(InferenceService& s) : service(s) {}

    void drain() {
        if (service.inFlight() == 0 || std::chrono::steady_clock::now() >= drainDeadline) {
            ioc.stop();
            return;
        }
        drainTimer.expires_after(std::chrono::milliseconds(10));
        drainTimer.async_wait([this](beast::error_code) { drain(); });
    }

    net::steady_timer acceptPause{ioc};

    void accept() {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (!acceptor.is_open())
                    return;
                // Out of file descriptors (or another transient error): pause instead of spinning.
                acceptPause.expires_after(std::chrono::milliseconds(50));
                acceptPause.async_wait([this](beast::error_code) { accept(); });
                return;
            } else if (std::size_t(open.load()) >= service.limits().maxConnections) {
                service.countRefusal(503); // over the connection limit: closed at once
                beast::error_code ignored;
                socket.close(ignored);
            } else {
                beast::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                std::make_shared<Session>(std::move(socket), service, open)->start();
            }
            accept();
        });
    }
};

HttpServer::HttpServer(InferenceService& service, const std::string& host, unsigned short port, int ioThreads,
                       bool hasToken)
    : d(std::make_unique<Impl>(service)) {
    d->host = host == "localhost" ? "127.0.0.1" : host;
    d->ioThreads = std::max(1, ioThreads);
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(d->host, ec);
    if (ec)
        throw Error("\"" + host + "\" is not an IP address to listen on (e.g. 127.0.0.1 or 0.0.0.0)");
    if (!address.is_loopback() && !hasToken)
        throw Error("listening on " + host + " makes the models reachable from other machines: give --token TOKEN "
                    "(clients then send \"Authorization: Bearer TOKEN\"), or listen on 127.0.0.1");
    const tcp::endpoint endpoint(address, port);
    d->acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        d->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec)
        d->acceptor.bind(endpoint, ec);
    if (!ec)
        d->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::port() const { return d->acceptor.local_endpoint().port(); }

std::string HttpServer::url() const {
    const std::string h = d->host.find(':') != std::string::npos ? "[" + d->host + "]" : d->host;
    return "http://" + h + ":" + std::to_string(port());
}

void HttpServer::run(bool stopOnSignals) {
    std::optional<net::signal_set> signals;
    if (stopOnSignals) {
        signals.emplace(d->ioc, SIGINT, SIGTERM);
        signals->async_wait([this](beast::error_code ec, int) {
            if (!ec)
                stop();
        });
    }
    d->accept();
    const BatchScheduling scheduling;
    std::vector<std::thread> threads;
    for (int i = 1; i < d->ioThreads; ++i)
        threads.emplace_back([this] {
            const BatchScheduling scheduling;
            d->ioc.run();
        });
    d->ioc.run();
    for (auto& t : threads)
        t.join();
}

void HttpServer::stop() {
    if (d->stopping.exchange(true))
        return;
    net::post(d->ioc, [this] {
        beast::error_code ignored;
        d->acceptor.close(ignored);
        // Requests in flight finish (their answers are posted to this context); then it ends.
        d->drainDeadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
        d->drain();
    });
}

} // namespace nc::serve
