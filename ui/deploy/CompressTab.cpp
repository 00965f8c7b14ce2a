#include "deploy/CompressTab.h"

#include "engine/EngineController.h"
#include "engine/ThreadHandOff.h"
#include "nn/Model.h"
#include "nn/Quantize.h"
#include "train/Compression.h"
#include "train/Evaluator.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QChart>
#include <QCheckBox>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <filesystem>

namespace nc::ui {

// One row: what was made, where it lies, and its figures.
struct CompressTab::Variant {
    QString name, model, project, note;
    VariantFigures figures;
};

namespace {
namespace fs = std::filesystem;

// `<folder>/<stem><suffix>.ncmodel`, or with -2, -3, … when that name (or its .ncproj) is taken:
// a variant never replaces a file the user has.
fs::path freshPath(const fs::path& source, const std::string& suffix) {
    const fs::path base = source.parent_path() / (source.stem().string() + suffix);
    fs::path p = base.string() + ".ncmodel";
    for (int k = 2; fileExists(p.string()) || fileExists(fs::path(p).replace_extension(".ncproj").string()); ++k)
        p = base.string() + "-" + std::to_string(k) + ".ncmodel";
    return p;
}

QString bytesText(std::uint64_t b) {
    return b >= 1 << 20 ? QStringLiteral("%1 MB").arg(double(b) / (1 << 20), 0, 'f', 2)
                        : QStringLiteral("%1 KB").arg(double(b) / 1024.0, 0, 'f', 1);
}
} // namespace

CompressTab::CompressTab(EngineController* engine, QWidget* parent) : QWidget(parent), m_engine(engine) {
    setObjectName(QStringLiteral("compressTab"));
    auto* column = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<b>Make the model smaller and faster.</b> Each variant is written beside the model, "
                                "measured here (test accuracy, size, latency on this machine) and added to the "
                                "table; <code>neuralcanvas-cli compress</code> makes the same ones."),
                             this);
    intro->setWordWrap(true);
    column->addWidget(intro);

    auto* form = new QFormLayout;
    auto* modelRow = new QHBoxLayout;
    m_model = new QLineEdit(this);
    m_model->setObjectName(QStringLiteral("compressModel"));
    m_model->setAccessibleName(tr("Model to compress"));
    m_model->setPlaceholderText(tr("A trained model (.ncmodel): the selected run's best model by default"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(browse);
    form->addRow(tr("Model:"), modelRow);
    auto* settings = new QHBoxLayout;
    m_share = new QDoubleSpinBox(this);
    m_share->setObjectName(QStringLiteral("compressPruneShare"));
    m_share->setRange(5, 95);
    m_share->setSingleStep(5);
    m_share->setSuffix(tr(" % of channels"));
    m_share->setDecimals(0);
    m_share->setValue(50);
    m_residual = new QCheckBox(tr("residual streams too"), this);
    m_residual->setObjectName(QStringLiteral("compressPruneResidual"));
    m_residual->setToolTip(tr("Also prune the channels an Add joins (a residual network's stream). Off: they stay "
                              "whole and only each block's inner convolutions are pruned, which costs far less accuracy "
                              "(compress --prune-residual)"));
    m_sparsity = new QDoubleSpinBox(this);
    m_sparsity->setObjectName(QStringLiteral("compressSparsity"));
    m_sparsity->setRange(5, 99);
    m_sparsity->setSingleStep(5);
    m_sparsity->setSuffix(tr(" % of weights"));
    m_sparsity->setDecimals(0);
    m_sparsity->setValue(80);
    m_epochs = new QSpinBox(this);
    m_epochs->setObjectName(QStringLiteral("compressEpochs"));
    m_epochs->setRange(0, 100);
    m_epochs->setValue(3);
    m_epochs->setToolTip(tr("Epochs of fine-tuning after pruning, with the project's training settings"));
    m_testImages = new QSpinBox(this);
    m_testImages->setObjectName(QStringLiteral("compressTestImages"));
    m_testImages->setRange(0, 1000000);
    m_testImages->setSpecialValueText(tr("all"));
    m_testImages->setValue(0);
    settings->addWidget(new QLabel(tr("Prune"), this));
    settings->addWidget(m_share);
    settings->addWidget(m_residual);
    settings->addWidget(new QLabel(tr("Sparsity"), this));
    settings->addWidget(m_sparsity);
    settings->addWidget(new QLabel(tr("Fine-tune epochs"), this));
    settings->addWidget(m_epochs);
    settings->addWidget(new QLabel(tr("Test images"), this));
    settings->addWidget(m_testImages);
    settings->addStretch(1);
    form->addRow(tr("Settings:"), settings);
    column->addLayout(form);

    auto* buttons = new QHBoxLayout;
    m_measure = new QPushButton(tr("Measure Original"), this);
    m_measure->setObjectName(QStringLiteral("compressMeasure"));
    m_int8 = new QPushButton(tr("Quantize to int8"), this);
    m_int8->setObjectName(QStringLiteral("compressInt8"));
    m_int8->setToolTip(tr("Post-training int8 quantisation calibrated on 512 training images (compress --quantize int8)"));
    m_prune = new QPushButton(tr("Prune Channels"), this);
    m_prune->setObjectName(QStringLiteral("compressPrune"));
    m_prune->setToolTip(tr("Removes the weakest channels of each convolution, then fine-tunes: a smaller graph, "
                           "written as a project too (compress --prune-channels)"));
    m_sparse = new QPushButton(tr("Sparsify"), this);
    m_sparse->setObjectName(QStringLiteral("compressSparse"));
    m_sparse->setToolTip(tr("Sets the smallest weights to zero and fine-tunes: the same graph, a file that "
                            "compresses smaller (compress --sparsity)"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("compressCancel"));
    m_cancelButton->setEnabled(false);
    for (QPushButton* b : {m_measure, m_int8, m_prune, m_sparse, m_cancelButton})
        buttons->addWidget(b);
    buttons->addStretch(1);
    column->addLayout(buttons);
    m_status = new QLabel(tr("No variants yet."), this);
    m_status->setObjectName(QStringLiteral("compressStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_status);

    auto* split = new QSplitter(Qt::Vertical, this);
    auto* left = new QWidget(split);
    auto* leftColumn = new QVBoxLayout(left);
    leftColumn->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, Columns, left);
    m_table->setObjectName(QStringLiteral("compressTable"));
    m_table->setHorizontalHeaderLabels({tr("Variant"), tr("Parameters"), tr("File"), tr("File (zlib)"), tr("MFLOPs"),
                                        tr("Test accuracy"), tr("Batch 1 (ms)"), tr("Batch 64 (ms)")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    leftColumn->addWidget(m_table, 1);
    auto* rowButtons = new QHBoxLayout;
    m_export = new QPushButton(tr("Export…"), left);
    m_export->setObjectName(QStringLiteral("compressExport"));
    m_serve = new QPushButton(tr("Serve"), left);
    m_serve->setObjectName(QStringLiteral("compressServe"));
    m_open = new QPushButton(tr("Open as Project"), left);
    m_open->setObjectName(QStringLiteral("compressOpen"));
    for (QPushButton* b : {m_export, m_serve, m_open})
        rowButtons->addWidget(b);
    rowButtons->addStretch(1);
    leftColumn->addLayout(rowButtons);

    m_chart = new QChart;
    m_chart->setTitle(tr("Test accuracy against compressed size"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_x = new QValueAxis;
    m_x->setTitleText(tr("file after zlib (KB)"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_y = new QValueAxis;
    m_y->setTitleText(tr("test accuracy (%)"));
    m_y->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    auto* chartView = new QChartView(m_chart, split);
    chartView->setObjectName(QStringLiteral("compressChart"));
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(260);
    split->addWidget(left);
    split->addWidget(chartView);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({220, 440});
    column->addWidget(split, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Model to Compress"), modelPath(),
                                                          tr("NeuralCanvas models (*.ncmodel)"));
        if (!path.isEmpty())
            setModelPath(path);
    });
    connect(m_model, &QLineEdit::textEdited, this, [this] { m_chosen = true; });
    connect(m_measure, &QPushButton::clicked, this, &CompressTab::measureOriginal);
    connect(m_int8, &QPushButton::clicked, this, &CompressTab::makeInt8);
    connect(m_prune, &QPushButton::clicked, this, &CompressTab::makePruned);
    connect(m_sparse, &QPushButton::clicked, this, &CompressTab::makeSparse);
    connect(m_cancelButton, &QPushButton::clicked, this, &CompressTab::cancel);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &CompressTab::updateButtons);
    connect(m_export, &QPushButton::clicked, this, [this] {
        if (selectedRow() >= 0)
            Q_EMIT exportRequested(variantPath(selectedRow()));
    });
    connect(m_serve, &QPushButton::clicked, this, [this] {
        if (selectedRow() >= 0)
            Q_EMIT serveRequested(variantPath(selectedRow()));
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (selectedRow() >= 0 && !projectPath(selectedRow()).isEmpty())
            Q_EMIT openProjectRequested(projectPath(selectedRow()));
    });
    updateButtons();
}

CompressTab::~CompressTab() {
    if (m_cancel)
        *m_cancel = true;
}

void CompressTab::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_chosen && m_provider) {
        const QString offered = m_provider();
        if (!offered.isEmpty())
            m_model->setText(offered);
    }
}

void CompressTab::setModelPath(const QString& path) {
    m_chosen = true;
    m_model->setText(path);
}

QString CompressTab::modelPath() const {
    if (!m_model->text().trimmed().isEmpty() || m_chosen || !m_provider)
        return m_model->text().trimmed();
    return m_provider();
}

void CompressTab::setFinetuneEpochs(int epochs) { m_epochs->setValue(epochs); }
void CompressTab::setTestImages(int images) { m_testImages->setValue(images); }
void CompressTab::setPruneShare(double share) { m_share->setValue(share * 100.0); }
void CompressTab::setSparsity(double sparsity) { m_sparsity->setValue(sparsity * 100.0); }
void CompressTab::measureOriginal() { make(Kind::Original); }
void CompressTab::makeInt8() { make(Kind::Int8); }
void CompressTab::makePruned() { make(Kind::Pruned); }
void CompressTab::makeSparse() { make(Kind::Sparse); }

void CompressTab::cancel() {
    if (m_cancel)
        *m_cancel = true;
    m_status->setText(tr("Cancelling after the current batch…"));
}

int CompressTab::rowCount() const { return m_table->rowCount(); }
QString CompressTab::cellText(int row, int column) const {
    const QTableWidgetItem* item = m_table->item(row, column);
    return item ? item->text() : QString();
}
QString CompressTab::variantPath(int row) const {
    return row >= 0 && row < int(m_paths.size()) ? m_paths[std::size_t(row)].first : QString();
}
QString CompressTab::projectPath(int row) const {
    return row >= 0 && row < int(m_paths.size()) ? m_paths[std::size_t(row)].second : QString();
}
int CompressTab::chartPoints() const { return int(m_points.size()); }
QString CompressTab::statusText() const { return m_status->text(); }

int CompressTab::selectedRow() const {
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void CompressTab::updateButtons() {
    const int row = selectedRow();
    m_export->setEnabled(row >= 0);
    m_serve->setEnabled(row >= 0);
    m_open->setEnabled(row >= 0 && !projectPath(row).isEmpty());
}

void CompressTab::setBusy(bool busy) {
    m_busy = busy;
    for (QPushButton* b : {m_measure, m_int8, m_prune, m_sparse})
        b->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
    Q_EMIT busyChanged(busy);
}

void CompressTab::make(Kind kind) {
    if (m_busy)
        return;
    const QString source = modelPath();
    if (source.isEmpty() || !QFileInfo(source).isFile()) {
        const QString why = source.isEmpty() ? tr("Choose a trained model (.ncmodel) first.")
                                             : tr("%1 is not a file.").arg(source);
        m_status->setText(why);
        Q_EMIT failed(why);
        return;
    }
    std::pair<Project, QString> project = m_project ? m_project() : std::pair<Project, QString>{};
    const int epochs = m_epochs->value(), testImages = m_testImages->value();
    const double share = m_share->value() / 100.0, sparsity = m_sparsity->value() / 100.0;
    const bool residual = m_residual->isChecked();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancelled = m_cancel;
    setBusy(true);
    const QString what = kind == Kind::Original ? tr("Measuring %1…")
                         : kind == Kind::Int8   ? tr("Quantising %1 to int8 (calibration, then measuring)…")
                         : kind == Kind::Pruned ? tr("Pruning %1 and fine-tuning…")
                                                : tr("Sparsifying %1 and fine-tuning…");
    m_status->setText(what.arg(QFileInfo(source).fileName()));
    CompressTab* self = this;
    m_engine->run<Variant>(
        [=]() -> Variant {
            const std::string in = source.toStdString();
            Model model = Model::load(in);
            const Project& p = project.first;
            DatasetOptions options = datasetOptionsFor(p, project.second.toStdString());
            const Shape shape = model.inputShape();
            options.policy.channels = int(shape[0]);
            options.policy.height = shape[1];
            options.policy.width = shape[2];
            std::string spec = p.dataset;
            if (spec.empty() && model.metadata().contains("dataset") && model.metadata()["dataset"].is_string())
                spec = model.metadata()["dataset"].get<std::string>();
            if (spec.empty())
                throw Error("the project names no dataset to calibrate, fine-tune and test on");
            const DatasetPair data = loadDataset(spec, options, 0, testImages);
            checkDatasetFits(model, data.train);
            auto progress = [self](const QString& text) {
                thread::handOff([&] {
                    QMetaObject::invokeMethod(self, [self, text] { self->m_status->setText(text); }, Qt::QueuedConnection);
                });
            };
            FinetuneSettings fine;
            fine.config = p.training;
            fine.epochs = epochs;
            fine.cancelled = [cancelled] { return cancelled->load(); };
            fine.onEpoch = [progress](const EpochEvent& e) {
                progress(CompressTab::tr("Fine-tuning: epoch %1 of %2, validation accuracy %3")
                             .arg(e.epoch)
                             .arg(e.epochs)
                             .arg(e.validationAccuracy, 0, 'f', 4));
            };
            Variant v;
            const fs::path src(in);
            std::string out = in, note;
            Model made = [&]() -> Model {
                switch (kind) {
                case Kind::Original:
                    v.name = isQuantized(model) ? tr("%1 (int8)").arg(QFileInfo(source).completeBaseName())
                                                : tr("%1 (original)").arg(QFileInfo(source).completeBaseName());
                    return std::move(model);
                case Kind::Int8: {
                    QuantizeReport report;
                    Model q = quantizeInt8(model, data.train, QuantizeOptions{}, &report);
                    out = freshPath(src, "-int8").string();
                    v.name = tr("int8");
                    note = std::to_string(report.int8Nodes.size()) + " layers in int8, " +
                           std::to_string(report.floatNodes.size()) + " in float (" + report.engine + ")";
                    q.metadata()["compression"] = {{"method", "int8"}, {"from", in}, {"dataset", spec}};
                    return q;
                }
                case Kind::Pruned: {
                    PruneReport report;
                    Model pruned = pruneAndFinetune(model, data.train, share, residual, fine, &report);
                    out = freshPath(src, "-pruned" + std::to_string(int(std::lround(share * 100)))).string();
                    v.name = tr("pruned %1 %").arg(int(std::lround(share * 100)));
                    note = "fine-tuned " + std::to_string(epochs) + (epochs == 1 ? " epoch" : " epochs");
                    pruned.metadata()["compression"] = {{"method", "prune-channels"}, {"from", in}, {"removed_share", share},
                                                        {"residual", residual}, {"finetune_epochs", epochs}, {"dataset", spec}};
                    return pruned;
                }
                case Kind::Sparse: {
                    const SparsityReport report = sparsifyAndFinetune(model, data.train, sparsity, fine);
                    out = freshPath(src, "-sparse" + std::to_string(int(std::lround(sparsity * 100)))).string();
                    v.name = tr("sparse %1 %").arg(int(std::lround(report.sparsity * 100)));
                    note = "fine-tuned " + std::to_string(epochs) + (epochs == 1 ? " epoch" : " epochs");
                    model.metadata()["compression"] = {{"method", "sparsity"}, {"from", in}, {"sparsity", report.sparsity},
                                                       {"finetune_epochs", epochs}, {"dataset", spec}};
                    return std::move(model);
                }
                }
                throw Error("internal: unknown compression");
            }();
            progress(CompressTab::tr("Measuring %1…").arg(v.name));
            if (kind != Kind::Original) {
                made.save(out);
                // The variant as a project the user can open, inspect and train further.
                Project variant = p;
                variant.name = fs::path(out).stem().string();
                variant.description = "A compressed variant of " + in + " (" + v.name.toStdString() + ")";
                variant.dataset = spec;
                variant.graph = made.graph();
                variant.runs = Json::array();
                const std::string projectFile = fs::path(out).replace_extension(".ncproj").string();
                saveProject(variant, projectFile);
                v.project = QString::fromStdString(projectFile);
            }
            v.model = QString::fromStdString(out);
            v.note = QString::fromStdString(note);
            v.figures = measureVariant(made, out, data.test, data.train);
            return v;
        },
        this,
        [this](Variant v) {
            setBusy(false);
            addRow(v);
            m_status->setText(tr("Wrote %1%2.").arg(v.model, v.note.isEmpty() ? QString() : QStringLiteral(": ") + v.note));
            Q_EMIT variantAdded(rowCount() - 1);
        },
        [this](QString message) {
            setBusy(false);
            const QString text = message == QLatin1String("cancelled") ? tr("Cancelled; nothing was written.")
                                                                         : tr("Could not make the variant: %1").arg(message);
            m_status->setText(text);
            Q_EMIT failed(text);
        });
}

void CompressTab::addRow(const Variant& v) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const VariantFigures& f = v.figures;
    const QStringList cells{v.name,
                            QLocale().toString(qlonglong(f.parameters)),
                            bytesText(f.bytes),
                            bytesText(f.compressedBytes),
                            QString::number(f.mflops, 'f', 2),
                            f.accuracy >= 0 ? QString::number(100.0 * f.accuracy, 'f', 2) + QStringLiteral(" %") : tr("n/a"),
                            QString::number(f.batch1Ms, 'f', 3),
                            QString::number(f.batch64Ms, 'f', 2)};
    for (int c = 0; c < Columns; ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        if (c > Name)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(v.model);
        m_table->setItem(row, c, item);
    }
    m_paths.emplace_back(v.model, v.project);
    if (f.accuracy >= 0) { // one series per variant, so the legend names each point
        auto* point = new QScatterSeries;
        point->setName(v.name);
        point->setMarkerSize(11);
        point->append(double(f.compressedBytes) / 1024.0, 100.0 * f.accuracy);
        m_chart->addSeries(point);
        point->attachAxis(m_x);
        point->attachAxis(m_y);
        m_points.push_back(point);
        double xmax = 0, ymin = 100, ymax = 0;
        for (const QScatterSeries* series : m_points)
            for (const QPointF& p : series->points()) {
                xmax = std::max(xmax, p.x());
                ymin = std::min(ymin, p.y());
                ymax = std::max(ymax, p.y());
            }
        m_x->setRange(0, xmax * 1.15 + 1);
        m_y->setRange(std::max(0.0, ymin - 1.0), std::min(100.0, ymax + 1.0));
    }
    m_table->selectRow(row);
    updateButtons();
}

} // namespace nc::ui
