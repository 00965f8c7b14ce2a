// Builds the keras-cnn network from an empty canvas the way a user does (palette drops, port
// drags, property edits) and checks every shape the canvas shows against the engine.
#include "UiTestUtil.h"

#include "document/Document.h"
#include "panels/ProblemsPanel.h"
#include "panels/PropertiesPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>

using namespace nc::ui;
using namespace uitest;

class TestBuildNetwork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvasTests"));
    }

    void buildKerasCnnByHand() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.resize(1400, 900);
        window.newFromTemplate(QString()); // empty project on fashion-mnist
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GraphView* view = window.view();
        GraphScene* scene = window.scene();
        GraphModel* model = window.document()->model();
        QCOMPARE(model->graph().nodes().size(), std::size_t(0));
        QCOMPARE(model->datasetSpec(), QStringLiteral("fashion-mnist"));

        const nc::Project target = nc::makeFromTemplate("keras-cnn");
        const auto& reg = nc::LayerRegistry::instance();

        // 1. Palette drops, one row per layer.
        QHash<QString, QString> idOf; // template id -> id on the canvas
        double y = 0;
        for (const nc::Node& n : target.graph.nodes()) {
            const QString id = dropFromPalette(view, QString::fromStdString(n.type), QPointF(kNodeWidth / 2, y + kNodeHeight / 2));
            QVERIFY2(!id.isEmpty(), n.id.c_str());
            QCOMPARE(QString::fromStdString(model->node(id)->type), QString::fromStdString(n.type));
            idOf.insert(QString::fromStdString(n.id), id);
            y += kRowStep;
        }
        QCOMPARE(model->graph().nodes().size(), target.graph.nodes().size());
        QVERIFY(!model->analysis().valid()); // nothing connected yet

        // 2. Port drags from each output to the next input.
        for (const nc::Edge& e : target.graph.edges()) {
            NodeItem* a = scene->nodeItem(idOf.value(QString::fromStdString(e.from.node)));
            NodeItem* b = scene->nodeItem(idOf.value(QString::fromStdString(e.to.node)));
            QVERIFY(a && b);
            const int before = int(model->graph().edges().size());
            dragPort(view, a, QString::fromStdString(e.from.port), b, QString::fromStdString(e.to.port));
            QCOMPARE(int(model->graph().edges().size()), before + 1);
        }

        // 3. Property edits in the properties panel for every parameter that differs from the default.
        for (const nc::Node& n : target.graph.nodes()) {
            const nc::LayerSpec* spec = reg.find(n.type);
            nc::Json wanted;
            QVERIFY(reg.normalizeParams(*spec, n.params, wanted).empty());
            const QString id = idOf.value(QString::fromStdString(n.id));
            clickNode(view, scene->nodeItem(id));
            QCOMPARE(window.properties()->currentNode(), id);
            for (const nc::ParamSpec& p : spec->params) {
                if (wanted[p.name] == p.defaultValue)
                    continue;
                QWidget* w = window.properties()->editorFor(QString::fromStdString(p.name));
                QVERIFY2(w, p.name.c_str());
                if (auto* spin = qobject_cast<QSpinBox*>(w)) {
                    spin->setFocus();
                    spin->findChild<QLineEdit*>()->selectAll();
                    QTest::keyClicks(spin, QString::number(wanted[p.name].get<int>()));
                    QTest::keyClick(spin, Qt::Key_Return);
                } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(w)) {
                    dspin->findChild<QLineEdit*>()->selectAll();
                    QTest::keyClicks(dspin, QString::number(wanted[p.name].get<double>()));
                    QTest::keyClick(dspin, Qt::Key_Return);
                } else if (auto* box = qobject_cast<QCheckBox*>(w)) {
                    QTest::mouseClick(box, Qt::LeftButton);
                } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
                    combo->setCurrentText(QString::fromStdString(wanted[p.name].get<std::string>()));
                    Q_EMIT combo->textActivated(combo->currentText());
                }
                nc::Json got;
                QVERIFY(reg.normalizeParams(*spec, model->node(id)->params, got).empty());
                QCOMPARE(QString::fromStdString(got[p.name].dump()), QString::fromStdString(wanted[p.name].dump()));
            }
        }

        // Every shape and parameter count on the canvas matches the engine on the template.
        const nc::GraphAnalysis expected = nc::analyzeGraph(target.graph, {1, 28, 28}, 10);
        QVERIFY(expected.valid());
        QVERIFY2(model->analysis().valid(), model->analysis().problems.empty() ? "" : model->analysis().problems[0].message.c_str());
        for (const nc::NodeInfo& info : expected.nodes) {
            NodeItem* item = scene->nodeItem(idOf.value(QString::fromStdString(info.id)));
            QCOMPARE(item->shapeText(), QString::fromStdString(nc::shapeToString(info.outputShape)));
            QCOMPARE(model->info(item->id())->parameters, info.parameters);
            QVERIFY(!item->hasError());
        }
        for (const nc::Edge& e : target.graph.edges()) {
            EdgeItem* edge = scene->edgeItem(idOf.value(QString::fromStdString(e.from.node)) + ":" + QString::fromStdString(e.from.port),
                                             idOf.value(QString::fromStdString(e.to.node)) + ":" + QString::fromStdString(e.to.port));
            QVERIFY(edge);
            QCOMPARE(edge->label(), QString::fromStdString(nc::shapeToString(expected.info(e.from.node)->outputShape)));
        }
        QCOMPARE(model->analysis().totalParameters, std::int64_t(93322));
        QCOMPARE(model->analysis().totalFlops, expected.totalFlops);
        QVERIFY2(window.statusSummary().contains(QStringLiteral("93,322 parameters")), qPrintable(window.statusSummary()));
        QVERIFY(window.statusSummary().contains(QStringLiteral("Valid")));
        QVERIFY(window.isWindowModified());

        // Undo takes everything back to the empty canvas, in the scene as well as the model.
        window.document()->undoStack()->setIndex(0);
        QCOMPARE(model->graph().nodes().size(), std::size_t(0));
        QCOMPARE(scene->nodeItems().size(), 0);
        QCOMPARE(scene->edgeItems().size(), 0);
        QVERIFY(!window.isWindowModified());
    }

    void errorNodeShowsMessageAndProblemSelects() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("resnet-mini"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.document()->model()->analysis().valid());
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("b3_conv2"), QStringLiteral("kernel_size"), 11));
        NodeItem* bad = window.scene()->nodeItem(QStringLiteral("b3_conv2"));
        QVERIFY(bad->hasError());
        QVERIFY(bad->toolTip().contains(QStringLiteral("larger than")));
        QVERIFY(!window.scene()->nodeItem(QStringLiteral("b3_add"))->hasError()); // waits, not a root cause
        QVERIFY(window.statusSummary().contains(QStringLiteral("1 problem")));
        // Clicking the problem selects the node.
        QListWidget* problems = window.problems();
        QCOMPARE(problems->count(), 1);
        const QRect r = problems->visualItemRect(problems->item(0));
        QTest::mouseClick(problems->viewport(), Qt::LeftButton, Qt::NoModifier, r.center());
        QCOMPARE(window.scene()->selectedNodeIds(), QStringList{QStringLiteral("b3_conv2")});
        QVERIFY(window.view()->viewport()->rect().contains(window.view()->mapFromScene(bad->sceneBoundingRect().center())));
    }

    void dropOnEdgeInserts() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GraphModel* model = window.document()->model();
        EdgeItem* edge = window.scene()->edgeItem(QStringLiteral("relu1:out"), QStringLiteral("pool1:in"));
        QVERIFY(edge);
        const QPointF mid = (edge->fromNode()->portScenePos("out") + edge->toNode()->portScenePos("in")) / 2;
        const QString id = dropFromPalette(window.view(), QStringLiteral("BatchNorm2d"), mid);
        QVERIFY(!id.isEmpty());
        QCOMPARE(model->edgeIndex({"relu1", "out"}, {"pool1", "in"}), -1);
        QVERIFY(model->edgeIndex({"relu1", "out"}, {id.toStdString(), "in"}) >= 0);
        QVERIFY(model->edgeIndex({id.toStdString(), "out"}, {"pool1", "in"}) >= 0);
        QVERIFY(model->analysis().valid());
        QCOMPARE(window.document()->undoStack()->count(), 1); // one step
        window.document()->undoStack()->undo();
        QVERIFY(model->edgeIndex({"relu1", "out"}, {"pool1", "in"}) >= 0);
        QVERIFY(!model->node(id));
    }
};

QTEST_MAIN(TestBuildNetwork)
#include "tst_buildnetwork.moc"
