#pragma once
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QLabel;
class QMimeData;
class QWidget;

namespace nc::ui {

// What a dropped file is to the window: an image for Inspect, a project or model to open, or
// something it cannot use (then `message` says why, naming the file).
struct DroppedFile {
    enum class Kind { None, Image, Project, Model, Folder, Csv, Unsupported };
    Kind kind = Kind::None;
    QString path;
    QString message; // for Folder and Unsupported
};
DroppedFile classifyDrop(const QMimeData* mime);
bool isImageFile(const QString& path); // by extension or by content (QMimeDatabase)

// Files dragged over any part of `window` — the canvas, the charts, the palette, any tab — go to
// the window, whatever widget is under the cursor: an application event filter takes the drag
// before child widgets that accept drags of their own (QGraphicsView, chart views) can. Drags
// that carry no file (a layer from the palette) pass through untouched. While a file is
// dragged over the window a banner says what dropping it will do.
class WindowDrop final : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(const QMimeData*)>;
    WindowDrop(QWidget* window, Handler onDrop);
    ~WindowDrop() override;

    QString bannerText() const; // empty when no file is being dragged over the window

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showBanner(const QMimeData* mime);
    void hideBanner();

    QWidget* m_window;
    Handler m_onDrop;
    QPointer<QLabel> m_banner;
};

} // namespace nc::ui
