#include "app/TemplateGallery.h"
#include "document/TemplateText.h"

#include "document/Document.h"
#include "style/Theme.h"
#include "editor/GraphScene.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
constexpr int kNameRole = Qt::UserRole + 1;

} // namespace

QString TemplateGallery::describe(const std::string& englishDescription) {
    return describeTemplate(englishDescription);
}

QPixmap TemplateGallery::thumbnail(const QString& templateName, const QSize& size, qreal dpr) {
    QPixmap pm(size * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Theme::instance().canvas().background);
    if (templateName.isEmpty())
        return pm;
    // Draw the real graph with the real items, so the thumbnail is the canvas in miniature.
    Document doc;
    doc.newFromTemplate(templateName);
    GraphScene scene(doc.editor());
    QRectF bounds = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    scene.render(&p, QRectF(QPointF(), QSizeF(size)), bounds, Qt::KeepAspectRatio);
    return pm;
}

TemplateGallery::TemplateGallery(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("New project"));
    setObjectName(QStringLiteral("templateGallery"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Start from an empty canvas or a proven architecture:"), this));
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Templates"));
    m_list->setIconSize(QSize(96, 128));
    m_list->setWordWrap(true);
    m_list->setSpacing(4);
    layout->addWidget(m_list);
    const qreal dpr = devicePixelRatioF();
    auto add = [&](const QString& name, const QString& title, const QString& description) {
        auto* item = new QListWidgetItem(QIcon(thumbnail(name, m_list->iconSize(), dpr)),
                                         QStringLiteral("%1\n%2").arg(title, description), m_list);
        item->setData(kNameRole, name);
        item->setToolTip(description);
    };
    add(QString(), tr("Empty"), tr("A blank canvas: add Input, your layers and Output from the palette."));
    for (const nc::TemplateInfo& t : nc::listTemplates())
        add(QString::fromStdString(t.name), QString::fromStdString(t.name), describe(t.description));
    m_list->setCurrentRow(1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    resize(640, 560);
}

QString TemplateGallery::chosenTemplate() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(kNameRole).toString() : QString();
}

} // namespace nc::ui
