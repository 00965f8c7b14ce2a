#pragma once
#include <QDialog>

class QListWidget;

namespace nc::ui {

// "New" dialog: an empty project or one of the built-in architectures, each with a thumbnail
// of its graph and its one-line description.
class TemplateGallery final : public QDialog {
    Q_OBJECT
public:
    explicit TemplateGallery(QWidget* parent = nullptr);
    QString chosenTemplate() const; // "" for an empty project

    static QPixmap thumbnail(const QString& templateName, const QSize& size, qreal dpr);

private:
    QListWidget* m_list;
};

} // namespace nc::ui
