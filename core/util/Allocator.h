#pragma once
// Keeps memory that a forward or backward pass frees for the next one instead of returning it to
// the kernel after every batch. With glibc's defaults each batch's activations above 128 KiB are
// mmap'd and unmapped again (or trimmed off the heap's top), so every batch page-faults its
// buffers in anew: keras-cnn at batch 32 took ~1,800 page faults per forward pass and cost ~5x
// more CPU time per image than with the memory kept (docs/PERFORMANCE.md, "Memory reuse").
// Call once at the start of main(), before threads start. A user's own MALLOC_* environment
// settings win; NC_DEFAULT_MALLOC=1 keeps glibc's defaults (for comparisons).
namespace nc {

// True when the settings were applied (glibc, not overridden).
bool tuneAllocator();

} // namespace nc
