#include "deploy/DeployTab.h"

#include "engine/EngineController.h"
#include "nn/Model.h"
#include "serve/HttpServer.h"
#include "serve/InferenceService.h"

#include <QFileDialog>
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
    : QWidget(parent), m_engine(engine), m_timer(new QTimer(this)) {
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

void DeployTab::setBusy(bool busy) {
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
            server->input = Model::load(path.toStdString()).inputShape();
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
    m_stats->setText(tr("%1 requests answered · %2 refused · %3 in flight")
                         .arg(c.answered)
                         .arg(c.refused)
                         .arg(m_server->service->inFlight()));
}

} // namespace nc::ui
