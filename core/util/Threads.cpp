#include "util/Threads.h"

#include <cstdlib>
#include <mutex>

#include <malloc.h>

#include <unistd.h>

namespace nc {

void chooseOpenMpWaitPolicy(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") != nullptr || argv == nullptr || argv[0] == nullptr)
        return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // returns only on failure
}

void keepFreedMemoryForReuse() {
    static std::once_flag once;
    std::call_once(once, [] {
#ifdef M_MMAP_THRESHOLD
        if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
            mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest: buffers below it come from the heap
        if (!std::getenv("MALLOC_TRIM_THRESHOLD_"))
            mallopt(M_TRIM_THRESHOLD, 1 << 30); // free heap memory stays for the next step
#endif
    });
}

} // namespace nc
