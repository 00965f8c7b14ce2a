// A served model's forward pass per batch size, as the serving Batcher runs it
// (Model::logitsFromUnit on its own thread, one torch thread): CPU µs per image (the best of
// --rounds rounds, robust to a busy machine) and minor page faults per forward, with the
// allocator tuned as the apps do (nc::tuneAllocator) or, with NC_DEFAULT_MALLOC=1, glibc's
// defaults, and OpenBLAS's pool at the torch thread count as `serve` sets it. The CPU time is
// the whole process's, so BLAS threads spinning beside the model count. One JSON line per size.
//   forward_batch MODEL.ncmodel [--rounds 5] [--threads 1]
#include "nn/Model.h"
#include "util/Allocator.h"
#include "util/Blas.h"
#include "util/Threads.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

namespace {
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}
long minorFaults() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_minflt;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: forward_batch MODEL.ncmodel [--rounds N] [--threads N]\n");
        return 2;
    }
    const bool tuned = nc::tuneAllocator();
    int rounds = 5, threads = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rounds")
            rounds = std::atoi(argv[i + 1]);
        else if (a == "--threads")
            threads = std::atoi(argv[i + 1]);
    }
    const nc::Model model = nc::Model::load(argv[1]);
    std::thread worker([&] { // like the Batcher: its own thread (and malloc arena)
        nc::prepareTorchThread(threads);
        nc::setBlasThreads(threads); // as `serve --threads` does
        const auto& s = model.inputShape();
        const std::size_t per = std::size_t(s[0] * s[1] * s[2]);
        const std::vector<int> sizes = {1, 2, 4, 8, 16, 32, 64};
        std::vector<double> best(sizes.size(), 1e9), faults(sizes.size(), 0);
        for (int r = 0; r < rounds; ++r)
            for (std::size_t k = 0; k < sizes.size(); ++k) {
                const int b = sizes[k];
                std::vector<float> images(per * std::size_t(b), 0.5f);
                for (int w = 0; w < 3; ++w)
                    model.logitsFromUnit(images.data(), b);
                const int n = std::max(10, 400 / b);
                const long f0 = minorFaults();
                const double t0 = cpuSeconds();
                for (int i = 0; i < n; ++i)
                    model.logitsFromUnit(images.data(), b);
                best[k] = std::min(best[k], (cpuSeconds() - t0) / n / b);
                faults[k] = double(minorFaults() - f0) / n;
            }
        for (std::size_t k = 0; k < sizes.size(); ++k)
            std::printf("{\"bench\": \"forward_batch\", \"allocator\": \"%s\", \"batch\": %d, \"cpu_us_per_image\": %.1f, "
                        "\"faults_per_forward\": %.1f}\n",
                        tuned ? "tuned" : "glibc defaults", sizes[k], best[k] * 1e6, faults[k]);
    });
    worker.join();
    return 0;
}
