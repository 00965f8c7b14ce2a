#pragma once

namespace nc {

// Call first on any new thread that runs torch work: initialises torch's thread pool for that
// thread and sets its intra-op thread count (0 = all cores).
void prepareTorchThread(int threads);

} // namespace nc
