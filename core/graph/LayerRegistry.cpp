#include "graph/LayerRegistry.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nc {

std::string shapeToString(const Shape& s) {
    if (s.empty())
        return "scalar";
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i)
            out += "×";
        out += std::to_string(s[i]);
    }
    return out;
}

const ParamSpec* LayerSpec::param(const std::string& name) const {
    for (const ParamSpec& p : params)
        if (p.name == name)
            return &p;
    return nullptr;
}

std::vector<std::string> LayerSpec::inputPorts(const Json& p) const {
    if (maxInputs <= 1)
        return maxInputs == 1 ? std::vector<std::string>{"in"} : std::vector<std::string>{};
    int n = minInputs;
    if (p.is_object() && p.contains("inputs") && p["inputs"].is_number_integer())
        n = p["inputs"].get<int>();
    n = std::max(minInputs, std::min(maxInputs, n));
    std::vector<std::string> ports;
    for (int i = 0; i < n; ++i)
        ports.push_back("in" + std::to_string(i));
    return ports;
}

namespace {

using I64 = std::int64_t;

ParamSpec intParam(const char* name, I64 def, I64 lo, I64 hi, const char* help) {
    return ParamSpec{name, ParamKind::Int, Json(def), double(lo), double(hi), {}, help};
}
ParamSpec floatParam(const char* name, double def, double lo, double hi, const char* help) {
    return ParamSpec{name, ParamKind::Float, Json(def), lo, hi, {}, help};
}
ParamSpec boolParam(const char* name, bool def, const char* help) {
    return ParamSpec{name, ParamKind::Bool, Json(def), 0, 1, {}, help};
}

I64 numel(const Shape& s) {
    I64 n = 1;
    for (I64 d : s)
        n *= d;
    return n;
}

ShapeResult fail(std::string msg) {
    ShapeResult r;
    r.error = std::move(msg);
    return r;
}

ShapeResult okShape(Shape s, I64 params = 0, I64 flops = 0) {
    ShapeResult r;
    r.ok = true;
    r.shape = std::move(s);
    r.parameters = params;
    r.flops = flops;
    return r;
}

// Elementwise layers keep the shape; FLOPs counted as one per element.
ShapeResult sameShape(const std::vector<Shape>& in, const Json&) { return okShape(in[0], 0, numel(in[0])); }

ShapeResult needImage(const Shape& s, const char* layer) {
    if (s.size() != 3)
        return fail(std::string("needs an image input (channels×height×width) but gets ") + shapeToString(s) +
                    "; " + layer + " must come before Flatten");
    return okShape(s);
}

std::string sideText(I64 a, I64 b) { return std::to_string(a) + "×" + std::to_string(b); }

ShapeResult convRule(const std::vector<Shape>& in, const Json& p) {
    const Shape& s = in[0];
    if (auto r = needImage(s, "a convolution"); !r.ok)
        return r;
    const I64 cin = s[0], h = s[1], w = s[2];
    const I64 cout = p["out_channels"], k = p["kernel_size"], stride = p["stride"], dil = p["dilation"],
              groups = p["groups"];
    const bool bias = p["bias"];
    const bool same = p["padding"].is_string();
    const I64 pad = same ? 0 : p["padding"].get<I64>();
    if (cin % groups != 0 || cout % groups != 0)
        return fail("groups=" + std::to_string(groups) + " must divide both the " + std::to_string(cin) +
                    " input channels and the " + std::to_string(cout) + " output channels; change groups");
    const I64 effective = dil * (k - 1) + 1;
    I64 ho, wo;
    if (same) {
        if (stride != 1)
            return fail("padding \"same\" needs stride 1 (stride is " + std::to_string(stride) +
                        "); use a number for padding or set stride to 1");
        ho = h;
        wo = w;
    } else {
        if (effective > h + 2 * pad || effective > w + 2 * pad) {
            std::string msg = "kernel " + sideText(effective, effective) + " is larger than its " +
                              sideText(h, w) + " input";
            if (pad)
                msg += " (with padding " + std::to_string(pad) + ")";
            return fail(msg + "; lower kernel_size, add padding or remove a pooling layer above it");
        }
        ho = (h + 2 * pad - effective) / stride + 1;
        wo = (w + 2 * pad - effective) / stride + 1;
    }
    const I64 weights = cout * (cin / groups) * k * k;
    const I64 params = weights + (bias ? cout : 0);
    const I64 flops = 2 * weights * ho * wo;
    return okShape({cout, ho, wo}, params, flops);
}

ShapeResult poolRule(const std::vector<Shape>& in, const Json& p) {
    const Shape& s = in[0];
    if (auto r = needImage(s, "pooling"); !r.ok)
        return r;
    const I64 k = p["kernel_size"], pad = p["padding"];
    const I64 stride = p["stride"].get<I64>() == 0 ? k : p["stride"].get<I64>();
    if (2 * pad > k)
        return fail("padding " + std::to_string(pad) + " is more than half the kernel size " +
                    std::to_string(k) + "; lower padding");
    if (k > s[1] + 2 * pad || k > s[2] + 2 * pad)
        return fail("kernel " + sideText(k, k) + " is larger than its " + sideText(s[1], s[2]) +
                    " input; lower kernel_size or remove a pooling layer above it");
    const I64 ho = (s[1] + 2 * pad - k) / stride + 1, wo = (s[2] + 2 * pad - k) / stride + 1;
    return okShape({s[0], ho, wo}, 0, s[0] * ho * wo * k * k);
}

ShapeResult batchNormRule(const std::vector<Shape>& in, const Json&, std::size_t rank) {
    const Shape& s = in[0];
    if (s.size() != rank)
        return fail(rank == 3 ? "BatchNorm2d needs an image input (channels×height×width) but gets " +
                                    shapeToString(s) + "; use BatchNorm1d after Flatten"
                              : "BatchNorm1d needs a feature vector but gets " + shapeToString(s) +
                                    "; use BatchNorm2d on images or add a Flatten before it");
    return okShape(s, 2 * s[0], 2 * numel(s));
}

} // namespace

LayerRegistry::LayerRegistry() {
    auto add = [this](LayerSpec spec) { m_specs.push_back(std::move(spec)); };
    const auto kernel = [](I64 def) { return intParam("kernel_size", def, 1, 64, "Size of the square window"); };

    LayerSpec input{"Input", "Input/Output", "input", "The network's input; its shape comes from the dataset"};
    input.minInputs = input.maxInputs = 0;
    input.shapeRule = [](const std::vector<Shape>&, const Json&) { return okShape({}); }; // filled by inference
    add(input);

    LayerSpec conv{"Conv2d", "Convolution", "conv",
                   "2-D convolution: learns out_channels filters of kernel_size×kernel_size"};
    conv.params = {intParam("out_channels", 32, 1, 16384, "Number of filters (output channels)"), kernel(3),
                   intParam("stride", 1, 1, 64, "Step between windows"),
                   ParamSpec{"padding", ParamKind::IntOrSame, Json(0), 0, 64, {"same"},
                             "Zero padding on each side, or \"same\" to keep the size (stride 1)"},
                   intParam("dilation", 1, 1, 64, "Spacing between kernel taps"),
                   intParam("groups", 1, 1, 16384, "Split channels into groups (depthwise when = channels)"),
                   boolParam("bias", true, "Learn a bias per filter")};
    conv.shapeRule = convRule;
    add(conv);

    // Layers that make images larger (decoders and generators, issue 16).
    LayerSpec deconv{"ConvTranspose2d", "Convolution", "deconv",
                     "Transposed convolution: grows the image (stride 2 doubles it), as in decoders and GANs"};
    deconv.params = {intParam("out_channels", 32, 1, 16384, "Number of filters (output channels)"), kernel(4),
                     intParam("stride", 2, 1, 64, "Upsampling factor between input and output pixels"),
                     intParam("padding", 1, 0, 64, "Removed from each side of the output"),
                     intParam("output_padding", 0, 0, 63, "Added to one side of the output (less than stride)"),
                     boolParam("bias", true, "Learn a bias per filter")};
    deconv.shapeRule = [](const std::vector<Shape>& in, const Json& p) {
        const Shape& s = in[0];
        if (auto r = needImage(s, "a transposed convolution"); !r.ok)
            return r;
        const I64 cin = s[0], cout = p["out_channels"], k = p["kernel_size"], stride = p["stride"], pad = p["padding"],
                  extra = p["output_padding"];
        if (extra >= stride)
            return fail("output_padding " + std::to_string(extra) + " must be less than stride " + std::to_string(stride) +
                        "; lower output_padding");
        const I64 ho = (s[1] - 1) * stride - 2 * pad + k + extra, wo = (s[2] - 1) * stride - 2 * pad + k + extra;
        if (ho < 1 || wo < 1)
            return fail("padding " + std::to_string(pad) + " removes the whole " + sideText(s[1], s[2]) +
                        " output; lower padding or raise kernel_size");
        const I64 weights = cin * cout * k * k;
        return okShape({cout, ho, wo}, weights + (p["bias"].get<bool>() ? cout : 0), 2 * weights * s[1] * s[2]);
    };
    add(deconv);

    LayerSpec upsample{"Upsample", "Convolution", "up", "Repeats (nearest) or interpolates (bilinear) pixels: scale× larger"};
    upsample.params = {intParam("scale", 2, 1, 16, "How many times larger, in height and width"),
                       ParamSpec{"mode", ParamKind::Choice, Json("nearest"), 0, 0, {"nearest", "bilinear"},
                                 "nearest: copy pixels; bilinear: interpolate between them"}};
    upsample.shapeRule = [](const std::vector<Shape>& in, const Json& p) {
        if (auto r = needImage(in[0], "Upsample"); !r.ok)
            return r;
        const I64 scale = p["scale"];
        const Shape out{in[0][0], in[0][1] * scale, in[0][2] * scale};
        return okShape(out, 0, numel(out) * (p["mode"] == "bilinear" ? 4 : 0));
    };
    add(upsample);

    for (const char* type : {"MaxPool2d", "AvgPool2d"}) {
        const bool isMax = type[0] == 'M';
        LayerSpec pool{type, "Pooling", isMax ? "maxpool" : "avgpool",
                       isMax ? "Keeps the largest value in each window" : "Averages each window"};
        pool.params = {kernel(2), intParam("stride", 0, 0, 64, "Step between windows (0 = kernel_size)"),
                       intParam("padding", 0, 0, 32, "Zero padding on each side")};
        pool.shapeRule = poolRule;
        add(pool);
    }

    LayerSpec gap{"GlobalAvgPool2d", "Pooling", "gap", "Averages each channel over the whole image"};
    gap.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (auto r = needImage(in[0], "global pooling"); !r.ok)
            return r;
        return okShape({in[0][0]}, 0, numel(in[0]));
    };
    add(gap);

    LayerSpec bn2{"BatchNorm2d", "Normalization", "bn", "Normalises each channel over the batch"};
    bn2.params = {floatParam("momentum", 0.1, 0.0, 1.0, "Running statistics update rate"),
                  floatParam("eps", 1e-5, 1e-12, 1.0, "Added to the variance for stability")};
    bn2.shapeRule = [](const std::vector<Shape>& in, const Json& p) { return batchNormRule(in, p, 3); };
    add(bn2);
    LayerSpec bn1 = bn2;
    bn1.type = "BatchNorm1d";
    bn1.idPrefix = "bn1d";
    bn1.summary = "Normalises each feature over the batch";
    bn1.shapeRule = [](const std::vector<Shape>& in, const Json& p) { return batchNormRule(in, p, 1); };
    add(bn1);

    LayerSpec drop{"Dropout", "Regularization", "drop", "Zeroes random elements with probability p while training"};
    drop.params = {floatParam("p", 0.5, 0.0, 0.99, "Probability of dropping an element")};
    drop.shapeRule = sameShape;
    add(drop);
    LayerSpec drop2{"Dropout2d", "Regularization", "drop2d", "Zeroes whole random channels with probability p"};
    drop2.params = {floatParam("p", 0.2, 0.0, 0.99, "Probability of dropping a channel")};
    drop2.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (auto r = needImage(in[0], "Dropout2d"); !r.ok)
            return r;
        return okShape(in[0], 0, numel(in[0]));
    };
    add(drop2);

    const struct {
        const char* type;
        const char* prefix;
        const char* summary;
    } activations[] = {
        {"ReLU", "relu", "max(0, x)"},
        {"LeakyReLU", "lrelu", "x, or negative_slope·x below zero"},
        {"ELU", "elu", "x, or alpha·(eˣ−1) below zero"},
        {"GELU", "gelu", "x·Φ(x), the smooth ReLU of transformers"},
        {"SiLU", "silu", "x·sigmoid(x) (Swish)"},
        {"Sigmoid", "sigmoid", "1/(1+e⁻ˣ), squashes to (0, 1)"},
        {"Tanh", "tanh", "Hyperbolic tangent, squashes to (−1, 1)"},
        {"Softmax", "softmax", "Probabilities over the channel / feature axis"},
    };
    for (const auto& a : activations) {
        LayerSpec act{a.type, "Activation", a.prefix, a.summary};
        if (std::string(a.type) == "LeakyReLU")
            act.params = {floatParam("negative_slope", 0.01, 0.0, 1.0, "Slope below zero")};
        if (std::string(a.type) == "ELU")
            act.params = {floatParam("alpha", 1.0, 0.0, 10.0, "Saturation value below zero")};
        act.shapeRule = sameShape;
        add(act);
    }

    LayerSpec flatten{"Flatten", "Reshape", "flatten", "Turns channels×height×width into one feature vector"};
    flatten.shapeRule = [](const std::vector<Shape>& in, const Json&) { return okShape({numel(in[0])}); };
    add(flatten);

    LayerSpec unflatten{"Unflatten", "Reshape", "unflatten",
                        "Turns a feature vector into a channels×height×width image (the inverse of Flatten)"};
    unflatten.params = {intParam("channels", 1, 1, 16384, "Channels of the image"),
                        intParam("height", 7, 1, 4096, "Height of the image"),
                        intParam("width", 7, 1, 4096, "Width of the image")};
    unflatten.shapeRule = [](const std::vector<Shape>& in, const Json& p) {
        const Shape out{p["channels"].get<I64>(), p["height"].get<I64>(), p["width"].get<I64>()};
        if (in[0].size() != 1)
            return fail("needs a feature vector but gets " + shapeToString(in[0]) + "; add a Flatten before it");
        if (numel(out) != in[0][0])
            return fail("cannot arrange " + std::to_string(in[0][0]) + " features as " + shapeToString(out) + " (" +
                        std::to_string(numel(out)) + " values); make channels×height×width equal " +
                        std::to_string(in[0][0]) + " or change the layer before it");
        return okShape(out);
    };
    add(unflatten);

    LayerSpec linear{"Linear", "Dense", "dense", "Fully connected layer with out_features outputs"};
    linear.params = {intParam("out_features", 10, 1, 1 << 20, "Number of outputs"),
                     boolParam("bias", true, "Learn a bias per output")};
    linear.shapeRule = [](const std::vector<Shape>& in, const Json& p) {
        const Shape& s = in[0];
        if (s.size() != 1)
            return fail("needs a feature vector but gets " + shapeToString(s) +
                        (s.size() == 2 ? "; set the recurrent layer's output to \"last\" or add a Flatten before it"
                                       : "; add a Flatten before it"));
        const I64 out = p["out_features"];
        const bool bias = p["bias"];
        return okShape({out}, s[0] * out + (bias ? out : 0), 2 * s[0] * out);
    };
    add(linear);

    // Sequences (issue 16): a per-sample shape of rank 2 is [steps, features].
    LayerSpec rows{"RowsToSequence", "Recurrent", "rows",
                   "Reads an image row by row: channels×height×width becomes height steps of channels·width features"};
    rows.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (auto r = needImage(in[0], "RowsToSequence"); !r.ok)
            return r;
        return okShape({in[0][1], in[0][0] * in[0][2]});
    };
    add(rows);

    for (const char* type : {"LSTM", "GRU"}) {
        const bool lstm = type[0] == 'L';
        LayerSpec rnn{type, "Recurrent", lstm ? "lstm" : "gru",
                      lstm ? "Long short-term memory over a sequence (steps×features)"
                           : "Gated recurrent unit over a sequence (steps×features)"};
        rnn.params = {intParam("hidden_size", 128, 1, 8192, "Features of the hidden state"),
                      intParam("layers", 1, 1, 16, "Stacked recurrent layers"),
                      boolParam("bidirectional", false, "Also read the sequence backwards (doubles the features)"),
                      ParamSpec{"output", ParamKind::Choice, Json("last"), 0, 0, {"last", "all"},
                                "last: the final hidden state (features); all: every step's output (a sequence)"}};
        const I64 gates = lstm ? 4 : 3;
        rnn.shapeRule = [gates](const std::vector<Shape>& in, const Json& p) {
            const Shape& s = in[0];
            if (s.size() != 2)
                return fail("needs a sequence (steps×features) but gets " + shapeToString(s) +
                            (s.size() == 3 ? "; add a RowsToSequence before it" : "; its input must be a sequence"));
            const I64 steps = s[0], hidden = p["hidden_size"], layers = p["layers"];
            const I64 dirs = p["bidirectional"].get<bool>() ? 2 : 1;
            I64 params = 0, flops = 0, inFeatures = s[1];
            for (I64 l = 0; l < layers; ++l) {
                const I64 perDir = gates * hidden * (inFeatures + hidden) + 2 * gates * hidden;
                params += dirs * perDir;
                flops += dirs * steps * 2 * gates * hidden * (inFeatures + hidden);
                inFeatures = hidden * dirs;
            }
            if (p["output"] == "all")
                return okShape({steps, hidden * dirs}, params, flops);
            return okShape({hidden * dirs}, params, flops);
        };
        add(rnn);
    }

    const auto inputsParam = intParam("inputs", 2, 2, 8, "Number of inputs");
    LayerSpec addSpec{"Add", "Merge", "add", "Adds 2 or more tensors of equal shape (residual connections)"};
    addSpec.minInputs = 2;
    addSpec.maxInputs = 8;
    addSpec.params = {inputsParam};
    addSpec.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        for (std::size_t i = 1; i < in.size(); ++i)
            if (in[i] != in[0])
                return fail("inputs must have equal shapes but in0 is " + shapeToString(in[0]) + " and in" +
                            std::to_string(i) + " is " + shapeToString(in[i]) +
                            "; change the layers feeding it (e.g. a 1×1 convolution or a stride) so they match");
        return okShape(in[0], 0, numel(in[0]) * I64(in.size() - 1));
    };
    add(addSpec);

    LayerSpec concat{"Concat", "Merge", "concat", "Joins 2 or more tensors along the channel axis"};
    concat.minInputs = 2;
    concat.maxInputs = 8;
    concat.params = {inputsParam};
    concat.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        Shape out = in[0];
        for (std::size_t i = 1; i < in.size(); ++i) {
            const Shape& s = in[i];
            const bool match = s.size() == out.size() && std::equal(s.begin() + 1, s.end(), out.begin() + 1);
            if (!match)
                return fail("inputs must agree in every axis but channels; in0 is " + shapeToString(in[0]) +
                            " and in" + std::to_string(i) + " is " + shapeToString(s));
            out[0] += s[0];
        }
        return okShape(out);
    };
    add(concat);

    // Generative models (issue 16).
    LayerSpec reparam{"Reparameterize", "Generative", "reparam",
                      "Samples z = μ + exp(½·log σ²)·ε from in0 = μ and in1 = log σ² (the VAE's trick); "
                      "gives μ when not training"};
    reparam.minInputs = reparam.maxInputs = 2;
    reparam.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (in[0] != in[1])
            return fail("needs μ (in0) and log σ² (in1) of equal shapes but gets " + shapeToString(in[0]) + " and " +
                        shapeToString(in[1]) + "; give the two layers feeding it the same number of outputs");
        return okShape(in[0], 0, 3 * numel(in[0]));
    };
    add(reparam);

    LayerSpec detach{"Detach", "Generative", "detach",
                     "Passes its input on but stops gradients flowing back through it (e.g. a generator's "
                     "samples on their way to the discriminator)"};
    detach.shapeRule = [](const std::vector<Shape>& in, const Json&) { return okShape(in[0]); };
    add(detach);

    LayerSpec latent{"LatentInput", "Generative", "latent",
                     "Random latent vectors, one per image of the batch (a GAN generator's input): N(0, I) "
                     "or uniform in [-1, 1]"};
    latent.minInputs = latent.maxInputs = 0;
    latent.params = {intParam("dim", 100, 1, 65536, "Features of each latent vector"),
                     ParamSpec{"distribution", ParamKind::Choice, Json("normal"), 0, 0, {"normal", "uniform"},
                               "normal: N(0, I); uniform: in [-1, 1]"}};
    latent.shapeRule = [](const std::vector<Shape>&, const Json& p) { return okShape({p["dim"].get<I64>()}); };
    add(latent);

    // Losses as nodes (issue 16): sinks whose per-image values the trainer sums into the loss of
    // a network without an Output (a VAE). Each gives one number per image: shape 1.
    LayerSpec kl{"KLDivergence", "Loss", "kl",
                 "KL(q(z|x) || N(0, I)) of μ (in0) and log σ² (in1), in nats per image; weight β, "
                 "ramped up from 0 over the warm-up epochs"};
    kl.minInputs = kl.maxInputs = 2;
    kl.hasOutput = false;
    kl.params = {floatParam("beta", 1.0, 0.0, 100.0, "Weight of the KL term (β-VAE; 1 is the ELBO)"),
                 intParam("warmup_epochs", 0, 0, 1000, "Epochs over which the weight rises from 0 to β")};
    kl.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (in[0] != in[1])
            return fail("needs μ (in0) and log σ² (in1) of equal shapes but gets " + shapeToString(in[0]) + " and " +
                        shapeToString(in[1]));
        if (in[0].size() != 1)
            return fail("needs a latent vector (features) but gets " + shapeToString(in[0]) +
                        "; add Flatten and Linear layers before μ and log σ²");
        return okShape({1}, 0, 4 * numel(in[0]));
    };
    add(kl);

    LayerSpec recon{"ReconstructionLoss", "Loss", "recon",
                    "How far its input is from the network's input image, summed over pixels (nats per "
                    "image for BCE): the decoder's half of a VAE's ELBO"};
    recon.hasOutput = false;
    recon.params = {ParamSpec{"loss", ParamKind::Choice, Json("bce_logits"), 0, 0, {"bce_logits", "mse"},
                              "bce_logits: its input is logits of pixels in [0, 1]; mse: its input is the pixels"},
                    ParamSpec{"target", ParamKind::Choice, Json("input"), 0, 0, {"input"},
                              "What it reconstructs: the network's input image (pixels in [0, 1])"}};
    recon.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        // That the shape matches the images is checked by ShapeInference, which knows them.
        return okShape({1}, 0, 4 * numel(in[0]));
    };
    add(recon);

    LayerSpec adv{"AdversarialLoss", "Loss", "adv",
                  "A GAN's loss on a discriminator's score (logits): how far it is from calling its input real "
                  "(target real) or fake (target fake)"};
    adv.hasOutput = false;
    adv.params = {ParamSpec{"target", ParamKind::Choice, Json("real"), 0, 0, {"real", "fake"},
                            "What the score should say: real (the discriminator on data, or the generator's "
                            "aim) or fake (the discriminator on generated images)"},
                  ParamSpec{"loss", ParamKind::Choice, Json("bce"), 0, 0, {"bce", "least_squares", "hinge"},
                            "bce: the original GAN's log loss; least_squares: LSGAN; hinge: max(0, 1 ∓ score)"}};
    adv.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (numel(in[0]) != 1)
            return fail("needs one score per image (the discriminator's last layer with 1 output) but gets " +
                        shapeToString(in[0]) + "; end the discriminator in a Linear or Conv2d with 1 output");
        return okShape({1}, 0, 4);
    };
    add(adv);

    LayerSpec output{"Output", "Input/Output", "output", "The network's logits and the loss used to train them"};
    output.hasOutput = false;
    output.params = {ParamSpec{"loss", ParamKind::Choice, Json("cross_entropy"), 0, 0, {"cross_entropy", "mse"},
                               "Training loss"},
                     floatParam("label_smoothing", 0.0, 0.0, 0.99, "Softens one-hot targets (cross-entropy)")};
    output.shapeRule = [](const std::vector<Shape>& in, const Json&) {
        if (in[0].size() != 1)
            return fail("needs one score per class but gets " + shapeToString(in[0]) +
                        "; add Flatten and a Linear layer before it");
        return okShape(in[0]);
    };
    add(output);
}

const LayerRegistry& LayerRegistry::instance() {
    static const LayerRegistry registry;
    return registry;
}

const LayerSpec* LayerRegistry::find(const std::string& type) const {
    for (const LayerSpec& s : m_specs)
        if (s.type == type)
            return &s;
    return nullptr;
}

namespace {
std::string rangeText(const ParamSpec& p) {
    std::ostringstream os;
    os << p.minValue << " to " << p.maxValue;
    return os.str();
}
} // namespace

bool layerHasParameters(const std::string& type) {
    for (const char* t : {"Conv2d", "ConvTranspose2d", "Linear", "BatchNorm2d", "BatchNorm1d", "LSTM", "GRU"})
        if (type == t)
            return true;
    return false;
}

std::string LayerRegistry::normalizeParams(const LayerSpec& spec, const Json& in, Json& out) const {
    out = Json::object();
    if (!in.is_null() && !in.is_object())
        return "parameters must be an object";
    if (in.is_object()) {
        // "shares": another node's id whose weights this one uses (a GAN's discriminator applied to
        // real and to generated images). ShapeInference checks that the two agree.
        if (in.contains("shares")) {
            if (!layerHasParameters(spec.type))
                return "has no weights to share; remove parameter 'shares'";
            if (!in["shares"].is_string() || in["shares"].get<std::string>().empty())
                return "parameter shares must be the id of the layer whose weights this one uses";
            out["shares"] = in["shares"];
        }
        for (auto it = in.begin(); it != in.end(); ++it)
            if (it.key() != "shares" && !spec.param(it.key()))
                return "has no parameter '" + it.key().substr(0, 40) + "'" +
                       (spec.params.empty() ? std::string() : "; remove it");
    }
    for (const ParamSpec& p : spec.params) {
        const Json v = (in.is_object() && in.contains(p.name)) ? in[p.name] : p.defaultValue;
        const std::string bad = "parameter " + p.name + " ";
        switch (p.kind) {
        case ParamKind::Bool:
            if (!v.is_boolean())
                return bad + "must be true or false";
            break;
        case ParamKind::Choice: {
            if (!v.is_string() || std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) == p.choices.end()) {
                std::string list;
                for (const auto& c : p.choices)
                    list += (list.empty() ? "" : ", ") + c;
                return bad + "must be one of: " + list;
            }
            break;
        }
        case ParamKind::IntOrSame:
            if (v.is_string()) {
                if (v.get<std::string>() != "same")
                    return bad + "must be a whole number or \"same\"";
                break;
            }
            [[fallthrough]];
        case ParamKind::Int: {
            if (!v.is_number_integer())
                return bad + "must be a whole number (" + rangeText(p) + ")";
            const double d = static_cast<double>(v.get<std::int64_t>());
            if (d < p.minValue || d > p.maxValue)
                return bad + "is " + std::to_string(v.get<std::int64_t>()) + "; allowed: " + rangeText(p);
            break;
        }
        case ParamKind::Float: {
            if (!v.is_number())
                return bad + "must be a number (" + rangeText(p) + ")";
            const double d = v.get<double>();
            if (!std::isfinite(d) || d < p.minValue || d > p.maxValue)
                return bad + "is " + std::to_string(d) + "; allowed: " + rangeText(p);
            break;
        }
        }
        out[p.name] = v;
    }
    return {};
}

} // namespace nc
