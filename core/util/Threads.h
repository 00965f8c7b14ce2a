#pragma once

namespace nc {

// Call first on any new thread that runs torch work: initialises torch's thread pool for that
// thread and sets its intra-op thread count (0 = all cores).
void prepareTorchThread(int threads);

} // namespace nc

namespace nc {

// Call first in main(): where OMP_WAIT_POLICY is unset, sets it to PASSIVE and re-executes the
// program so that OpenMP (which reads it once, at load) sees it. Threads waiting at a barrier
// then sleep instead of spinning, which on a machine where other processes run keeps torch's
// threads from taking the CPU from each other (docs/DECISIONS.md, issue 20). A user's own
// setting is kept; if re-executing fails the program just goes on.
void chooseOpenMpWaitPolicy(char** argv);

} // namespace nc

