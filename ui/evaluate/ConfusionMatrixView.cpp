#include "evaluate/ConfusionMatrixView.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {
// A sequential blue scale (light to dark) for a share in [0, 1].
QColor heat(double share) {
    share = std::clamp(share, 0.0, 1.0);
    const QColor lo(0xf7, 0xfb, 0xff), hi(0x08, 0x30, 0x6b);
    const double s = std::pow(share, 0.6); // small confusions stay visible
    return QColor::fromRgbF(float(lo.redF() + (hi.redF() - lo.redF()) * s),
                            float(lo.greenF() + (hi.greenF() - lo.greenF()) * s),
                            float(lo.blueF() + (hi.blueF() - lo.blueF()) * s));
}
} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("confusionMatrix"));
    setAccessibleName(tr("Confusion matrix"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixView::setMatrix(const std::vector<std::vector<std::int64_t>>& confusion,
                                    const std::vector<std::string>& classNames) {
    m_confusion = confusion;
    m_names.clear();
    for (const std::string& n : classNames)
        m_names.push_back(QString::fromStdString(n));
    m_names.resize(m_confusion.size());
    m_selT = m_selP = m_hoverT = m_hoverP = -1;
    updateGeometry();
    update();
}

void ConfusionMatrixView::setNormalised(bool normalised) {
    m_normalised = normalised;
    update();
}

void ConfusionMatrixView::setSelectedCell(int trueClass, int predictedClass) {
    m_selT = trueClass;
    m_selP = predictedClass;
    update();
}

double ConfusionMatrixView::rowShare(int t, int p) const {
    std::int64_t row = 0;
    for (std::int64_t v : m_confusion[std::size_t(t)])
        row += v;
    return row > 0 ? double(m_confusion[std::size_t(t)][std::size_t(p)]) / double(row) : 0.0;
}

QString ConfusionMatrixView::cellText(int t, int p) const {
    if (t < 0 || p < 0 || t >= classCount() || p >= classCount())
        return {};
    if (m_normalised)
        return QString::number(rowShare(t, p) * 100, 'f', rowShare(t, p) >= 0.995 || rowShare(t, p) == 0 ? 0 : 1) +
               QStringLiteral("%");
    return QString::number(m_confusion[std::size_t(t)][std::size_t(p)]);
}

QSize ConfusionMatrixView::sizeHint() const { return {560, 520}; }
QSize ConfusionMatrixView::minimumSizeHint() const { return {260, 240}; }

ConfusionMatrixView::Geometry ConfusionMatrixView::geometry() const {
    Geometry g;
    const QFontMetrics fm(font());
    int widest = fm.horizontalAdvance(tr("True class"));
    for (const QString& n : m_names)
        widest = std::max(widest, fm.horizontalAdvance(n));
    g.labelWidth = widest + fm.height() + 12;          // rotated axis title + names
    g.headerHeight = std::min(widest, 140) + fm.height() + 14; // rotated predicted names + axis title
    const int k = std::max(1, classCount());
    // Column names lean right at 60°: the last one needs room beyond the grid.
    const int rightMargin = int(std::min(widest, 140) * 0.5) + 8;
    const int avail = std::min(width() - g.labelWidth - rightMargin, height() - g.headerHeight - 8);
    g.cell = std::max(8.0, double(avail) / k);
    g.grid = QRect(g.labelWidth, g.headerHeight, int(g.cell * k), int(g.cell * k));
    return g;
}

QRect ConfusionMatrixView::cellRect(int t, int p) const {
    const Geometry g = geometry();
    return QRect(int(g.grid.left() + p * g.cell), int(g.grid.top() + t * g.cell), int(std::ceil(g.cell)),
                 int(std::ceil(g.cell)));
}

bool ConfusionMatrixView::cellAt(const QPoint& pos, int& t, int& p) const {
    const Geometry g = geometry();
    if (!g.grid.contains(pos) || classCount() == 0)
        return false;
    p = std::min(classCount() - 1, int((pos.x() - g.grid.left()) / g.cell));
    t = std::min(classCount() - 1, int((pos.y() - g.grid.top()) / g.cell));
    return true;
}

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QPalette pal = palette();
    if (classCount() == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Evaluate the model to see which classes it confuses."));
        return;
    }
    const Geometry g = geometry();
    const int k = classCount();
    QFont cellFont = font();
    cellFont.setPointSizeF(std::clamp(g.cell / 4.2, 6.0, font().pointSizeF()));
    for (int t = 0; t < k; ++t)
        for (int p = 0; p < k; ++p) {
            const QRect r = cellRect(t, p);
            const double share = rowShare(t, p);
            const QColor fill = heat(share);
            painter.fillRect(r, fill);
            painter.setPen(QColor(0, 0, 0, 30));
            painter.drawRect(r.adjusted(0, 0, -1, -1));
            if (g.cell >= 18) {
                painter.setFont(cellFont);
                painter.setPen(fill.lightnessF() < 0.55 ? Qt::white : QColor(0x10, 0x10, 0x10));
                painter.drawText(r, Qt::AlignCenter, cellText(t, p));
            }
        }
    // Selected and hovered cells.
    auto outline = [&](int t, int p, const QColor& c, qreal w) {
        if (t < 0 || p < 0)
            return;
        QPen pen(c);
        pen.setWidthF(w);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(cellRect(t, p).adjusted(1, 1, -2, -2));
    };
    outline(m_hoverT, m_hoverP, pal.color(QPalette::Highlight).lighter(130), 1.5);
    outline(m_selT, m_selP, QColor(0xe6, 0x55, 0x0d), 3);

    // Class names: true classes left of the rows, predicted classes rotated above the columns.
    painter.setFont(font());
    painter.setPen(pal.color(QPalette::WindowText));
    const QFontMetrics fm(font());
    for (int t = 0; t < k; ++t) {
        const QRect r = cellRect(t, 0);
        painter.drawText(QRect(fm.height() + 4, r.top(), g.labelWidth - fm.height() - 10, r.height()),
                         Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(m_names[std::size_t(t)], Qt::ElideRight, g.labelWidth - fm.height() - 10));
    }
    for (int p = 0; p < k; ++p) {
        const QRect r = cellRect(0, p);
        painter.save();
        painter.translate(r.center().x() + fm.ascent() / 2, g.headerHeight - 6);
        painter.rotate(-60);
        painter.drawText(0, 0, fm.elidedText(m_names[std::size_t(p)], Qt::ElideRight, 140));
        painter.restore();
    }
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(g.grid.left(), 0, g.grid.width(), fm.height() + 4), Qt::AlignCenter, tr("Predicted class"));
    painter.save();
    painter.translate(fm.height(), g.grid.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-g.grid.height() / 2, -fm.height(), g.grid.height(), fm.height() + 4), Qt::AlignCenter,
                     tr("True class"));
    painter.restore();
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event) {
    int t = -1, p = -1;
    if (event->button() == Qt::LeftButton && cellAt(event->position().toPoint(), t, p)) {
        setSelectedCell(t, p);
        Q_EMIT cellClicked(t, p);
    }
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* event) {
    int t = -1, p = -1;
    if (!cellAt(event->position().toPoint(), t, p))
        t = p = -1;
    if (t != m_hoverT || p != m_hoverP) {
        m_hoverT = t;
        m_hoverP = p;
        setCursor(t >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void ConfusionMatrixView::leaveEvent(QEvent*) {
    m_hoverT = m_hoverP = -1;
    update();
}

bool ConfusionMatrixView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        int t = -1, p = -1;
        if (cellAt(help->pos(), t, p)) {
            const std::int64_t n = m_confusion[std::size_t(t)][std::size_t(p)];
            const QString share = QString::number(rowShare(t, p) * 100, 'f', 1);
            const QString text =
                t == p ? tr("%1 recognised correctly: %2 images (%3% of the class)")
                             .arg(m_names[std::size_t(t)], QString::number(n), share)
                       : tr("%1 taken for %2: %3 images (%4% of the class)")
                             .arg(m_names[std::size_t(t)], m_names[std::size_t(p)], QString::number(n), share);
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace nc::ui
