// libFuzzer target: see FuzzTargets.h for the contract and scripts/fuzz.sh to build and run it.
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return nc::fuzz::runOne(nc::fuzz::ncmodelInt8, data, size);
}
