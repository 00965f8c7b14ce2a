// Connections a network cannot have are refused while dragging, with the reason shown, and
// leave the graph unchanged: a cycle, a second edge into one input, output to output.
#include "UiTestUtil.h"

#include "document/Document.h"

#include <QSignalSpy>
#include <QUndoStack>

using namespace nc::ui;
using namespace uitest;

class TestConnections : public QObject {
    Q_OBJECT
private:
    MainWindow* m_window = nullptr;
    NodeItem* node(const char* id) { return m_window->scene()->nodeItem(QString::fromLatin1(id)); }

    // Drags a -> b, checks the hover message and the refusal signal, and that nothing changed.
    void expectRefused(NodeItem* a, const QString& pa, NodeItem* b, const QString& pb, const QString& reasonPart) {
        GraphModel* model = m_window->document()->model();
        const std::string before = model->graph().toJson().dump();
        const int steps = m_window->document()->undoStack()->count();
        QSignalSpy refused(m_window->scene(), &GraphScene::connectionRefused);
        QString hoverMessage;
        dragPort(m_window->view(), a, pa, b, pb, [&] { hoverMessage = m_window->scene()->dragMessage(); });
        QVERIFY2(hoverMessage.contains(reasonPart, Qt::CaseInsensitive), qPrintable(hoverMessage));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().first().toString().contains(reasonPart, Qt::CaseInsensitive));
        QCOMPARE(model->graph().toJson().dump(), before);
        QCOMPARE(m_window->document()->undoStack()->count(), steps);
        QCOMPARE(m_window->scene()->edgeItems().size(), int(model->graph().edges().size()));
    }

private Q_SLOTS:
    void init() {
        QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvasTests"));
        m_window = new MainWindow;
        m_window->setAskBeforeDiscarding(false);
        m_window->resize(1400, 900);
        m_window->newFromTemplate(QStringLiteral("resnet-mini"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }
    void cleanup() { delete m_window; }

    void cycleIsRefused() {
        // b1_relu1 feeds b1_conv2 ... b1_add; connecting b1_add back into stem's input would loop,
        // but stem's input is taken, so use a free Add port: widen b1_add to 3 inputs first.
        QVERIFY(m_window->document()->editor()->setParam(QStringLiteral("b1_add"), QStringLiteral("inputs"), 3));
        expectRefused(node("b2_relu2"), QStringLiteral("out"), node("b1_add"), QStringLiteral("in2"), QStringLiteral("cycle"));
    }

    void secondInputIsRefused() {
        expectRefused(node("stem"), QStringLiteral("out"), node("b1_conv2"), QStringLiteral("in"), QStringLiteral("already"));
    }

    void outputToOutputIsRefused() {
        expectRefused(node("stem"), QStringLiteral("out"), node("b1_conv1"), QStringLiteral("out"), QStringLiteral("output to an output"));
    }

    void selfLoopIsRefused() {
        QVERIFY(m_window->document()->editor()->setParam(QStringLiteral("b2_add"), QStringLiteral("inputs"), 3));
        expectRefused(node("b2_add"), QStringLiteral("out"), node("b2_add"), QStringLiteral("in2"), QStringLiteral("itself"));
    }

    void validDragConnectsAndUndoes() {
        GraphModel* model = m_window->document()->model();
        QVERIFY(m_window->document()->editor()->setParam(QStringLiteral("b3_add"), QStringLiteral("inputs"), 3));
        const int edges = int(model->graph().edges().size());
        QString hover;
        // Dragging may start at the input end too.
        dragPort(m_window->view(), node("b3_add"), QStringLiteral("in2"), node("b2_relu1"), QStringLiteral("out"),
                 [&] { hover = m_window->scene()->dragMessage(); });
        QVERIFY2(hover.isEmpty(), qPrintable(hover));
        QCOMPARE(int(model->graph().edges().size()), edges + 1);
        QVERIFY(model->edgeIndex({"b2_relu1", "out"}, {"b3_add", "in2"}) >= 0);
        m_window->document()->undoStack()->undo();
        QCOMPARE(int(model->graph().edges().size()), edges);
    }

    void deleteKeepsNodeForUndo() {
        GraphModel* model = m_window->document()->model();
        const std::string before = model->graph().toJson().dump();
        m_window->scene()->selectNodes({QStringLiteral("b2_conv1"), QStringLiteral("b2_proj")});
        m_window->action(QStringLiteral("actionDelete"))->trigger();
        QVERIFY(!model->node(QStringLiteral("b2_conv1")));
        QVERIFY(!model->analysis().valid());
        m_window->document()->undoStack()->undo();
        QCOMPARE(model->graph().toJson().dump(), before); // same order, same params, same edges
        QVERIFY(model->analysis().valid());
    }

    void copyPasteAcrossWindows() {
        m_window->scene()->selectNodes({QStringLiteral("b1_conv1"), QStringLiteral("b1_bn1"), QStringLiteral("b1_relu1")});
        m_window->action(QStringLiteral("actionCopy"))->trigger();
        MainWindow other;
        other.setAskBeforeDiscarding(false);
        other.newFromTemplate(QStringLiteral("keras-cnn"));
        const int nodes = int(other.document()->model()->graph().nodes().size());
        const int edges = int(other.document()->model()->graph().edges().size());
        other.action(QStringLiteral("actionPaste"))->trigger();
        QCOMPARE(int(other.document()->model()->graph().nodes().size()), nodes + 3);
        QCOMPARE(int(other.document()->model()->graph().edges().size()), edges + 2); // the two between them
        QCOMPARE(other.scene()->selectedNodeIds().size(), 3);
        QCOMPARE(other.document()->undoStack()->count(), 1);
        // Pasting again gives fresh ids.
        other.action(QStringLiteral("actionPaste"))->trigger();
        QCOMPARE(int(other.document()->model()->graph().nodes().size()), nodes + 6);
    }
};

QTEST_MAIN(TestConnections)
#include "tst_connections.moc"
