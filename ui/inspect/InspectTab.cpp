#include "inspect/InspectTab.h"

#include "style/Theme.h"
#include "engine/EngineController.h"
#include "inspect/FolderPredictView.h"
#include "inspect/InspectViews.h"
#include "inspect/LatentView.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QCheckBox>
#include <QComboBox>
#include <QSettings>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
QString className(const InspectResult& r, int index) {
    if (index >= 0 && std::size_t(index) < r.classNames.size())
        return QString::fromStdString(r.classNames[std::size_t(index)]);
    return InspectTab::tr("class %1").arg(index);
}

QString percent(double probability) {
    return QStringLiteral("%1 %").arg(probability * 100, 0, 'f', 1);
}

// The theme's error colour; the light theme's red before a theme is applied (tests).
QColor errorColour() {
    const QColor c = Theme::instance().canvas().error;
    return c.isValid() ? c : QColor(0xd9, 0x30, 0x25);
}

void setErrorColour(QLabel* label, bool error) {
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText,
               error ? errorColour() : QApplication::palette(label).color(QPalette::WindowText));
    label->setPalette(p);
}

QLabel* caption(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setWordWrap(true);
    return label;
}
} // namespace

InspectTab::InspectTab(EngineController* engine, QWidget* parent) : QWidget(parent), m_engine(engine) {
    setObjectName(QStringLiteral("inspectTab"));
    setFocusPolicy(Qt::ClickFocus); // a click on the tab's background lets Ctrl+V paste here
    auto* column = new QVBoxLayout(this);
    buildToolbar(column);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("inspectTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_title);
    m_polarityHint = new QLabel(this);
    m_polarityHint->setObjectName(QStringLiteral("inspectPolarityHint"));
    m_polarityHint->setWordWrap(true);
    m_polarityHint->setStyleSheet(QStringLiteral("QLabel { background: rgba(255, 193, 7, 60); border-radius: 4px; "
                                                 "padding: 6px; }"));
    m_polarityHint->hide();
    column->addWidget(m_polarityHint);

    m_messageBox = new QFrame(this);
    m_messageBox->setAutoFillBackground(true);
    m_messageBox->setFrameShape(QFrame::StyledPanel);
    auto* messageRow = new QHBoxLayout(m_messageBox);
    messageRow->setContentsMargins(8, 6, 8, 6);
    m_message = new QLabel(m_messageBox);
    m_message->setObjectName(QStringLiteral("inspectMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    messageRow->addWidget(m_message, 1);
    m_messageBox->hide();
    column->addWidget(m_messageBox);

    m_pages = new QStackedWidget(this);
    m_hint = new QLabel(m_pages);
    m_hint->setObjectName(QStringLiteral("inspectHint"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setMargin(24);
    m_pages->addWidget(m_hint);
    m_pages->addWidget(buildResultsPage());
    m_folderView = new FolderPredictView(m_engine, m_pages);
    m_pages->addWidget(m_folderView);
    connect(m_folderView, &FolderPredictView::imageChosen, this, &InspectTab::inspectFile);
    m_latentView = new LatentView(m_engine, m_pages);
    m_pages->addWidget(m_latentView);
    connect(m_latentView, &LatentView::shown, this, &InspectTab::resultShown);
    column->addWidget(m_pages, 1);

    connect(m_engine, &EngineController::inspected, this, &InspectTab::onInspected);
    connect(m_engine, &EngineController::inspectionFailed, this, &InspectTab::onFailed);
    connect(m_engine, &EngineController::modelChanged, this, &InspectTab::onModelChanged);
    connect(m_engine, &EngineController::trainingBatches, this, &InspectTab::liveRefresh);
    connect(m_engine, &EngineController::trainingEpoch, this, &InspectTab::liveRefresh);
    connect(&Theme::instance(), &Theme::changed, this, &InspectTab::applyMessageColours);

    fillLayers(m_engine->modelInfo().graph);
    updateMethodControls();
    applyMessageColours();
    showFeatures();
    updateEmptyState();
}

InspectTab::~InspectTab() = default;

void InspectTab::buildToolbar(QVBoxLayout* column) {
    auto label = [this](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    // Row 1: the image and how it is fitted; row 2: the explanation and how it is drawn.
    auto* imageRow = new QHBoxLayout;
    m_open = new QPushButton(tr("Open Image…"), this);
    m_open->setObjectName(QStringLiteral("inspectOpen"));
    m_open->setToolTip(tr("Choose an image file to ask the model about"));
    m_paste = new QPushButton(tr("Paste Image"), this);
    m_paste->setObjectName(QStringLiteral("inspectPaste"));
    m_paste->setToolTip(tr("Ask the model about the image on the clipboard (%1)")
                            .arg(QKeySequence(QKeySequence::Paste).toString(QKeySequence::NativeText)));
    m_fit = new QComboBox(this);
    m_fit->setObjectName(QStringLiteral("inspectFit"));
    m_fit->addItem(tr("pad"), int(nc::FitMode::Pad));
    m_fit->addItem(tr("centre crop"), int(nc::FitMode::CenterCrop));
    m_fit->addItem(tr("stretch"), int(nc::FitMode::Stretch));
    m_fit->setToolTip(
        tr("How an image of another shape becomes the model's input size: keep all of it and pad "
           "the short side, crop its centre, or stretch it"));
    m_invert = new QCheckBox(tr("&Invert colours"), this);
    m_invert->setObjectName(QStringLiteral("inspectInvert"));
    m_invert->setToolTip(tr("Flip light and dark before asking the model (for a dark drawing on white paper "
                            "when the model learned light objects on a dark background). Remembered per model."));
    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("inspectTopK"));
    m_topK->setRange(1, 10);
    m_topK->setValue(5);
    m_topK->setToolTip(tr("How many of the most likely classes to show"));
    imageRow->addWidget(m_open);
    imageRow->addWidget(m_paste);
    imageRow->addSpacing(16);
    imageRow->addWidget(label(tr("&Fit:"), m_fit));
    imageRow->addWidget(m_fit);
    imageRow->addSpacing(16);
    imageRow->addWidget(m_invert);
    imageRow->addSpacing(16);
    m_topKLabel = label(tr("&Top classes:"), m_topK);
    imageRow->addWidget(m_topKLabel);
    imageRow->addWidget(m_topK);
    imageRow->addStretch(1);
    column->addLayout(imageRow);

    auto* saliencyRow = new QHBoxLayout;
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("inspectMethod"));
    m_method->addItem(tr("Gradient"), int(nc::SaliencyMethod::Gradient));
    m_method->addItem(tr("SmoothGrad"), int(nc::SaliencyMethod::SmoothGrad));
    m_method->addItem(tr("Integrated Gradients"), int(nc::SaliencyMethod::IntegratedGradients));
    m_method->addItem(tr("Grad-CAM"), int(nc::SaliencyMethod::GradCam));
    m_method->setToolTip(
        tr("How the saliency map is computed: the input gradient, its average over noisy copies, "
           "gradients along a path from black, or a convolution's class activation map"));
    m_layer = new QComboBox(this);
    m_layer->setObjectName(QStringLiteral("inspectLayer"));
    m_layer->setToolTip(tr("The convolution Grad-CAM looks at"));
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_colormap = new QComboBox(this);
    m_colormap->setObjectName(QStringLiteral("inspectColormap"));
    m_colormap->addItem(tr("jet"), QStringLiteral("jet"));
    m_colormap->addItem(tr("inferno"), QStringLiteral("inferno"));
    m_colormap->addItem(tr("gray"), QStringLiteral("gray"));
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setObjectName(QStringLiteral("inspectOpacity"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(50);
    m_opacity->setMinimumWidth(100);
    m_opacity->setMaximumWidth(200);
    m_opacity->setToolTip(tr("How strongly the saliency map covers the image"));
    m_opacityValue = new QLabel(this);
    m_opacityValue->setMinimumWidth(m_opacityValue->fontMetrics().horizontalAdvance(QStringLiteral("100 %")));
    saliencyRow->addWidget(label(tr("&Saliency:"), m_method));
    saliencyRow->addWidget(m_method);
    m_layerLabel = label(tr("&Layer:"), m_layer);
    saliencyRow->addWidget(m_layerLabel);
    saliencyRow->addWidget(m_layer);
    saliencyRow->addSpacing(16);
    saliencyRow->addWidget(label(tr("&Colours:"), m_colormap));
    saliencyRow->addWidget(m_colormap);
    saliencyRow->addSpacing(16);
    saliencyRow->addWidget(label(tr("O&pacity:"), m_opacity));
    saliencyRow->addWidget(m_opacity);
    saliencyRow->addWidget(m_opacityValue);
    saliencyRow->addStretch(1);
    saliencyRow->setContentsMargins(0, 0, 0, 0);
    m_saliencyRow = new QWidget(this);
    m_saliencyRow->setLayout(saliencyRow);
    column->addWidget(m_saliencyRow);

    connect(m_open, &QPushButton::clicked, this, &InspectTab::openImageDialog);
    connect(m_paste, &QPushButton::clicked, this, &InspectTab::pasteFromClipboard);
    connect(m_fit, &QComboBox::currentIndexChanged, this, &InspectTab::refresh);
    connect(m_invert, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_modelKey.isEmpty())
            QSettings().setValue(QStringLiteral("inspect/invert/") + QString::fromLatin1(m_modelKey.toUtf8().toBase64()),
                                 on);
        refresh();
    });
    connect(m_topK, &QSpinBox::valueChanged, this, &InspectTab::refresh);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        updateMethodControls();
        refresh();
    });
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] {
        if (m_method->currentData().toInt() == int(nc::SaliencyMethod::GradCam))
            refresh();
    });
    // Colours and opacity are drawn here: no engine round trip.
    connect(m_colormap, &QComboBox::currentIndexChanged, this, &InspectTab::updateOverlay);
    connect(m_opacity, &QSlider::valueChanged, this, &InspectTab::updateOverlay);
}

QWidget* InspectTab::buildResultsPage() {
    auto* scroll = new QScrollArea(m_pages);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    auto* page = new QWidget(scroll);
    scroll->setWidget(page);
    auto* column = new QVBoxLayout(page);
    column->setContentsMargins(0, 0, 0, 0);

    // Three columns (input, overlay, classes), each a caption, a detail line and its view.
    auto* views = new QGridLayout;
    views->setHorizontalSpacing(16);
    auto* inputCaption = caption(tr("As the model sees it"), page);
    m_inputDetail = new QLabel(page);
    m_input = new PixelImageView(page);
    m_input->setObjectName(QStringLiteral("inspectInput"));
    m_input->setAccessibleName(tr("The image as the model sees it"));
    auto* overlayCaption = caption(tr("Saliency"), page);
    m_overlayDetail = new QLabel(page);
    m_overlay = new PixelImageView(page);
    m_overlay->setObjectName(QStringLiteral("inspectOverlay"));
    m_overlay->setAccessibleName(tr("Saliency overlay"));
    m_saliencyError = new QLabel(page);
    m_saliencyError->setObjectName(QStringLiteral("inspectSaliencyError"));
    m_saliencyError->setWordWrap(true);
    m_saliencyError->setMaximumWidth(m_overlay->sizeHint().width());
    m_saliencyError->hide();
    auto* barsCaption = caption(tr("Most likely classes"), page);
    m_bars = new ClassBarsView(page);
    m_bars->setObjectName(QStringLiteral("inspectBars"));
    m_bars->setAccessibleName(tr("Most likely classes"));
    views->addWidget(inputCaption, 0, 0);
    views->addWidget(m_inputDetail, 1, 0);
    views->addWidget(m_input, 2, 0, Qt::AlignTop | Qt::AlignLeft);
    views->addWidget(overlayCaption, 0, 1);
    views->addWidget(m_overlayDetail, 1, 1);
    views->addWidget(m_overlay, 2, 1, Qt::AlignTop | Qt::AlignLeft);
    views->addWidget(m_saliencyError, 3, 1);
    views->addWidget(barsCaption, 0, 2);
    views->addWidget(m_bars, 2, 2);
    views->setColumnStretch(2, 1);
    column->addLayout(views);

    m_featureCaption = caption(QString(), page);
    m_featureCaption->setObjectName(QStringLiteral("inspectFeatureCaption"));
    m_features = new FeatureGridView(page);
    m_features->setObjectName(QStringLiteral("inspectFeatures"));
    m_features->setAccessibleName(tr("Feature maps"));
    m_featureHint = new QLabel(page);
    m_featureHint->setObjectName(QStringLiteral("inspectFeatureHint"));
    m_featureHint->setWordWrap(true);
    column->addSpacing(12);
    column->addWidget(m_featureCaption);
    column->addWidget(m_featureHint);
    column->addWidget(m_features, 1);
    column->addStretch(0); // takes the space while there are no feature maps
    return scroll;
}

// --- asking ---

void InspectTab::inspectFile(const QString& path) {
    InspectRequest source;
    source.path = path;
    source.what = QFileInfo(path).fileName();
    startImage(std::move(source));
}

void InspectTab::inspectEncoded(const QByteArray& bytes, const QString& what) {
    InspectRequest source;
    source.encoded.assign(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                          reinterpret_cast<const std::uint8_t*>(bytes.constData()) + bytes.size());
    source.what = what;
    startImage(std::move(source));
}

void InspectTab::inspectPixels(const std::vector<std::uint8_t>& chw, const QString& what) {
    InspectRequest source;
    source.raw = chw;
    source.what = what;
    startImage(std::move(source));
}

void InspectTab::inspectFolder(const QString& folderOrCsv) {
    clearMessage();
    m_pages->setCurrentWidget(m_folderView);
    m_folderView->start(folderOrCsv, m_invert->isChecked());
}

void InspectTab::startImage(InspectRequest source) {
    if (m_pages->currentWidget() == m_folderView)
        m_pages->setCurrentIndex(m_result ? 1 : 0); // one image again
    // An empty file is no image; say so plainly (the decoder's own words are an assertion).
    if (source.raw.empty() && source.encoded.empty() &&
        (source.path.isEmpty() || (QFileInfo(source.path).isFile() && QFileInfo(source.path).size() == 0))) {
        showMessage(tr("%1 is empty (0 bytes): there is no image in it.")
                        .arg(source.path.isEmpty() ? source.what : source.path));
        updateEmptyState();
        Q_EMIT resultShown();
        return;
    }
    if (m_generative) { // a VAE walks between the images dropped; a GAN has no use for them
        clearMessage();
        source.fit = nc::FitMode(m_fit->currentData().toInt());
        m_pages->setCurrentWidget(m_latentView);
        if (m_engine->modelInfo().fromNoise) {
            showMessage(tr("This model generates images from noise (a GAN): it has no encoder, so %1 cannot be placed "
                           "in its latent space.").arg(source.what));
            Q_EMIT resultShown();
            return;
        }
        m_latentView->addImage(std::move(source));
        return;
    }
    m_pending = std::move(source);
    send(); // asked for explicitly: even while hidden (the window is about to show this tab)
}

void InspectTab::showFeaturesOf(const QString& nodeId) {
    if (nodeId == m_featureNode)
        return;
    m_featureNode = nodeId;
    showFeatures();
    if (!nodeId.isEmpty())
        refresh();
}

void InspectTab::openImageDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Image"), m_startFolder ? m_startFolder() : QString(),
        tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)"));
    if (!path.isEmpty())
        inspectFile(path);
}

void InspectTab::pasteFromClipboard() {
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    if (mime && mime->hasUrls()) // a file copied in a file manager
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) {
                inspectFile(url.toLocalFile());
                return;
            }
    if (mime) {
        // Encoded bytes go to the engine as they are: it checks the size before decoding.
        for (const QString& format : mime->formats()) {
            if (!format.startsWith(QLatin1String("image/")))
                continue;
            const QByteArray bytes = mime->data(format);
            if (!bytes.isEmpty()) {
                inspectEncoded(bytes, tr("pasted image"));
                return;
            }
        }
        if (mime->hasImage()) {
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            if (qvariant_cast<QImage>(mime->imageData()).save(&buffer, "PNG")) {
                inspectEncoded(png, tr("pasted image"));
                return;
            }
        }
        if (mime->hasText()) { // a copied path or file:// URL
            const QString text = mime->text().trimmed();
            const QUrl url(text);
            const QString path = url.isLocalFile() ? url.toLocalFile() : text;
            if (!path.contains(QLatin1Char('\n')) && QFileInfo(path).isFile()) {
                inspectFile(path);
                return;
            }
        }
    }
    showMessage(tr("The clipboard holds no image. Copy an image or an image file, then paste it here."));
    Q_EMIT resultShown();
}

InspectRequest InspectTab::currentRequest() const {
    InspectRequest request = m_pending ? *m_pending : *m_image;
    request.fit = nc::FitMode(m_fit->currentData().toInt());
    request.invert = m_invert->isChecked();
    request.topK = m_topK->value();
    request.withSaliency = true;
    request.saliency.method = nc::SaliencyMethod(m_method->currentData().toInt());
    if (request.saliency.method == nc::SaliencyMethod::GradCam)
        request.saliency.layer = m_layer->currentData().toString().toStdString();
    request.featureNode = m_featureNode.toStdString();
    return request;
}

void InspectTab::send() {
    if (!m_pending && !m_image)
        return;
    m_engine->inspect(currentRequest());
    ++m_requestsSent;
    m_waiting = true;
    m_stale = false;
    m_sinceSend.start();
    updateEmptyState();
}

void InspectTab::refresh() {
    if (!m_pending && !m_image)
        return;
    if (isVisible())
        send();
    else
        m_stale = true; // e.g. a layer selected on the Design canvas: asked for when the tab shows
}

void InspectTab::liveRefresh() {
    if (m_generative && isVisible()) { // the latent view's pictures on the live weights, every 2 s
        if (!m_sinceSend.isValid() || m_sinceSend.elapsed() >= kLiveRefreshMs) {
            m_sinceSend.start();
            m_latentView->refresh();
        }
        return;
    }
    if (!m_image || m_pending || !isVisible())
        return;
    // One request at a time (a slow method must not pile up between batches), at most every 2 s.
    const qint64 since = m_sinceSend.isValid() ? m_sinceSend.elapsed() : kLiveRefreshMs;
    if (since < kLiveRefreshMs || (m_waiting && since < 10 * kLiveRefreshMs))
        return;
    send();
}

// --- answers ---

void InspectTab::onInspected(const std::shared_ptr<const InspectResult>& result) {
    m_waiting = false;
    if (m_pending && result->what == m_pending->what) {
        m_image = std::move(*m_pending);
        m_pending.reset();
    }
    m_result = result;
    clearMessage();
    showResult();
    Q_EMIT resultShown();
}

void InspectTab::onFailed(const QString& what, const QString& message) {
    m_waiting = false;
    // A new image that failed is forgotten (what was shown stays); one that only lacked a model
    // is asked for again when a model arrives.
    if (m_pending && what == m_pending->what && m_engine->modelInfo().available)
        m_pending.reset();
    showMessage(message);
    updateEmptyState();
    Q_EMIT resultShown();
}

void InspectTab::onModelChanged(const ModelInfo& info) {
    fillLayers(info.graph);
    // The invert choice belongs to the model: a model trained on dark-on-light drawings needs none.
    m_modelKey = info.available ? (info.path.isEmpty() ? info.label : info.path) : QString();
    {
        const QSignalBlocker quiet(m_invert);
        m_invert->setChecked(!m_modelKey.isEmpty() &&
                             QSettings()
                                 .value(QStringLiteral("inspect/invert/") +
                                            QString::fromLatin1(m_modelKey.toUtf8().toBase64()),
                                        false)
                                 .toBool());
    }
    // A generative model has no classes to explain: its latent space is shown instead.
    m_generative = info.available && info.generative;
    for (QWidget* w : {static_cast<QWidget*>(m_saliencyRow), static_cast<QWidget*>(m_invert),
                       static_cast<QWidget*>(m_topK), static_cast<QWidget*>(m_topKLabel)})
        w->setVisible(!m_generative);
    m_latentView->setModel(info);
    updateEmptyState();
    if (info.available && !m_generative)
        refresh();
}

void InspectTab::fillLayers(const nc::Graph& graph) {
    const QString selected = m_layer->currentData().toString();
    QSignalBlocker block(m_layer);
    m_layer->clear();
    m_layer->addItem(tr("last convolution"), QString());
    for (const nc::Node& node : graph.nodes())
        if (node.type == "Conv2d")
            m_layer->addItem(QString::fromStdString(node.id), QString::fromStdString(node.id));
    m_layer->setCurrentIndex(std::max(0, m_layer->findData(selected)));
}

// --- drawing ---

QString InspectTab::polarityHint() const {
    return m_polarityHint->isHidden() ? QString() : m_polarityHint->text();
}

void InspectTab::showResult() {
    const InspectResult& r = *m_result;
    if (r.looksInverted) {
        const bool lightObjects = r.training.object > r.training.background;
        const QString learned = lightObjects ? tr("light objects on a dark background")
                                             : tr("dark objects on a light background");
        const QString seen = lightObjects ? tr("dark on light") : tr("light on dark");
        m_polarityHint->setText(
            r.inverted ? tr("Inverted: this image is %1, the opposite of the training images (%2), so it is "
                            "flipped before the model sees it.")
                             .arg(seen, learned)
                       : tr("This image looks like the opposite of the training images: it is %1, the model "
                            "learned %2. Tick “Invert colours” to flip it.")
                             .arg(seen, learned));
        m_polarityHint->show();
    } else {
        m_polarityHint->hide();
    }
    const QImage image = preparedToImage(r.image);
    m_input->setImage(image);
    const bool resized = r.image.originalWidth != r.image.width || r.image.originalHeight != r.image.height;
    m_inputDetail->setText(resized ? tr("%1×%2 from %3×%4 (%5)")
                                         .arg(r.image.width)
                                         .arg(r.image.height)
                                         .arg(r.image.originalWidth)
                                         .arg(r.image.originalHeight)
                                         .arg(m_fit->currentText())
                                   : tr("%1×%2").arg(r.image.width).arg(r.image.height));

    m_overlay->setImage(image);
    const bool hasMap = !r.saliency.values.empty();
    if (hasMap) {
        const QString target = className(r, r.saliency.targetClass);
        m_overlayDetail->setText(
            r.saliency.layer.empty()
                ? tr("%1 for %2").arg(m_method->currentText(), target)
                : tr("Grad-CAM on %1 for %2").arg(QString::fromStdString(r.saliency.layer), target));
        m_overlay->setToolTip(r.saliency.scoreDifference != 0 || r.saliency.attributionSum != 0
                                  ? tr("Attributions sum to %1; the score rose by %2 from the black baseline")
                                        .arg(r.saliency.attributionSum, 0, 'g', 4)
                                        .arg(r.saliency.scoreDifference, 0, 'g', 4)
                                  : QString());
    } else {
        m_overlayDetail->setText(tr("none"));
        m_overlay->setToolTip({});
    }
    m_saliencyError->setText(r.saliencyError.isEmpty() ? QString()
                                                       : tr("No saliency map: %1").arg(r.saliencyError));
    m_saliencyError->setVisible(!r.saliencyError.isEmpty());
    updateOverlay();

    std::vector<std::pair<QString, double>> bars;
    for (const auto& [index, probability] : r.prediction.topK)
        bars.emplace_back(className(r, index), double(probability));
    m_bars->setBars(std::move(bars));

    const bool live = r.live && m_engine->modelInfo().live;
    const QString time = r.milliseconds < 10 ? QString::number(r.milliseconds, 'f', 1)
                                             : QString::number(r.milliseconds, 'f', 0);
    m_title->setText(tr("%1 — %2 — %3 ms")
                         .arg(r.what,
                              live ? tr("%1 (refreshed every %2 s while it trains)")
                                         .arg(r.modelLabel)
                                         .arg(kLiveRefreshMs / 1000)
                                   : r.modelLabel,
                              time));
    showFeatures();
    if (m_pages->currentWidget() != m_folderView)
        m_pages->setCurrentIndex(1);
}

void InspectTab::showFeatures() {
    const bool hasNode = !m_featureNode.isEmpty();
    m_featureCaption->setVisible(hasNode);
    setErrorColour(m_featureHint, false);
    if (!hasNode) {
        m_features->setActivation({});
        m_features->hide();
        m_featureHint->setText(tr("Select a layer on the Design canvas to see its feature maps."));
        return;
    }
    m_featureCaption->setText(tr("Feature maps of %1").arg(m_featureNode));
    const nc::Activation* a =
        m_result && m_result->features.node == m_featureNode.toStdString() ? &m_result->features : nullptr;
    if (m_result && m_result->featureError.size() > 0 && !a) {
        m_features->setActivation({});
        m_features->hide();
        m_featureHint->setText(m_result->featureError);
        setErrorColour(m_featureHint, true);
        return;
    }
    if (!a) {
        m_features->setActivation({});
        m_features->hide();
        m_featureHint->setText(m_image || m_pending ? tr("Computing…") : QString());
        return;
    }
    m_features->setActivation(*a);
    m_features->show();
    const QString shape = QString::fromStdString(nc::shapeToString(a->shape));
    if (a->shape.size() == 3) {
        const int channels = int(a->shape[0]);
        m_featureCaption->setText(tr("Feature maps of %1 — output %2").arg(m_featureNode, shape));
        m_featureHint->setText(channels > FeatureGridView::kMaxTiles
                                   ? tr("The first %1 of %2 channels, each scaled to its own range (black: "
                                        "lowest, white: highest).")
                                         .arg(FeatureGridView::kMaxTiles)
                                         .arg(channels)
                                   : tr("Channels: %1, each scaled to its own range (black: lowest, white: "
                                        "highest).")
                                         .arg(channels));
    } else {
        m_featureCaption->setText(tr("Output of %1 — %2").arg(m_featureNode, shape));
        m_featureHint->setText(tr("Values: %1, as bars from the zero line.").arg(a->values.size()));
    }
}

void InspectTab::updateOverlay() {
    m_opacityValue->setText(QStringLiteral("%1 %").arg(m_opacity->value()));
    const double opacity = m_opacity->value() / 100.0;
    if (!m_result || m_result->saliency.values.empty()) {
        m_overlay->setOverlay({}, opacity);
        return;
    }
    m_overlay->setOverlay(saliencyToImage(m_result->saliency, m_colormap->currentData().toString()), opacity);
}

void InspectTab::updateMethodControls() {
    const bool gradCam = m_method->currentData().toInt() == int(nc::SaliencyMethod::GradCam);
    m_layer->setEnabled(gradCam);
    m_layerLabel->setEnabled(gradCam);
}

void InspectTab::updateEmptyState() {
    if (m_generative) {
        m_pages->setCurrentWidget(m_latentView);
        return;
    }
    if (m_pages->currentWidget() == m_folderView)
        return;
    if (m_result) {
        m_pages->setCurrentIndex(1);
        return;
    }
    QString text;
    if (m_waiting && m_pending)
        text = tr("<p>Asking the model about %1…</p>").arg(m_pending->what.toHtmlEscaped());
    else
        text = tr("<h3>Drop an image anywhere on the window, paste one or open one</h3>"
                  "<p>or click a test image in the Evaluate tab's gallery.</p>");
    if (!m_engine->modelInfo().available)
        text += tr("<p>A model is needed to answer: train the network in the Train tab (its live weights are "
                   "used while it trains), or select a run there and choose “Evaluate and Inspect Best "
                   "Model”.</p>");
    m_hint->setText(text);
    m_pages->setCurrentIndex(0);
}

void InspectTab::showMessage(const QString& text) {
    m_message->setText(text);
    m_messageBox->show();
}

void InspectTab::clearMessage() {
    m_message->clear();
    m_messageBox->hide();
}

void InspectTab::applyMessageColours() {
    QPalette p = m_messageBox->palette();
    QColor tint = errorColour();
    tint.setAlpha(40);
    p.setColor(QPalette::Window, tint);
    m_messageBox->setPalette(p);
    setErrorColour(m_message, true);
    setErrorColour(m_saliencyError, true);
    showFeatures();
}

// --- controls for scripts ---

void InspectTab::setSaliencyMethod(nc::SaliencyMethod method) {
    m_method->setCurrentIndex(std::max(0, m_method->findData(int(method))));
}

void InspectTab::setColormap(const QString& name) {
    m_colormap->setCurrentIndex(std::max(0, m_colormap->findData(name)));
}

void InspectTab::setOpacity(int percent) {
    m_opacity->setValue(percent);
}

// --- reading ---

QString InspectTab::predictionText() const {
    if (!m_result || m_result->prediction.predicted < 0)
        return {};
    const int k = m_result->prediction.predicted;
    const auto& p = m_result->prediction.probabilities;
    return QStringLiteral("%1 %2").arg(className(*m_result, k),
                                       percent(std::size_t(k) < p.size() ? double(p[std::size_t(k)]) : 0.0));
}

QString InspectTab::message() const {
    return m_messageBox->isHidden() ? QString() : m_message->text();
}
QString InspectTab::titleText() const {
    return m_title->text();
}
QImage InspectTab::overlayImage(int side) const {
    return m_overlay->hasOverlay() ? m_overlay->render(side) : QImage();
}
int InspectTab::featureTileCount() const {
    return m_features->tileCount();
}

// --- events ---

bool InspectTab::event(QEvent* event) {
    // The window's Edit > Paste (graph layers) shares Ctrl+V; inside this tab it pastes an image.
    if (event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent*>(event)->matches(QKeySequence::Paste)) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void InspectTab::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Paste)) {
        pasteFromClipboard();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void InspectTab::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!isAncestorOf(QApplication::focusWidget()) && QApplication::focusWidget() != this)
        setFocus(Qt::OtherFocusReason);
    if (m_stale)
        send();
}

} // namespace nc::ui
