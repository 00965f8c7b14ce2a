#pragma once
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace nc::ui {

class EngineController;

// The Deploy tab: serves a trained model over KServe v2 / TF Serving REST on this machine
// (core/serve, the library behind `neuralcanvas-cli serve`), with the URL, client snippets filled
// in for this model and the server's live request counts. Loading and stopping run on the engine
// thread; the server answers on threads of its own, so the window never waits on it. Closing the
// window stops the server.
class DeployTab final : public QWidget {
    Q_OBJECT
  public:
    DeployTab(EngineController* engine, QWidget* parent = nullptr);
    ~DeployTab() override;

    // The model offered when nothing was chosen here (the Train tab's selected or newest run's).
    void setModelProvider(std::function<QString()> provider) { m_provider = std::move(provider); }
    void setModelPath(const QString& path); // as a user's choice
    QString modelPath() const;
    void setPort(int port); // 0 picks a free port

    void start();
    void stop();
    bool isServing() const { return static_cast<bool>(m_server); }
    QString url() const { return m_url; }      // "" while not serving
    QString statusText() const;                // what the tab says about the server
    QString snippets() const;                  // the curl / Python / JavaScript examples shown

  Q_SIGNALS:
    void servingChanged(bool serving); // after start succeeded or stop finished
    void failed(const QString& message);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Server;
    void updateStats();
    void setBusy(bool busy);

    EngineController* m_engine;
    std::function<QString()> m_provider;
    bool m_chosen = false;
    QLineEdit* m_model;
    QSpinBox* m_port;
    QPushButton* m_start;
    QPushButton* m_stop;
    QLabel* m_status;
    QLabel* m_stats;
    QPlainTextEdit* m_snippets;
    QTimer* m_timer;
    std::shared_ptr<Server> m_server;
    QString m_url;
};

} // namespace nc::ui
