// Shape inference and the layer catalogue: what a user sees while editing a graph.
#include "GenerativeGraphs.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "nn/Model.h"
#include "util/Error.h"

#include <QtTest>

#include <set>

using namespace nc;

namespace {
const Shape kMnist{1, 28, 28};

// input -> (layers...) -> output, each a chain.
Graph chain(const std::vector<std::pair<std::string, Json>>& layers) {
    Graph g;
    std::string prev = g.addNode({"input", "Input", Json::object()});
    for (const auto& [type, params] : layers) {
        const std::string id = g.addNode({"", type, params});
        g.connect({prev, "out"}, {id, "in"});
        prev = id;
    }
    g.addNode({"output", "Output", Json::object()});
    g.connect({prev, "out"}, {"output", "in"});
    return g;
}

const Problem* problemFor(const GraphAnalysis& a, const std::string& node) {
    for (const Problem& p : a.problems)
        if (p.nodeId == node)
            return &p;
    return nullptr;
}
} // namespace

class TestShapeInference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kerasCnnMatchesKerasSummary() {
        const Project p = makeFromTemplate("keras-cnn");
        const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        QCOMPARE(a.totalParameters, std::int64_t(93322));
        QCOMPARE(a.info("conv1")->outputShape, (Shape{32, 26, 26}));
        QCOMPARE(a.info("pool2")->outputShape, (Shape{64, 5, 5}));
        QCOMPARE(a.info("conv3")->outputShape, (Shape{64, 3, 3}));
        QCOMPARE(a.info("flatten")->outputShape, (Shape{576}));
        QCOMPARE(a.info("conv2")->parameters, std::int64_t(18496));
        QCOMPARE(a.info("dense1")->parameters, std::int64_t(36928));
        // conv1: 2 * (1*3*3) * 32 * 26 * 26 multiply-adds
        QCOMPARE(a.info("conv1")->flops, std::int64_t(2 * 9 * 32 * 26 * 26));
        QCOMPARE(shapeToString(a.info("pool2")->outputShape), std::string("64×5×5"));
    }

    void everyTemplateIsValidOnFashionMnist() {
        for (const TemplateInfo& t : listTemplates()) {
            const Project p = makeFromTemplate(t.name);
            const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
            QVERIFY2(a.valid(), (t.name + ": " + (a.problems.empty() ? "" : a.problems[0].message)).c_str());
            QVERIFY(a.totalParameters > 0);
            QVERIFY(!t.description.empty());
        }
    }

    void residualDagWithAddAndConcat() {
        Graph g;
        g.addNode({"input", "Input", {}});
        g.addNode({"a", "Conv2d", {{"out_channels", 8}, {"padding", "same"}}});
        g.addNode({"b", "Conv2d", {{"out_channels", 8}, {"kernel_size", 1}}});
        g.addNode({"sum", "Add", {{"inputs", 2}}});
        g.addNode({"cat", "Concat", {{"inputs", 2}}});
        g.addNode({"gap", "GlobalAvgPool2d", {}});
        g.addNode({"fc", "Linear", {{"out_features", 3}}});
        g.addNode({"output", "Output", {}});
        g.connect({"input", "out"}, {"a", "in"});
        g.connect({"input", "out"}, {"b", "in"});
        g.connect({"a", "out"}, {"sum", "in0"});
        g.connect({"b", "out"}, {"sum", "in1"});
        g.connect({"sum", "out"}, {"cat", "in0"});
        g.connect({"a", "out"}, {"cat", "in1"});
        g.connect({"cat", "out"}, {"gap", "in"});
        g.connect({"gap", "out"}, {"fc", "in"});
        g.connect({"fc", "out"}, {"output", "in"});
        const GraphAnalysis a = analyzeGraph(g, {3, 16, 16}, 3);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        QCOMPARE(a.info("sum")->outputShape, (Shape{8, 16, 16}));
        QCOMPARE(a.info("cat")->outputShape, (Shape{16, 16, 16}));
        QCOMPARE(a.info("fc")->outputShape, (Shape{3}));
        // The compiled network names parameters after the nodes.
        const Model m = Model::compile(g, {3, 16, 16, {"x", "y", "z"}}, 1);
        const auto names = m.stateNames();
        QVERIFY(std::find(names.begin(), names.end(), "a.weight") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "fc.bias") != names.end());
        QCOMPARE(m.parameterCount(), a.totalParameters);
    }

    void everyLayerTypeCompiles() {
        // One graph that uses the whole catalogue; the compiled parameter count must match inference.
        Graph g = chain({{"Conv2d", {{"out_channels", 4}, {"padding", 1}}},
                         {"BatchNorm2d", {}},
                         {"LeakyReLU", {}},
                         {"ELU", {}},
                         {"GELU", {}},
                         {"SiLU", {}},
                         {"Dropout2d", {}},
                         {"MaxPool2d", {}},
                         {"AvgPool2d", {{"kernel_size", 3}, {"stride", 1}, {"padding", 1}}},
                         {"Sigmoid", {}},
                         {"Tanh", {}},
                         {"Softmax", {}},
                         {"ReLU", {}},
                         {"Flatten", {}},
                         {"Linear", {{"out_features", 16}}},
                         {"BatchNorm1d", {}},
                         {"Dropout", {}},
                         {"Linear", {{"out_features", 10}}}});
        std::set<std::string> used;
        for (const Node& n : g.nodes())
            used.insert(n.type);
        used.insert("Add");
        used.insert("Concat");
        used.insert("GlobalAvgPool2d"); // compiled in residualDagWithAddAndConcat
        for (const char* t : {"RowsToSequence", "LSTM", "GRU"}) // compiled in recurrentLayersCountWhatTorchBuilds
            used.insert(t);
        for (const char* t : {"ConvTranspose2d", "Upsample", "Unflatten"}) // in layersThatGrowImagesCountWhatTorchBuilds
            used.insert(t);
        for (const char* t : {"Reparameterize", "Detach"}) // in reparameterizeNeedsTwoEqualInputs
            used.insert(t);
        // Compiled with the conv-vae and dcgan templates in tst_generative (their parameter counts
        // against inference: ganLayersAndSharedWeights).
        for (const char* t : {"LatentInput", "KLDivergence", "ReconstructionLoss", "AdversarialLoss"})
            used.insert(t);
        for (const LayerSpec& spec : LayerRegistry::instance().all())
            QVERIFY2(used.count(spec.type), ("not covered: " + spec.type).c_str());
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        const Model m = Model::compile(g, {1, 28, 28, std::vector<std::string>(10, "c")}, 1);
        QCOMPARE(m.parameterCount(), a.totalParameters);
        const std::vector<std::uint8_t> image(28 * 28 * 2, 100);
        const auto logits = m.logits(image.data(), 2);
        QCOMPARE(logits.size(), std::size_t(20));
    }

    void kernelLargerThanInputNamesTheNode() {
        Graph g = chain({{"Conv2d", {{"out_channels", 8}, {"kernel_size", 5}}},
                         {"MaxPool2d", {{"kernel_size", 4}}},
                         {"Conv2d", {{"out_channels", 8}, {"kernel_size", 5}}},
                         {"Conv2d", {{"out_channels", 8}, {"kernel_size", 5}}},
                         {"Flatten", {}},
                         {"Linear", {{"out_features", 10}}}});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        // 28 -> 24 -> 6 -> 2 -> conv3 cannot apply 5x5 to 2x2
        const Problem* p = problemFor(a, "conv3");
        QVERIFY(p);
        QVERIFY2(p->message.find("conv3: kernel 5×5 is larger than its 2×2 input") == 0, p->message.c_str());
        QVERIFY(p->message.find("lower kernel_size") != std::string::npos);
        QVERIFY(!a.info("conv3")->ok);
        QVERIFY(a.info("conv2")->ok); // nodes above keep their shapes
        QVERIFY(!problemFor(a, "flatten1")); // downstream nodes are not blamed for the root cause
    }

    void cycleIsReported() {
        Graph g = chain({{"Conv2d", {}}, {"ReLU", {}}, {"Flatten", {}}, {"Linear", {}}});
        g.addNode({"sum", "Add", {}});
        g.disconnect({"conv1", "out"}, {"relu1", "in"});
        g.connect({"conv1", "out"}, {"sum", "in0"});
        g.connect({"relu1", "out"}, {"sum", "in1"});
        g.connect({"sum", "out"}, {"relu1", "in"});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        QVERIFY(!a.valid());
        const Problem* p = problemFor(a, "relu1");
        QVERIFY(p);
        QVERIFY2(p->message.find("cycle") != std::string::npos, p->message.c_str());
        QVERIFY(p->message.find("sum") != std::string::npos);
    }

    void unconnectedInputIsReported() {
        Graph g = chain({{"Conv2d", {}}, {"ReLU", {}}, {"Flatten", {}}, {"Linear", {}}});
        g.disconnect({"conv1", "out"}, {"relu1", "in"});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        const Problem* p = problemFor(a, "relu1");
        QVERIFY(p);
        QVERIFY2(p->message == "relu1: its input is not connected; connect a layer above it", p->message.c_str());
        QVERIFY(problemFor(a, "conv1")); // conv1's output now leads nowhere
    }

    void twoInputsAndMissingOutput() {
        Graph g = chain({{"Flatten", {}}, {"Linear", {}}});
        g.addNode({"input2", "Input", {}});
        GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        const Problem* p = problemFor(a, "input2");
        QVERIFY(p);
        QVERIFY2(p->message.find("exactly one Input") != std::string::npos, p->message.c_str());

        Graph h = chain({{"Flatten", {}}, {"Linear", {}}});
        h.removeNode("output");
        a = analyzeGraph(h, kMnist, 10);
        bool found = false;
        for (const Problem& pr : a.problems)
            found |= pr.message.find("no Output layer") != std::string::npos;
        QVERIFY(found);
    }

    void addOfUnequalShapes() {
        Graph g;
        g.addNode({"input", "Input", {}});
        g.addNode({"a", "Conv2d", {{"out_channels", 8}}});
        g.addNode({"b", "Conv2d", {{"out_channels", 16}}});
        g.addNode({"join", "Add", {}});
        g.addNode({"flat", "Flatten", {}});
        g.addNode({"fc", "Linear", {}});
        g.addNode({"output", "Output", {}});
        g.connect({"input", "out"}, {"a", "in"});
        g.connect({"input", "out"}, {"b", "in"});
        g.connect({"a", "out"}, {"join", "in0"});
        g.connect({"b", "out"}, {"join", "in1"});
        g.connect({"join", "out"}, {"flat", "in"});
        g.connect({"flat", "out"}, {"fc", "in"});
        g.connect({"fc", "out"}, {"output", "in"});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        const Problem* p = problemFor(a, "join");
        QVERIFY(p);
        QVERIFY2(p->message.find("join: inputs must have equal shapes but in0 is 8×26×26 and in1 is 16×26×26") == 0,
                 p->message.c_str());
    }

    void outputWidthMustMatchClasses() {
        const Project p = makeFromTemplate("keras-cnn");
        const GraphAnalysis a = analyzeGraph(p.graph, {3, 32, 32}, 3);
        const Problem* pr = problemFor(a, "output");
        QVERIFY(pr);
        QVERIFY2(pr->message == "output: gets 10 scores but the dataset has 3 classes; set out_features of dense2 to 3",
                 pr->message.c_str());
        QVERIFY_THROWS_EXCEPTION(Error, Model::compile(p.graph, {3, 32, 32, {"a", "b", "c"}}, 1));
    }

    // A sequence is [steps, features]: RowsToSequence reads 28 rows of 28 pixels; an LSTM or GRU
    // gives its last hidden state (both directions) or every step. The parameters and shapes the
    // editor shows are the ones torch builds, for every combination.
    void recurrentLayersCountWhatTorchBuilds() {
        for (const char* type : {"LSTM", "GRU"})
            for (bool bidirectional : {false, true})
                for (const char* output : {"last", "all"}) {
                    std::vector<std::pair<std::string, Json>> layers = {
                        {"RowsToSequence", {}},
                        {type, {{"hidden_size", 12}, {"layers", 2}, {"bidirectional", bidirectional}, {"output", output}}}};
                    if (std::string(output) == "all")
                        layers.push_back({"Flatten", {}});
                    layers.push_back({"Linear", {{"out_features", 10}}});
                    const Graph g = chain(layers);
                    const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
                    const std::string what = std::string(type) + (bidirectional ? " bidirectional " : " ") + output;
                    QVERIFY2(a.valid(), (what + ": " + (a.problems.empty() ? "" : a.problems[0].message)).c_str());
                    QCOMPARE(a.info("rows1")->outputShape, (Shape{28, 28}));
                    const std::int64_t features = bidirectional ? 24 : 12;
                    const std::string rnn = std::string(type) == "LSTM" ? "lstm1" : "gru1";
                    QCOMPARE(a.info(rnn)->outputShape,
                             std::string(output) == "all" ? (Shape{28, features}) : (Shape{features}));
                    const Model m = Model::compile(g, {1, 28, 28, std::vector<std::string>(10, "c")}, 1);
                    QVERIFY2(m.parameterCount() == a.totalParameters, what.c_str());
                    const std::vector<std::uint8_t> images(28 * 28 * 3, 77);
                    QCOMPARE(m.logits(images.data(), 3).size(), std::size_t(30));
                }
    }

    // A decoder's way back up: a vector unflattened to 16×7×7, a stride-2 transposed convolution
    // (7 → 14), nearest and bilinear upsampling (14 → 28 → 56), then a classifier.
    void layersThatGrowImagesCountWhatTorchBuilds() {
        const Graph g = chain({{"Flatten", {}},
                               {"Linear", {{"out_features", 784}}},
                               {"Unflatten", {{"channels", 16}, {"height", 7}, {"width", 7}}},
                               {"ConvTranspose2d", {{"out_channels", 8}, {"kernel_size", 4}, {"stride", 2}, {"padding", 1}}},
                               {"Upsample", {{"scale", 2}}},
                               {"ConvTranspose2d", {{"out_channels", 4}, {"kernel_size", 3}, {"stride", 2}, {"padding", 1},
                                                    {"output_padding", 1}}},
                               {"Upsample", {{"scale", 1}, {"mode", "bilinear"}}},
                               {"MaxPool2d", {{"kernel_size", 8}}},
                               {"Flatten", {}},
                               {"Linear", {{"out_features", 10}}}});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        QCOMPARE(a.info("unflatten1")->outputShape, (Shape{16, 7, 7}));
        QCOMPARE(a.info("deconv1")->outputShape, (Shape{8, 14, 14}));
        QCOMPARE(a.info("up1")->outputShape, (Shape{8, 28, 28}));
        QCOMPARE(a.info("deconv2")->outputShape, (Shape{4, 56, 56}));
        const Model m = Model::compile(g, {1, 28, 28, std::vector<std::string>(10, "c")}, 1);
        QCOMPARE(m.parameterCount(), a.totalParameters);
        const std::vector<std::uint8_t> images(28 * 28 * 2, 33);
        QCOMPARE(m.logits(images.data(), 2).size(), std::size_t(20));
        // What cannot work is a message on the node.
        GraphAnalysis bad = analyzeGraph(chain({{"Flatten", {}}, {"Unflatten", {{"channels", 3}, {"height", 10}, {"width", 10}}},
                                                {"Flatten", {}}, {"Linear", {}}}),
                                         kMnist, 10);
        const Problem* p = problemFor(bad, "unflatten1");
        QVERIFY(p);
        QVERIFY2(p->message.find("cannot arrange 784 features as 3×10×10") != std::string::npos, p->message.c_str());
        bad = analyzeGraph(chain({{"ConvTranspose2d", {{"stride", 2}, {"output_padding", 2}}}, {"Flatten", {}}, {"Linear", {}}}),
                           kMnist, 10);
        p = problemFor(bad, "deconv1");
        QVERIFY(p);
        QVERIFY2(p->message.find("output_padding 2 must be less than stride 2") != std::string::npos, p->message.c_str());
        bad = analyzeGraph(chain({{"Flatten", {}}, {"Upsample", {}}, {"Linear", {}}}), kMnist, 10);
        p = problemFor(bad, "up1");
        QVERIFY(p);
        QVERIFY2(p->message.find("needs an image input") != std::string::npos, p->message.c_str());
    }

    // μ and log σ² of equal shapes give z of that shape; unequal ones are a message on the node.
    void reparameterizeNeedsTwoEqualInputs() {
        for (const int logvarWidth : {8, 6}) {
            const Graph g = test::vaeBottleneckClassifier(8, logvarWidth, 10);
            const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
            if (logvarWidth == 8) {
                QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
                QCOMPARE(a.info("z")->outputShape, (Shape{8}));
                QCOMPARE(a.info("stop")->outputShape, (Shape{8}));
                const Model m = Model::compile(g, {1, 28, 28, std::vector<std::string>(10, "c")}, 1);
                QCOMPARE(m.parameterCount(), a.totalParameters);
                const std::vector<std::uint8_t> images(28 * 28 * 2, 90);
                QCOMPARE(m.logits(images.data(), 2), m.logits(images.data(), 2)); // μ, not a sample
            } else {
                const Problem* p = problemFor(a, "z");
                QVERIFY(p);
                QVERIFY2(p->message.find("equal shapes but gets 8 and 6") != std::string::npos, p->message.c_str());
            }
        }
    }

    void recurrentLayersExplainWrongInputs() {
        // An LSTM straight after the image: the message names the node and says what to add.
        GraphAnalysis a = analyzeGraph(chain({{"LSTM", {}}, {"Linear", {}}}), kMnist, 10);
        const Problem* p = problemFor(a, "lstm1");
        QVERIFY(p);
        QVERIFY2(p->message.find("needs a sequence") != std::string::npos &&
                     p->message.find("add a RowsToSequence before it") != std::string::npos,
                 p->message.c_str());
        // RowsToSequence after Flatten has no rows to read.
        a = analyzeGraph(chain({{"Flatten", {}}, {"RowsToSequence", {}}, {"GRU", {}}, {"Linear", {}}}), kMnist, 10);
        p = problemFor(a, "rows1");
        QVERIFY(p);
        QVERIFY2(p->message.find("needs an image input") != std::string::npos, p->message.c_str());
        // Every step's output into a Linear layer: say how to get one vector.
        a = analyzeGraph(chain({{"RowsToSequence", {}}, {"GRU", {{"output", "all"}}}, {"Linear", {}}}), kMnist, 10);
        p = problemFor(a, "dense1");
        QVERIFY(p);
        QVERIFY2(p->message.find("output to \"last\"") != std::string::npos, p->message.c_str());
        // A bad choice is a message naming the parameter.
        a = analyzeGraph(chain({{"RowsToSequence", {}}, {"LSTM", {{"output", "middle"}}}, {"Linear", {}}}), kMnist, 10);
        p = problemFor(a, "lstm1");
        QVERIFY(p);
        QVERIFY2(p->message.find("output") != std::string::npos && p->message.find("last, all") != std::string::npos,
                 p->message.c_str());
    }

    void linearNeedsFlatten() {
        Graph g = chain({{"Conv2d", {}}, {"Linear", {}}});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        const Problem* p = problemFor(a, "dense1");
        QVERIFY(p);
        QVERIFY2(p->message.find("add a Flatten before it") != std::string::npos, p->message.c_str());
    }

    void badParametersAreMessagesNotExceptions() {
        Graph g = chain({{"Conv2d", {{"out_channels", "many"}}}, {"Flatten", {}}, {"Linear", {{"out_features", -3}}}});
        g.addNode({"mystery", "Transformer", {}});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        QVERIFY(problemFor(a, "conv1"));
        QVERIFY(problemFor(a, "conv1")->message.find("out_channels must be a whole number") != std::string::npos);
        QVERIFY(problemFor(a, "dense1")->message.find("out_features is -3") != std::string::npos);
        QVERIFY(problemFor(a, "mystery")->message.find("unknown layer type 'Transformer'") != std::string::npos);
    }

    void absurdWidthIsRefusedBeforeAllocation() {
        // 1M features into 1M outputs would be 4 TB of weights: refused by inference, never compiled.
        Graph g = chain({{"Conv2d", {{"out_channels", 16384}, {"padding", 1}}},
                         {"Flatten", {}},
                         {"Linear", {{"out_features", 1 << 20}}},
                         {"Linear", {{"out_features", 10}}}});
        const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
        QVERIFY(!a.valid());
        const Problem* p = problemFor(a, "dense1");
        QVERIFY(p);
        QVERIFY2(p->message.find("GB of weights") != std::string::npos, p->message.c_str());
        QVERIFY_THROWS_EXCEPTION(Error, Model::compile(g, {1, 28, 28, std::vector<std::string>(10, "c")}, 1));
    }
};

QTEST_APPLESS_MAIN(TestShapeInference)
#include "tst_shapeinference.moc"
