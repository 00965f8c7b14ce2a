#pragma once
#include <QObject>

#include <functional>
#include <memory>

class QThread;

namespace nc::ui {

// The one thread that runs torch work for the app (DESIGN §6): jobs are queued to it and their
// results come back to the GUI thread as queued calls carrying plain values. The GUI thread
// never blocks on torch; the destructor lets the running job finish, then quits and waits.
class EngineController final : public QObject {
    Q_OBJECT
public:
    explicit EngineController(int threads = 0, QObject* parent = nullptr);
    ~EngineController() override;

    // Runs `job` on the engine thread, then `done(result)` on `context`'s thread (dropped if
    // `context` is gone by then). Exceptions from `job` arrive as `failed(message)` instead.
    template <typename R>
    void run(std::function<R()> job, QObject* context, std::function<void(R)> done,
             std::function<void(QString)> failed = {}) {
        post([job = std::move(job), context, done = std::move(done), failed = std::move(failed)] {
            try {
                R result = job();
                QMetaObject::invokeMethod(context, [done, result] { done(result); }, Qt::QueuedConnection);
            } catch (const std::exception& e) {
                const QString message = QString::fromUtf8(e.what());
                if (failed)
                    QMetaObject::invokeMethod(context, [failed, message] { failed(message); }, Qt::QueuedConnection);
            }
        });
    }

    void post(std::function<void()> job); // runs on the engine thread, in order
    bool isEngineThread() const;

private:
    QThread* m_thread;
    QObject* m_worker; // lives on m_thread; jobs are invoked on it
};

} // namespace nc::ui
