#include "inspect/FolderPredictView.h"

#include "engine/EngineController.h"
#include "evaluate/ConfusionMatrixView.h"
#include "inspect/InspectViews.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
enum Column { Thumb, File, Predicted, Probability, Truth, Correct, Columns };

// Shows `text`, sorts by the number in Qt::UserRole.
class NumberItem final : public QTableWidgetItem {
  public:
    NumberItem(double v, const QString& text) : QTableWidgetItem(text) {
        setData(Qt::UserRole, v);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};
QTableWidgetItem* numberItem(double v, const QString& text) { return new NumberItem(v, text); }
} // namespace

FolderPredictView::FolderPredictView(EngineController* engine, QWidget* parent) : QWidget(parent), m_engine(engine) {
    setObjectName(QStringLiteral("folderPredictView"));
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("folderSummary"));
    m_summary->setWordWrap(true);
    top->addWidget(m_summary, 1);
    m_progress = new QProgressBar(this);
    m_progress->setFormat(tr("%v of %m images"));
    top->addWidget(m_progress);
    m_stop = new QPushButton(tr("Stop"), this);
    connect(m_stop, &QPushButton::clicked, this, [this] { m_engine->cancelFolderPrediction(); });
    top->addWidget(m_stop);
    m_leastConfident = new QPushButton(tr("Least Confident First"), this);
    m_leastConfident->setObjectName(QStringLiteral("leastConfidentFirst"));
    connect(m_leastConfident, &QPushButton::clicked, this, &FolderPredictView::sortLeastConfidentFirst);
    top->addWidget(m_leastConfident);
    m_export = new QPushButton(tr("Export CSV…"), this);
    m_export->setObjectName(QStringLiteral("exportPredictions"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString suggested =
            m_result ? QDir(m_result->root).filePath(QStringLiteral("predictions.csv")) : QString();
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Predictions"), suggested,
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });
    top->addWidget(m_export);
    column->addLayout(top);

    auto* split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableWidget(0, Columns, split);
    m_table->setObjectName(QStringLiteral("folderTable"));
    m_table->setHorizontalHeaderLabels(
        {QString(), tr("File"), tr("Prediction"), tr("Probability"), tr("True class"), tr("Correct")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setIconSize(QSize(56, 56));
    m_table->verticalHeader()->setDefaultSectionSize(60);
    m_table->horizontalHeader()->setSectionResizeMode(File, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(Thumb, QHeaderView::Fixed);
    m_table->setColumnWidth(Thumb, 64);
    m_table->setMinimumWidth(560);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (!m_result)
            return;
        const QString rel = m_table->item(row, File)->text();
        Q_EMIT imageChosen(QDir(m_result->root).filePath(rel));
    });
    m_confusion = new ConfusionMatrixView(split);
    m_confusion->setObjectName(QStringLiteral("folderConfusion"));
    split->addWidget(m_table);
    split->addWidget(m_confusion);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({700, 420});
    column->addWidget(split, 1);

    connect(engine, &EngineController::folderPredictionProgress, this, [this](qint64 done, qint64 total) {
        m_progress->setMaximum(int(std::max<qint64>(1, total)));
        m_progress->setValue(int(done));
    });
    connect(engine, &EngineController::folderPredicted, this, &FolderPredictView::show);
    connect(engine, &EngineController::folderPredictionFailed, this, &FolderPredictView::fail);
    m_progress->hide();
    m_stop->hide();
    m_leastConfident->setEnabled(false);
    m_export->setEnabled(false);
    m_confusion->hide();
}

void FolderPredictView::start(const QString& source, bool invert) {
    m_running = true;
    m_result.reset();
    m_table->setRowCount(0);
    m_confusion->hide();
    m_summary->setText(tr("Classifying every image in %1…").arg(source.toHtmlEscaped()));
    m_progress->setValue(0);
    m_progress->show();
    m_stop->show();
    m_leastConfident->setEnabled(false);
    m_export->setEnabled(false);
    m_engine->predictFolder(source, invert);
}

void FolderPredictView::fail(const QString& message) {
    m_running = false;
    m_progress->hide();
    m_stop->hide();
    m_summary->setText(tr("<b>The folder could not be classified:</b> %1").arg(message.toHtmlEscaped()));
    Q_EMIT finished();
}

void FolderPredictView::show(const std::shared_ptr<const FolderPrediction>& r) {
    m_running = false;
    m_result = r;
    m_progress->hide();
    m_stop->hide();
    const QLocale locale;
    std::int64_t failed = 0;
    for (const BatchPrediction& row : r->rows)
        failed += !row.ok;
    QString text = tr("%1 images in %2 classified by %3 in %4 s")
                       .arg(locale.toString(qint64(r->rows.size())), r->source.toHtmlEscaped(), r->modelLabel.toHtmlEscaped())
                       .arg(r->seconds, 0, 'f', 1);
    if (r->cancelled)
        text += tr(" (stopped early)");
    if (r->labelled)
        text += tr(" · <b>accuracy %1 %</b> on the labelled folders").arg(100.0 * r->metrics.accuracy, 0, 'f', 2);
    if (failed)
        text += tr(" · %n could not be read", nullptr, int(failed));
    if (!r->skipped.empty())
        text += tr(" · %n skipped (not images)", nullptr, int(r->skipped.size()));
    m_summary->setText(text);

    m_table->setSortingEnabled(false);
    m_table->setRowCount(int(r->rows.size()));
    auto name = [&](int c) {
        return c >= 0 && c < int(r->classNames.size()) ? QString::fromStdString(r->classNames[std::size_t(c)]) : QString();
    };
    for (std::size_t i = 0; i < r->rows.size(); ++i) {
        const BatchPrediction& row = r->rows[i];
        const int at = int(i);
        auto* thumb = new QTableWidgetItem;
        const std::size_t per = std::size_t(r->channels * r->height * r->width);
        if (per > 0 && row.pixels.size() == per)
            thumb->setIcon(QIcon(QPixmap::fromImage(
                chwToImage(row.pixels.data(), int(r->channels), int(r->height), int(r->width)).scaled(56, 56))));
        m_table->setItem(at, Thumb, thumb);
        auto* file = new QTableWidgetItem(QString::fromStdString(row.path));
        if (!row.ok)
            file->setToolTip(QString::fromStdString(row.error));
        m_table->setItem(at, File, file);
        m_table->setItem(at, Predicted, new QTableWidgetItem(row.ok ? name(row.predicted) : tr("(unreadable)")));
        m_table->setItem(at, Probability,
                         // Unreadable files sort after every prediction, least confident first or not.
                         numberItem(row.ok ? double(row.probability) : 2.0,
                                    row.ok ? QStringLiteral("%1 %").arg(100.0 * row.probability, 0, 'f', 1) : QString()));
        m_table->setItem(at, Truth, new QTableWidgetItem(name(row.label)));
        m_table->setItem(at, Correct,
                         new QTableWidgetItem(row.ok && row.label >= 0 ? (row.label == row.predicted ? tr("yes") : tr("no"))
                                                                      : QString()));
    }
    const int rows = int(r->rows.size());
    m_table->setSortingEnabled(true);
    for (int c : {Predicted, Probability, Truth, Correct})
        m_table->resizeColumnToContents(c);
    m_leastConfident->setEnabled(rows > 0);
    m_export->setEnabled(rows > 0);
    if (r->labelled) {
        m_confusion->setMatrix(r->metrics.confusion, r->classNames);
        m_confusion->show();
    }
    Q_EMIT finished();
}

void FolderPredictView::sortLeastConfidentFirst() { m_table->sortItems(Probability, Qt::AscendingOrder); }

QString FolderPredictView::csvText() const {
    if (!m_result)
        return {};
    return QString::fromStdString(predictionsCsv(m_result->rows, m_result->classNames));
}

bool FolderPredictView::exportCsv(const QString& path) {
    QSaveFile file(path);
    const QByteArray bytes = csvText().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        QMessageBox::warning(this, tr("Export Predictions"),
                             tr("%1 could not be written: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

} // namespace nc::ui
