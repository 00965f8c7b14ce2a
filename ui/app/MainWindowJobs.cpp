// MainWindow: training elsewhere — File › Export Training Job… (a torchrun job) and
// File › Import Run… (its run folder back into the run history).
#include "app/MainWindow.h"

#include "document/Document.h"
#include "engine/EngineController.h"
#include "graph/Project.h"
#include "io/TorchrunJob.h"
#include "model/GraphModel.h"
#include "train/RunImport.h"
#include "train/TrainTab.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace nc::ui {

void MainWindow::exportTrainingJob(const QString& dir) {
    struct Job {
        nc::Project project;
        std::string projectPath, dir;
    } job{m_doc->model()->project(), m_doc->filePath().toStdString(), dir.toStdString()};
    // The dataset is read and the initial weights built on the engine thread, never here.
    m_engine->run<nc::TorchrunJobSummary>(
        [job] {
            nc::TorchrunJobInput in;
            in.project = job.project;
            in.datasetSpec = job.project.dataset;
            nc::DatasetOptions options = nc::datasetOptionsFor(job.project, job.projectPath);
            nc::ImportReport report;
            options.report = &report;
            const nc::DatasetPair data = nc::loadDataset(in.datasetSpec, options, 0, 1);
            in.data = &data;
            in.cachePath = report.cachePath;
            return nc::exportTorchrunJob(in, job.dir);
        },
        this,
        [this, dir](nc::TorchrunJobSummary s) {
            statusBar()->showMessage(tr("Training job written to %1 (%2 training images): run its "
                                        "run-standalone.sh, then File › Import Run… its run folder")
                                         .arg(QDir::toNativeSeparators(dir))
                                         .arg(s.trainImages),
                                     15000);
            Q_EMIT trainingJobExported(dir, QString());
        },
        [this, dir](const QString& message) {
            statusBar()->showMessage(tr("The training job was not exported: %1").arg(message), 15000);
            Q_EMIT trainingJobExported(dir, message);
        });
}

bool MainWindow::importRun(const QString& dir, QString* error) {
    QString why;
    const int index = m_trainTab->importer()->importRun(dir, &why);
    if (error)
        *error = why;
    if (index < 0) {
        statusBar()->showMessage(tr("The run was not imported: %1").arg(why), 15000);
        return false;
    }
    m_tabs->setCurrentWidget(m_trainTab);
    statusBar()->showMessage(tr("Imported the run in %1").arg(QDir::toNativeSeparators(dir)), 8000);
    return true;
}

void MainWindow::exportTrainingJobDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Training Job to Folder"), m_doc->folder());
    if (!dir.isEmpty())
        exportTrainingJob(dir);
}

void MainWindow::importRunDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Import Run Folder"), m_doc->folder());
    QString why;
    if (!dir.isEmpty() && !importRun(dir, &why))
        QMessageBox::warning(this, tr("Import Run"), why);
}

} // namespace nc::ui
