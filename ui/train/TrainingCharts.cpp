#include "train/TrainingCharts.h"

#include "style/Theme.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QFile>
#include <QGridLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QTextStream>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {
const QColor kTrainColor(0x1f, 0x77, 0xb4), kValidationColor(0xe6, 0x55, 0x0d), kRateColor(0x2c, 0xa0, 0x2c);
const QColor kOverlayColors[] = {QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                 QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                 QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

// The point of `series` nearest to x (points are in x order).
QPointF nearestPoint(const QXYSeries* series, double x) {
    const QList<QPointF> points = series->points();
    if (points.isEmpty())
        return {};
    auto it = std::lower_bound(points.begin(), points.end(), x,
                               [](const QPointF& p, double v) { return p.x() < v; });
    if (it == points.end())
        return points.last();
    if (it != points.begin() && std::abs((it - 1)->x() - x) < std::abs(it->x() - x))
        --it;
    return *it;
}

// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten above `v`.
double niceCeiling(double v) {
    if (!(v > 0))
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * p >= v)
            return m * p;
    return 10 * p;
}
} // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("trainingCharts"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    m_loss = makePanel(tr("Loss"), tr("Loss"));
    m_accuracy = makePanel(tr("Accuracy"), tr("Accuracy"));
    m_terms = makePanel(tr("Loss terms"), tr("nats"));
    m_verdicts = makePanel(tr("D(x) vs D(G(z))"), tr("mean D"));
    m_rate = makePanel(tr("Learning rate"), tr("Learning rate"));
    grid->addWidget(m_loss.view, 0, 0, 1, 4);
    grid->addWidget(m_accuracy.view, 1, 0);
    grid->addWidget(m_terms.view, 1, 1);
    grid->addWidget(m_verdicts.view, 1, 2);
    grid->addWidget(m_rate.view, 1, 3);
    m_terms.view->setObjectName(QStringLiteral("lossTermsChart"));
    m_verdicts.view->setObjectName(QStringLiteral("verdictsChart"));
    for (Panel* p : {&m_terms, &m_verdicts, &m_rate}) // a generative run's row holds two of them
        p->view->setMinimumWidth(150);
    // A verdict line has the colour of its loss node's line in the terms panel (both in key order),
    // whose legend names them: no second legend in a narrow panel.
    m_verdicts.chart->legend()->hide();
    m_terms.view->hide();
    m_verdicts.view->hide();
    m_verdicts.y->setRange(0, 1);
    m_verdicts.y->setLabelFormat(QStringLiteral("%.2f"));
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    QColor faint = kTrainColor;
    faint.setAlphaF(0.25);
    m_lossRaw = addLine(m_loss, tr("Training (per batch)"), QStringLiteral("lossRaw"), faint, 1);
    m_lossSmoothed =
        addLine(m_loss, tr("Training (smoothed)"), QStringLiteral("lossSmoothed"), kTrainColor, 2);
    m_lossValidation =
        addLine(m_loss, tr("Validation (per epoch)"), QStringLiteral("lossValidation"), kValidationColor, 2);
    m_lossValidationDots = addDots(m_loss, tr("Validation (per epoch)"), kValidationColor);
    m_accuracyTrain =
        addLine(m_accuracy, tr("Training (smoothed)"), QStringLiteral("accuracyTrain"), kTrainColor, 2);
    m_accuracyValidation =
        addLine(m_accuracy, tr("Validation"), QStringLiteral("accuracyValidation"), kValidationColor, 2);
    m_accuracyValidationDots = addDots(m_accuracy, tr("Validation"), kValidationColor);
    m_learningRate = addLine(m_rate, tr("Learning rate"), QStringLiteral("learningRate"), kRateColor, 2);
    m_shownRaw.series = m_lossRaw;
    m_shownSmoothed.series = m_lossSmoothed;
    m_shownAccuracy.series = m_accuracyTrain;
    m_shownRate.series = m_learningRate;
    watchHover(m_lossRaw, tr("loss"));
    watchHover(m_lossSmoothed, tr("smoothed loss"));
    watchHover(m_lossValidation, tr("validation loss"));
    watchHover(m_lossValidationDots, tr("validation loss"));
    watchHover(m_accuracyTrain, tr("training accuracy"));
    watchHover(m_accuracyValidation, tr("validation accuracy"));
    watchHover(m_accuracyValidationDots, tr("validation accuracy"));
    watchHover(m_learningRate, tr("learning rate"));
    m_accuracy.y->setRange(0, 1);
    m_accuracy.y->setLabelFormat(QStringLiteral("%.2f"));
    m_rate.y->setLabelFormat(QStringLiteral("%.2g"));
    m_rate.chart->legend()->hide(); // one line, named by the chart's title; the plot gets the room

    connect(&Theme::instance(), &Theme::changed, this, &TrainingCharts::applyTheme);
    applyTheme();
    clear();
}

TrainingCharts::Panel TrainingCharts::makePanel(const QString& title, const QString& yTitle) {
    Panel p;
    p.chart = new QChart;
    p.chart->setTitle(title);
    p.chart->legend()->setAlignment(Qt::AlignBottom);
    p.chart->setMargins(QMargins(4, 4, 4, 4));
    p.chart->setAnimationOptions(QChart::NoAnimation); // animations would cost the training thread's cores
    p.x = new QValueAxis;
    p.x->setTitleText(tr("Epoch"));
    p.x->setLabelFormat(QStringLiteral("%.1f"));
    p.y = new QValueAxis;
    // The chart's title already names the quantity; a vertical title repeating it was elided
    // ("Accu…") in charts of a short window. Kept only where it says more than the title.
    if (yTitle != title)
        p.y->setTitleText(yTitle);
    p.chart->addAxis(p.x, Qt::AlignBottom);
    p.chart->addAxis(p.y, Qt::AlignLeft);
    p.view = new QChartView(p.chart, this);
    p.view->setRenderHint(QPainter::Antialiasing);
    p.view->setMinimumSize(260, 180);
    p.view->setAccessibleName(title);
    return p;
}

QLineSeries* TrainingCharts::addLine(Panel& panel, const QString& name, const QString& objectName,
                                     QColor color, qreal width) {
    auto* s = new QLineSeries(this);
    s->setName(name);
    s->setObjectName(objectName);
    QPen pen(color);
    pen.setWidthF(width);
    s->setPen(pen);
    panel.chart->addSeries(s);
    s->attachAxis(panel.x);
    s->attachAxis(panel.y);
    return s;
}

QScatterSeries* TrainingCharts::addDots(Panel& panel, const QString& name, QColor color) {
    auto* s = new QScatterSeries(this);
    s->setName(name);
    s->setColor(color);
    s->setBorderColor(color);
    s->setMarkerSize(7);
    panel.chart->addSeries(s);
    s->attachAxis(panel.x);
    s->attachAxis(panel.y);
    panel.chart->legend()->markers(s).value(0)->setVisible(false); // the line's entry names it
    return s;
}

void TrainingCharts::watchHover(QXYSeries* series, const QString& valueName) {
    connect(series, &QXYSeries::hovered, this, [this, series, valueName](const QPointF& at, bool entered) {
        if (!entered) {
            QToolTip::hideText();
            return;
        }
        const QPointF p = nearestPoint(series, at.x());
        QToolTip::showText(QCursor::pos(),
                           tr("%1\nepoch %2: %3 = %4")
                               .arg(series->name())
                               .arg(p.x(), 0, 'f', 2)
                               .arg(valueName)
                               .arg(p.y(), 0, 'g', 5),
                           this);
    });
}

void TrainingCharts::clear() {
    m_curves = RunCurves();
    rebuildLive();
}

TrainingCharts::TermLine& TrainingCharts::termLine(const QString& key) {
    auto it = m_termLines.find(key);
    if (it != m_termLines.end())
        return *it;
    const bool verdict = key.startsWith(QLatin1String("p:"));
    Panel& panel = verdict ? m_verdicts : m_terms;
    int index = 0;
    for (auto other = m_termLines.cbegin(); other != m_termLines.cend(); ++other)
        index += other.key().startsWith(QLatin1String("p:")) == verdict;
    const QColor color = index == 0 ? kTrainColor
                         : index == 1 ? kValidationColor
                                      : kOverlayColors[(index - 2) % int(std::size(kOverlayColors))];
    // Short legend names (the panels are small); the title says what a verdict line is.
    const QString name = verdict ? key.mid(2) : key;
    TermLine line;
    line.line = addLine(panel, name, QStringLiteral("term:") + key, color, 2);
    line.validation = addDots(panel, name, color);
    line.shown.series = line.line;
    watchHover(line.line, name);
    watchHover(line.validation, tr("%1 (validation)").arg(name));
    panel.view->show();
    return *m_termLines.insert(key, line);
}

void TrainingCharts::clearTerms() {
    for (TermLine& t : m_termLines)
        for (QXYSeries* s : {static_cast<QXYSeries*>(t.line), static_cast<QXYSeries*>(t.validation)}) {
            s->chart()->removeSeries(s);
            delete s;
        }
    m_termLines.clear();
    m_terms.view->hide();
    m_verdicts.view->hide();
    m_rate.view->show();
}

void TrainingCharts::updateTerms() {
    for (auto it = m_curves.batchTerms.cbegin(); it != m_curves.batchTerms.cend(); ++it) {
        TermLine& t = termLine(it.key());
        if (it->size() < t.smoothed.size()) { // fewer points than drawn: a resumed run dropped some
            t.smoothed.clear();
            t.smoother.reset();
        }
        for (qsizetype i = t.smoothed.size(); i < it->size(); ++i)
            t.smoothed.append(QPointF((*it)[i].x(), t.smoother.add((*it)[i].y())));
        showDecimated(t.shown, t.smoothed);
    }
    for (auto it = m_curves.validationTerms.cbegin(); it != m_curves.validationTerms.cend(); ++it)
        termLine(it.key()).validation->replace(*it);
    rescale(m_terms);
    rescale(m_verdicts);
    // A GAN's two panels and the learning rate do not fit beside its sample grid: a constant
    // learning rate (a flat line; its value is in the settings) gives its place to D(x) vs D(G(z)).
    const QList<QPointF>& lr = m_curves.learningRate;
    const bool constant = std::all_of(lr.cbegin(), lr.cend(), [&](const QPointF& p) { return p.y() == lr.first().y(); });
    m_rate.view->setVisible(!(verdictsShown() && constant));
}

bool TrainingCharts::termsShown() const { return !m_terms.view->isHidden(); }
bool TrainingCharts::verdictsShown() const { return !m_verdicts.view->isHidden(); }

void TrainingCharts::addBatches(const QList<nc::BatchEvent>& batches) {
    if (batches.isEmpty())
        return;
    if (!m_curves.batchLoss.isEmpty() && batchX(batches.first()) <= m_curves.batchLoss.last().x()) {
        // A resumed run starts again at the beginning of the epoch it was stopped in.
        m_curves.dropBatchesAfter(batches.first().epoch - 1);
        rebuildLive();
    }
    for (const nc::BatchEvent& e : batches) {
        const qsizetype before = m_curves.batchLoss.size(), accBefore = m_curves.batchAccuracy.size();
        m_curves.addBatch(e);
        if (m_curves.batchLoss.size() > before) {
            const QPointF& p = m_curves.batchLoss.last();
            m_smoothedLoss.append(QPointF(p.x(), m_lossSmoother.add(p.y())));
        }
        if (m_curves.batchAccuracy.size() > accBefore) {
            const QPointF& p = m_curves.batchAccuracy.last();
            m_smoothedAccuracy.append(QPointF(p.x(), m_accuracySmoother.add(p.y())));
        }
    }
    // One change signal per line and flush, not one per point.
    showDecimated(m_shownRaw, m_curves.batchLoss);
    showDecimated(m_shownSmoothed, m_smoothedLoss);
    showDecimated(m_shownAccuracy, m_smoothedAccuracy);
    showDecimated(m_shownRate, m_curves.learningRate);
    rescale(m_loss);
    rescale(m_accuracy);
    rescale(m_rate);
    updateTerms();
}

void TrainingCharts::showDecimated(Decimated& line, const QList<QPointF>& all) {
    int stride = 1;
    while ((all.size() + stride - 1) / stride > kMaxShownPoints)
        stride *= 2;
    if (stride != line.stride || all.size() < line.consumed) { // thinner, or started again: redraw
        line.stride = stride;
        line.consumed = 0;
        line.tail = false;
        line.series->clear();
    }
    if (all.size() == line.consumed)
        return;
    if (line.tail) // the latest point of the last update makes room for the points after it
        line.series->remove(int(line.series->count() - 1));
    QList<QPointF> fresh;
    // Points on the stride from where the last update stopped.
    qsizetype i = (line.consumed + line.stride - 1) / line.stride * line.stride;
    for (; i < all.size(); i += line.stride)
        fresh.append(all[i]);
    line.tail = (all.size() - 1) % line.stride != 0;
    if (line.tail)
        fresh.append(all.last());
    line.consumed = all.size();
    if (line.series->count() == 0)
        line.series->replace(fresh);
    else
        line.series->append(fresh);
}

void TrainingCharts::addEpoch(const nc::EpochEvent& epoch) {
    m_curves.addEpoch(epoch);
    for (QXYSeries* s :
         {static_cast<QXYSeries*>(m_lossValidation), static_cast<QXYSeries*>(m_lossValidationDots)})
        s->replace(m_curves.validationLoss);
    for (QXYSeries* s :
         {static_cast<QXYSeries*>(m_accuracyValidation), static_cast<QXYSeries*>(m_accuracyValidationDots)})
        s->replace(m_curves.validationAccuracy);
    rescale(m_loss);
    rescale(m_accuracy);
    updateTerms();
}

void TrainingCharts::showRun(const RunCurves& curves) {
    m_curves = curves;
    rebuildLive();
}

void TrainingCharts::rebuildLive() {
    m_lossSmoother.reset();
    m_accuracySmoother.reset();
    m_smoothedLoss.clear();
    m_smoothedAccuracy.clear();
    for (const QPointF& p : m_curves.batchLoss)
        m_smoothedLoss.append(QPointF(p.x(), m_lossSmoother.add(p.y())));
    for (const QPointF& p : m_curves.batchAccuracy)
        m_smoothedAccuracy.append(QPointF(p.x(), m_accuracySmoother.add(p.y())));
    for (Decimated* line : {&m_shownRaw, &m_shownSmoothed, &m_shownAccuracy, &m_shownRate}) {
        line->consumed = 0;
        line->tail = false;
        line->series->clear();
    }
    showDecimated(m_shownRaw, m_curves.batchLoss);
    showDecimated(m_shownSmoothed, m_smoothedLoss);
    showDecimated(m_shownAccuracy, m_smoothedAccuracy);
    showDecimated(m_shownRate, m_curves.learningRate);
    m_lossValidation->replace(m_curves.validationLoss);
    m_lossValidationDots->replace(m_curves.validationLoss);
    m_accuracyValidation->replace(m_curves.validationAccuracy);
    m_accuracyValidationDots->replace(m_curves.validationAccuracy);
    rescale(m_loss);
    rescale(m_accuracy);
    rescale(m_rate);
    clearTerms();
    updateTerms();
}

void TrainingCharts::setOverlays(const QList<Overlay>& runs) {
    for (QXYSeries* s : std::as_const(m_overlaySeries)) {
        s->chart()->removeSeries(s);
        delete s;
    }
    m_overlaySeries.clear();
    int i = 0;
    for (const Overlay& run : runs) {
        const QColor color = kOverlayColors[i++ % std::size(kOverlayColors)];
        auto add = [&](Panel& panel, const QString& what, const QList<QPointF>& points, Qt::PenStyle style) {
            if (points.isEmpty())
                return;
            auto* s = new QLineSeries(this);
            s->setName(QStringLiteral("%1 · %2").arg(run.name, what));
            QPen pen(color);
            pen.setWidthF(1.5);
            pen.setStyle(style);
            s->setPen(pen);
            s->replace(points);
            panel.chart->addSeries(s);
            s->attachAxis(panel.x);
            s->attachAxis(panel.y);
            watchHover(s, what);
            m_overlaySeries.append(s);
        };
        add(m_loss, tr("training"), Smoother::smooth(run.curves.batchLoss), Qt::SolidLine);
        add(m_loss, tr("validation"), run.curves.validationLoss, Qt::DashLine);
        add(m_accuracy, tr("training"), Smoother::smooth(run.curves.batchAccuracy), Qt::SolidLine);
        add(m_accuracy, tr("validation"), run.curves.validationAccuracy, Qt::DashLine);
        add(m_rate, tr("learning rate"), run.curves.learningRate, Qt::SolidLine);
    }
    rescale(m_loss);
    rescale(m_accuracy);
    rescale(m_rate);
}

void TrainingCharts::rescale(Panel& panel) {
    double xMax = 0, yMin = 0, yMax = 0;
    bool any = false;
    for (QAbstractSeries* a : panel.chart->series()) {
        const auto* s = static_cast<const QXYSeries*>(a);
        for (const QPointF& p : s->points()) {
            xMax = std::max(xMax, p.x());
            yMin = any ? std::min(yMin, p.y()) : p.y();
            yMax = any ? std::max(yMax, p.y()) : p.y();
            any = true;
        }
    }
    panel.x->setRange(0, std::max(1.0, std::ceil(xMax - 1e-9)));
    // The small panels of a generative run's row keep to a few ticks their labels have room for.
    const bool narrow = panel.chart == m_terms.chart || panel.chart == m_verdicts.chart;
    const double epochs = std::ceil(xMax - 1e-9);
    if (narrow && epochs > 3 && std::fmod(epochs, 3.0) == 0)
        panel.x->setTickCount(4);
    else if (narrow && epochs > 3)
        panel.x->setTickCount(epochs <= 4 ? int(epochs) + 1 : 3);
    else
        panel.x->setTickCount(int(std::min(11.0, std::max(2.0, epochs + 1))));
    if (panel.chart == m_accuracy.chart || panel.chart == m_verdicts.chart) {
        panel.y->setRange(0, 1); // accuracy and D's probability read against their whole range
        return;
    }
    if (!any) {
        panel.y->setRange(0, 1);
        return;
    }
    const double lo = std::min(0.0, yMin), hi = niceCeiling(yMax * 1.05);
    panel.y->setRange(lo, hi > lo ? hi : lo + 1);
}

const QXYSeries* TrainingCharts::liveSeries(const QString& series) const {
    for (const QXYSeries* s :
         {static_cast<const QXYSeries*>(m_lossRaw), static_cast<const QXYSeries*>(m_lossSmoothed),
          static_cast<const QXYSeries*>(m_lossValidation), static_cast<const QXYSeries*>(m_accuracyTrain),
          static_cast<const QXYSeries*>(m_accuracyValidation), static_cast<const QXYSeries*>(m_learningRate)})
        if (s->objectName() == series)
            return s;
    if (series.startsWith(QLatin1String("term:"))) {
        const auto it = m_termLines.constFind(series.mid(5));
        if (it != m_termLines.cend())
            return it->line;
    }
    return nullptr;
}

int TrainingCharts::pointCount(const QString& series) const {
    const QXYSeries* s = liveSeries(series);
    return s ? int(s->count()) : -1;
}

bool TrainingCharts::saveImage(const QString& path) const {
    QPixmap image(size() * devicePixelRatioF());
    image.setDevicePixelRatio(devicePixelRatioF());
    image.fill(palette().color(QPalette::Window));
    const_cast<TrainingCharts*>(this)->render(&image);
    return image.save(path, "PNG");
}

bool TrainingCharts::saveCsv(const QString& path, QString* error) const {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text | QIODevice::Truncate)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QTextStream out(&file);
    out << "series,epoch,value\n";
    auto write = [&out](const char* name, const QList<QPointF>& points) {
        for (const QPointF& p : points)
            out << name << ',' << QString::number(p.x(), 'g', 10) << ',' << QString::number(p.y(), 'g', 10)
                << '\n';
    };
    write("batch_loss", m_curves.batchLoss);
    write("batch_loss_smoothed", Smoother::smooth(m_curves.batchLoss));
    write("batch_accuracy", m_curves.batchAccuracy);
    write("learning_rate", m_curves.learningRate);
    write("train_loss", m_curves.trainLoss);
    write("train_accuracy", m_curves.trainAccuracy);
    write("val_loss", m_curves.validationLoss);
    write("val_accuracy", m_curves.validationAccuracy);
    for (auto it = m_curves.batchTerms.cbegin(); it != m_curves.batchTerms.cend(); ++it)
        write(("batch_term:" + it.key()).toUtf8().constData(), *it);
    for (auto it = m_curves.validationTerms.cbegin(); it != m_curves.validationTerms.cend(); ++it)
        write(("val_term:" + it.key()).toUtf8().constData(), *it);
    out.flush();
    if (out.status() != QTextStream::Ok || !file.flush()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void TrainingCharts::applyTheme() {
    const QChart::ChartTheme theme =
        Theme::instance().isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    for (Panel* p : {&m_loss, &m_accuracy, &m_terms, &m_verdicts, &m_rate}) {
        // setTheme resets series colours: keep ours.
        QList<QPen> pens;
        QList<QColor> colors;
        for (QAbstractSeries* a : p->chart->series()) {
            pens.append(static_cast<QXYSeries*>(a)->pen());
            colors.append(static_cast<QXYSeries*>(a)->color());
        }
        p->chart->setTheme(theme);
        p->chart->setAnimationOptions(QChart::NoAnimation);
        const QList<QAbstractSeries*> series = p->chart->series();
        for (int i = 0; i < series.size(); ++i) {
            auto* s = static_cast<QXYSeries*>(series[i]);
            if (auto* dots = qobject_cast<QScatterSeries*>(s)) {
                dots->setColor(colors[i]);
                dots->setBorderColor(colors[i]);
            } else {
                s->setPen(pens[i]);
            }
        }
    }
    QFont small = font(); // the terms panel's legend names three lines in a narrow panel
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_terms.chart->legend()->setFont(small);
}

void TrainingCharts::setAccuracyShown(bool shown) { m_accuracy.view->setVisible(shown); }
bool TrainingCharts::accuracyShown() const { return !m_accuracy.view->isHidden(); }

} // namespace nc::ui
