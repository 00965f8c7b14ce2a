// Serving latency at concurrency 1 with microsecond resolution (hey prints 0.1 ms steps): one
// keep-alive HTTP/1.1 connection, the same POST sent N times one after another, each answer read
// whole before the next request. Prints p50/p90/p99 and the mean in µs as one JSON line.
//   serve_latency HOST PORT PATH BODY_FILE [N=5000] [CONTENT_TYPE=application/json]
// BODY_FILE "-" sends GET without a body (e.g. /v2/health/live: the floor of a round trip).
// Plain sockets and no library, so the client's own time is a few µs of the figure.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: serve_latency HOST PORT PATH BODY_FILE [N] [CONTENT_TYPE]\n");
        return 2;
    }
    const std::string host = argv[1], path = argv[3];
    const int port = std::atoi(argv[2]);
    const int n = argc > 5 ? std::atoi(argv[5]) : 5000;
    const std::string type = argc > 6 ? argv[6] : "application/json";
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    if (std::strcmp(argv[4], "-") != 0) {
        std::ifstream in(argv[4], std::ios::binary);
        const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        request = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + type +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }

    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<unsigned short>(port));
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::perror("connect");
        return 1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    std::vector<double> micros;
    micros.reserve(std::size_t(n));
    std::vector<char> buf(1 << 20);
    int failed = 0;
    for (int i = 0; i < n + 200; ++i) { // the first 200 warm up
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t sent = 0; sent < request.size();) {
            const ssize_t w = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (w <= 0)
                return 1;
            sent += std::size_t(w);
        }
        std::string answer;
        std::size_t need = std::string::npos;
        while (need == std::string::npos || answer.size() < need) {
            const ssize_t r = recv(fd, buf.data(), buf.size(), 0);
            if (r <= 0)
                return 1;
            answer.append(buf.data(), std::size_t(r));
            const auto end = answer.find("\r\n\r\n");
            if (need == std::string::npos && end != std::string::npos) {
                std::string lower = answer.substr(0, end);
                std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
                const auto at = lower.find("content-length:");
                need = end + 4 + (at == std::string::npos ? 0 : std::strtoull(lower.c_str() + at + 15, nullptr, 10));
            }
        }
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        failed += answer.compare(0, 12, "HTTP/1.1 200") != 0;
        if (i >= 200)
            micros.push_back(us);
    }
    close(fd);
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) { return micros[std::min(micros.size() - 1, std::size_t(q * double(micros.size())))]; };
    double mean = 0;
    for (double v : micros)
        mean += v / double(micros.size());
    std::printf("{\"requests\": %d, \"failed\": %d, \"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, "
                "\"mean_us\": %.1f}\n",
                n, failed, at(0.5), at(0.9), at(0.99), mean);
    return failed ? 1 : 0;
}
