#include "train/RunImport.h"

#include "document/Document.h"
#include "io/Safetensors.h"
#include "model/GraphModel.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

namespace nc::ui {

namespace {
constexpr qint64 kMaxMetricsBytes = 256ll << 20; // a metrics log larger than this is not read

// The start event and the closing event (finished or failed) of a metrics.jsonl; lines that do
// not parse are skipped (a job killed mid-line leaves at most one).
struct LogEnds {
    nc::Json start, end;
    bool readable = false;
};
LogEnds readEnds(const QString& path) {
    LogEnds ends;
    QFile f(path);
    if (f.size() > kMaxMetricsBytes || !f.open(QIODevice::ReadOnly))
        return ends;
    ends.readable = true;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty() || !line.startsWith('{'))
            continue;
        const nc::Json j = nc::Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
        if (!j.is_object())
            continue;
        const std::string event = j.value("event", std::string());
        if (event == "start" && ends.start.is_null())
            ends.start = j;
        else if (event == "finished" || event == "failed")
            ends.end = j;
    }
    return ends;
}
} // namespace

RunImporter::RunImporter(Document* document, QObject* parent)
    : QObject(parent), m_doc(document), m_timer(new QTimer(this)) {
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &RunImporter::poll);
    connect(m_doc->model(), &GraphModel::runsChanged, this, [this] {
        if (following())
            m_timer->start();
        else
            m_timer->stop();
    });
}

nc::Json RunImporter::runEntry(const QString& dir, const QString& id, QString* error) {
    const QFileInfo folder(dir);
    const QString metrics = dir + QStringLiteral("/metrics.jsonl"), best = dir + QStringLiteral("/best.ncmodel");
    if (!folder.isDir()) {
        *error = tr("%1 is not a folder.").arg(dir);
        return {};
    }
    if (!QFileInfo(metrics).isFile() && !QFileInfo(best).isFile()) {
        *error = tr("%1 holds neither metrics.jsonl nor best.ncmodel; choose the run folder a training job "
                    "writes (train.py's --out).")
                     .arg(dir);
        return {};
    }
    if (QFileInfo(best).isFile()) { // its header only: the model itself is opened on the engine thread
        try {
            QFile f(best);
            if (!f.open(QIODevice::ReadOnly))
                throw std::runtime_error("it cannot be read");
            const QByteArray bytes = f.readAll();
            const nc::SafetensorsFile file = nc::parseSafetensors(
                reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()), best.toStdString());
            const auto fmt = file.metadata.find("format");
            if (fmt == file.metadata.end() || fmt->second != "neuralcanvas-model")
                throw std::runtime_error("it is not a NeuralCanvas model");
        } catch (const std::exception& e) {
            *error = tr("%1: %2").arg(best, QString::fromUtf8(e.what()));
            return {};
        }
    }
    const LogEnds ends = readEnds(metrics);
    nc::Json run = {{"id", id.toStdString()},
                    {"dir", folder.absoluteFilePath().toStdString()},
                    {"imported", true},
                    {"started", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()}};
    if (ends.start.is_object() && ends.start.contains("config"))
        run["config"] = ends.start["config"];
    if (ends.start.is_object() && ends.start.contains("world_size"))
        run["world_size"] = ends.start["world_size"];
    if (ends.end.is_object())
        run["result"] = ends.end;
    else if (!ends.readable)
        run["result"] = {{"reason", "completed"}}; // a model without its log: nothing to follow
    error->clear();
    return run;
}

int RunImporter::importRun(const QString& dir, QString* error) {
    GraphModel* model = m_doc->model();
    nc::Json runs = model->project().runs;
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    for (std::size_t i = 0; i < runs.size(); ++i)
        if (runs[i].is_object() && QString::fromStdString(runs[i].value("dir", std::string())) == absolute) {
            *error = tr("%1 is already in the run history.").arg(absolute);
            return -1;
        }
    const QString base = QFileInfo(absolute).fileName().isEmpty() ? QStringLiteral("imported")
                                                                  : QFileInfo(absolute).fileName();
    QString id = base;
    auto taken = [&](const QString& candidate) {
        for (const nc::Json& r : runs)
            if (r.is_object() && r.value("id", std::string()) == candidate.toStdString())
                return true;
        return false;
    };
    for (int n = 2; taken(id); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    nc::Json run = runEntry(absolute, id, error);
    if (run.is_null())
        return -1;
    if (!run.contains("dataset"))
        run["dataset"] = model->project().dataset;
    runs.push_back(run);
    m_sizes[absolute] = QFileInfo(absolute + QStringLiteral("/metrics.jsonl")).size();
    model->setRuns(runs);
    m_doc->undoStack()->resetClean(); // the project now differs from its file (not an undoable edit)
    const int index = int(runs.size()) - 1;
    Q_EMIT runImported(index);
    return index;
}

bool RunImporter::following() const {
    for (const nc::Json& r : m_doc->model()->project().runs)
        if (r.is_object() && r.value("imported", false) && !r.contains("result"))
            return true;
    return false;
}

void RunImporter::poll() {
    nc::Json runs = m_doc->model()->project().runs;
    bool grew = false, ended = false;
    for (nc::Json& run : runs) {
        if (!run.is_object() || !run.value("imported", false) || run.contains("result"))
            continue;
        const QString dir = QString::fromStdString(run.value("dir", std::string()));
        const qint64 size = QFileInfo(dir + QStringLiteral("/metrics.jsonl")).size();
        if (m_sizes.value(dir, -1) == size)
            continue;
        m_sizes[dir] = size;
        grew = true;
        const LogEnds ends = readEnds(dir + QStringLiteral("/metrics.jsonl"));
        if (!run.contains("config") && ends.start.is_object() && ends.start.contains("config"))
            run["config"] = ends.start["config"];
        if (ends.end.is_object()) {
            run["result"] = ends.end;
            ended = true;
        }
    }
    if (ended || grew)
        m_doc->model()->setRuns(runs);
    if (grew)
        Q_EMIT curvesChanged();
}

} // namespace nc::ui
