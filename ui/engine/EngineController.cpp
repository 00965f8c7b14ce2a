#include "engine/EngineController.h"

#include "util/Threads.h"

#include <QThread>

namespace nc::ui {

EngineController::EngineController(int threads, QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new QObject) {
    m_thread->setObjectName(QStringLiteral("NeuralCanvas engine"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    post([threads] { prepareTorchThread(threads); });
}

EngineController::~EngineController() {
    m_thread->quit(); // queued jobs before this point still run; nothing is terminated
    m_thread->wait();
}

void EngineController::post(std::function<void()> job) {
    QMetaObject::invokeMethod(m_worker, std::move(job), Qt::QueuedConnection);
}

bool EngineController::isEngineThread() const { return QThread::currentThread() == m_thread; }

} // namespace nc::ui
