#pragma once
#include <QWidget>

#include <functional>
#include <memory>

class QChart;
class QCheckBox;
class QLabel;
class QLineSeries;
class QNetworkAccessManager;
class QValueAxis;
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
    // "Try it": sends the image file through the server's own HTTP API (:classify); the answer
    // arrives as tried() and in the tab.
    void tryImage(const QString& path);
    int chartPoints() const; // seconds charted so far
    // Follow the running training: each new best model a run saves replaces the served one (a
    // hot swap with no failed request; the served version counts up), as `serve --watch` does.
    void setFollowTraining(bool follow);
    bool followsTraining() const;
    QString servedVersion() const; // "" while not serving

  Q_SIGNALS:
    void servingChanged(bool serving); // after start succeeded or stop finished
    void failed(const QString& message);
    void tried(const QString& answer); // the top classes, or why the request failed
    void modelSwapped(const QString& path, const QString& version); // a run's new best is served

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Server;
    void updateStats();
    void setBusy(bool busy);
    void swapIn(const QString& path);

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
    QLabel* m_tryResult;
    QPushButton* m_try;
    QCheckBox* m_follow;
    QString m_runDir;  // the running training's folder, while one runs
    int m_version = 1; // of the served model; each swap adds one
    bool m_swapping = false;
    QString m_pendingSwap; // a newer best that arrived while a swap was loading
    QNetworkAccessManager* m_network;
    QChart* m_chart;
    QLineSeries* m_rate;
    QLineSeries* m_p50;
    QLineSeries* m_p99;
    QValueAxis* m_x;
    QValueAxis* m_yRate;
    QValueAxis* m_yLatency;
    int m_second = 0;
    std::uint64_t m_lastAnswered = 0, m_lastRefused = 0;
    std::vector<std::uint64_t> m_lastBuckets;
    std::shared_ptr<Server> m_server;
    QString m_url;
};

} // namespace nc::ui
