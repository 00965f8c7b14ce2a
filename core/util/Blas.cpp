#include "util/Blas.h"

#include <dlfcn.h>

#include <cstdlib>

namespace nc {

bool setBlasThreads(int threads) {
    if (threads < 1 || std::getenv("OPENBLAS_NUM_THREADS"))
        return false;
    using SetThreads = void (*)(int);
    auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!set)
        return false;
    set(threads);
    return true;
}

} // namespace nc
