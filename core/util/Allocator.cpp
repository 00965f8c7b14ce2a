#include "util/Allocator.h"

#include <cstdlib>
#include <initializer_list>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nc {

bool tuneAllocator() {
#if defined(__GLIBC__)
    const char* keep = std::getenv("NC_DEFAULT_MALLOC");
    if (keep && std::strcmp(keep, "1") == 0)
        return false;
    for (const char* name : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"})
        if (std::getenv(name))
            return false;
    // Blocks up to 32 MiB (glibc's largest mmap threshold) come from the heap and are reused;
    // up to 128 MiB freed at the heap's top stay mapped. Bigger buffers (a dataset's arrays)
    // are still mapped on their own and returned when freed.
    const bool ok = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
    return mallopt(M_TRIM_THRESHOLD, 128 << 20) == 1 && ok;
#else
    return false;
#endif
}

} // namespace nc
