#include "sweep/SweepCharts.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {

// A perceptual ramp (dark blue, teal, yellow) for values in [0, 1].
QColor ramp(double t) {
    t = std::clamp(t, 0.0, 1.0);
    const QColor a(68, 1, 84), b(33, 145, 140), c(253, 231, 37);
    auto mix = [](const QColor& x, const QColor& y, double s) {
        return QColor::fromRgbF(float(x.redF() + (y.redF() - x.redF()) * s), float(x.greenF() + (y.greenF() - x.greenF()) * s),
                                float(x.blueF() + (y.blueF() - x.blueF()) * s));
    };
    return t < 0.5 ? mix(a, b, t * 2) : mix(b, c, (t - 0.5) * 2);
}

bool drawable(const nc::TrialRecord& t) {
    return t.state == nc::TrialState::Completed || t.state == nc::TrialState::Pruned ||
           (t.state == nc::TrialState::Running && !t.validationAccuracy.empty());
}

QString shortKey(const std::string& key) {
    return QString::fromStdString(key.rfind("training.", 0) == 0 ? key.substr(9) : key);
}

QString tickLabel(double v) { return QString::number(v, 'g', 3); }

} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(200);
    setAccessibleName(tr("Parallel coordinates"));
}

void ParallelCoordinatesView::setData(const nc::Space& space, const std::vector<nc::TrialRecord>& trials) {
    m_space = space;
    m_trials = trials;
    filter();
}

void ParallelCoordinatesView::setTopPercent(int percent) {
    m_topPercent = std::clamp(percent, 1, 100);
    filter();
}

void ParallelCoordinatesView::filter() {
    m_shown.clear();
    for (const nc::TrialRecord& t : m_trials)
        if (drawable(t))
            m_shown.push_back(t);
    std::sort(m_shown.begin(), m_shown.end(), [](const nc::TrialRecord& a, const nc::TrialRecord& b) {
        return a.bestValidationAccuracy > b.bestValidationAccuracy;
    });
    const std::size_t keep = m_shown.empty() ? 0
                                             : std::max<std::size_t>(1, std::size_t(std::ceil(double(m_shown.size()) *
                                                                                             m_topPercent / 100.0)));
    m_shown.resize(std::min(keep, m_shown.size()));
    update();
}

void ParallelCoordinatesView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const int axes = int(m_space.params.size()) + 1;
    if (axes < 2) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Add parameters to the space to see trials here"));
        return;
    }
    const QRectF area = QRectF(rect()).adjusted(40, 28, -40, -34);
    auto axisX = [&](int i) { return area.left() + area.width() * i / double(axes - 1); };
    double vmin = 1, vmax = 0;
    for (const nc::TrialRecord& t : m_shown) {
        vmin = std::min(vmin, t.bestValidationAccuracy);
        vmax = std::max(vmax, t.bestValidationAccuracy);
    }
    if (m_shown.empty()) {
        vmin = 0;
        vmax = 1;
    }
    if (vmax - vmin < 1e-6) {
        vmin -= 0.01;
        vmax += 0.01;
    }
    // Position on axis i (0 bottom .. 1 top); -1 when the trial has no value for it.
    auto position = [&](int i, const nc::TrialRecord& t) -> double {
        if (i == axes - 1)
            return (t.bestValidationAccuracy - vmin) / (vmax - vmin);
        const nc::SpaceParam& sp = m_space.params[std::size_t(i)];
        if (!t.params.contains(sp.key))
            return -1;
        const nc::Json& v = t.params[sp.key];
        if (sp.kind == nc::SpaceParam::Kind::Choice) {
            for (std::size_t c = 0; c < sp.choices.size(); ++c)
                if (sp.choices[c] == v)
                    return sp.choices.size() == 1 ? 0.5 : double(c) / double(sp.choices.size() - 1);
            return -1;
        }
        if (!v.is_number() || sp.high <= sp.low)
            return 0.5;
        const double x = v.get<double>();
        return sp.log ? (std::log(x) - std::log(sp.low)) / (std::log(sp.high) - std::log(sp.low))
                      : (x - sp.low) / (sp.high - sp.low);
    };
    auto y = [&](double pos) { return area.bottom() - pos * area.height(); };

    // Lines first (worst first, so the best are drawn on top), then axes and labels.
    for (auto it = m_shown.rbegin(); it != m_shown.rend(); ++it) {
        QPainterPath path;
        bool startedPath = false;
        for (int i = 0; i < axes; ++i) {
            const double pos = position(i, *it);
            if (pos < 0)
                continue;
            const QPointF pt(axisX(i), y(pos));
            if (!startedPath)
                path.moveTo(pt);
            else
                path.lineTo(pt);
            startedPath = true;
        }
        QPen pen(ramp((it->bestValidationAccuracy - vmin) / (vmax - vmin)), 1.6);
        if (it->state == nc::TrialState::Pruned)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawPath(path);
    }
    const QColor text = palette().color(QPalette::Text);
    for (int i = 0; i < axes; ++i) {
        const double x = axisX(i);
        p.setPen(QPen(text, 1));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        QString name, top, bottom;
        if (i == axes - 1) {
            name = tr("val accuracy");
            top = tickLabel(vmax);
            bottom = tickLabel(vmin);
        } else {
            const nc::SpaceParam& sp = m_space.params[std::size_t(i)];
            name = shortKey(sp.key) + (sp.log ? tr(" (log)") : QString());
            if (sp.kind == nc::SpaceParam::Kind::Choice) {
                for (std::size_t c = 0; c < sp.choices.size(); ++c) {
                    const double pos = sp.choices.size() == 1 ? 0.5 : double(c) / double(sp.choices.size() - 1);
                    const nc::Json& v = sp.choices[c];
                    const QString label = QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump());
                    p.drawText(QPointF(x + 4, y(pos) + 4), label);
                }
            } else {
                top = tickLabel(sp.high);
                bottom = tickLabel(sp.low);
                if (sp.log) { // a middle tick shows the scale is logarithmic
                    const double mid = std::sqrt(sp.low * sp.high);
                    p.drawText(QPointF(x + 4, y(0.5) + 4), tickLabel(mid));
                }
            }
        }
        const QFontMetrics fm(font());
        // Centred over its axis, but kept inside the widget (the outer axes sit near its edges).
        const double nameWidth = fm.horizontalAdvance(name);
        const double nameX = std::clamp(x - nameWidth / 2.0, 2.0, std::max(2.0, width() - nameWidth - 2.0));
        p.drawText(QPointF(nameX, area.top() - 10), name);
        if (!top.isEmpty()) {
            p.drawText(QPointF(x + 4, area.top() + 10), top);
            p.drawText(QPointF(x + 4, area.bottom()), bottom);
        }
    }
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRectF(rect()).adjusted(8, 0, -8, -6), Qt::AlignBottom | Qt::AlignLeft,
               tr("%1 of %2 trials shown (dashed: stopped early)")
                   .arg(m_shown.size())
                   .arg(std::count_if(m_trials.begin(), m_trials.end(), drawable)));
}

EpochCurvesView::EpochCurvesView(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(160);
    setAccessibleName(tr("Validation accuracy by epoch"));
}

void EpochCurvesView::setTrials(const std::vector<nc::TrialRecord>& trials) {
    m_trials = trials;
    update();
}

void EpochCurvesView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRectF area = QRectF(rect()).adjusted(44, 22, -12, -28);
    int epochs = 1;
    double vmin = 1, vmax = 0;
    for (const nc::TrialRecord& t : m_trials) {
        epochs = std::max({epochs, t.maxEpochs, int(t.validationAccuracy.size())});
        for (double v : t.validationAccuracy) {
            vmin = std::min(vmin, v);
            vmax = std::max(vmax, v);
        }
    }
    if (vmax <= vmin) {
        vmin = 0;
        vmax = 1;
    }
    auto pt = [&](std::size_t e, double v) {
        return QPointF(area.left() + area.width() * (epochs > 1 ? double(e) / double(epochs - 1) : 0.5),
                       area.bottom() - area.height() * (v - vmin) / (vmax - vmin));
    };
    const QColor text = palette().color(QPalette::Text);
    p.setPen(QPen(text, 1));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    p.drawLine(area.bottomLeft(), area.topLeft());
    p.drawText(QPointF(4, area.top() + 4), tickLabel(vmax));
    p.drawText(QPointF(4, area.bottom()), tickLabel(vmin));
    p.drawText(QRectF(area.left(), area.bottom() + 4, area.width(), 20), Qt::AlignCenter,
               tr("epoch (1 to %1)").arg(epochs));
    p.drawText(QRectF(area.left(), 2, area.width(), 18), Qt::AlignLeft, tr("validation accuracy by epoch"));
    for (const nc::TrialRecord& t : m_trials) {
        if (t.validationAccuracy.empty())
            continue;
        const QColor c = ramp((t.bestValidationAccuracy - vmin) / (vmax - vmin));
        p.setPen(QPen(c, 1.5));
        QPainterPath path(pt(0, t.validationAccuracy[0]));
        for (std::size_t e = 1; e < t.validationAccuracy.size(); ++e)
            path.lineTo(pt(e, t.validationAccuracy[e]));
        p.drawPath(path);
        if (t.state == nc::TrialState::Pruned) {
            const QPointF end = pt(t.validationAccuracy.size() - 1, t.validationAccuracy.back());
            p.drawLine(end + QPointF(-4, -4), end + QPointF(4, 4));
            p.drawLine(end + QPointF(-4, 4), end + QPointF(4, -4));
        }
    }
}

ImportanceView::ImportanceView(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(100);
    setAccessibleName(tr("Parameter importance"));
}

void ImportanceView::setImportance(const std::vector<std::pair<std::string, double>>& importance) {
    m_importance = importance;
    update();
}

void ImportanceView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QColor text = palette().color(QPalette::Text);
    p.setPen(text);
    p.drawText(QRectF(8, 2, width() - 16, 18), Qt::AlignLeft, tr("parameter importance"));
    const bool known = std::any_of(m_importance.begin(), m_importance.end(), [](const auto& kv) { return kv.second > 0; });
    if (!known) { // too few finished trials to split into groups (parameterImportance needs 6 for a range)
        if (!m_importance.empty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QRectF(rect()).adjusted(8, 24, -8, -4), Qt::AlignCenter | Qt::TextWordWrap,
                       tr("Not enough finished trials yet to tell which parameter matters"));
        }
        return;
    }
    const QFontMetrics fm(font());
    int labelWidth = 0;
    for (const auto& [key, share] : m_importance)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(shortKey(key)));
    const double rowHeight = std::min(24.0, (height() - 26.0) / double(m_importance.size()));
    const double barLeft = 12 + labelWidth, barWidth = std::max(10.0, width() - barLeft - 56.0);
    for (std::size_t i = 0; i < m_importance.size(); ++i) {
        const double top = 24 + rowHeight * double(i);
        p.setPen(text);
        p.drawText(QRectF(6, top, labelWidth, rowHeight), Qt::AlignVCenter | Qt::AlignRight, shortKey(m_importance[i].first));
        p.fillRect(QRectF(barLeft, top + 3, barWidth * m_importance[i].second, rowHeight - 6), QColor(33, 145, 140));
        p.drawText(QRectF(barLeft + barWidth * m_importance[i].second + 4, top, 50, rowHeight), Qt::AlignVCenter,
                   QString::number(100.0 * m_importance[i].second, 'f', 0) + QStringLiteral(" %"));
    }
}

} // namespace nc::ui
