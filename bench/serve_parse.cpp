// Parsing one KServe v2 JSON request for a 1×28×28 model (784 numbers, a Fashion-MNIST test
// image as /255 floats): reading the tensor's numbers straight from the text (what the server
// does) against building the whole JSON DOM; alternating rounds, the median µs per request each.
//   serve_parse BODY.json [--rounds 15] [--per-round 2000]
#include "serve/Protocols.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: serve_parse BODY.json [--rounds N] [--per-round N]\n");
        return 2;
    }
    int rounds = 15, perRound = 2000;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--rounds")
            rounds = std::atoi(argv[i + 1]);
        else if (std::string(argv[i]) == "--per-round")
            perRound = std::atoi(argv[i + 1]);
    }
    std::ifstream in(argv[1], std::ios::binary);
    nc::serve::HttpRequest req;
    req.method = "POST";
    req.target = "/v2/models/m/infer";
    req.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto model = std::make_shared<nc::serve::ModelSignature>();
    model->name = "m";
    model->channels = 1;
    model->height = model->width = 28;
    model->classNames = std::vector<std::string>(10, "c");
    const nc::serve::ServeLimits limits;
    std::vector<double> scanned, dom;
    std::size_t check = 0;
    for (int r = 0; r < rounds; ++r)
        for (const bool scan : {true, false}) {
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < perRound; ++i)
                check += nc::serve::parseInferRequest(req, model, limits, scan).images.size();
            const double us =
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / perRound;
            (scan ? scanned : dom).push_back(us);
        }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("{\"bench\": \"serve_parse\", \"bytes\": %zu, \"scan_us\": %.1f, \"dom_us\": %.1f, \"ratio\": %.2f, "
                "\"values\": %zu}\n",
                req.body.size(), median(scanned), median(dom), median(dom) / median(scanned),
                check / std::size_t(2 * rounds * perRound));
    return 0;
}
