#include "panels/LayerIcons.h"

#include "editor/EditorStyle.h"
#include "graph/LayerRegistry.h"

#include <QCoreApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>

namespace nc::ui {

namespace {
class LayerIconEngine final : public QIconEngine {
public:
    LayerIconEngine(QColor color, QString text) : m_color(color), m_text(std::move(text)) {}
    void paint(QPainter* p, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        p->setRenderHint(QPainter::Antialiasing);
        QColor fill = m_color;
        if (mode == QIcon::Disabled)
            fill.setAlpha(90);
        p->setPen(Qt::NoPen);
        p->setBrush(fill);
        const QRectF r = QRectF(rect).adjusted(1, 1, -1, -1);
        p->drawRoundedRect(r, r.width() * 0.22, r.width() * 0.22);
        QFont f = p->font();
        f.setBold(true);
        f.setPixelSize(std::max(6, int(r.height() * (m_text.size() > 2 ? 0.36 : 0.46))));
        p->setFont(f);
        p->setPen(Qt::white);
        p->drawText(r, Qt::AlignCenter, m_text);
    }
    QIconEngine* clone() const override { return new LayerIconEngine(m_color, m_text); }
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(), size), mode, state);
        return pm;
    }

private:
    QColor m_color;
    QString m_text;
};

QString rangeText(const nc::ParamSpec& p) {
    switch (p.kind) {
    case nc::ParamKind::Bool:
        return QStringLiteral("true/false");
    case nc::ParamKind::Choice: {
        QStringList c;
        for (const auto& s : p.choices)
            c << QString::fromStdString(s);
        return c.join(QStringLiteral(" | "));
    }
    case nc::ParamKind::IntOrSame:
        return QStringLiteral("%1–%2 | same").arg(p.minValue).arg(p.maxValue);
    default:
        return QStringLiteral("%1–%2").arg(p.minValue).arg(p.maxValue);
    }
}
} // namespace

QIcon layerIcon(const QString& type) {
    static QHash<QString, QIcon> cache;
    auto it = cache.find(type);
    if (it != cache.end())
        return *it;
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type.toStdString());
    const QColor color = categoryColor(spec ? QString::fromStdString(spec->category) : QString());
    return *cache.insert(type, QIcon(new LayerIconEngine(color, layerAbbreviation(type))));
}

QString layerToolTip(const QString& type) {
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type.toStdString());
    if (!spec)
        return type;
    QString html = QStringLiteral("<b>%1</b> — %2").arg(type.toHtmlEscaped(),
                                                        QString::fromStdString(spec->summary).toHtmlEscaped());
    if (!spec->params.empty()) {
        html += QStringLiteral("<table style='margin-top:4px'>");
        for (const nc::ParamSpec& p : spec->params)
            html += QStringLiteral("<tr><td><code>%1</code>&nbsp;</td><td>%2 <i>(%3, %4)</i></td></tr>")
                        .arg(QString::fromStdString(p.name), QString::fromStdString(p.help).toHtmlEscaped(),
                             QCoreApplication::translate("nc::ui::Palette", "default %1")
                                 .arg(QString::fromStdString(p.defaultValue.dump())),
                             rangeText(p));
        html += QStringLiteral("</table>");
    }
    return html;
}

} // namespace nc::ui
