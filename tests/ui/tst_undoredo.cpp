// A randomised sequence of edits through the editor, then undo all -> the empty graph and
// redo all -> the same saved JSON; the window's modified marker follows the clean state.
#include "UiTestUtil.h"

#include "document/Document.h"

#include <QRandomGenerator>
#include <QUndoStack>

using namespace nc::ui;

namespace {
std::string graphJson(const GraphModel* m) { return m->graph().toJson().dump(); }

// One random edit; returns whether it pushed an undo step.
bool randomEdit(GraphEditor* ed, QRandomGenerator& rng) {
    GraphModel* m = ed->model();
    const auto& nodes = m->graph().nodes();
    const auto& edges = m->graph().edges();
    const auto& specs = nc::LayerRegistry::instance().all();
    const int before = ed->undoStack()->index();
    auto anyNode = [&]() -> const nc::Node& { return nodes[rng.bounded(int(nodes.size()))]; };
    const int kind = nodes.size() < 3 ? 0 : rng.bounded(10);
    switch (kind) {
    case 0:
    case 1: { // add
        const nc::LayerSpec& spec = specs[rng.bounded(int(specs.size()))];
        ed->addLayer(QString::fromStdString(spec.type), QPointF(rng.bounded(2000), rng.bounded(2000)));
        break;
    }
    case 2:
    case 3: { // connect a random output to a random free input, if the model allows it
        for (int tries = 0; tries < 20; ++tries) {
            const nc::Node& a = anyNode();
            const nc::Node& b = anyNode();
            const nc::LayerSpec* sb = nc::LayerRegistry::instance().find(b.type);
            const auto ports = sb->inputPorts(b.params);
            if (ports.empty())
                continue;
            const nc::PortRef from{a.id, "out"}, to{b.id, ports[rng.bounded(int(ports.size()))]};
            if (ed->connectPorts(from, to))
                break;
        }
        break;
    }
    case 4: { // delete a node or an edge
        if (!edges.empty() && rng.bounded(2))
            ed->removeItems({}, {edges[rng.bounded(int(edges.size()))]});
        else
            ed->removeItems({QString::fromStdString(anyNode().id)}, {});
        break;
    }
    case 5: { // move one or several
        QHash<QString, QPointF> to;
        for (int i = 0; i < 1 + rng.bounded(3); ++i)
            to.insert(QString::fromStdString(anyNode().id), QPointF(rng.bounded(3000), rng.bounded(3000)));
        ed->moveNodes(to, QStringLiteral("Move"));
        break;
    }
    case 6:
    case 7: { // parameter edit within the registry's range
        const nc::Node& n = anyNode();
        const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(n.type);
        if (spec->params.empty())
            break;
        const nc::ParamSpec& p = spec->params[rng.bounded(int(spec->params.size()))];
        nc::Json v;
        switch (p.kind) {
        case nc::ParamKind::Int:
        case nc::ParamKind::IntOrSame:
            v = int(p.minValue) + rng.bounded(std::min(8, int(p.maxValue - p.minValue) + 1));
            break;
        case nc::ParamKind::Float:
            v = p.minValue + (p.maxValue - p.minValue) * rng.generateDouble();
            break;
        case nc::ParamKind::Bool:
            v = bool(rng.bounded(2));
            break;
        case nc::ParamKind::Choice:
            v = p.choices[rng.bounded(int(p.choices.size()))];
            break;
        }
        ed->setParam(QString::fromStdString(n.id), QString::fromStdString(p.name), v);
        break;
    }
    case 8: { // copy + paste a few nodes (with the edges between them)
        QStringList ids;
        for (int i = 0; i < 1 + rng.bounded(3); ++i)
            ids << QString::fromStdString(anyNode().id);
        ids.removeDuplicates();
        ed->paste(ed->copy(ids));
        break;
    }
    case 9: { // insert on an edge, auto-layout or dataset switch
        const int what = rng.bounded(3);
        if (what == 0 && !edges.empty()) {
            const nc::Edge e = edges[rng.bounded(int(edges.size()))];
            ed->insertOnEdge(QStringLiteral("ReLU"), QPointF(rng.bounded(900), rng.bounded(900)), e.from, e.to);
        } else if (what == 1) {
            ed->autoLayoutAll();
        } else {
            ed->setDataset(m->datasetSpec() == QLatin1String("shapes") ? QStringLiteral("fashion-mnist") : QStringLiteral("shapes"));
        }
        break;
    }
    }
    return ed->undoStack()->index() != before;
}
} // namespace

class TestUndoRedo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvasTests")); }

    void randomEditsUndoRedo() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Document* doc = window.document();
        GraphEditor* ed = doc->editor();
        QUndoStack* stack = doc->undoStack();
        const std::string empty = graphJson(doc->model());
        const std::string emptyProject = doc->projectJson().toStdString();
        QVERIFY(!window.isWindowModified());

        QRandomGenerator rng(20261123);
        int pushed = 0, attempts = 0, cleanAt = -1;
        while (pushed < 240 && attempts < 5000) {
            ++attempts;
            if (randomEdit(ed, rng))
                ++pushed;
            if (pushed == 120 && cleanAt < 0) {
                stack->setClean(); // as a save would
                cleanAt = stack->index();
                QVERIFY(!window.isWindowModified());
            }
            // The scene mirrors the model at every step.
            QCOMPARE(window.scene()->nodeItems().size(), int(doc->model()->graph().nodes().size()));
            QCOMPARE(window.scene()->edgeItems().size(), int(doc->model()->graph().edges().size()));
        }
        QVERIFY2(stack->index() >= 200, qPrintable(QString::number(stack->index())));
        QVERIFY(window.isWindowModified());
        QVERIFY(doc->model()->graph().nodes().size() > 5);
        const std::string full = graphJson(doc->model());
        const std::string fullProject = doc->projectJson().toStdString();

        // The marker follows the clean state while stepping through history.
        stack->setIndex(cleanAt);
        QVERIFY(!window.isWindowModified());
        stack->undo();
        QVERIFY(window.isWindowModified());

        stack->setIndex(0);
        QCOMPARE(graphJson(doc->model()), empty);
        QCOMPARE(doc->projectJson().toStdString(), emptyProject);
        QCOMPARE(window.scene()->nodeItems().size(), 0);
        QCOMPARE(window.scene()->edgeItems().size(), 0);
        QVERIFY(window.isWindowModified()); // the clean state is at step cleanAt, not 0

        stack->setIndex(stack->count());
        QCOMPARE(graphJson(doc->model()), full);
        QCOMPARE(doc->projectJson().toStdString(), fullProject);
        QCOMPARE(window.scene()->nodeItems().size(), int(doc->model()->graph().nodes().size()));
        // Analysis after redo equals a fresh analysis of the same graph.
        const nc::GraphAnalysis fresh = nc::analyzeGraph(doc->model()->graph(),
                                                         doc->model()->analysis().inputShape,
                                                         doc->model()->analysis().numClasses);
        QCOMPARE(fresh.totalParameters, doc->model()->analysis().totalParameters);
        QCOMPARE(fresh.problems.size(), doc->model()->analysis().problems.size());
    }

    void dragOfSeveralNodesIsOneStep() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GraphScene* scene = window.scene();
        GraphView* view = window.view();
        scene->selectNodes({QStringLiteral("conv1"), QStringLiteral("relu1"), QStringLiteral("pool1")});
        NodeItem* conv1 = scene->nodeItem(QStringLiteral("conv1"));
        const QPointF before = conv1->pos();
        const QPointF grab = conv1->mapToScene(QPointF(kNodeWidth * 0.7, kNodeHeight * 0.5));
        view->centerOn(grab);
        const QPoint p = view->mapFromScene(grab);
        QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, p);
        for (int i = 1; i <= 8; ++i)
            uitest::mouseMoveWithButton(view->viewport(), p + QPoint(20 * i, 5 * i));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, p + QPoint(160, 40));
        QUndoStack* stack = window.document()->undoStack();
        QCOMPARE(stack->count(), 1);
        const nc::Node* n = window.document()->model()->node(QStringLiteral("relu1"));
        QVERIFY(n->x != 0);
        stack->undo();
        QCOMPARE(conv1->pos(), before);
    }
};

QTEST_MAIN(TestUndoRedo)
#include "tst_undoredo.moc"
