// `export P.ncproj --format torchrun -o DIR`: a training job for PyTorch's distributed engine.
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "io/TorchrunJob.h"
#include "util/Error.h"

#include <cstdio>

namespace nc::cli {

int exportJobCommand(const Args& args) {
    args.allowOnly({"format", "output", "dataset", "epochs", "batch", "lr", "limit-train", "seed", "nproc"});
    if (args.positional().size() != 1 || !args.has("output"))
        throw Error("export --format torchrun needs a project file P.ncproj and -o DIR");
    const std::string projectPath = args.positional()[0];
    if (projectPath.size() > 8 && projectPath.compare(projectPath.size() - 8, 8, ".ncmodel") == 0)
        throw Error("export --format torchrun takes a project (P.ncproj), not a model: the job trains from the "
                    "project's graph, dataset and settings");
    TorchrunJobInput in;
    in.project = loadProject(projectPath);
    TrainConfig& cfg = in.project.training;
    cfg.epochs = int(args.getInt("epochs", cfg.epochs));
    cfg.batchSize = int(args.getInt("batch", cfg.batchSize));
    cfg.learningRate = args.getDouble("lr", cfg.learningRate);
    cfg.limitTrain = args.getInt("limit-train", cfg.limitTrain);
    cfg.seed = std::uint64_t(args.getInt("seed", std::int64_t(cfg.seed)));
    if (cfg.epochs < 1 || cfg.batchSize < 1 || !(cfg.learningRate > 0) || cfg.limitTrain < 0)
        throw Error("--epochs, --batch and --lr must be positive, --limit-train not negative");
    in.processesPerNode = int(args.getInt("nproc", 2));
    if (in.processesPerNode < 1)
        throw Error("--nproc must be at least 1");
    in.datasetSpec = args.get("dataset", in.project.dataset);
    DatasetOptions options = datasetOptionsFor(in.project, projectPath);
    ImportReport report;
    options.report = &report;
    const DatasetPair data = loadDataset(in.datasetSpec, options, 0, 1);
    in.data = &data;
    in.cachePath = report.cachePath;
    const std::string dir = args.get("output");
    const TorchrunJobSummary s = exportTorchrunJob(in, dir);
    std::printf("exported a torchrun training job for %s to %s: %lld training and %lld validation images, %d epoch(s)\n"
                "run it with: %s/run-standalone.sh --out run   (README.md there says more)\n",
                projectPath.c_str(), dir.c_str(), static_cast<long long>(s.trainImages),
                static_cast<long long>(s.validationImages), cfg.epochs, dir.c_str());
    return 0;
}

} // namespace nc::cli
