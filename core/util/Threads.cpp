#include "util/Threads.h"

#include <cstdlib>

#include <unistd.h>

namespace nc {

void chooseOpenMpWaitPolicy(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") != nullptr || argv == nullptr || argv[0] == nullptr)
        return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // returns only on failure
}

} // namespace nc
