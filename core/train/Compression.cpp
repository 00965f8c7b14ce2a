#include "train/Compression.h"

#include "graph/ShapeInference.h"
#include "train/Evaluator.h"
#include "util/Error.h"
#include "util/Files.h"

#include <zlib.h>

#include <atomic>

namespace nc {

namespace {
// Fine-tunes `model` in place; `afterStep` runs after every optimizer step.
void finetune(Model& model, const Dataset& train, const FinetuneSettings& s, const std::function<void()>& afterStep) {
    if (s.beforeFinetune)
        s.beforeFinetune(model);
    if (s.epochs <= 0)
        return;
    TrainConfig config = s.config;
    config.epochs = s.epochs;
    Trainer trainer(model, train, config);
    std::atomic<bool> cancelled{false};
    TrainerCallbacks cb;
    cb.onBatch = [&](const BatchEvent&) {
        if (afterStep)
            afterStep();
        if (s.cancelled && s.cancelled()) {
            cancelled = true;
            trainer.stop();
        }
    };
    cb.onEpoch = s.onEpoch;
    trainer.setCallbacks(cb);
    const FinishedEvent f = trainer.run();
    if (cancelled)
        throw Error("cancelled");
    if (f.reason == FinishReason::Failed)
        throw Error("fine-tuning failed: " + f.message);
}
} // namespace

Model pruneAndFinetune(const Model& model, const Dataset& train, double share, bool residual, const FinetuneSettings& settings,
                       PruneReport* report, int* recalibrationImages) {
    if (!(share > 0.0 && share < 1.0))
        throw Error("the share of channels to remove must be above 0 and below 1");
    PruneOptions po;
    po.keepFraction = 1.0 - share;
    po.residual = residual;
    Model pruned = pruneChannels(model, po, report);
    const int used = recalibrateBatchNorm(pruned, train);
    if (recalibrationImages)
        *recalibrationImages = used;
    finetune(pruned, train, settings, {});
    return pruned;
}

SparsityReport sparsifyAndFinetune(Model& model, const Dataset& train, double sparsity, const FinetuneSettings& settings) {
    if (!(sparsity > 0.0 && sparsity < 1.0))
        throw Error("the share of weights set to zero must be above 0 and below 1");
    MagnitudePruner pruner(model, sparsity);
    finetune(model, train, settings, [&] { pruner.reapply(); });
    pruner.reapply();
    SparsityReport report;
    report.sparsity = pruner.sparsity();
    report.prunedEntries = pruner.prunedEntries();
    report.layers = pruner.layers();
    return report;
}

VariantFigures measureVariant(const Model& model, const std::string& file, const Dataset& test, const Dataset& timing,
                              double timingSeconds) {
    VariantFigures v;
    v.parameters = model.parameterCount();
    v.bytes = fileSize(file);
    v.compressedBytes = compressedFileSize(file);
    const GraphAnalysis a = analyzeGraph(model.graph(), model.inputShape(), int(model.classNames().size()));
    v.mflops = double(a.totalFlops) / 1e6;
    if (test.size() > 0)
        v.accuracy = evaluateModel(model, test).accuracy;
    if (timing.size() > 0) {
        v.batch1Ms = timeForward(model, timing, 1, timingSeconds).medianMs;
        v.batch64Ms = timeForward(model, timing, 64, timingSeconds).medianMs;
    }
    return v;
}

std::uint64_t compressedFileSize(const std::string& path) {
    const std::vector<std::uint8_t> bytes = readFileBytes(path, std::uint64_t(1) << 31);
    uLongf size = compressBound(uLong(bytes.size()));
    std::vector<Bytef> out(size);
    if (compress2(out.data(), &size, bytes.data(), uLong(bytes.size()), 9) != Z_OK)
        throw Error("cannot compress " + path + " to measure it");
    return size;
}

} // namespace nc
