// MainWindow: the user's own images — the import view, and the project's dataset options.
#include "app/MainWindow.h"

#include "dataset/ImportDialog.h"
#include "document/Document.h"
#include "engine/EngineController.h"
#include "graph/Project.h"
#include "imaging/ImageFolder.h"

#include <QStatusBar>
#include <QUndoStack>

namespace nc::ui {

void MainWindow::syncDatasetOptions() {
    installImageImporter(); // folder: and csv: specs (idempotent)
    m_engine->setDatasetOptions(
        datasetOptionsFor(m_doc->model()->project(), m_doc->filePath().toStdString()));
}

ImportDialog* MainWindow::showImportDialog(const QString& spec) {
    installImageImporter();
    nc::DatasetOptions cache = datasetOptionsFor(m_doc->model()->project(), m_doc->filePath().toStdString());
    // A new folder starts from the default policy; the current dataset from the project's own.
    if (spec.toStdString() != m_doc->model()->project().dataset)
        cache.policy = nc::ImportPolicy{};
    auto* dialog = new ImportDialog(spec, cache, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        useImportedDataset(dialog->spec(), dialog->policy(), dialog->classCount());
    });
    dialog->show();
    return dialog;
}

void MainWindow::useImportedDataset(const QString& spec, const nc::ImportPolicy& policy, int classes) {
    GraphModel* model = m_doc->model();
    QUndoStack* stack = m_doc->undoStack();
    stack->beginMacro(tr("Use dataset %1").arg(spec));
    m_doc->editor()->setDataset(spec, policy);
    // The classifier's width follows the classes, as a template's does for a new dataset.
    if (classes > 0) {
        nc::Graph g = model->graph();
        const std::string before = g.toJson().dump();
        if (nc::fitClassifierToClasses(g, classes) && g.toJson().dump() != before)
            for (const nc::Node& n : g.nodes())
                if (const nc::Node* old = model->graph().node(n.id); old && old->params != n.params)
                    m_doc->editor()->setParam(QString::fromStdString(n.id), QStringLiteral("out_features"),
                                              n.params["out_features"]);
    }
    stack->endMacro();
    statusBar()->showMessage(tr("The project now trains on %1 (%n classes).", nullptr, classes).arg(spec), 8000);
}

} // namespace nc::ui
