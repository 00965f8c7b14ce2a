#pragma once
#include <QFrame>

class QLineEdit;
class QListWidget;

namespace nc::ui {

// The quick-add search (double-click on empty canvas, or Tab): type a few letters, Enter adds
// the highlighted layer where the popup was opened.
class QuickAddPopup final : public QFrame {
    Q_OBJECT
public:
    explicit QuickAddPopup(QWidget* parent = nullptr);
    void popup(const QPoint& globalPos);

Q_SIGNALS:
    void layerChosen(const QString& type);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void filter(const QString& text);
    void choose();

    QLineEdit* m_search;
    QListWidget* m_list;
};

} // namespace nc::ui
