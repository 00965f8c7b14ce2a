#include "dataset/ImportDialog.h"

#include "inspect/InspectViews.h"
#include "style/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <QValueAxis>

namespace nc::ui {

namespace {
constexpr int kSamplesPerClass = 8;
constexpr int kThumb = 56; // pixels on screen per sample
const int kSizes[] = {0, 28, 32, 48, 64, 96, 128};
} // namespace

ImportDialog::ImportDialog(const QString& spec, const nc::DatasetOptions& cache, QWidget* parent)
    : QDialog(parent), m_spec(spec), m_cache(cache), m_policy(cache.policy) {
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import images"));
    resize(1100, 760);
    auto* layout = new QVBoxLayout(this);

    auto* title = new QLabel(tr("<b>%1</b>").arg(spec.section(QLatin1Char(':'), 1).toHtmlEscaped()), this);
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    // The import policy: how images of any size become one tensor shape.
    auto* policyRow = new QHBoxLayout;
    m_size = new QComboBox(this);
    m_size->setObjectName(QStringLiteral("importSize"));
    for (int s : kSizes)
        m_size->addItem(s == 0 ? tr("Automatic (median, at most 64×64)") : QStringLiteral("%1×%1").arg(s), s);
    m_channels = new QComboBox(this);
    m_channels->setObjectName(QStringLiteral("importChannels"));
    m_channels->addItem(tr("As most images are"), 0);
    m_channels->addItem(tr("Grey"), 1);
    m_channels->addItem(tr("Colour (RGB)"), 3);
    m_fit = new QComboBox(this);
    m_fit->setObjectName(QStringLiteral("importFit"));
    m_fit->addItem(tr("Pad to keep the whole image"), QStringLiteral("pad"));
    m_fit->addItem(tr("Crop the centre"), QStringLiteral("crop"));
    m_fit->addItem(tr("Stretch"), QStringLiteral("stretch"));
    m_testFraction = new QDoubleSpinBox(this);
    m_testFraction->setObjectName(QStringLiteral("importTestFraction"));
    m_testFraction->setRange(0, 0.9);
    m_testFraction->setSingleStep(0.05);
    m_testFraction->setToolTip(tr("Held out per class for the test split when the folder has no test/ folder"));
    m_reimport = new QPushButton(tr("Import Again"), this);
    m_reimport->setObjectName(QStringLiteral("importAgain"));
    auto* form = new QFormLayout;
    form->addRow(tr("Image size"), m_size);
    form->addRow(tr("Channels"), m_channels);
    auto* form2 = new QFormLayout;
    form2->addRow(tr("Other shapes"), m_fit);
    form2->addRow(tr("Test part"), m_testFraction);
    policyRow->addLayout(form);
    policyRow->addLayout(form2);
    policyRow->addWidget(m_reimport, 0, Qt::AlignBottom);
    policyRow->addStretch(1);
    layout->addLayout(policyRow);
    {
        const QSignalBlocker a(m_size), b(m_channels), c(m_fit), d(m_testFraction);
        const int si = m_size->findData(int(m_policy.height == m_policy.width ? m_policy.height : 0));
        m_size->setCurrentIndex(std::max(0, si));
        m_channels->setCurrentIndex(std::max(0, m_channels->findData(m_policy.channels)));
        m_fit->setCurrentIndex(std::max(0, m_fit->findData(QString::fromStdString(m_policy.fit))));
        m_testFraction->setValue(m_policy.testFraction);
    }
    connect(m_reimport, &QPushButton::clicked, this, &ImportDialog::startImport);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setFormat(tr("%v of %m images"));
    m_cancelButton = new QPushButton(tr("Stop Import"), this);
    m_cancelButton->setObjectName(QStringLiteral("importCancel"));
    connect(m_cancelButton, &QPushButton::clicked, this, &ImportDialog::cancelImport);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancelButton);
    layout->addLayout(progressRow);

    // Classes and counts | sample images as the model sees them.
    auto* split = new QSplitter(Qt::Horizontal, this);
    m_counts = new QChartView(new QChart, split);
    m_counts->setObjectName(QStringLiteral("importCounts"));
    m_counts->setRenderHint(QPainter::Antialiasing);
    m_counts->setMinimumWidth(320);
    auto* scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    m_samples = new QWidget;
    m_samples->setObjectName(QStringLiteral("importSamples"));
    m_sampleGrid = new QGridLayout(m_samples);
    m_sampleGrid->setSpacing(4);
    scroll->setWidget(m_samples);
    split->addWidget(m_counts);
    split->addWidget(scroll);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 3);

    m_sizes = new QLabel(this);
    m_sizes->setObjectName(QStringLiteral("importSizes"));
    m_sizes->setWordWrap(true);
    layout->addWidget(m_sizes);
    m_problems = new QTableWidget(0, 2, this);
    m_problems->setObjectName(QStringLiteral("importProblems"));
    m_problems->setHorizontalHeaderLabels({tr("Skipped file"), tr("Why")});
    m_problems->horizontalHeader()->setStretchLastSection(true);
    m_problems->verticalHeader()->hide();
    m_problems->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problems->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problems->setToolTip(tr("Double-click a file to open its folder"));
    connect(m_problems, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const QString rel = m_problems->item(row, 0)->text();
        const QString path = QDir(QString::fromStdString(m_report.root)).filePath(rel);
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    layout->addWidget(m_problems, 2);

    auto* buttons = new QDialogButtonBox(this);
    m_use = buttons->addButton(tr("Use This Dataset"), QDialogButtonBox::AcceptRole);
    m_use->setObjectName(QStringLiteral("importUse"));
    m_use->setEnabled(false);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, [this] {
        m_progress->setMaximum(int(std::max<qint64>(1, m_total)));
        m_progress->setValue(int(m_done));
    });
    QTimer::singleShot(0, this, &ImportDialog::startImport);
}

ImportDialog::~ImportDialog() { stopWorker(); }

void ImportDialog::stopWorker() {
    m_cancel = true;
    if (m_worker.joinable())
        m_worker.join(); // the import notices within one progress tick (50 ms)
}

nc::ImportPolicy ImportDialog::policy() const {
    nc::ImportPolicy p = m_policy;
    if (m_data) {
        p.channels = int(m_report.channels);
        p.height = m_report.height;
        p.width = m_report.width;
    }
    return p;
}

int ImportDialog::classCount() const { return m_data ? m_data->train.numClasses() : 0; }

int ImportDialog::sampleCount() const {
    int n = 0;
    for (int i = 0; i < m_sampleGrid->count(); ++i)
        if (auto* l = qobject_cast<QLabel*>(m_sampleGrid->itemAt(i)->widget()); l && !l->pixmap().isNull())
            ++n;
    return n;
}

void ImportDialog::readControls() {
    const int s = m_size->currentData().toInt();
    m_policy.height = m_policy.width = s;
    m_policy.channels = m_channels->currentData().toInt();
    m_policy.fit = m_fit->currentData().toString().toStdString();
    m_policy.testFraction = m_testFraction->value();
}

void ImportDialog::cancelImport() { m_cancel = true; }

void ImportDialog::startImport() {
    stopWorker();
    readControls();
    m_busy = true;
    m_cancel = false;
    m_done = 0;
    m_total = 0;
    m_data.reset();
    m_use->setEnabled(false);
    m_reimport->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setVisible(true);
    m_cancelButton->setVisible(true);
    m_summary->setText(tr("Reading the images…"));
    m_poll->start();
    nc::DatasetOptions options = m_cache;
    options.policy = m_policy;
    const std::string spec = m_spec.toStdString();
    m_worker = std::thread([this, options, spec]() mutable {
        nc::ImportReport report;
        options.report = &report;
        options.progress = [this](std::int64_t done, std::int64_t total) {
            m_done = done;
            m_total = total;
            return !m_cancel.load();
        };
        std::shared_ptr<const nc::DatasetPair> data;
        QString error;
        bool cancelled = false;
        try {
            data = std::make_shared<const nc::DatasetPair>(nc::loadDataset(spec, options));
        } catch (const nc::ImportCancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, data, report, error, cancelled] { finish(data, report, error, cancelled); },
            Qt::QueuedConnection);
    });
}

void ImportDialog::finish(std::shared_ptr<const nc::DatasetPair> data, nc::ImportReport report, QString error,
                          bool cancelled) {
    if (m_worker.joinable())
        m_worker.join();
    m_poll->stop();
    m_progress->setVisible(false);
    m_cancelButton->setVisible(false);
    m_reimport->setEnabled(true);
    m_report = std::move(report);
    m_data = std::move(data);
    if (cancelled) {
        m_summary->setText(tr("Import stopped: nothing was written. Choose Import Again to start over."));
    } else if (!error.isEmpty()) {
        m_summary->setText(tr("<b>These images cannot be used:</b> %1").arg(error.toHtmlEscaped()));
    } else {
        showReport();
    }
    m_use->setEnabled(m_data != nullptr);
    m_busy = false;
    Q_EMIT importFinished(m_data != nullptr);
}

void ImportDialog::showReport() {
    const nc::ImportReport& r = m_report;
    const QLocale locale;
    qint64 train = 0, test = 0, val = 0;
    for (auto n : r.trainCounts)
        train += n;
    for (auto n : r.testCounts)
        test += n;
    for (auto n : r.validationCounts)
        val += n;
    QString text = tr("%1 images in %2 classes, seen as %3×%4 %5: %6 for training, %7 for testing")
                       .arg(locale.toString(r.imported))
                       .arg(r.classNames.size())
                       .arg(r.width)
                       .arg(r.height)
                       .arg(r.channels == 1 ? tr("grey") : tr("colour"))
                       .arg(locale.toString(train))
                       .arg(locale.toString(test));
    if (val > 0)
        text += tr(", %1 for validation").arg(locale.toString(val));
    text += r.splitFolders ? tr(" (from the train/ and test/ folders).") : tr(" (a seeded split of each class).");
    if (!r.problems.empty())
        text += QLatin1Char(' ') + tr("%n file(s) skipped, listed below.", nullptr, int(r.problems.size()));
    if (!r.fewImages.empty()) {
        QStringList names;
        for (const std::string& c : r.fewImages)
            names << QString::fromStdString(c);
        text += QLatin1Char(' ') + tr("<b>Few images:</b> %1 (fewer than %2 each to train on).")
                                       .arg(names.join(QStringLiteral(", ")).toHtmlEscaped())
                                       .arg(nc::ImportReport::kFewImages);
    }
    if (r.fromCache)
        text += QLatin1Char(' ') + tr("Read from the cache: nothing changed since the last import.");
    m_summary->setText(text);

    // Counts per class, train and test stacked.
    QChart* chart = m_counts->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes())
        chart->removeAxis(a);
    chart->setTitle(tr("Images per class"));
    chart->setTheme(Theme::instance().isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    auto* series = new QHorizontalStackedBarSeries;
    auto* trainSet = new QBarSet(tr("training"));
    auto* testSet = new QBarSet(tr("test"));
    QStringList names;
    qint64 most = 1;
    for (std::size_t c = 0; c < r.classNames.size(); ++c) {
        names << QString::fromStdString(r.classNames[c]);
        const qint64 a = c < r.trainCounts.size() ? r.trainCounts[c] : 0, b = c < r.testCounts.size() ? r.testCounts[c] : 0;
        *trainSet << double(a);
        *testSet << double(b);
        most = std::max(most, a + b);
    }
    series->append(trainSet);
    series->append(testSet);
    chart->addSeries(series);
    auto* axisY = new QBarCategoryAxis;
    axisY->append(names);
    auto* axisX = new QValueAxis;
    axisX->setRange(0, double(most));
    axisX->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(axisY, Qt::AlignLeft);
    chart->addAxis(axisX, Qt::AlignBottom);
    series->attachAxis(axisY);
    series->attachAxis(axisX);
    m_counts->setMinimumHeight(std::min(600, 80 + 28 * int(names.size())));

    // Samples per class, as the model sees them (after the size policy).
    while (QLayoutItem* item = m_sampleGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (m_data) {
        const nc::Dataset& d = m_data->train;
        std::vector<int> shown(std::size_t(d.numClasses()), 0);
        std::vector<std::uint8_t> scratch;
        for (int c = 0; c < d.numClasses(); ++c) {
            auto* name = new QLabel(QString::fromStdString(d.classNames[std::size_t(c)]), m_samples);
            name->setMinimumWidth(110);
            m_sampleGrid->addWidget(name, c, 0);
        }
        for (std::int64_t i = 0; i < d.size(); ++i) {
            const int c = int(d.labels[std::size_t(i)]);
            if (shown[std::size_t(c)] >= kSamplesPerClass)
                continue;
            const QImage img = chwToImage(d.imagesAt(i, 1, scratch), int(d.channels), int(d.height), int(d.width));
            auto* thumb = new QLabel(m_samples);
            thumb->setPixmap(QPixmap::fromImage(img.scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::FastTransformation)));
            thumb->setToolTip(tr("%1 (as the model sees it: %2×%3)")
                                  .arg(QString::fromStdString(d.classNames[std::size_t(c)]))
                                  .arg(d.width)
                                  .arg(d.height));
            m_sampleGrid->addWidget(thumb, c, 1 + shown[std::size_t(c)]++);
        }
        m_sampleGrid->setColumnStretch(kSamplesPerClass + 1, 1);
    }

    // The sizes found, largest groups first.
    QStringList sizes;
    for (std::size_t i = 0; i < r.sizes.size() && i < 8; ++i)
        sizes << tr("%1×%2: %3").arg(r.sizes[i].width).arg(r.sizes[i].height).arg(locale.toString(r.sizes[i].count));
    if (r.sizes.size() > 8)
        sizes << tr("and %n more size(s)", nullptr, int(r.sizes.size() - 8));
    m_sizes->setText(tr("Original sizes: %1").arg(sizes.join(QStringLiteral(" · "))));

    m_problems->setRowCount(int(r.problems.size()));
    for (std::size_t i = 0; i < r.problems.size(); ++i) {
        m_problems->setItem(int(i), 0, new QTableWidgetItem(QString::fromStdString(r.problems[i].path)));
        m_problems->setItem(int(i), 1, new QTableWidgetItem(QString::fromStdString(r.problems[i].reason)));
    }
    m_problems->resizeColumnToContents(0);
    m_problems->setVisible(!r.problems.empty());
    m_testFraction->setEnabled(!r.splitFolders);
}

} // namespace nc::ui
