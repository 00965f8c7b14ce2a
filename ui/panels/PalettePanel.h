#pragma once
#include <QWidget>

class QLineEdit;
class QTreeWidget;

namespace nc::ui {

// The layer palette: categories, a search box, an icon and a tooltip per layer. Layers are
// dragged onto the canvas (MIME kLayerMimeType) or added with a double-click / Enter.
class PalettePanel final : public QWidget {
    Q_OBJECT
public:
    explicit PalettePanel(QWidget* parent = nullptr);
    void focusSearch();
    QTreeWidget* tree() const { return m_tree; }

Q_SIGNALS:
    void layerActivated(const QString& type); // double-click or Enter: add at the canvas centre

private:
    void filter(const QString& text);

    QLineEdit* m_search;
    QTreeWidget* m_tree;
};

} // namespace nc::ui
