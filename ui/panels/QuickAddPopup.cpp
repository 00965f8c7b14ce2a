#include "panels/QuickAddPopup.h"

#include "graph/LayerRegistry.h"
#include "panels/LayerIcons.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace nc::ui {

QuickAddPopup::QuickAddPopup(QWidget* parent) : QFrame(parent, Qt::Popup) {
    setObjectName(QStringLiteral("quickAdd"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Add layer…"));
    m_search->setAccessibleName(tr("Quick add search"));
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Matching layers"));
    m_list->setIconSize(QSize(18, 18));
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    for (const nc::LayerSpec& spec : nc::LayerRegistry::instance().all()) {
        auto* item = new QListWidgetItem(layerIcon(QString::fromStdString(spec.type)),
                                         QString::fromStdString(spec.type), m_list);
        item->setToolTip(QString::fromStdString(spec.summary));
    }
    resize(240, 300);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &QuickAddPopup::filter);
    connect(m_search, &QLineEdit::returnPressed, this, &QuickAddPopup::choose);
    connect(m_list, &QListWidget::itemActivated, this, &QuickAddPopup::choose);
}

void QuickAddPopup::popup(const QPoint& globalPos) {
    m_search->clear();
    filter({});
    move(globalPos);
    show();
    m_search->setFocus();
}

bool QuickAddPopup::eventFilter(QObject* watched, QEvent* event) {
    // Up/Down in the search box move through the list, as in every command palette.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            QCoreApplication::sendEvent(m_list, event);
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void QuickAddPopup::filter(const QString& text) {
    QListWidgetItem* first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        const bool match = text.isEmpty() || item->text().contains(text, Qt::CaseInsensitive) ||
                           item->toolTip().contains(text, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    m_list->setCurrentItem(first);
}

void QuickAddPopup::choose() {
    QListWidgetItem* item = m_list->currentItem();
    if (!item || item->isHidden())
        return;
    hide();
    Q_EMIT layerChosen(item->text());
}

} // namespace nc::ui
