#include "serve/HttpServer.h"

#include "serve/HttpMessage.h"
#include "serve/InferenceService.h"
#include "util/Error.h"
#include "util/Json.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace nc::serve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kIdleBufferBytes = 64 * 1024;

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, InferenceService& service, std::atomic<int>& open)
        : m_stream(std::move(socket)), m_service(service), m_open(open) {
        ++m_open;
        m_service.connectionOpened();
    }
    ~Session() {
        --m_open;
        m_service.connectionClosed();
    }

    void start() {
        net::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read(); });
    }

private:
    void read() {
        const ServeLimits& limits = m_service.limits();
        m_parser.emplace();
        http1::applyLimits(*m_parser, limits);
        m_stream.expires_after(std::chrono::milliseconds(limits.readTimeoutMs)); // for header and body
        // The header first, so the buffer can be sized to the body: Beast reads into the free space
        // of the buffer, and a buffer kept at its small starting size takes a 13 KB single-image
        // JSON request in 512-byte reads, each with its own epoll round and timer update.
        http::async_read_header(m_stream, m_buffer, *m_parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
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
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
            ec == net::error::connection_reset || ec == net::error::operation_aborted)
            return close(); // the client left, or took too long: nothing to answer
        if (ec) {
            const http1::ReadRefusal r = http1::refusalFor(ec, m_service.limits());
            return refuse(r.status, r.message);
        }
        if (m_buffer.capacity() > kIdleBufferBytes && m_buffer.size() == 0)
            m_buffer.shrink_to_fit(); // an idle connection does not keep a big request's buffer
        const auto& msg = m_parser->get();
        const HttpRequest req = http1::toRequest(msg);
        m_keepAlive = msg.keep_alive();
        m_version = msg.version();
        m_head = msg.method() == http::verb::head;
        m_stream.expires_never(); // the model's time is not the client's
        try {
            m_service.handle(req, [self = shared_from_this()](HttpResponse r) {
                net::post(self->m_stream.get_executor(),
                          [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
            });
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
        write(std::move(r));
    }

    void write(HttpResponse r) {
        auto res = std::make_shared<http::response<http::string_body>>();
        res->version(m_version ? m_version : 11);
        res->result(static_cast<unsigned>(r.status));
        res->set(http::field::server, "NeuralCanvas");
        res->set(http::field::content_type, r.contentType);
        for (const auto& [name, value] : r.headers)
            res->set(name, value);
        res->keep_alive(m_keepAlive);
        res->body() = m_head ? std::string() : std::move(r.body);
        res->prepare_payload();
        m_stream.expires_after(std::chrono::milliseconds(m_service.limits().readTimeoutMs));
        http::async_write(m_stream, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
            if (ec || !res->keep_alive())
                return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.close();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    InferenceService& m_service;
    std::atomic<int>& m_open;
    bool m_keepAlive = true, m_head = false;
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
    std::vector<std::thread> threads;
    for (int i = 1; i < d->ioThreads; ++i)
        threads.emplace_back([this] { d->ioc.run(); });
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
