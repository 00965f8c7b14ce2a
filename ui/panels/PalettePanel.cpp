#include "panels/PalettePanel.h"

#include "editor/GraphView.h"
#include "graph/LayerRegistry.h"
#include "panels/LayerIcons.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
constexpr int kTypeRole = Qt::UserRole + 1;

// A tree whose leaves drag out as layer types.
class PaletteTree final : public QTreeWidget {
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return {QString::fromLatin1(kLayerMimeType)}; }
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override {
        if (items.isEmpty() || items.first()->data(0, kTypeRole).isNull())
            return nullptr;
        auto* mime = new QMimeData;
        mime->setData(kLayerMimeType, items.first()->data(0, kTypeRole).toString().toUtf8());
        return mime;
    }
    Qt::DropActions supportedDropActions() const override { return Qt::CopyAction; }
};

QString categoryTitle(const QString& category) {
    // The registry's category names are file-format words; show translated ones.
    static const char* const names[][2] = {
        {"Input/Output", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Input/Output")},
        {"Convolution", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Convolution")},
        {"Pooling", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Pooling")},
        {"Normalization", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Normalization")},
        {"Regularization", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Regularization")},
        {"Activation", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Activation")},
        {"Reshape", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Reshape")},
        {"Dense", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Dense")},
        {"Merge", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Merge")},
        {"Recurrent", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Recurrent")},
        {"Generative", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Generative")},
        {"Loss", QT_TRANSLATE_NOOP("nc::ui::PalettePanel", "Loss")},
    };
    for (const auto& n : names)
        if (category == QLatin1String(n[0]))
            return QCoreApplication::translate("nc::ui::PalettePanel", n[1]);
    return category;
}
} // namespace

PalettePanel::PalettePanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("palette"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Search layers…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search layers"));
    layout->addWidget(m_search);

    m_tree = new PaletteTree(this);
    m_tree->setObjectName(QStringLiteral("paletteTree"));
    m_tree->setAccessibleName(tr("Layer palette"));
    m_tree->setHeaderHidden(true);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setIconSize(QSize(20, 20));
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    layout->addWidget(m_tree);

    QHash<QString, QTreeWidgetItem*> categories;
    for (const nc::LayerSpec& spec : nc::LayerRegistry::instance().all()) {
        const QString category = QString::fromStdString(spec.category);
        QTreeWidgetItem*& parentItem = categories[category];
        if (!parentItem) {
            parentItem = new QTreeWidgetItem(m_tree, {categoryTitle(category)});
            parentItem->setFlags(Qt::ItemIsEnabled);
            QFont f = parentItem->font(0);
            f.setBold(true);
            parentItem->setFont(0, f);
        }
        const QString type = QString::fromStdString(spec.type);
        auto* item = new QTreeWidgetItem(parentItem, {type});
        item->setData(0, kTypeRole, type);
        item->setIcon(0, layerIcon(type));
        item->setToolTip(0, layerToolTip(type));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    m_tree->expandAll();

    connect(m_search, &QLineEdit::textChanged, this, &PalettePanel::filter);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        if (!item->data(0, kTypeRole).isNull())
            Q_EMIT layerActivated(item->data(0, kTypeRole).toString());
    });
    // Enter in the search box adds the first match: type "conv", Enter, done.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
            if (!(*it)->isHidden() && !(*it)->data(0, kTypeRole).isNull()) {
                Q_EMIT layerActivated((*it)->data(0, kTypeRole).toString());
                return;
            }
    });
}

void PalettePanel::focusSearch() {
    m_search->setFocus();
    m_search->selectAll();
}

void PalettePanel::filter(const QString& text) {
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* category = m_tree->topLevelItem(i);
        int visible = 0;
        for (int j = 0; j < category->childCount(); ++j) {
            QTreeWidgetItem* item = category->child(j);
            const QString type = item->data(0, kTypeRole).toString();
            const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type.toStdString());
            const bool match = text.isEmpty() || type.contains(text, Qt::CaseInsensitive) ||
                               category->text(0).contains(text, Qt::CaseInsensitive) ||
                               (spec && QString::fromStdString(spec->summary).contains(text, Qt::CaseInsensitive));
            item->setHidden(!match);
            visible += match;
        }
        category->setHidden(visible == 0);
    }
}

} // namespace nc::ui
