#pragma once
// The BLAS library's own thread pool. Debian's LibTorch calls the generic libblas.so.3, which is
// OpenBLAS here; torch::set_num_threads does not reach OpenBLAS, whose pool keeps one thread per
// core spinning (sched_yield) between the matrix products of a forward pass. A server answering
// with one torch thread paid ~45 % more CPU per request for it (docs/PERFORMANCE.md, Serving).
namespace nc {

// Sets OpenBLAS's thread count when OpenBLAS is the BLAS in use; false when it is not (MKL,
// reference BLAS) or OPENBLAS_NUM_THREADS was set by the user, who then decides.
bool setBlasThreads(int threads);

} // namespace nc
