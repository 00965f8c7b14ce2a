#include "editor/NodeItem.h"

#include "style/Format.h"
#include "style/Theme.h"
#include "editor/EdgeItem.h"
#include "editor/EditorStyle.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace nc::ui {

bool NodeItem::snapToGrid = true;

namespace {
QString tr(const char* text) { return QCoreApplication::translate("nc::ui::NodeItem", text); }
// keyParams() is a free function, where lupdate would file a plain tr() under "nc::ui": it names its
// context, the one this tr() looks strings up in.

QString num(const nc::Json& v) {
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number_integer())
        return QString::number(v.get<std::int64_t>());
    if (v.is_number())
        return QString::number(v.get<double>(), 'g', 4);
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

// The one line of parameters a user scans for: what makes this layer different from another.
QString keyParams(const QString& type, const nc::Json& p) {
    auto has = [&](const char* k) { return p.contains(k); };
    QStringList parts;
    if (type == "Conv2d") {
        parts << QCoreApplication::translate("nc::ui::NodeItem", "%1 filters %2×%2")
                     .arg(num(p["out_channels"]), num(p["kernel_size"]));
        if (num(p["stride"]) != "1")
            parts << QCoreApplication::translate("nc::ui::NodeItem", "stride %1").arg(num(p["stride"]));
        if (num(p["padding"]) != "0")
            parts << QCoreApplication::translate("nc::ui::NodeItem", "pad %1").arg(num(p["padding"]));
        if (num(p["dilation"]) != "1")
            parts << QCoreApplication::translate("nc::ui::NodeItem", "dil %1").arg(num(p["dilation"]));
        if (num(p["groups"]) != "1")
            parts << QCoreApplication::translate("nc::ui::NodeItem", "groups %1").arg(num(p["groups"]));
        if (has("bias") && !p["bias"].get<bool>())
            parts << QCoreApplication::translate("nc::ui::NodeItem", "no bias");
    } else if (type == "MaxPool2d" || type == "AvgPool2d") {
        parts << QStringLiteral("%1×%1").arg(num(p["kernel_size"]));
        if (num(p["stride"]) != "0" && num(p["stride"]) != num(p["kernel_size"]))
            parts << QCoreApplication::translate("nc::ui::NodeItem", "stride %1").arg(num(p["stride"]));
        if (num(p["padding"]) != "0")
            parts << QCoreApplication::translate("nc::ui::NodeItem", "pad %1").arg(num(p["padding"]));
    } else if (type == "Linear") {
        parts << QCoreApplication::translate("nc::ui::NodeItem", "%1 units").arg(num(p["out_features"]));
        if (has("bias") && !p["bias"].get<bool>())
            parts << QCoreApplication::translate("nc::ui::NodeItem", "no bias");
    } else if (type == "Dropout" || type == "Dropout2d") {
        parts << QStringLiteral("p = %1").arg(num(p["p"]));
    } else if (type == "Add" || type == "Concat") {
        parts << QCoreApplication::translate("nc::ui::NodeItem", "%1 inputs").arg(num(p["inputs"]));
    } else if (type == "LeakyReLU") {
        parts << QCoreApplication::translate("nc::ui::NodeItem", "slope %1").arg(num(p["negative_slope"]));
    } else if (type == "ELU") {
        parts << QStringLiteral("α = %1").arg(num(p["alpha"]));
    } else if (type == "Output") {
        parts << num(p["loss"]).replace('_', '-');
        if (p.contains("label_smoothing") && p["label_smoothing"].get<double>() > 0)
            parts << QCoreApplication::translate("nc::ui::NodeItem", "smoothing %1")
                         .arg(num(p["label_smoothing"]));
    } else if (type == "BatchNorm2d" || type == "BatchNorm1d") {
        parts << QCoreApplication::translate("nc::ui::NodeItem", "momentum %1").arg(num(p["momentum"]));
    }
    return parts.join(QStringLiteral(", "));
}
} // namespace

NodeItem::NodeItem(const QString& id, const QString& type) : m_id(id), m_type(type) {
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type.toStdString());
    m_category = spec ? QString::fromStdString(spec->category) : QString();
    m_hasOutput = spec ? spec->hasOutput : true;
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges | ItemIsFocusable);
    setAcceptHoverEvents(true);
    setCacheMode(DeviceCoordinateCache); // text layout is the costly part of a repaint
    setParams(nc::Json::object());
}

void NodeItem::setParams(const nc::Json& params) {
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(m_type.toStdString());
    nc::Json full;
    if (spec && nc::LayerRegistry::instance().normalizeParams(*spec, params, full).empty())
        m_paramsLine = keyParams(m_type, full);
    else
        m_paramsLine = tr("invalid parameters");
    // Layers without parameters say what they do instead of leaving the line blank.
    m_summaryLine = m_paramsLine.isEmpty() && spec;
    if (m_summaryLine)
        m_paramsLine = QString::fromStdString(spec->summary);
    QStringList inputs;
    if (spec)
        for (const std::string& port : spec->inputPorts(params))
            inputs << QString::fromStdString(port);
    if (inputs != m_inputs) {
        prepareGeometryChange();
        m_inputs = inputs;
    }
    update();
}

void NodeItem::setInfo(const nc::NodeInfo* info, bool isProblem) {
    QString shape, count, error;
    if (info) {
        error = QString::fromStdString(info->error);
        if (info->ok) {
            shape = QString::fromStdString(nc::shapeToString(info->outputShape));
            if (m_type == "Input" || info->parameters > 0)
                count = m_type == "Input" ? QString() : tr("%1 params").arg(formatCount(info->parameters));
        }
    }
    if (shape == m_shapeText && count == m_countText && error == m_error && isProblem == m_problem)
        return;
    m_problem = isProblem && !error.isEmpty();
    m_shapeText = shape;
    m_countText = count;
    m_error = error;
    setToolTip(m_error.isEmpty() ? QString() : m_error);
    update();
}

QRectF NodeItem::boundingRect() const {
    const double m = kPortRadius + 3;
    return QRectF(-m, -m, kNodeWidth + 2 * m, kNodeHeight + 2 * m);
}

QPointF NodeItem::portLocalPos(const QString& port) const {
    if (port == QLatin1String("out"))
        return QPointF(kNodeWidth / 2, kNodeHeight);
    const int i = m_inputs.indexOf(port);
    const int n = std::max<int>(1, m_inputs.size());
    return QPointF(kNodeWidth * (i + 1) / (n + 1), 0);
}

QPointF NodeItem::portScenePos(const QString& port) const { return mapToScene(portLocalPos(port)); }

NodeItem::Port NodeItem::portAt(const QPointF& scenePos, double tolerance) const {
    const QPointF local = mapFromScene(scenePos);
    auto near = [&](const QPointF& p) { return std::hypot(p.x() - local.x(), p.y() - local.y()) <= tolerance; };
    if (m_hasOutput && near(portLocalPos("out")))
        return {QStringLiteral("out"), PortKind::Output};
    for (const QString& in : m_inputs)
        if (near(portLocalPos(in)))
            return {in, PortKind::Input};
    return {};
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const CanvasColors& c = Theme::instance().canvas();
    const QColor accent = categoryColor(m_category);
    const bool error = m_problem;
    const QRectF body(0, 0, kNodeWidth, kNodeHeight);
    painter->setRenderHint(QPainter::Antialiasing);

    QPen border(isSelected() ? c.selection : error ? c.error : (m_hovered ? accent : c.nodeBorder),
                isSelected() || error ? 2.2 : 1.2);
    painter->setPen(border);
    painter->setBrush(error ? c.errorBody : c.nodeBody);
    painter->drawRoundedRect(body, 7, 7);

    // Header strip in the category colour (error colour when inference failed).
    QPainterPath header;
    header.addRoundedRect(QRectF(0, 0, kNodeWidth, 22), 7, 7);
    header.addRect(QRectF(0, 12, kNodeWidth, 10));
    header.setFillRule(Qt::WindingFill); // union, not odd-even: the overlap must stay filled
    painter->setPen(Qt::NoPen);
    painter->setBrush(error ? c.error : accent);
    painter->drawPath(header.simplified());

    QFont font = painter->font();
    font.setPointSizeF(9);
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(Qt::white);
    const QRectF headerText(8, 0, kNodeWidth - 16, 22);
    painter->drawText(headerText, Qt::AlignVCenter | Qt::AlignLeft, m_type);
    font.setBold(false);
    painter->setFont(font);
    const QFontMetricsF fm(font);
    painter->drawText(headerText, Qt::AlignVCenter | Qt::AlignRight,
                      fm.elidedText(m_id, Qt::ElideMiddle, kNodeWidth / 2 - 10));

    font.setPointSizeF(8.5);
    painter->setFont(font);
    const QFontMetricsF fm2(font);
    painter->setPen(m_summaryLine ? c.nodeSubText : c.nodeText);
    painter->drawText(QRectF(8, 24, kNodeWidth - 16, 19), Qt::AlignVCenter | Qt::AlignLeft,
                      fm2.elidedText(m_paramsLine, Qt::ElideRight, kNodeWidth - 16));
    const QRectF last(8, 43, kNodeWidth - 16, 19);
    if (!m_error.isEmpty()) {
        // Root causes in the error colour; layers that only wait for one stay quiet.
        painter->setPen(error ? c.error : c.nodeSubText);
        painter->drawText(last, Qt::AlignVCenter | Qt::AlignLeft,
                          fm2.elidedText((error ? QStringLiteral("⚠ ") : QString()) + m_error.section(QLatin1String(": "), 1),
                                         Qt::ElideRight, kNodeWidth - 16));
    } else {
        font.setBold(true);
        painter->setFont(font);
        painter->setPen(c.nodeText);
        painter->drawText(last, Qt::AlignVCenter | Qt::AlignLeft,
                          m_shapeText.isEmpty() ? QStringLiteral("—") : QStringLiteral("→ ") + m_shapeText);
        font.setBold(false);
        painter->setFont(font);
        painter->setPen(c.nodeSubText);
        painter->drawText(last, Qt::AlignVCenter | Qt::AlignRight, m_countText);
    }

    painter->setPen(QPen(c.nodeBody, 1.5));
    painter->setBrush(error ? c.error : accent);
    for (const QString& in : m_inputs)
        painter->drawEllipse(portLocalPos(in), kPortRadius, kPortRadius);
    if (m_hasOutput)
        painter->drawEllipse(portLocalPos("out"), kPortRadius, kPortRadius);
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionChange && snapToGrid && !m_fromModel) {
        const QPointF p = value.toPointF();
        return QPointF(std::round(p.x() / kGridSize) * kGridSize, std::round(p.y() / kGridSize) * kGridSize);
    }
    if (change == ItemPositionHasChanged)
        for (EdgeItem* e : m_edges)
            e->updatePath();
    if (change == ItemSelectedHasChanged)
        update();
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::setPosFromModel(const QPointF& pos) {
    m_fromModel = true;
    setPos(pos);
    m_fromModel = false;
}

void NodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent* event) {
    m_hovered = true;
    update();
    QGraphicsItem::hoverEnterEvent(event);
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent* event) {
    m_hovered = false;
    update();
    QGraphicsItem::hoverLeaveEvent(event);
}

} // namespace nc::ui
