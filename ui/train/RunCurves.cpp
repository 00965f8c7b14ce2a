#include "train/RunCurves.h"

#include "util/Json.h"

#include <QFile>

#include <cmath>

namespace nc::ui {

namespace {
void addFinite(QList<QPointF>& series, double x, double y) {
    if (std::isfinite(x) && std::isfinite(y)) // a diverged run's NaN would break the axes
        series.append(QPointF(x, y));
}
double number(const nc::Json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : NAN; // NaN is written as null
}
} // namespace

double batchX(const nc::BatchEvent& e) {
    return double(e.epoch - 1) + double(e.batch) / double(std::max<std::int64_t>(1, e.batchesPerEpoch));
}

void RunCurves::addBatch(const nc::BatchEvent& e) {
    const double x = batchX(e);
    addFinite(batchLoss, x, e.loss);
    addFinite(batchAccuracy, x, e.accuracy);
    addFinite(learningRate, x, e.learningRate);
    for (auto it = e.terms.begin(); it != e.terms.end(); ++it)
        if (it.value().is_number())
            addFinite(batchTerms[QString::fromStdString(it.key())], x, it.value().get<double>());
}

void RunCurves::dropBatchesAfter(double epoch) {
    const auto later = [epoch](const QPointF& p) { return p.x() > epoch; };
    for (QList<QPointF>* s : {&batchLoss, &batchAccuracy, &learningRate})
        s->removeIf(later);
    for (QList<QPointF>& s : batchTerms)
        s.removeIf(later);
}

void RunCurves::addEpoch(const nc::EpochEvent& e) {
    addFinite(trainLoss, e.epoch, e.trainLoss);
    addFinite(trainAccuracy, e.epoch, e.trainAccuracy);
    addFinite(validationLoss, e.epoch, e.validationLoss);
    addFinite(validationAccuracy, e.epoch, e.validationAccuracy);
    for (auto it = e.validationTerms.begin(); it != e.validationTerms.end(); ++it)
        if (it.value().is_number())
            addFinite(validationTerms[QString::fromStdString(it.key())], e.epoch, it.value().get<double>());
}

RunCurves RunCurves::fromMetricsFile(const QString& path, QString* error) {
    RunCurves curves;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return curves;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const nc::Json j = nc::Json::parse(line.toStdString(), nullptr, false);
        if (!j.is_object())
            continue;
        const std::string event =
            j.contains("event") && j["event"].is_string() ? j["event"].get<std::string>() : "";
        if ((event == "batch" || event == "epoch") && !(number(j, "epoch") >= 1))
            continue;
        if (event == "start" && number(j, "resumed_from_epoch") > 0) {
            // A resumed run repeats the epoch it was stopped in: drop what it redoes.
            curves.dropBatchesAfter(number(j, "resumed_from_epoch"));
        } else if (event == "batch") {
            nc::BatchEvent e;
            e.epoch = int(number(j, "epoch"));
            e.batch = std::int64_t(std::max(0.0, number(j, "batch")));
            e.batchesPerEpoch = std::int64_t(std::max(1.0, number(j, "batches")));
            e.loss = number(j, "loss");
            e.accuracy = number(j, "accuracy");
            e.learningRate = number(j, "lr");
            if (j.contains("terms") && j["terms"].is_object())
                e.terms = j["terms"];
            curves.addBatch(e);
        } else if (event == "epoch") {
            nc::EpochEvent e;
            e.epoch = int(number(j, "epoch"));
            e.trainLoss = number(j, "train_loss");
            e.trainAccuracy = number(j, "train_accuracy");
            e.validationLoss = number(j, "val_loss");
            e.validationAccuracy = number(j, "val_accuracy");
            if (j.contains("val_terms") && j["val_terms"].is_object())
                e.validationTerms = j["val_terms"];
            curves.addEpoch(e);
        }
    }
    return curves;
}

double Smoother::add(double value) {
    m_average = m_weight * m_average + (1 - m_weight) * value;
    ++m_count;
    return m_average / (1 - std::pow(m_weight, m_count));
}

QList<QPointF> Smoother::smooth(const QList<QPointF>& raw, double weight) {
    Smoother s(weight);
    QList<QPointF> out;
    out.reserve(raw.size());
    for (const QPointF& p : raw)
        out.append(QPointF(p.x(), s.add(p.y())));
    return out;
}

} // namespace nc::ui
