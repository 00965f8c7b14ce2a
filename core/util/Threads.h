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

namespace nc {

// Keeps memory that torch frees for the next training step instead of handing it back to the
// system (glibc's mmap and trim thresholds raised), so each step does not fault its activation
// buffers in again: resnet-mini had ~600,000 page faults in a 35-step bench, 107,000 with this
// (docs/DECISIONS.md, issue 20). Process-wide, once; MALLOC_MMAP_THRESHOLD_ /
// MALLOC_TRIM_THRESHOLD_ in the environment win.
void keepFreedMemoryForReuse();

} // namespace nc
