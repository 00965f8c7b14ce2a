#pragma once
#include <memory>
#include <string>

namespace nc::serve {

class InferenceService;

// The HTTP face of an InferenceService (Boost.Beast on Asio, like Beast's advanced server): a
// session per connection that owns its socket, buffer and parser; header and body limits are set
// on the parser before reading, and a whole request must arrive within the read timeout
// (a client sending a byte a second is cut off). Requests are handed to the service and answered
// when its `done` runs, so no Asio thread waits on the model.
class HttpServer {
public:
    // Binds at once (throws nc::Error: address in use, not an address, a non-loopback address
    // without a token). Port 0 picks a free one (see port()).
    HttpServer(InferenceService& service, const std::string& host, unsigned short port, int ioThreads,
               bool hasToken);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    unsigned short port() const;
    std::string url() const;
    // Serves until stop() (or SIGINT/SIGTERM when `stopOnSignals`): stops accepting, lets
    // requests in flight finish (at most ~0.8 s), then returns.
    void run(bool stopOnSignals);
    void stop(); // thread-safe

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace nc::serve
