#pragma once
#include <QDialog>

#include <string>

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
    // A built-in template's description in the interface language (the core's English text when
    // no translation matches it).
    static QString describe(const std::string& englishDescription);

private:
    QListWidget* m_list;
};

} // namespace nc::ui
