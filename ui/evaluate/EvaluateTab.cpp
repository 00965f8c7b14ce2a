#include "evaluate/EvaluateTab.h"

#include "document/Document.h"
#include "engine/EngineController.h"
#include "evaluate/ConfusionMatrixView.h"
#include "inspect/InspectViews.h"
#include "model/GraphModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace nc::ui {

namespace {
constexpr int kMaxGalleryImages = 400; // a cell of a big test set can hold thousands

// A test image as a QImage, `scale` times its size.
QImage toImage(const nc::Dataset& data, std::int64_t index, int scale) {
    const int h = int(data.height), w = int(data.width);
    std::vector<std::uint8_t> scratch; // a streamed dataset reads the image from its cache
    return chwToImage(data.imagesAt(index, 1, scratch), int(data.channels), h, w)
        .scaled(w * scale, h * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

QTableWidgetItem* numberItem(double v, int decimals) {
    auto* item = new QTableWidgetItem(QString::number(v, 'f', decimals));
    item->setData(Qt::UserRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
} // namespace

EvaluateTab::EvaluateTab(Document* doc, EngineController* engine, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_engine(engine) {
    setObjectName(QStringLiteral("evaluateTab"));
    auto* layout = new QVBoxLayout(this);

    // Top: which model, the button, progress and the headline figures.
    auto* top = new QHBoxLayout;
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("evaluateModel"));
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_run = new QPushButton(tr("Evaluate on Test Set"), this);
    m_run->setObjectName(QStringLiteral("evaluateRun"));
    m_run->setToolTip(tr("Run the model on every test image of the project's dataset"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("evaluateProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->hide();
    top->addWidget(m_modelLabel, 1);
    top->addWidget(m_progress);
    top->addWidget(m_run);
    layout->addLayout(top);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("evaluateSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_summary->setFont(big);
    layout->addWidget(m_summary);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("evaluateMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_message->hide();
    layout->addWidget(m_message);

    // Left: the confusion matrix; right: the per-class table over the gallery.
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(split);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* matrixBar = new QHBoxLayout;
    matrixBar->addWidget(new QLabel(tr("<b>Confusion matrix</b> — click a cell to see its images"), left), 1);
    m_normalise = new QComboBox(left);
    m_normalise->setObjectName(QStringLiteral("evaluateNormalise"));
    m_normalise->addItem(tr("Counts"));
    m_normalise->addItem(tr("Normalised by true class"));
    matrixBar->addWidget(m_normalise);
    leftLayout->addLayout(matrixBar);
    m_matrix = new ConfusionMatrixView(left);
    leftLayout->addWidget(m_matrix, 1);

    auto* right = new QSplitter(Qt::Vertical, split);
    m_table = new QTableWidget(0, 5, right);
    m_table->setObjectName(QStringLiteral("evaluateClasses"));
    m_table->setAccessibleName(tr("Per-class metrics"));
    m_table->setHorizontalHeaderLabels({tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 5; ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);

    auto* galleryBox = new QWidget(right);
    auto* galleryLayout = new QVBoxLayout(galleryBox);
    galleryLayout->setContentsMargins(0, 0, 0, 0);
    auto* galleryBar = new QHBoxLayout;
    m_galleryTitle = new QLabel(tr("<b>Images</b> — click a cell of the matrix"), galleryBox);
    m_galleryTitle->setObjectName(QStringLiteral("evaluateGalleryTitle"));
    galleryBar->addWidget(m_galleryTitle, 1);
    auto* mistakes = new QPushButton(tr("All Mistakes"), galleryBox);
    mistakes->setObjectName(QStringLiteral("evaluateAllMistakes"));
    mistakes->setToolTip(tr("Every misclassified test image"));
    galleryBar->addWidget(mistakes);
    m_sort = new QComboBox(galleryBox);
    m_sort->setObjectName(QStringLiteral("evaluateSort"));
    m_sort->addItem(tr("Most confident first"));
    m_sort->addItem(tr("Least confident first"));
    m_sort->addItem(tr("Test set order"));
    galleryBar->addWidget(m_sort);
    galleryLayout->addLayout(galleryBar);
    m_gallery = new QListWidget(galleryBox);
    m_gallery->setObjectName(QStringLiteral("evaluateGallery"));
    m_gallery->setAccessibleName(tr("Test images of the selected cell"));
    m_gallery->setViewMode(QListView::IconMode);
    m_gallery->setResizeMode(QListView::Adjust);
    m_gallery->setMovement(QListView::Static);
    m_gallery->setIconSize(QSize(84, 84));
    m_gallery->setGridSize(QSize(104, 116));
    m_gallery->setUniformItemSizes(true);
    // Always room for the scroll bar, so the columns do not change when a cell fills the gallery.
    m_gallery->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_gallery->setToolTip(tr("Click an image to inspect it"));
    galleryLayout->addWidget(m_gallery, 1);
    right->addWidget(m_table);
    right->addWidget(galleryBox);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &EvaluateTab::evaluate);
    connect(m_normalise, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_matrix->setNormalised(i == 1); });
    connect(m_matrix, &ConfusionMatrixView::cellClicked, this, &EvaluateTab::showCell);
    connect(m_sort, &QComboBox::currentIndexChanged, this, [this] { fillGallery(); });
    connect(mistakes, &QPushButton::clicked, this, [this] { showCell(-1, -1); });
    connect(m_gallery, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { openGalleryItem(m_gallery->row(item)); });
    connect(engine, &EngineController::modelChanged, this, &EvaluateTab::onModelChanged);
    connect(engine, &EngineController::evaluationProgress, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, int(total));
        m_progress->setValue(int(done));
    });
    connect(engine, &EngineController::evaluationFinished, this, &EvaluateTab::onFinished);
    connect(engine, &EngineController::evaluationFailed, this, &EvaluateTab::onFailed);
    connect(engine, &EngineController::modelFailed, this, [this](const QString& why) {
        if (!m_evaluateOnModel)
            return;
        m_evaluateOnModel = false;
        onFailed(why);
    });
    onModelChanged(engine->modelInfo());
}

EvaluateTab::~EvaluateTab() = default;

QString EvaluateTab::summaryText() const { return m_summary->text(); }
QString EvaluateTab::message() const { return m_message->isVisible() || !m_message->isHidden() ? m_message->text() : QString(); }

void EvaluateTab::onModelChanged(const ModelInfo& info) {
    if (!info.available) {
        m_modelLabel->setText(tr("No model yet: train the network in the Train tab, or select a run there and "
                                 "press “Evaluate and Inspect Best Model”."));
        m_run->setEnabled(false);
        return;
    }
    m_modelLabel->setText(tr("Model: %1").arg(info.label));
    m_run->setEnabled(true);
    if (m_evaluateOnModel) {
        m_evaluateOnModel = false;
        evaluate();
    }
    if (m_report && m_report->modelLabel != info.label)
        m_summary->setText(
            tr("%1 (for %2; evaluate again for the current model)").arg(m_reportSummary, m_report->modelLabel));
}

void EvaluateTab::evaluateWhenModelArrives() {
    m_evaluateOnModel = true;
}

void EvaluateTab::setBusy(bool busy) {
    m_run->setEnabled(!busy && m_engine->modelInfo().available);
    m_progress->setVisible(busy);
    if (busy) {
        m_progress->setRange(0, 0);
        m_message->hide();
    }
}

void EvaluateTab::evaluate() {
    const std::string spec = m_doc->model()->project().dataset;
    setBusy(true);
    m_engine->evaluate(spec);
}

void EvaluateTab::onFailed(const QString& message) {
    setBusy(false);
    m_message->setText(message);
    m_message->show();
    Q_EMIT evaluated();
}

void EvaluateTab::onFinished(const std::shared_ptr<const EvaluationReport>& report) {
    setBusy(false);
    m_report = report;
    const nc::EvaluationResult& r = report->metrics;
    m_reportSummary = tr("Accuracy %1% on %2 test images · loss %3 · macro F1 %4 · %5 s")
                          .arg(r.accuracy * 100, 0, 'f', 2)
                          .arg(r.count)
                          .arg(r.loss, 0, 'f', 4)
                          .arg(r.macroF1, 0, 'f', 4)
                          .arg(report->seconds, 0, 'f', 1);
    m_summary->setText(m_reportSummary);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(int(r.classes.size()));
    for (int i = 0; i < int(r.classes.size()); ++i) {
        const nc::ClassMetrics& c = r.classes[std::size_t(i)];
        auto* name = new QTableWidgetItem(QString::fromStdString(c.name));
        name->setData(Qt::UserRole, i);
        m_table->setItem(i, 0, name);
        m_table->setItem(i, 1, numberItem(c.precision, 4));
        m_table->setItem(i, 2, numberItem(c.recall, 4));
        m_table->setItem(i, 3, numberItem(c.f1, 4));
        auto* support = numberItem(double(c.support), 0);
        m_table->setItem(i, 4, support);
    }
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // class order until a header is clicked
    m_table->setSortingEnabled(true);
    std::vector<std::string> names;
    for (const nc::ClassMetrics& c : r.classes)
        names.push_back(c.name);
    m_matrix->setMatrix(r.confusion, names);
    m_message->hide();
    // Start on the biggest confusion: usually the first thing a user wants to look at.
    int bestT = -1, bestP = -1;
    std::int64_t most = 0;
    for (int t = 0; t < int(r.confusion.size()); ++t)
        for (int p = 0; p < int(r.confusion.size()); ++p)
            if (t != p && r.confusion[std::size_t(t)][std::size_t(p)] > most) {
                most = r.confusion[std::size_t(t)][std::size_t(p)];
                bestT = t;
                bestP = p;
            }
    if (bestT >= 0)
        showCell(bestT, bestP);
    else if (!r.confusion.empty())
        showCell(0, 0);
    Q_EMIT evaluated();
}

void EvaluateTab::showCell(int trueClass, int predictedClass) {
    m_cellTrue = trueClass;
    m_cellPredicted = predictedClass;
    m_matrix->setSelectedCell(trueClass, predictedClass);
    fillGallery();
}

void EvaluateTab::fillGallery() {
    m_gallery->clear();
    m_galleryIndices.clear();
    if (!m_report || !m_report->data)
        return;
    const nc::Dataset& data = *m_report->data;
    const nc::ImageVerdicts& v = m_report->verdicts;
    const auto& names = data.classNames;
    const bool allMistakes = m_cellTrue < 0;
    std::vector<std::int64_t> indices;
    for (std::int64_t i = 0; i < data.size(); ++i) {
        const std::int64_t t = data.labels[std::size_t(i)], p = v.predicted[std::size_t(i)];
        if (allMistakes ? t != p : (t == m_cellTrue && p == m_cellPredicted))
            indices.push_back(i);
    }
    const std::size_t total = indices.size();
    if (m_sort->currentIndex() != 2)
        std::stable_sort(indices.begin(), indices.end(), [&](std::int64_t a, std::int64_t b) {
            const float ca = v.confidence[std::size_t(a)], cb = v.confidence[std::size_t(b)];
            return m_sort->currentIndex() == 0 ? ca > cb : ca < cb;
        });
    if (indices.size() > std::size_t(kMaxGalleryImages))
        indices.resize(kMaxGalleryImages);
    auto name = [&](std::int64_t c) {
        return c >= 0 && c < std::int64_t(names.size()) ? QString::fromStdString(names[std::size_t(c)])
                                                         : QString::number(c);
    };
    QString title = allMistakes ? tr("<b>All mistakes</b>: %n image(s)", nullptr, int(total))
                                : tr("<b>True %1 · predicted %2</b>: %n image(s)", nullptr, int(total))
                                      .arg(name(m_cellTrue).toHtmlEscaped(), name(m_cellPredicted).toHtmlEscaped());
    if (total > indices.size())
        title += tr(" (showing %1)").arg(indices.size());
    m_galleryTitle->setText(title);
    const int scale = std::max(1, 84 / int(std::max<std::int64_t>(1, data.height)));
    for (std::int64_t i : indices) {
        const float conf = v.confidence[std::size_t(i)];
        QString text = QStringLiteral("%1%").arg(double(conf) * 100, 0, 'f', 1);
        if (allMistakes)
            text = QStringLiteral("%1\n%2").arg(name(v.predicted[std::size_t(i)]), text);
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(toImage(data, i, scale))), text);
        item->setToolTip(tr("Test image #%1 · true %2 · predicted %3 with %4% confidence")
                             .arg(i)
                             .arg(name(data.labels[std::size_t(i)]), name(v.predicted[std::size_t(i)]))
                             .arg(double(conf) * 100, 0, 'f', 1));
        m_gallery->addItem(item);
        m_galleryIndices.push_back(i);
    }
}

void EvaluateTab::openGalleryItem(int row) {
    if (!m_report || row < 0 || row >= int(m_galleryIndices.size()))
        return;
    const nc::Dataset& data = *m_report->data;
    const std::int64_t i = m_galleryIndices[std::size_t(row)];
    const std::int64_t size = data.channels * data.height * data.width;
    std::vector<std::uint8_t> chw(static_cast<std::size_t>(size));
    data.gather(&i, 1, chw.data());
    const std::int64_t t = data.labels[std::size_t(i)];
    const QString trueName = t >= 0 && t < std::int64_t(data.classNames.size())
                                 ? QString::fromStdString(data.classNames[std::size_t(t)])
                                 : QString::number(t);
    Q_EMIT inspectRequested(chw, tr("test image #%1 (true class: %2)").arg(i).arg(trueName));
}

} // namespace nc::ui
