#include "app/WindowDrop.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QMimeDatabase>
#include <QUrl>
#include <QWidget>

namespace nc::ui {

namespace {
// What OpenCV's imgcodecs reads (the Inspect tab decodes with it).
bool hasImageExtension(const QString& path) {
    static const QStringList known = {QStringLiteral("png"),  QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                      QStringLiteral("bmp"),  QStringLiteral("tif"), QStringLiteral("tiff"),
                                      QStringLiteral("webp"), QStringLiteral("pgm"), QStringLiteral("ppm"),
                                      QStringLiteral("pbm"),  QStringLiteral("pnm"), QStringLiteral("jpe")};
    return known.contains(QFileInfo(path).suffix().toLower());
}

bool carriesFile(const QMimeData* mime) {
    if (!mime)
        return false;
    if (mime->hasImage())
        return true;
    if (mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                return true;
    return false;
}
} // namespace

bool isImageFile(const QString& path) {
    if (hasImageExtension(path))
        return true;
    const QMimeType type = QMimeDatabase().mimeTypeForFile(path, QMimeDatabase::MatchContent);
    return type.name().startsWith(QLatin1String("image/")) && type.name() != QLatin1String("image/svg+xml") &&
           type.name() != QLatin1String("image/gif");
}

DroppedFile classifyDrop(const QMimeData* mime) {
    DroppedFile d;
    if (!mime)
        return d;
    QString path;
    if (mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) {
                path = url.toLocalFile();
                break;
            }
    if (path.isEmpty()) {
        if (mime->hasImage())
            d.kind = DroppedFile::Kind::Image; // pixels, e.g. dragged out of a browser
        return d;
    }
    d.path = path;
    const QFileInfo info(path);
    const QString name = info.fileName().isEmpty() ? path : info.fileName();
    if (info.isDir()) {
        d.kind = DroppedFile::Kind::Folder;
    } else if (!info.exists()) {
        d.kind = DroppedFile::Kind::Unsupported;
        d.message = QApplication::translate("WindowDrop", "“%1” does not exist (any more).").arg(name);
    } else if (info.suffix().compare(QLatin1String("ncproj"), Qt::CaseInsensitive) == 0) {
        d.kind = DroppedFile::Kind::Project;
    } else if (info.suffix().compare(QLatin1String("ncmodel"), Qt::CaseInsensitive) == 0) {
        d.kind = DroppedFile::Kind::Model;
    } else if (info.suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0) {
        d.kind = DroppedFile::Kind::Csv;
    } else if (isImageFile(path)) {
        d.kind = DroppedFile::Kind::Image;
    } else {
        d.kind = DroppedFile::Kind::Unsupported;
        d.message = QApplication::translate("WindowDrop",
                                            "“%1” is not an image. Drop a PNG, JPEG, BMP, TIFF or WebP file to "
                                            "classify it, a project (.ncproj) to open it, or a trained model "
                                            "(.ncmodel) to evaluate it.")
                        .arg(name);
    }
    return d;
}

WindowDrop::WindowDrop(QWidget* window, Handler onDrop)
    : QObject(window), m_window(window), m_onDrop(std::move(onDrop)) {
    qApp->installEventFilter(this);
}

WindowDrop::~WindowDrop() {
    if (qApp)
        qApp->removeEventFilter(this);
}

QString WindowDrop::bannerText() const {
    return m_banner && m_banner->isVisible() ? m_banner->text() : QString();
}

bool WindowDrop::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop && type != QEvent::DragLeave)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || widget->window() != m_window)
        return false;
    if (type == QEvent::DragLeave) {
        hideBanner();
        return false;
    }
    auto* drag = static_cast<QDropEvent*>(event);
    if (!carriesFile(drag->mimeData()))
        return false; // a layer from the palette, text, …: the widget under the cursor decides
    if (type == QEvent::Drop) {
        hideBanner();
        drag->acceptProposedAction();
        if (m_onDrop)
            m_onDrop(drag->mimeData());
        return true;
    }
    drag->acceptProposedAction();
    if (type == QEvent::DragEnter || !m_banner || !m_banner->isVisible())
        showBanner(drag->mimeData());
    return true;
}

void WindowDrop::showBanner(const QMimeData* mime) {
    const DroppedFile d = classifyDrop(mime);
    const QString name = QFileInfo(d.path).fileName();
    QString text;
    bool refused = false;
    switch (d.kind) {
    case DroppedFile::Kind::Image:
        text = name.isEmpty() ? tr("Drop to classify this image in the Inspect tab")
                              : tr("Drop to classify %1 in the Inspect tab").arg(name);
        break;
    case DroppedFile::Kind::Project: text = tr("Drop to open the project %1").arg(name); break;
    case DroppedFile::Kind::Model: text = tr("Drop to evaluate and inspect the model %1").arg(name); break;
    case DroppedFile::Kind::Folder:
    case DroppedFile::Kind::Csv:
        text = tr("Drop to import the images in %1 as a dataset (on the Inspect tab: classify them all)").arg(name);
        break;
    case DroppedFile::Kind::None: return;
    default:
        text = d.message;
        refused = true;
        break;
    }
    if (!m_banner) {
        m_banner = new QLabel(m_window);
        m_banner->setObjectName(QStringLiteral("dropBanner"));
        m_banner->setAlignment(Qt::AlignCenter);
        m_banner->setWordWrap(true);
        m_banner->setAttribute(Qt::WA_TransparentForMouseEvents);
    }
    m_banner->setStyleSheet(refused ? QStringLiteral("QLabel { background: rgba(211, 47, 47, 225); color: white; "
                                                     "border-radius: 8px; padding: 14px; font-size: 15px; }")
                                    : QStringLiteral("QLabel { background: rgba(25, 118, 210, 225); color: white; "
                                                     "border-radius: 8px; padding: 14px; font-size: 15px; }"));
    m_banner->setText(text);
    const int width = std::min(560, m_window->width() - 40);
    m_banner->setFixedWidth(width);
    m_banner->adjustSize();
    m_banner->move((m_window->width() - width) / 2, m_window->height() / 3);
    m_banner->show();
    m_banner->raise();
}

void WindowDrop::hideBanner() {
    if (m_banner)
        m_banner->hide();
}

} // namespace nc::ui
