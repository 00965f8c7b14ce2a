// How long a parameter edit takes to re-validate (shape inference) and repaint the canvas
// with a 200-node graph: the edit goes through the editor (undo command -> model -> analysis
// -> scene items) and the view is repainted synchronously. Prints the median and worst time.
#include "document/Document.h"
#include "app/MainWindow.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace nc::ui;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const int layers = argc > 1 ? std::atoi(argv[1]) : 200;
    const int edits = argc > 2 ? std::atoi(argv[2]) : 50;

    // A 200-node chain: Input, then Conv2d/BatchNorm/ReLU blocks (padding "same", so every
    // shape depends on the first convolution), then GAP, Linear, Output.
    nc::Project project;
    project.dataset = "fashion-mnist";
    auto add = [&](const char* type, nc::Json params) {
        nc::Node n;
        n.type = type;
        n.params = std::move(params);
        n.y = double(project.graph.nodes().size()) * 112;
        const std::string prev = project.graph.nodes().empty() ? "" : project.graph.nodes().back().id;
        const std::string id = project.graph.addNode(n);
        if (!prev.empty()) {
            const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type);
            project.graph.connect({prev, "out"}, {id, spec->inputPorts(n.params).front()});
        }
    };
    add("Input", nc::Json::object());
    const char* cycle[] = {"Conv2d", "BatchNorm2d", "ReLU"};
    for (int i = 0; int(project.graph.nodes().size()) < layers - 3; ++i) {
        const char* type = cycle[i % 3];
        add(type, std::string(type) == "Conv2d" ? nc::Json{{"out_channels", 16}, {"kernel_size", 3}, {"padding", "same"}}
                                                : nc::Json::object());
    }
    add("GlobalAvgPool2d", nc::Json::object());
    add("Linear", {{"out_features", 10}});
    add("Output", nc::Json::object());

    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1600, 1000);
    window.document()->setProject(project, QString());
    window.show();
    QApplication::processEvents();
    window.view()->resetZoom();
    window.view()->centerOn(0, 0);
    QApplication::processEvents();

    GraphEditor* editor = window.document()->editor();
    const QString first = QStringLiteral("conv1");
    std::vector<double> ms;
    for (int i = 0; i < edits; ++i) {
        QElapsedTimer t;
        t.start();
        // Alternate the channel count so every downstream shape changes on every edit.
        editor->setParam(first, QStringLiteral("out_channels"), i % 2 ? 16 : 24);
        window.view()->viewport()->repaint();
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    const nc::GraphAnalysis& a = window.document()->model()->analysis();
    std::printf("gui_revalidate: %d nodes, %d edits, %s; per edit (re-validate + repaint): median %.2f ms, "
                "p90 %.2f ms, max %.2f ms (one frame at 60 Hz = 16.7 ms)\n",
                int(window.document()->model()->graph().nodes().size()), edits, a.valid() ? "valid" : "INVALID",
                ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
    window.document()->undoStack()->setClean();
    return a.valid() ? 0 : 1;
}
