#include "deploy/DeployTab.h"

#include "engine/EngineController.h"
#include "imaging/Imaging.h"
#include "serve/HttpServer.h"
#include "serve/InferenceService.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QCheckBox>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QValueAxis>
#include <QFontDatabase>
#include <QRegularExpression>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <thread>
#include <utility>

namespace nc::ui {

// A running server: the service (which owns the models and their threads), the HTTP server and
// the thread that runs it. Destroying it stops the server, then the models.
struct DeployTab::Server {
    std::unique_ptr<serve::InferenceService> service;
    std::unique_ptr<serve::HttpServer> http;
    std::thread thread;
    QString name, url;
    Shape input;
    ~Server() {
        if (http)
            http->stop();
        if (thread.joinable())
            thread.join();
        http.reset();
        service.reset();
    }
};

DeployTab::DeployTab(EngineController* engine, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_timer(new QTimer(this)), m_network(new QNetworkAccessManager(this)) {
    setObjectName(QStringLiteral("deployTab"));
    auto* column = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("<b>Serve a trained model</b> over the KServe v2 and TF Serving REST APIs on this "
                                "machine (127.0.0.1), as <code>neuralcanvas-cli serve</code> does. See "
                                "docs/SERVING.md for every endpoint."),
                             this);
    intro->setWordWrap(true);
    column->addWidget(intro);
    auto* form = new QFormLayout;
    auto* modelRow = new QHBoxLayout;
    m_model = new QLineEdit(this);
    m_model->setObjectName(QStringLiteral("deployModel"));
    m_model->setAccessibleName(tr("Model to serve"));
    m_model->setPlaceholderText(tr("A trained model (.ncmodel): the selected run's best model by default"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(browse);
    form->addRow(tr("Model:"), modelRow);
    m_follow = new QCheckBox(tr("Follow the running training: serve each new best model as soon as the run saves it"),
                             this);
    m_follow->setObjectName(QStringLiteral("deployFollow"));
    m_follow->setToolTip(tr("The new model replaces the served one without failing a request; the model's version "
                            "counts up, so clients can see which one answered"));
    form->addRow(QString(), m_follow);
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("deployPort"));
    m_port->setRange(0, 65535);
    m_port->setValue(8080);
    m_port->setToolTip(tr("0 picks a free port"));
    form->addRow(tr("Port:"), m_port);
    column->addLayout(form);
    auto* buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("Start Serving"), this);
    m_start->setObjectName(QStringLiteral("deployStart"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("deployStop"));
    m_stop->setEnabled(false);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    column->addLayout(buttons);
    m_status = new QLabel(tr("Not serving."), this);
    m_status->setObjectName(QStringLiteral("deployStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_status);
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("deployStats"));
    column->addWidget(m_stats);
    auto* tryRow = new QHBoxLayout;
    m_try = new QPushButton(tr("Try It with an Image…"), this);
    m_try->setObjectName(QStringLiteral("deployTry"));
    m_try->setToolTip(tr("Send an image file through the server's HTTP API (:classify), as a client would"));
    m_try->setEnabled(false);
    m_tryResult = new QLabel(this);
    m_tryResult->setObjectName(QStringLiteral("deployTryResult"));
    m_tryResult->setWordWrap(true);
    tryRow->addWidget(m_try);
    tryRow->addWidget(m_tryResult, 1);
    column->addLayout(tryRow);

    // Live: requests/s (left axis) and p50/p99 latency in ms (right axis), one point a second.
    m_chart = new QChart;
    m_chart->setTitle(tr("Requests per second and latency"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_rate = new QLineSeries;
    m_rate->setName(tr("requests/s"));
    m_p50 = new QLineSeries;
    m_p50->setName(tr("p50 latency (ms)"));
    m_p99 = new QLineSeries;
    m_p99->setName(tr("p99 latency (ms)"));
    m_x = new QValueAxis;
    m_x->setTitleText(tr("seconds"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_yRate = new QValueAxis;
    m_yRate->setLabelFormat(QStringLiteral("%.0f"));
    m_yLatency = new QValueAxis;
    m_yLatency->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_yRate, Qt::AlignLeft);
    m_chart->addAxis(m_yLatency, Qt::AlignRight);
    for (QLineSeries* s : {m_rate, m_p50, m_p99}) {
        m_chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(s == m_rate ? m_yRate : m_yLatency);
    }
    auto* chartView = new QChartView(m_chart, this);
    chartView->setObjectName(QStringLiteral("deployChart"));
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(220);
    column->addWidget(chartView, 1);
    column->addWidget(new QLabel(tr("<b>Clients</b> (copy and run):"), this));
    m_snippets = new QPlainTextEdit(this);
    m_snippets->setObjectName(QStringLiteral("deploySnippets"));
    m_snippets->setReadOnly(true);
    m_snippets->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    column->addWidget(m_snippets, 1);

    connect(m_model, &QLineEdit::textEdited, this, [this] { m_chosen = true; });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start = m_model->text().isEmpty() ? QString() : QFileInfo(m_model->text()).absolutePath();
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Model to serve"), start, tr("NeuralCanvas models (*.ncmodel)"));
        if (!path.isEmpty())
            setModelPath(path);
    });
    connect(m_try, &QPushButton::clicked, this, [this] {
        const QString start = m_model->text().isEmpty() ? QString() : QFileInfo(m_model->text()).absolutePath();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Try It with an Image"), start,
            tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)"));
        if (!path.isEmpty())
            tryImage(path);
    });
    // A training run's new best model: offered when not serving, swapped in when following.
    connect(m_engine, &EngineController::trainingStarted, this,
            [this](const TrainingStart& start) { m_runDir = QString::fromStdString(start.runDir); });
    connect(m_engine, &EngineController::trainingFinished, this, [this] { m_runDir.clear(); });
    connect(m_engine, &EngineController::trainingEpoch, this, [this](const nc::EpochEvent& epoch) {
        if (!epoch.improved || m_runDir.isEmpty() || !m_follow->isChecked())
            return;
        const QString best = QDir(m_runDir).filePath(QStringLiteral("best.ncmodel"));
        if (m_server)
            swapIn(best);
        else
            m_model->setText(best);
    });
    connect(m_start, &QPushButton::clicked, this, &DeployTab::start);
    connect(m_stop, &QPushButton::clicked, this, &DeployTab::stop);
    connect(m_timer, &QTimer::timeout, this, &DeployTab::updateStats);
    m_timer->setInterval(1000);
}

DeployTab::~DeployTab() {
    m_server.reset(); // closing the window stops the server (the engine may be gone already)
}

void DeployTab::setModelPath(const QString& path) {
    m_chosen = true;
    m_model->setText(path);
}
QString DeployTab::modelPath() const { return m_model->text(); }
void DeployTab::setPort(int port) { m_port->setValue(port); }
QString DeployTab::statusText() const { return m_status->text(); }
QString DeployTab::snippets() const { return m_snippets->toPlainText(); }

void DeployTab::showEvent(QShowEvent* event) {
    if (!m_chosen && m_provider && !m_server) {
        const QString offered = m_provider();
        if (!offered.isEmpty())
            m_model->setText(offered);
    }
    QWidget::showEvent(event);
}

int DeployTab::chartPoints() const { return int(m_rate->count()); }

void DeployTab::setFollowTraining(bool follow) { m_follow->setChecked(follow); }
bool DeployTab::followsTraining() const { return m_follow->isChecked(); }
QString DeployTab::servedVersion() const { return m_server ? QString::number(m_version) : QString(); }

void DeployTab::swapIn(const QString& path) {
    if (m_swapping) { // one load at a time; the newest best is taken once this one is in
        m_pendingSwap = path;
        return;
    }
    m_swapping = true;
    const int version = m_version + 1;
    // Loading is torch work: on the engine thread, between the training's batches.
    m_engine->run<bool>(
        [server = m_server, path, version] {
            server->service->swapModel(server->name.toStdString(), path.toStdString(), std::to_string(version));
            return true;
        },
        this,
        [this, server = m_server, path, version](bool) {
            m_swapping = false;
            if (server != m_server)
                return; // stopped meanwhile
            m_version = version;
            m_model->setText(path);
            m_status->setText(tr("Serving %1 version %2 at %3: the running training's best model so far.")
                                  .arg(m_server->name)
                                  .arg(version)
                                  .arg(m_url));
            Q_EMIT modelSwapped(path, QString::number(version));
            if (!m_pendingSwap.isEmpty())
                swapIn(std::exchange(m_pendingSwap, QString()));
        },
        [this, version](QString message) {
            m_swapping = false;
            m_status->setText(tr("Could not serve the run's new best model (%1); still serving version %2.")
                                  .arg(message)
                                  .arg(version - 1));
            Q_EMIT failed(message);
        });
}

void DeployTab::tryImage(const QString& path) {
    if (!m_server)
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > (8 << 20)) {
        const QString why = tr("Cannot send %1: it cannot be read or is over 8 MB.").arg(QFileInfo(path).fileName());
        m_tryResult->setText(why);
        Q_EMIT tried(why);
        return;
    }
    QNetworkRequest request(QUrl(m_url + QStringLiteral("/v1/models/") + m_server->name + QStringLiteral(":classify?top=3")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/octet-stream"));
    m_tryResult->setText(tr("Sending %1…").arg(QFileInfo(path).fileName()));
    QNetworkReply* reply = m_network->post(request, file.readAll());
    connect(reply, &QNetworkReply::finished, this, [this, reply, name = QFileInfo(path).fileName()] {
        reply->deleteLater();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        QString text;
        if (reply->error() == QNetworkReply::NoError) {
            QStringList top;
            for (const QJsonValue& p : answer.value(QStringLiteral("predictions")).toArray())
                top << QStringLiteral("%1 %2 %").arg(p[QStringLiteral("label")].toString())
                           .arg(p[QStringLiteral("probability")].toDouble() * 100, 0, 'f', 1);
            text = tr("%1 → %2 (over HTTP, %3)").arg(name, top.join(QStringLiteral(", ")), m_url);
        } else {
            const QString why = answer.value(QStringLiteral("error")).toString();
            text = tr("%1 was not classified: %2").arg(name, why.isEmpty() ? reply->errorString() : why);
        }
        m_tryResult->setText(text);
        Q_EMIT tried(text);
    });
}

void DeployTab::setBusy(bool busy) {
    m_try->setEnabled(!busy && m_server);
    m_start->setEnabled(!busy && !m_server);
    m_stop->setEnabled(!busy && m_server);
    m_model->setEnabled(!busy && !m_server);
    m_port->setEnabled(!busy && !m_server);
}

void DeployTab::start() {
    if (m_server)
        return;
    if (!m_chosen && m_provider && m_model->text().isEmpty())
        m_model->setText(m_provider());
    const QString path = m_model->text();
    if (path.isEmpty()) {
        m_status->setText(tr("Choose a trained model first: train the network, or Browse… for a .ncmodel."));
        return;
    }
    const int port = m_port->value();
    setBusy(true);
    m_status->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    // Loading is torch work: on the engine thread. The server then answers on its own threads.
    m_engine->run<std::shared_ptr<Server>>(
        [path, port] {
            auto server = std::make_shared<Server>();
            QFileInfo info(path);
            QString name = info.completeBaseName();
            if ((name == QLatin1String("best") || name == QLatin1String("last")) && !info.dir().dirName().isEmpty())
                name = info.dir().dirName();
            name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
            server->name = name;
            server->service = std::make_unique<serve::InferenceService>(serve::ServeLimits{}, 1);
            server->service->addModel(name.toStdString(), path.toStdString());
            // Pictures (:classify, b64) are decoded and fitted as the Inspect tab does.
            server->service->setImageDecoder([](const std::string& bytes, std::int64_t c, std::int64_t h,
                                                std::int64_t w) {
                return prepareImageForModel(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "the image",
                                            {c, h, w})
                    .pixels;
            });
            server->input = server->service->inputShape(name.toStdString()); // loaded once, by the service
            server->http = std::make_unique<serve::HttpServer>(*server->service, "127.0.0.1",
                                                               static_cast<unsigned short>(port), 1, false);
            server->url = QString::fromStdString(server->http->url());
            serve::HttpServer* http = server->http.get();
            server->thread = std::thread([http] { http->run(false); });
            return server;
        },
        this,
        [this](std::shared_ptr<Server> server) {
            m_server = std::move(server);
            m_url = m_server->url;
            m_version = 1;
            m_pendingSwap.clear();
            const Shape& s = m_server->input;
            const QString shape = QStringLiteral("[1, %1, %2, %3]").arg(s[0]).arg(s[1]).arg(s[2]);
            m_status->setText(tr("Serving %1 at %2 (KServe v2: %2/v2/models/%1/infer; input %3, pixels in [0, 1]).")
                                  .arg(m_server->name, m_url, shape));
            const QString n = m_server->name;
            m_snippets->setPlainText(
                QStringLiteral("# curl: classify a picture\n"
                               "curl -s -X POST --data-binary @photo.png -H 'Content-Type: image/png' "
                               "'%1/v1/models/%2:classify?top=3'\n"
                               "curl -s %1/v2/models/%2   # inputs, outputs, class names\n\n"
                               "# Python (standard library): KServe v2 JSON tensors\n"
                               "import json, urllib.request\n"
                               "pixels = [0.0] * %4  # the image, %3, values in [0, 1]\n"
                               "body = {\"inputs\": [{\"name\": \"input\", \"shape\": %3, \"datatype\": \"FP32\", "
                               "\"data\": pixels}]}\n"
                               "req = urllib.request.Request(\"%1/v2/models/%2/infer\", json.dumps(body).encode(),\n"
                               "                             {\"Content-Type\": \"application/json\"})\n"
                               "print(json.load(urllib.request.urlopen(req))[\"outputs\"][1][\"data\"])\n\n"
                               "// JavaScript (browser or Node 18+): a file from an <input type=file>\n"
                               "const r = await fetch(\"%1/v1/models/%2:classify\", {method: \"POST\", body: file});\n"
                               "console.log((await r.json()).predictions);\n")
                    .arg(m_url, n, shape)
                    .arg(s[0] * s[1] * s[2]));
            m_lastAnswered = m_lastRefused = 0;
            m_lastBuckets.clear();
            m_second = 0;
            for (QLineSeries* s : {m_rate, m_p50, m_p99})
                s->clear();
            setBusy(false);
            updateStats();
            m_timer->start();
            Q_EMIT servingChanged(true);
        },
        [this](QString message) {
            setBusy(false);
            m_status->setText(tr("Could not start serving: %1").arg(message));
            Q_EMIT failed(message);
        });
}

void DeployTab::stop() {
    if (!m_server)
        return;
    m_timer->stop();
    std::shared_ptr<Server> server = std::move(m_server);
    m_url.clear();
    setBusy(true);
    m_status->setText(tr("Stopping…"));
    // Stopping waits for requests in flight (at most ~0.8 s): on the engine thread, not here.
    m_engine->run<bool>(
        [server]() mutable {
            server.reset();
            return true;
        },
        this,
        [this](bool) {
            setBusy(false);
            m_status->setText(tr("Not serving."));
            m_stats->clear();
            Q_EMIT servingChanged(false);
        });
    server.reset();
}

void DeployTab::updateStats() {
    if (!m_server)
        return;
    const serve::InferenceService::Counts c = m_server->service->counts();
    // This second's requests and latency percentiles (from the histogram's new counts: each
    // percentile is the upper bound of the bucket it falls in).
    const serve::InferenceService::LatencyBuckets h = m_server->service->latency();
    if (m_lastBuckets.size() != h.counts.size())
        m_lastBuckets.assign(h.counts.size(), 0);
    std::vector<std::uint64_t> fresh(h.counts.size());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i)
        total += fresh[i] = h.counts[i] - std::min(h.counts[i], m_lastBuckets[i]);
    auto percentile = [&](double q) {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            seen += fresh[i];
            if (total && double(seen) >= q * double(total))
                return i < h.bounds.size() ? h.bounds[i] * 1000 : h.bounds.back() * 1000;
        }
        return 0.0;
    };
    const double rate = double((c.answered + c.refused) - (m_lastAnswered + m_lastRefused));
    m_lastBuckets = h.counts;
    m_lastAnswered = c.answered;
    m_lastRefused = c.refused;
    ++m_second;
    m_rate->append(m_second, rate);
    m_p50->append(m_second, percentile(0.5));
    m_p99->append(m_second, percentile(0.99));
    for (QLineSeries* s : {m_rate, m_p50, m_p99})
        if (s->count() > 300)
            s->removePoints(0, s->count() - 300);
    m_x->setRange(std::max(0, m_second - 300), std::max(10, m_second));
    double topRate = 1, topLatency = 1;
    for (const QPointF& p : m_rate->points())
        topRate = std::max(topRate, p.y());
    for (const QPointF& p : m_p99->points())
        topLatency = std::max(topLatency, p.y());
    m_yRate->setRange(0, topRate * 1.15);
    m_yLatency->setRange(0, topLatency * 1.15);
    m_stats->setText(tr("%1 requests answered · %2 refused · %3 in flight · %4 images per forward pass on average")
                         .arg(c.answered)
                         .arg(c.refused)
                         .arg(m_server->service->inFlight())
                         .arg(h.batches ? h.batchImagesSum / double(h.batches) : 0.0, 0, 'f', 1));
}

} // namespace nc::ui
