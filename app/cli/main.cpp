// neuralcanvas-cli: design, validate, train, evaluate and benchmark networks without a window.
#include "util/Threads.h"
#include "Args.h"
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "io/Export.h"
#include "io/ExportVerify.h"
#include "nn/Generative.h"
#include "nn/Quantize.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Phases.h"
#include "util/Allocator.h"
#include "util/Error.h"
#include "util/Files.h"

#ifdef NC_HAVE_IMAGING
#include "imaging/ImageFolder.h"
#endif

#include <cstdio>
#include <iostream>

using namespace nc;
using nc::cli::Args;

namespace {

const char* kUsage = R"(usage: neuralcanvas-cli COMMAND [options]

  templates                                  list built-in architectures
  new --template NAME -o P.ncproj [--dataset SPEC]
  validate P.ncproj [--dataset SPEC] [--json]
                                             per-node shapes, parameters, FLOPs and problems
  train P.ncproj [--dataset SPEC] [--epochs N] [--batch N] [--lr X] [--optimizer NAME]
        [--weight-decay X] [--schedule none|step|cosine|one-cycle] [--device cpu|cuda] [--precision auto|fp32|bf16]
        [--threads N] [--limit-train N] [--limit-test N] [--out DIR] [--resume CKPT] [--seed N]
        [--augment] [--hflip] [--vflip] [--rotation DEG] [--width-shift F] [--height-shift F]
        [--zoom F] [--brightness F] [--contrast F] [--erase P] [--clean-epochs N]
        [--teacher MODEL.ncmodel [--distill-temperature T] [--distill-alpha A]]
        [--size HxW|auto] [--channels auto|grey|rgb] [--fit pad|crop|stretch]
        [--test-fraction F] [--json]
  import folder:DIR|csv:FILE [--project P.ncproj] [--size HxW|auto] [--channels auto|grey|rgb]
        [--fit pad|crop|stretch] [--test-fraction F] [--cache-dir DIR] [--json]
                                             decode a folder of images once into its cache; the
                                             report lists every file skipped and why
  eval MODEL.ncmodel --dataset SPEC [--project P.ncproj] [--limit-test N] [--json]
                                             accuracy, per-class precision/recall/F1, confusion
  predict MODEL.ncmodel IMAGE... [--topk K] [--fit pad|crop|stretch] [--invert]
        [--saliency gradient|smoothgrad|integrated-gradients|grad-cam -o PNG] [--target CLASS] [--json]
  export MODEL.ncmodel --format torchscript|onnx|python|tflite -o FILE [--verify]
                                             a file other tools load; normalisation inside
  export P.ncproj --format torchrun -o DIR [--dataset SPEC] [--epochs N] [--batch N] [--lr X]
        [--limit-train N] [--seed N] [--nproc N]
                                             a training job for torchrun (DDP), Slurm and GPUs;
                                             File > Import Run... brings its run folder back
  compress MODEL.ncmodel --quantize int8 --dataset SPEC -o OUT.ncmodel [--calibration N]
        [--observer minmax|percentile] [--percentile P] [--limit-test N] [--threads N] [--no-timing] [--json]
                                             int8 post-training quantisation: calibrated on the
                                             training split; float and int8 test accuracy and
                                             forward time (batch 1 and 64) compared
  compress MODEL.ncmodel --prune-channels F --dataset SPEC -o OUT.ncmodel [--finetune-epochs 3]
        [--project P.ncproj] [--prune-residual] [--lr X] [--schedule S] [--distill] [--limit-train N]
        [--limit-test N] [--seed N] [--threads N] [--json]
                                             remove the share F of each convolution's channels
                                             (lowest L1 first; Add-joined residual streams stay
                                             whole unless --prune-residual), fine-tune, and write
                                             OUT.ncproj with the smaller graph beside it
  compress MODEL.ncmodel --sparsity S --dataset SPEC -o OUT.ncmodel [--finetune-epochs 3] [--lr X]
                                             set the smallest share S of every layer's weights to
                                             zero and keep them there through a fine-tune
  generate MODEL.ncmodel [-n 64] -o GRID.png [--seed N] [--score CLASSIFIER.ncmodel]
                                             samples of a generative model (a VAE) decoded from
                                             z ~ N(0, I); --score: the classes a frozen classifier
                                             sees in them and its confidence
  generate MODEL.ncmodel --reconstruct [--dataset SPEC] [-n 32] [-o PAIRS.png]
        [--score CLASSIFIER.ncmodel] [--score-images 10000]
                                             test images through the model: nats per image of
                                             each loss, originals beside reconstructions, and the
                                             classifier's accuracy on both
  generate MODEL.ncmodel --interpolate A.png B.png [-n 8] -o ROW.png
                                             a VAE's path between two images' latent means
  generate MODEL.ncmodel --latent-map MAP.csv [--dataset SPEC] [-n 2000]
                                             test images' latent means on their first two
                                             principal components (x,y,label,class rows)
  serve MODEL.ncmodel [NAME=MODEL.ncmodel ...] | --repository DIR  [--watch]
        [--host 127.0.0.1] [--port 8080] [--token TOKEN]
        [--max-batch 32] [--max-delay-us 500] [--threads N] [--io-threads N] [--body-limit BYTES]
        [--read-timeout-ms 10000] [--max-connections 4096] [--json]
                                             KServe v2 and TF Serving REST; Ctrl+C stops
  bench P.ncproj [--dataset SPEC] [--steps N] [--warmup N] [--batch N] [--device D]
        [--precision auto|fp32|bf16] [--threads N] [--optimizer NAME] [--lr X]
        [--weight-decay X] [--schedule NAME] [--json]
  sweep P.ncproj [--space FILE] [--strategy grid|random|tpe] [--trials N | --time 30m]
        [--prune asha|none] [--min-epochs N] [--eta N] [--parallel N] [--seed N] [--epochs N]
        [--startup-trials N] [--sweep NAME] [--dataset SPEC] [--limit-train N] [--threads N]
        [--resume] [--journal FILE] [--json]
                                             hyperparameter search; each trial a run in the
                                             project's history, a table at the end; --resume
                                             continues the newest sweep without repeating trials

Precision: auto (new projects' default) trains with bf16 autocast where the CPU runs bfloat16
  natively (avx512_bf16 or AMX) and in fp32 elsewhere; a project file without the setting means
  fp32. NC_CPU_FLAGS="..." replaces the CPU flags auto looks at.

Datasets: fashion-mnist | idx:DIR | cifar10:DIR | folder:DIR | csv:FILE | shapes[:N]
  folder:DIR  one sub-folder of images per class, or train/ test/ (val/) folders holding those
  csv:FILE    a path column and a label column (paths relative to the CSV); optional split column
)";

// Pads to a width in characters, not bytes ("64×5×5" holds a two-byte sign).
std::string padded(const std::string& s, std::size_t width, bool right = false) {
    std::size_t chars = 0;
    for (unsigned char c : s)
        chars += (c & 0xC0) != 0x80;
    const std::string fill(width > chars ? width - chars : 0, ' ');
    return right ? fill + s : s + fill;
}

std::string humanCount(std::int64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

int templatesCommand(const Args& args) {
    args.allowOnly({"json"});
    const auto list = listTemplates();
    if (args.has("json")) {
        Json j = Json::array();
        for (const auto& t : list)
            j.push_back({{"name", t.name}, {"description", t.description}});
        std::cout << j.dump() << "\n";
        return 0;
    }
    for (const auto& t : list)
        std::printf("%-12s %s\n", t.name.c_str(), t.description.c_str());
    return 0;
}

int newCommand(const Args& args) {
    std::vector<std::string> allowed = cli::importOptionNames();
    allowed.insert(allowed.end(), {"template", "output", "dataset", "name"});
    args.allowOnly(allowed);
    if (!args.has("template") || !args.has("output"))
        throw Error("new needs --template NAME and -o FILE.ncproj (see `neuralcanvas-cli templates`)");
    Project p = makeFromTemplate(args.get("template"));
    if (args.has("dataset")) {
        p.dataset = args.get("dataset");
        // A template adapts its classifier to the dataset's classes.
        DatasetOptions options = datasetOptionsFor(p, args.get("output"));
        cli::applyImportOptions(args, options);
        p.importPolicy = options.policy;
        fitClassifierToClasses(p.graph, static_cast<int>(datasetInfo(p.dataset, options).classNames.size()));
    }
    if (args.has("name"))
        p.name = args.get("name");
    saveProject(p, args.get("output"));
    std::printf("created %s from template %s (dataset %s)\n", args.get("output").c_str(), args.get("template").c_str(),
                p.dataset.c_str());
    return 0;
}

int validateCommand(const Args& args) {
    args.allowOnly({"dataset", "json"});
    if (args.positional().size() != 1)
        throw Error("validate needs one project file");
    const Project p = loadProject(args.positional()[0]);
    const std::string spec = args.get("dataset", p.dataset);
    const DatasetInfo info = datasetInfo(spec, datasetOptionsFor(p, args.positional()[0]));
    GraphAnalysis a = analyzeGraph(p.graph, {info.channels, info.height, info.width}, int(info.classNames.size()));
    if (a.valid()) // the training phases are checked against a graph that works
        for (const Problem& pr : validatePhases(p.graph, a, p.training.phases))
            a.problems.push_back(pr);
    if (args.has("json")) {
        Json nodes = Json::array();
        for (const NodeInfo& n : a.nodes)
            nodes.push_back({{"id", n.id}, {"type", n.type}, {"ok", n.ok}, {"shape", n.outputShape},
                             {"parameters", n.parameters}, {"flops", n.flops}, {"error", n.error}});
        Json problems = Json::array();
        for (const Problem& pr : a.problems)
            problems.push_back({{"node", pr.nodeId}, {"message", pr.message}});
        std::cout << Json{{"valid", a.valid()}, {"dataset", spec}, {"input_shape", a.inputShape},
                          {"classes", a.numClasses}, {"total_parameters", a.totalParameters},
                          {"flops_per_image", a.totalFlops}, {"activation_bytes_per_image", a.activationBytes},
                          {"nodes", nodes}, {"problems", problems}}
                         .dump()
                  << "\n";
        return a.valid() ? 0 : 1;
    }
    std::printf("%s on %s (input %s, %d classes)\n\n", p.name.c_str(), spec.c_str(),
                shapeToString(a.inputShape).c_str(), a.numClasses);
    std::printf("%-14s %-18s %-14s %12s %14s\n", "layer", "type", "output", "parameters", "FLOPs");
    std::vector<std::string> rows = a.order; // a graph with a cycle has no order: list it as stored
    if (rows.empty())
        for (const NodeInfo& n : a.nodes)
            rows.push_back(n.id);
    for (const std::string& id : rows) {
        const NodeInfo& n = *a.info(id);
        std::printf("%s %s %s %s %s\n", padded(n.id, 14).c_str(), padded(n.type, 18).c_str(),
                    padded(n.ok ? shapeToString(n.outputShape) : "?", 14).c_str(),
                    padded(humanCount(n.parameters), 12, true).c_str(), padded(humanCount(n.flops), 14, true).c_str());
    }
    std::printf("\ntotal parameters: %s\nFLOPs per image:  %s\nactivation memory per image: %s bytes\n",
                humanCount(a.totalParameters).c_str(), humanCount(a.totalFlops).c_str(),
                humanCount(a.activationBytes).c_str());
    if (a.valid()) {
        std::printf("graph is valid\n");
        return 0;
    }
    std::fprintf(stderr, "\n%zu problem(s):\n", a.problems.size());
    for (const Problem& pr : a.problems)
        std::fprintf(stderr, "  %s\n", pr.message.c_str());
    return 1;
}

int evalCommand(const Args& args) {
    std::vector<std::string> allowed = cli::importOptionNames();
    allowed.insert(allowed.end(), {"dataset", "json", "limit-test", "batch", "project"});
    args.allowOnly(allowed);
    if (args.positional().size() != 1 || !args.has("dataset"))
        throw Error("eval needs MODEL.ncmodel and --dataset SPEC");
    const Model model = Model::load(args.positional()[0]);
    // Images become the model's input shape; the project (if named) gives its cache and policy.
    DatasetOptions options;
    if (args.has("project"))
        options = datasetOptionsFor(loadProject(args.get("project")), args.get("project"));
    cli::applyImportOptions(args, options);
    const Shape in = model.inputShape();
    if (in.size() == 3) {
        options.policy.channels = int(in[0]);
        options.policy.height = in[1];
        options.policy.width = in[2];
    }
    options.progress = cli::importProgressPrinter(args.has("json"));
    const DatasetPair data = loadDataset(args.get("dataset"), options, 0, args.getInt("limit-test", 0));
    const EvaluationResult r = evaluateModel(model, data.test, int(args.getInt("batch", 256)));
    if (args.has("json")) {
        Json j = r.toJson();
        j["event"] = "summary";
        j["model"] = args.positional()[0];
        j["dataset"] = args.get("dataset");
        std::cout << j.dump() << "\n";
    } else {
        std::printf("%s on the %s test split\n%s", args.positional()[0].c_str(), args.get("dataset").c_str(),
                    formatMetrics(r).c_str());
    }
    return 0;
}

int exportCommand(const Args& args) {
    if (args.get("format") == "torchrun")
        return nc::cli::exportJobCommand(args);
    args.allowOnly({"format", "output", "verify"});
    if (args.positional().size() != 1 || !args.has("format") || !args.has("output"))
        throw Error("export needs MODEL.ncmodel, --format torchscript|onnx|python|tflite and -o FILE");
    ExportFormat format;
    if (!parseExportFormat(args.get("format"), format))
        throw Error("--format must be torchscript, onnx, python, tflite or torchrun");
    const Model model = Model::load(args.positional()[0]);
    const std::string output = args.get("output");
    exportModel(model, format, output);
    std::string what = args.positional()[0];
    if (isGenerative(model)) { // its decoder or generator is what is exported
        const Model decoder = decoderModel(model);
        const Shape& out = model.inputShape();
        what = "the " + std::string(generatesFromNoise(model) ? "generator" : "decoder") + " of " + what + " (z as [N, " +
               std::to_string(decoder.inputShape()[0]) + ", 1, 1] in, pixels in [0, 1] as [N, " +
               std::to_string(out[0] * out[1] * out[2]) + "] out, " + shapeToString(out) + " each" +
               (format == ExportFormat::Python ? "; its weights in " + decoderWeightsPath(output) : std::string()) + ")";
    }
    if (!args.has("verify")) {
        std::printf("exported %s as %s to %s\n", what.c_str(), exportFormatName(format), output.c_str());
        return 0;
    }
    // A verified export is kept only when it passed: a failed check leaves no file behind.
    const ExportCheck check = verifyExport(model, format, output);
    const bool passed = check.passed();
    if (!passed)
        removeFile(output);
    if (!check.ran)
        throw Error("the export could not be verified, so " + output + " was not kept: " + check.message);
    std::printf("exported %s as %s to %s\n", what.c_str(), exportFormatName(format), output.c_str());
    const bool generative = isGenerative(model); // pixels, not class scores: no top class to compare
    std::printf("verified in %s on %lld random %s: largest difference %.3g (allowed %.3g%s)%s\n",
                check.runtime.c_str(), static_cast<long long>(check.images), generative ? "latents" : "images",
                check.maxAbsDifference, check.tolerance, isQuantized(model) ? ": int8 rounding" : "",
                generative ? "" : (check.sameClass ? ", same top class: yes" : ", same top class: NO"));
    if (!passed)
        std::fprintf(stderr, "neuralcanvas-cli export: error: the export does not match the model, so %s was removed\n",
                     output.c_str());
    return passed ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    nc::chooseOpenMpWaitPolicy(argv);
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    nc::tuneAllocator(); // batches reuse their buffers instead of page-faulting them in anew
#ifdef NC_HAVE_IMAGING
    installImageImporter(); // folder: and csv: datasets
#endif
    try {
        // `sweep --resume` continues a sweep; `train --resume CKPT` names a checkpoint.
        const Args args(argc, argv, 2,
                        command == "sweep" ? std::vector<std::string>{"json", "resume"}
                                           : std::vector<std::string>{"json", "augment", "verify", "invert", "watch",
                                                                      "hflip", "vflip", "no-timing", "distill",
                                                                      "reconstruct", "interpolate", "prune-residual"});
        if (command == "templates")
            return templatesCommand(args);
        if (command == "new")
            return newCommand(args);
        if (command == "validate")
            return validateCommand(args);
        if (command == "train")
            return cli::trainCommand(args);
        if (command == "eval")
            return evalCommand(args);
        if (command == "predict")
            return cli::predictCommand(args);
        if (command == "export")
            return exportCommand(args);
        if (command == "bench")
            return cli::benchCommand(args);
        if (command == "serve")
            return cli::serveCommand(args);
        if (command == "import")
            return cli::importCommand(args);
        if (command == "sweep")
            return cli::sweepCommand(args);
        if (command == "compress")
            return cli::compressCommand(args);
        if (command == "generate")
            return cli::generateCommand(args);
        std::fprintf(stderr, "neuralcanvas-cli: unknown command '%s'\n\n%s", command.c_str(), kUsage);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuralcanvas-cli %s: error: %s\n", command.c_str(), e.what());
        return 1;
    }
}
