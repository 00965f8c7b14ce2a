#pragma once
// A training job for PyTorch's distributed engine (docs/SCALE-OUT.md): the project's network as
// PyTorch code, its initial weights, settings, data and validation split, a train.py that trains
// the way the app does under DDP, launch scripts and a README. The run it writes comes back into
// the app (metrics.jsonl, best.ncmodel, last.ncckpt in the app's own formats).
#include "data/Dataset.h"
#include "graph/Project.h"

#include <string>
#include <vector>

namespace nc {

struct TorchrunJobInput {
    Project project;
    std::string datasetSpec;   // as the project names it (or overridden)
    const DatasetPair* data = nullptr; // loaded by the caller (import caches need its options)
    std::string cachePath;     // folder: / csv: specs: the .nccache file the import wrote
    int processesPerNode = 2;  // what the launch scripts start by default
};

struct TorchrunJobSummary {
    std::vector<std::string> files; // written, relative to the job folder
    std::int64_t trainImages = 0, validationImages = 0;
};

// Writes the job into `dir` (created if needed; files in it are replaced atomically). Throws
// nc::Error naming what is wrong: an invalid graph, a dataset train.py cannot read (synthetic
// "shapes"), a layer the PyTorch-code export cannot express.
TorchrunJobSummary exportTorchrunJob(const TorchrunJobInput& input, const std::string& dir);

// The generated files, for inspection and tests.
const char* torchrunTrainScript();   // resources/torchrun/train.py, compiled in
const char* torchrunSupportScript(); // resources/torchrun/ncjob.py: readers, writers, the app's semantics
std::string torchrunLaunchCommand(int processesPerNode); // the torchrun options every script uses

} // namespace nc
