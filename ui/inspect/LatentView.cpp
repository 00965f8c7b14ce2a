#include "inspect/LatentView.h"

#include "engine/EngineController.h"
#include "util/Png.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {
// Ten distinguishable class colours (the usual categorical palette of plotting libraries).
const QColor kClassColours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                QColor(0x17, 0xbe, 0xcf)};

QColor classColour(std::int64_t label) {
    const auto n = std::int64_t(std::size(kClassColours));
    return label < 0 ? QColor(Qt::gray) : kClassColours[label % n];
}

// `n` images [C, H, W] tiled in one row (`columns` wide), scaled up so 28-pixel images read well.
QImage tiles(const std::vector<std::uint8_t>& images, std::int64_t n, int c, int h, int w, int columns, int maxWidth) {
    if (n <= 0 || images.size() < std::size_t(n * c * h * w))
        return {};
    const int across = std::min<int>(columns, int(n));
    const int scale = std::clamp(maxWidth / std::max(1, across * (w + 3)), 1, 3);
    const ImageGrid g = tileImages(images.data(), n, c, h, w, columns, scale, 3);
    const QImage view(g.pixels.data(), g.width, g.height, g.width * g.channels,
                      g.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    return view.copy(); // owns its pixels
}

QLabel* bold(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}
} // namespace

// --- the scatter ---

LatentScatterView::LatentScatterView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("latentScatter"));
    setAccessibleName(tr("Latent means of test images, coloured by class"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LatentScatterView::setPoints(std::vector<float> xy, std::vector<std::int64_t> labels,
                                  std::vector<std::string> classNames) {
    m_xy = std::move(xy);
    m_labels = std::move(labels);
    m_classNames = std::move(classNames);
    update();
}

void LatentScatterView::setMarks(std::optional<std::pair<float, float>> a, std::optional<std::pair<float, float>> b) {
    m_a = a;
    m_b = b;
    update();
}

void LatentScatterView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    if (m_labels.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No latent map yet"));
        return;
    }
    // The legend on the right: one swatch per class that has points.
    const QFontMetrics fm(font());
    int legendWidth = 0;
    std::vector<std::int64_t> present;
    for (std::size_t k = 0; k < std::max<std::size_t>(m_classNames.size(), 1); ++k)
        if (std::find(m_labels.begin(), m_labels.end(), std::int64_t(k)) != m_labels.end()) {
            present.push_back(std::int64_t(k));
            legendWidth = std::max(legendWidth, fm.horizontalAdvance(QString::fromStdString(
                                                    k < m_classNames.size() ? m_classNames[k] : std::to_string(k))));
        }
    legendWidth += 24;
    const QRectF plot = QRectF(rect()).adjusted(12, 12, -12 - legendWidth, -12);

    float x0 = m_xy[0], x1 = m_xy[0], y0 = m_xy[1], y1 = m_xy[1];
    for (std::size_t i = 0; i + 1 < m_xy.size(); i += 2) {
        x0 = std::min(x0, m_xy[i]);
        x1 = std::max(x1, m_xy[i]);
        y0 = std::min(y0, m_xy[i + 1]);
        y1 = std::max(y1, m_xy[i + 1]);
    }
    for (const auto& m : {m_a, m_b})
        if (m) {
            x0 = std::min(x0, m->first);
            x1 = std::max(x1, m->first);
            y0 = std::min(y0, m->second);
            y1 = std::max(y1, m->second);
        }
    const float sx = x1 > x0 ? x1 - x0 : 1.f, sy = y1 > y0 ? y1 - y0 : 1.f;
    const auto at = [&](float x, float y) {
        return QPointF(plot.left() + (x - x0) / sx * plot.width(), plot.bottom() - (y - y0) / sy * plot.height());
    };
    p.setPen(Qt::NoPen);
    for (std::size_t i = 0; i < m_labels.size() && 2 * i + 1 < m_xy.size(); ++i) {
        QColor c = classColour(m_labels[i]);
        c.setAlpha(150);
        p.setBrush(c);
        p.drawEllipse(at(m_xy[2 * i], m_xy[2 * i + 1]), 2.4, 2.4);
    }
    const auto mark = [&](const std::optional<std::pair<float, float>>& m, const QString& letter) {
        if (!m)
            return;
        const QPointF c = at(m->first, m->second);
        p.setBrush(pal.color(QPalette::Base));
        p.setPen(QPen(pal.color(QPalette::Text), 2));
        p.drawEllipse(c, 9, 9);
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        p.drawText(QRectF(c.x() - 9, c.y() - 9, 18, 18), Qt::AlignCenter, letter);
        p.setFont(font());
    };
    mark(m_a, QStringLiteral("A"));
    mark(m_b, QStringLiteral("B"));

    int y = 14;
    const int x = width() - legendWidth;
    for (std::int64_t k : present) {
        p.setPen(Qt::NoPen);
        p.setBrush(classColour(k));
        p.drawEllipse(QPointF(x + 6, y + fm.height() / 2.0), 5, 5);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPoint(x + 16, y + fm.ascent()),
                   QString::fromStdString(std::size_t(k) < m_classNames.size() ? m_classNames[std::size_t(k)]
                                                                               : std::to_string(k)));
        y += fm.height() + 4;
    }
}

// --- the page ---

LatentView::LatentView(EngineController* engine, QWidget* parent) : QWidget(parent), m_engine(engine) {
    setObjectName(QStringLiteral("latentView"));
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);

    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("latentIntro"));
    m_intro->setWordWrap(true);
    column->addWidget(m_intro);

    auto* controls = new QHBoxLayout;
    m_openA = new QPushButton(tr("Image &A…"), this);
    m_openA->setObjectName(QStringLiteral("latentOpenA"));
    m_openA->setToolTip(tr("Choose the image the walk starts from"));
    m_openB = new QPushButton(tr("Image &B…"), this);
    m_openB->setObjectName(QStringLiteral("latentOpenB"));
    m_openB->setToolTip(tr("Choose the image the walk ends at"));
    m_swap = new QPushButton(tr("S&wap"), this);
    m_swap->setObjectName(QStringLiteral("latentSwap"));
    m_pair = new QPushButton(tr("&New Pair"), this);
    m_pair->setObjectName(QStringLiteral("latentNewPair"));
    m_pair->setToolTip(tr("Walk between two other random points of the latent space"));
    m_steps = new QSpinBox(this);
    m_steps->setObjectName(QStringLiteral("latentSteps"));
    m_steps->setRange(3, 16);
    m_steps->setValue(8);
    m_steps->setToolTip(tr("Images decoded along the straight line between the two latents, both ends included"));
    auto* stepsLabel = new QLabel(tr("S&teps:"), this);
    stepsLabel->setBuddy(m_steps);
    controls->addWidget(m_openA);
    controls->addWidget(m_openB);
    controls->addWidget(m_swap);
    controls->addWidget(m_pair);
    controls->addSpacing(16);
    controls->addWidget(stepsLabel);
    controls->addWidget(m_steps);
    controls->addStretch(1);
    column->addLayout(controls);

    m_pathCaption = bold(tr("Interpolation"), this);
    column->addWidget(m_pathCaption);
    m_path = new QLabel(this);
    m_path->setObjectName(QStringLiteral("latentPath"));
    m_path->setAccessibleName(tr("Images decoded along the path between A and B"));
    m_path->setMinimumHeight(90);
    m_path->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    column->addWidget(m_path);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("latentStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_status);

    auto* lower = new QGridLayout;
    lower->setHorizontalSpacing(16);
    m_mapCaption = bold(QString(), this);
    m_mapCaption->setObjectName(QStringLiteral("latentMapCaption"));
    m_mapCaption->setWordWrap(true);
    m_scatter = new LatentScatterView(this);
    auto* samplesCaption = bold(tr("Samples of z ~ N(0, I)"), this);
    m_samples = new QLabel(this);
    m_samples->setObjectName(QStringLiteral("latentSamples"));
    m_samples->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto* sampleButtons = new QHBoxLayout;
    m_moreSamples = new QPushButton(tr("&Other Samples"), this);
    m_moreSamples->setObjectName(QStringLiteral("latentOtherSamples"));
    m_saveSamples = new QPushButton(tr("Save &PNG…"), this);
    m_saveSamples->setObjectName(QStringLiteral("latentSaveSamples"));
    sampleButtons->addWidget(m_moreSamples);
    sampleButtons->addWidget(m_saveSamples);
    sampleButtons->addStretch(1);
    lower->addWidget(m_mapCaption, 0, 0);
    lower->addWidget(m_scatter, 1, 0);
    lower->addWidget(samplesCaption, 0, 1);
    lower->addWidget(m_samples, 1, 1);
    lower->addLayout(sampleButtons, 2, 1);
    auto* scoreRow = new QHBoxLayout;
    m_score = new QPushButton(tr("&Judge with Classifier…"), this);
    m_score->setObjectName(QStringLiteral("latentScore"));
    m_score->setToolTip(tr("Choose a classifier trained in the app (.ncmodel): it judges samples of this model — "
                           "which classes it sees, how sure it is, how far they are from real images"));
    m_scoreCount = new QSpinBox(this);
    m_scoreCount->setObjectName(QStringLiteral("latentScoreCount"));
    m_scoreCount->setRange(100, 10000);
    m_scoreCount->setSingleStep(1000);
    m_scoreCount->setValue(2000);
    m_scoreCount->setSuffix(tr(" samples"));
    scoreRow->addWidget(m_score);
    scoreRow->addWidget(m_scoreCount);
    scoreRow->addStretch(1);
    lower->addLayout(scoreRow, 3, 1);
    m_scoreText = new QLabel(this);
    m_scoreText->setObjectName(QStringLiteral("latentScoreText"));
    m_scoreText->setWordWrap(true);
    m_scoreText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scoreText->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    lower->addWidget(m_scoreText, 4, 1);
    lower->setColumnStretch(0, 3);
    lower->setColumnStretch(1, 2);
    column->addLayout(lower, 1);

    connect(m_openA, &QPushButton::clicked, this, [this] { openEnd(0); });
    connect(m_openB, &QPushButton::clicked, this, [this] { openEnd(1); });
    connect(m_swap, &QPushButton::clicked, this, &LatentView::swapEnds);
    connect(m_pair, &QPushButton::clicked, this, &LatentView::newPair);
    connect(m_steps, &QSpinBox::valueChanged, this, [this] { request(false, false); });
    connect(m_moreSamples, &QPushButton::clicked, this, &LatentView::newSamples);
    connect(m_saveSamples, &QPushButton::clicked, this, &LatentView::saveSamples);
    connect(m_score, &QPushButton::clicked, this, &LatentView::chooseClassifier);
    updateButtons();
}

void LatentView::setModel(const ModelInfo& info) {
    const bool sameModel = m_info.available && info.available && info.label == m_info.label && info.path == m_info.path &&
                           info.fromNoise == m_info.fromNoise;
    m_info = info;
    if (!sameModel) { // images of another model's input size would not fit; the map is its own
        m_a.reset();
        m_b.reset();
        m_goodA.reset();
        m_goodB.reset();
        m_nextEnd = 0;
        m_newEnd = -1;
        m_result.reset();
        m_map = nc::LatentMap();
        m_scatter->setPoints({}, {}, {});
        m_scatter->setMarks({}, {});
        m_pathImage = m_samplesImage = QImage();
        m_path->clear();
        m_samples->clear();
    }
    if (info.fromNoise)
        m_intro->setText(tr("<b>This model generates images from noise</b> (a GAN). Below: what its generator makes "
                            "along a straight line between two random points of its %1-wide latent space, and "
                            "samples of it.")
                             .arg(info.latentWidth));
    else
        m_intro->setText(tr("<b>This model is generative</b> (a VAE with a %1-wide latent space). Drop two images on "
                            "the window (or choose them): each is encoded to its latent mean, and the images the "
                            "decoder makes along the straight line between the two are shown. Below: where test "
                            "images lie in the latent space, coloured by class, and samples.")
                             .arg(info.latentWidth));
    m_scatter->setVisible(!info.fromNoise);
    if (info.fromNoise)
        m_mapCaption->setText(tr("A GAN has no encoder: there is no map of where images lie in its latent space."));
    updateButtons();
    if (info.available && info.generative)
        request(!info.fromNoise && m_map.width == 0, true);
}

void LatentView::addImage(InspectRequest source) {
    m_newEnd = m_nextEnd;
    (m_nextEnd == 0 ? m_a : m_b) = std::move(source);
    m_nextEnd = m_a && m_b ? 1 - m_nextEnd : (m_a ? 1 : 0);
    updateButtons();
    request(false, false);
}

void LatentView::setSteps(int steps) { m_steps->setValue(steps); }

void LatentView::swapEnds() {
    std::swap(m_a, m_b);
    std::swap(m_goodA, m_goodB);
    std::swap(m_seedA, m_seedB);
    request(false, false);
}

void LatentView::newPair() {
    m_seedA += 2;
    m_seedB += 2;
    request(false, false);
}

void LatentView::newSamples() {
    ++m_sampleSeed;
    request(false, true);
}

void LatentView::refresh() {
    if (m_info.available && m_info.generative)
        request(false, true);
}

void LatentView::request(bool withMap, bool withSamples) {
    if (!m_info.available || !m_info.generative)
        return;
    if (m_busy) { // one request at a time; the newest settings go when it is answered
        m_again = true;
        m_againMap = m_againMap || withMap;
        m_againSamples = m_againSamples || withSamples;
        return;
    }
    LatentRequest r;
    r.a = m_a;
    r.b = m_b;
    r.seedA = m_seedA;
    r.seedB = m_seedB;
    r.steps = m_steps->value();
    r.mapImages = withMap ? kMapImages : 0;
    r.samples = withSamples ? kSamples : 0;
    r.sampleSeed = m_sampleSeed;
    r.classifierPath = m_classifier.toStdString();
    r.scoreSamples = m_scoreCount->value();
    if (!m_classifier.isEmpty())
        m_scoreText->setText(tr("Judging %1 samples with %2…").arg(r.scoreSamples).arg(QFileInfo(m_classifier).fileName()));
    m_classifier.clear();
    m_busy = true;
    m_status->setText(withMap ? tr("Mapping %1 test images into the latent space…").arg(kMapImages) : tr("Decoding…"));
    m_engine->exploreLatents(
        r, this, [this](std::shared_ptr<const LatentResult> result) { onResult(result); },
        [this](const QString& message) { onFailed(message); });
}

void LatentView::onResult(const std::shared_ptr<const LatentResult>& result) {
    m_busy = false;
    m_goodA = m_a;
    m_goodB = m_b;
    m_newEnd = -1;
    m_result = result;
    const LatentResult& r = *result;
    const std::int64_t per = std::int64_t(r.channels) * r.height * r.width;
    if (r.mapped) {
        m_map = r.map;
        m_scatter->setPoints(r.map.xy, r.mapLabels, r.classNames);
        const QString axes = r.latentWidth > 2 ? tr("first two principal components, %1 % of the variance")
                                                     .arg(100 * r.map.explained, 0, 'f', 1)
                                               : tr("the latent's own axes");
        m_mapCaption->setText(tr("Latent means of %1 test images of %2 (%3)")
                                  .arg(r.mapLabels.size())
                                  .arg(QString::fromStdString(r.mapDataset), axes));
    } else if (!r.mapError.isEmpty() && m_map.width == 0) {
        m_mapCaption->setText(r.mapError);
    }
    const auto place = [&](const std::vector<float>& z) -> std::optional<std::pair<float, float>> {
        if (m_map.width == 0 || std::int64_t(z.size()) != m_map.width)
            return std::nullopt;
        return m_map.project(z.data());
    };
    m_scatter->setMarks(place(r.latentA), place(r.latentB));

    // The row: A as given, the decoded path (its ends are A's and B's own decodings), B as given;
    // a GAN's ends are decoded already, so its row is the path alone.
    std::vector<std::uint8_t> row;
    std::int64_t n = 0;
    if (r.steps > 0) {
        if (!r.fromNoise) {
            row = r.imageA;
            ++n;
        }
        row.insert(row.end(), r.path.begin(), r.path.end());
        n += r.steps;
        if (!r.fromNoise) {
            row.insert(row.end(), r.imageB.begin(), r.imageB.end());
            ++n;
        }
    } else {
        for (const auto* image : {&r.imageA, &r.imageB})
            if (image->size() == std::size_t(per)) {
                row.insert(row.end(), image->begin(), image->end());
                ++n;
            }
    }
    m_pathImage = tiles(row, n, r.channels, r.height, r.width, int(std::max<std::int64_t>(n, 1)),
                        std::max(600, width() - 20));
    m_path->setPixmap(QPixmap::fromImage(m_pathImage));
    if (r.steps > 0)
        m_pathCaption->setText(r.fromNoise ? tr("Interpolation: %1 steps from %2 to %3").arg(r.steps).arg(r.whatA, r.whatB)
                                           : tr("Interpolation: %1, %2 decoded steps, %3").arg(r.whatA).arg(r.steps).arg(r.whatB));
    else
        m_pathCaption->setText(tr("Interpolation"));
    if (r.sampleCount > 0) {
        m_samplesImage = tiles(r.samples, r.sampleCount, r.channels, r.height, r.width, 8, 520);
        m_samples->setPixmap(QPixmap::fromImage(m_samplesImage));
    }
    if (r.scores) {
        const nc::SampleScores& sc = *r.scores;
        QString text = tr("<b>%1 on %2 samples:</b> %3 of %4 classes at ≥ 5 % (KL from uniform %5), mean confidence %6.")
                           .arg(QFileInfo(QString::fromStdString(r.classifierPath)).fileName())
                           .arg(sc.samples)
                           .arg(sc.classesAtFivePercent)
                           .arg(sc.classShares.size())
                           .arg(sc.klFromUniform, 0, 'f', 3)
                           .arg(sc.meanConfidence, 0, 'f', 3);
        if (sc.fdImages > 0)
            text += tr(" FD-FMNIST %1 (real training images against the test images: %2); nearest training image "
                       "%3 away on average (a real test image's: %4).")
                        .arg(sc.fd, 0, 'f', 2)
                        .arg(sc.fdFloor, 0, 'f', 2)
                        .arg(sc.nearestSample, 0, 'f', 3)
                        .arg(sc.nearestReal, 0, 'f', 3);
        QStringList shares;
        for (const auto& [name, share] : sc.classShares)
            shares << QStringLiteral("%1 %2 %").arg(QString::fromStdString(name)).arg(100 * share, 0, 'f', 1);
        m_scoreText->setText(text + QStringLiteral("<br>") + shares.join(QStringLiteral(" · ")).toHtmlEscaped());
    } else if (!r.scoreError.isEmpty()) {
        m_scoreText->setText(r.scoreError.toHtmlEscaped());
    }
    QString status;
    if (r.steps > 0)
        status = tr("%1 images decoded; answered in %2 ms").arg(r.steps).arg(r.milliseconds, 0, 'f', 0);
    else if (!m_a && !m_b)
        status = tr("Drop an image on the window, or choose Image A…, to start the walk there.");
    else
        status = tr("Now drop a second image (or choose Image %1…): the walk goes from A to B.").arg(m_a ? "B" : "A");
    status += tr(" · %1").arg(r.live ? tr("live weights of the run in progress") : r.modelLabel);
    m_status->setText(status);
    m_status->setStyleSheet(QString());
    updateButtons();
    sendQueued();
    Q_EMIT shown();
}

void LatentView::sendQueued() {
    if (!m_again)
        return;
    const bool map = m_againMap, samples = m_againSamples;
    m_again = m_againMap = m_againSamples = false;
    request(map, samples);
}

void LatentView::onFailed(const QString& message) {
    m_busy = false;
    // An image that cannot be read is forgotten (the walk shown stays); the next one takes its place.
    if (m_newEnd >= 0) {
        m_a = m_goodA;
        m_b = m_goodB;
        m_nextEnd = m_newEnd;
        m_newEnd = -1;
    }
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("QLabel { color: #d93025; }"));
    if (m_scoreText->text().startsWith(tr("Judging"))) // that request is gone; the message says why
        m_scoreText->clear();
    sendQueued();
    Q_EMIT shown();
}

void LatentView::openEnd(int end) {
    const QString path = QFileDialog::getOpenFileName(
        this, end == 0 ? tr("Image A") : tr("Image B"), QString(),
        tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)"));
    if (path.isEmpty())
        return;
    InspectRequest source;
    source.path = path;
    source.what = QFileInfo(path).fileName();
    m_newEnd = end;
    (end == 0 ? m_a : m_b) = std::move(source);
    m_nextEnd = m_a && m_b ? 1 - end : (m_a ? 1 : 0);
    request(false, false);
}

void LatentView::scoreWith(const QString& classifierPath, int samples) {
    m_scoreCount->setValue(samples);
    m_classifier = classifierPath;
    request(false, false);
}

QString LatentView::scoreText() const { return m_scoreText->text(); }

void LatentView::chooseClassifier() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Classifier to Judge the Samples"), QString(),
                                                      tr("NeuralCanvas models (*.ncmodel)"));
    if (!path.isEmpty())
        scoreWith(path, m_scoreCount->value());
}

void LatentView::saveSamples() {
    if (m_samplesImage.isNull())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Samples"), QStringLiteral("samples.png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty() && !m_samplesImage.save(path, "PNG"))
        onFailed(tr("%1 could not be written.").arg(path));
}

void LatentView::updateButtons() {
    const bool vae = m_info.generative && !m_info.fromNoise;
    m_openA->setVisible(vae);
    m_openB->setVisible(vae);
    m_swap->setVisible(vae);
    m_swap->setEnabled(m_a || m_b);
    m_pair->setVisible(m_info.fromNoise);
    m_saveSamples->setEnabled(!m_samplesImage.isNull());
}

QString LatentView::statusText() const { return m_status->text(); }
QString LatentView::mapCaption() const { return m_mapCaption->text(); }

} // namespace nc::ui
