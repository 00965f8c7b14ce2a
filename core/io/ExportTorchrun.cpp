// The torchrun training job (io/TorchrunJob.h): job.json, split.json, init.ncmodel, model.py,
// train.py, launch scripts and a README, written into one folder.
#include "io/TorchrunJob.h"

#include "graph/LayerRegistry.h"
#include "io/Export.h"
#include "nn/Model.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Version.h"

#include <filesystem>
#include <sstream>

namespace nc {

namespace {
namespace fs = std::filesystem;

std::string absolute(const std::string& p) { return fs::absolute(fs::path(p)).lexically_normal().string(); }

std::string findFile(const std::string& dir, const std::vector<std::string>& names) {
    for (const std::string& n : names)
        for (const std::string& candidate : {n, n + ".gz"})
            if (fileExists((fs::path(dir) / candidate).string()))
                return absolute((fs::path(dir) / candidate).string());
    return {};
}

// Where train.py finds the training part of the data, as job.json's "dataset".
Json datasetFiles(const std::string& spec, const std::string& cachePath) {
    auto after = [&](const char* prefix) { return spec.substr(std::string(prefix).size()); };
    if (spec == "fashion-mnist" || spec.rfind("idx:", 0) == 0) {
        const std::string dir = spec == "fashion-mnist" ? fashionMnistDir() : after("idx:");
        const std::string images = findFile(dir, {"train-images-idx3-ubyte", "train-images.idx3-ubyte"});
        const std::string labels = findFile(dir, {"train-labels-idx1-ubyte", "train-labels.idx1-ubyte"});
        if (images.empty() || labels.empty())
            throw Error(dir + ": no MNIST-style training files found (train-images-idx3-ubyte, train-labels-idx1-ubyte)");
        return {{"kind", "idx"}, {"images", images}, {"labels", labels}};
    }
    if (spec.rfind("cifar10:", 0) == 0) {
        std::string dir = after("cifar10:");
        if (!fileExists((fs::path(dir) / "data_batch_1.bin").string()))
            dir = (fs::path(dir) / "cifar-10-batches-bin").string();
        Json batches = Json::array();
        for (int i = 1; i <= 5; ++i) {
            const std::string p = (fs::path(dir) / ("data_batch_" + std::to_string(i) + ".bin")).string();
            if (fileExists(p))
                batches.push_back(absolute(p));
        }
        if (batches.empty())
            throw Error(dir + ": no CIFAR-10 training batches (data_batch_1.bin …) found");
        return {{"kind", "cifar10"}, {"batches", batches}};
    }
    if (isImageImportSpec(spec)) {
        if (cachePath.empty() || !fileExists(cachePath))
            throw Error(spec + ": the imported images have no cache file yet; load the dataset once, then export");
        return {{"kind", "nccache"}, {"path", absolute(cachePath)}};
    }
    throw Error("the dataset \"" + spec + "\" is made by NeuralCanvas itself and train.py cannot read it; "
                "export a job for an IDX, CIFAR-10, folder or CSV dataset");
}

// The loss the Output layer asks for (the settings' label_smoothing < 0 defers to it).
Json outputLoss(const Graph& graph) {
    Json params = Json::object();
    for (const Node& n : graph.nodes())
        if (n.type == "Output")
            LayerRegistry::instance().normalizeParams(*LayerRegistry::instance().find("Output"), n.params, params);
    return {{"type", params.value("loss", "cross_entropy")}, {"label_smoothing", params.value("label_smoothing", 0.0)}};
}

// Every launcher checks for torchrun first, so a machine without PyTorch says what to install.
const char* kFindTorchrun =
    "TORCHRUN=\"${TORCHRUN:-torchrun}\"\n"
    "command -v \"$TORCHRUN\" >/dev/null 2>&1 || { echo \"$TORCHRUN: not found; install PyTorch (Debian: "
    "python3-torch) or set TORCHRUN to its path\" >&2; exit 127; }\n";

const char* kLaunchNote =
    "# --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 fails with torchrun's defaults\n"
    "# (AttributeError: 'NoneType' object has no attribute 'get'); README.md says why.\n";

std::string standaloneScript(int nproc) {
    return "#!/bin/sh\n"
           "# One machine: NPROC processes (CPU: gloo; GPUs: one per GPU with NCCL and --device cuda).\n"
           "# Usage: ./run-standalone.sh [train.py options], e.g. --out run --epochs 10\n" +
           std::string(kLaunchNote) +
           "set -eu\ncd \"$(dirname \"$0\")\"\n" + kFindTorchrun + "NPROC=\"${NPROC:-" + std::to_string(nproc) + "}\"\n"
           "exec \"$TORCHRUN\" --standalone --nproc_per_node=\"$NPROC\" --redirects 1 --tee 1 train.py \"$@\"\n";
}

std::string multiNodeScript(int nproc) {
    return "#!/bin/sh\n"
           "# Several machines through c10d rendezvous: run this on every node with the same settings.\n"
           "#   NNODES=2 RDZV_ENDPOINT=node1:29500 RDZV_ID=myjob ./run-multinode.sh --out /shared/run\n"
           "# RDZV_ENDPOINT is host:port of one of the nodes; the run folder should be on a share.\n" +
           std::string(kLaunchNote) +
           "set -eu\ncd \"$(dirname \"$0\")\"\n" + kFindTorchrun + "NNODES=\"${NNODES:-2}\"\nNPROC=\"${NPROC:-" + std::to_string(nproc) +
           "}\"\nRDZV_ENDPOINT=\"${RDZV_ENDPOINT:-localhost:29500}\"\nRDZV_ID=\"${RDZV_ID:-neuralcanvas}\"\n"
           "exec " + torchrunLaunchCommand(nproc) + " \"$@\"\n";
}

std::string slurmScript(int nproc) {
    return "#!/bin/bash\n"
           "# Slurm: sbatch slurm.sbatch [train.py options]. One torchrun per node (srun), which starts\n"
           "# NPROC processes there; the first node hosts the c10d rendezvous.\n"
           "#SBATCH --job-name=neuralcanvas\n#SBATCH --nodes=2\n#SBATCH --ntasks-per-node=1\n"
           "#SBATCH --cpus-per-task=8\n#SBATCH --output=neuralcanvas-%j.log\n"
           "# For GPUs add e.g.: #SBATCH --gpus-per-node=4, set NPROC=4 and pass --device cuda\n" +
           std::string(kLaunchNote) +
           "set -euo pipefail\ncd \"${SLURM_SUBMIT_DIR:-$(dirname \"$0\")}\"\n" + std::string(kFindTorchrun) +
           "NNODES=\"${SLURM_NNODES:-1}\"\nNPROC=\"${NPROC:-" + std::to_string(nproc) + "}\"\n"
           "RDZV_ENDPOINT=\"$(scontrol show hostnames \"${SLURM_JOB_NODELIST}\" | head -n 1):29500\"\n"
           "RDZV_ID=\"${SLURM_JOB_ID:-neuralcanvas}\"\n"
           "srun " + torchrunLaunchCommand(nproc) + " \"$@\"\n";
}

std::string readme(const TorchrunJobInput& in, const TorchrunJobSummary& s) {
    const TrainConfig& c = in.project.training;
    std::ostringstream o;
    o << "# Training job: " << in.project.name << "\n\n"
      << "Exported by " << writerName() << " from the project's network and settings: " << s.trainImages
      << " training and " << s.validationImages << " validation images of `" << in.datasetSpec << "`, "
      << c.epochs << " epochs, " << optimizerName(c.optimizer) << " at learning rate " << c.learningRate
      << ", batch " << c.batchSize << ".\n\n"
      << R"MD(| file | what |
|---|---|
| `model.py` | the network as PyTorch code (NeuralCanvas' PyTorch-code export) |
| `init.ncmodel` | its initial weights, the same the app would start from |
| `job.json` | settings, dataset files, normalisation, class names, graph |
| `split.json` | indices of the training and validation images (the app's split, not re-derived) |
| `train.py` | the training loop: DDP, the app's semantics, rank 0 writes the run folder |
| `ncjob.py` | what train.py builds on: data readers, safetensors, the app's order, schedule, augmentation |
| `run-standalone.sh`, `run-multinode.sh`, `slurm.sbatch` | launchers |

## Run

```sh
./run-standalone.sh --out run                         # this machine, NPROC=2 processes (gloo on CPU)
NPROC=4 ./run-standalone.sh --out run --device cuda   # 4 GPUs (NCCL, SyncBatchNorm)
NNODES=2 RDZV_ENDPOINT=node1:29500 ./run-multinode.sh --out /shared/run   # on each node
sbatch slurm.sbatch --out /shared/run                 # Slurm, submitted from this folder
python3 train.py --out run                            # one process, no launcher
./run-standalone.sh --out run --resume run/last.ncckpt --epochs 20   # continue (also an app's checkpoint)
```

Then in NeuralCanvas: **File › Import Run…** and choose the run folder (it may still be
growing: the charts follow `metrics.jsonl`). `best.ncmodel` opens in Evaluate, Inspect,
Compress and Deploy like a run trained in the app.

train.py options: `--out DIR`, `--data DIR` (where the dataset files are on this machine; the
job names the exporting machine's paths), `--epochs N`, `--resume CKPT`, `--batch-per-rank B`,
`--lr-scaling linear|sqrt|none`, `--device cpu|cuda`, `--precision fp32|bf16`, `--threads N`.

## Batch size and learning rate

By default each of the W ranks takes batch/W images a step, so the global batch and the
learning rate are the project's and the run trains like the app's. `--batch-per-rank B` makes
the global batch B × W; the learning rate is then scaled by (B × W) / batch, linearly (the
default, Goyal et al. 2017), by its square root (`--lr-scaling sqrt`, often better for Adam) or
not at all (`none`).

## Why `--redirects 1 --tee 1`

Debian's torch 1.13 on Python 3.11 fails with torchrun's default options: `AttributeError:
'NoneType' object has no attribute 'get'`. torchrun turns `--redirects`/`--tee` (default `0`)
into its `Std` IntFlag by iterating over the flag's members; since Python 3.11 iterating an
IntFlag yields only its single-bit members (OUT = 1, ERR = 2), never NONE (0) or ALL (3), so
`0` finds no member and becomes None. `1` (stdout) is found: the scripts tee each worker's
stdout to a log file and the console (lines prefixed `[default0]:`); stderr is left alone.
Newer PyTorch releases do not need the options, and accept them.

## What differs from training in the app

See docs/SCALE-OUT.md in NeuralCanvas. In short: the shuffling, dropout and augmentation draw
PyTorch's random numbers (the same distributions, not the same bytes); BatchNorm statistics
are per rank on CPU (gloo has no SyncBatchNorm; on GPUs it is SyncBatchNorm); a rank's last
batch of one image is dropped; DistributedSampler pads the epoch to a multiple of W images by
repeating a few; precision "auto" means bf16 on GPUs and fp32 on CPUs, and a bf16 run that goes
non-finite fails instead of falling back to fp32.
)MD";
    return o.str();
}
} // namespace

std::string torchrunLaunchCommand(int) {
    return "\"$TORCHRUN\" --nnodes=\"$NNODES\" --nproc_per_node=\"$NPROC\" --rdzv_backend=c10d "
           "--rdzv_endpoint=\"$RDZV_ENDPOINT\" --rdzv_id=\"$RDZV_ID\" --redirects 1 --tee 1 train.py";
}

TorchrunJobSummary exportTorchrunJob(const TorchrunJobInput& in, const std::string& dir) {
    if (!in.data || in.data->train.size() == 0)
        throw Error("the dataset \"" + in.datasetSpec + "\" has no training images");
    const DatasetPair& data = *in.data;
    const TrainConfig& cfg = in.project.training;
    Json dataset = datasetFiles(in.datasetSpec, in.cachePath);

    // The images the app would train on: the first limit_train, then its validation split.
    const std::int64_t limit = cfg.limitTrain > 0 ? std::min(cfg.limitTrain, data.train.size()) : data.train.size();
    std::vector<std::int64_t> first(static_cast<std::size_t>(limit));
    for (std::int64_t i = 0; i < limit; ++i)
        first[i] = i;
    std::vector<std::int64_t> trainIdx = first, valIdx;
    std::string validationSource = "none";
    if (data.validation.size() > 0) {
        validationSource = "part";
    } else if (cfg.validationFraction > 0) {
        const Dataset limited = limit < data.train.size() ? data.train.subset(first) : Dataset();
        const Dataset& src = limited.size() ? limited : data.train;
        std::tie(trainIdx, valIdx) = stratifiedSplit(src.labels, src.numClasses(), cfg.validationFraction, cfg.seed);
        validationSource = "split";
    }
    const Dataset train = data.train.subset(trainIdx);
    const DatasetInfo info{data.train.channels, data.train.height, data.train.width, data.train.classNames};
    Model model = Model::compile(in.project.graph, info, cfg.seed);
    model.setNormalization(computeNormalization(train));
    model.setInputAppearance(measureAppearance(train));
    const std::string source = pythonSource(model, "model"); // refuses layers PyTorch code cannot express

    makeDirectories(dir);
    TorchrunJobSummary s;
    s.trainImages = train.size();
    s.validationImages = validationSource == "part" ? data.validation.size() : std::int64_t(valIdx.size());
    auto write = [&](const std::string& name, const std::string& text) {
        writeFileAtomic((fs::path(dir) / name).string(), text);
        s.files.push_back(name);
    };
    model.metadata() = {{"epoch", 0}};
    model.save((fs::path(dir) / "init.ncmodel").string());
    s.files.push_back("init.ncmodel");
    write("model.py", source);

    dataset["spec"] = in.datasetSpec;
    dataset["shape"] = {data.train.channels, data.train.height, data.train.width};
    dataset["train_images"] = data.train.size();
    dataset["classes"] = data.train.numClasses();
    Json job = {{"format", "neuralcanvas-torchrun-job"},
                {"version", 1},
                {"writer", writerName()},
                {"project", in.project.name},
                {"dataset", dataset},
                {"config", cfg.toJson()},
                {"loss", outputLoss(in.project.graph)},
                {"graph", in.project.graph.toJson()},
                {"input_shape", model.inputShape()},
                {"class_names", model.classNames()},
                {"normalization", {{"mean", model.normalization().mean}, {"std", model.normalization().std}}}};
    if (model.inputAppearance().known)
        job["input_appearance"] = {{"background", model.inputAppearance().background},
                                   {"object", model.inputAppearance().object}};
    write("job.json", job.dump(2) + "\n");
    write("split.json", Json{{"validation_source", validationSource}, {"train", trainIdx}, {"validation", valIdx}}.dump() + "\n");
    write("train.py", torchrunTrainScript());
    write("ncjob.py", torchrunSupportScript());
    write("run-standalone.sh", standaloneScript(in.processesPerNode));
    write("run-multinode.sh", multiNodeScript(in.processesPerNode));
    write("slurm.sbatch", slurmScript(in.processesPerNode));
    for (const char* script : {"run-standalone.sh", "run-multinode.sh", "slurm.sbatch", "train.py"})
        fs::permissions(fs::path(dir) / script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add);
    write("README.md", readme(in, s));
    return s;
}

} // namespace nc
