#pragma once
// Inspect's page for a generative model (issue 16): a walk through its latent space between two
// images dropped on the window (a VAE: their latent means; a GAN: two seeded random latents),
// a 2-D map of test images' latent means coloured by class (the first two principal components
// when the latent is wider), with the two ends marked, and a grid of samples. Every picture is
// computed on the engine thread (EngineController::exploreLatents).
#include "engine/Inspection.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QSpinBox;

namespace nc::ui {
class EngineController;

// Points coloured by class with a legend; A and B drawn as labelled rings.
class LatentScatterView final : public QWidget {
    Q_OBJECT
  public:
    explicit LatentScatterView(QWidget* parent = nullptr);
    void setPoints(std::vector<float> xy, std::vector<std::int64_t> labels, std::vector<std::string> classNames);
    void setMarks(std::optional<std::pair<float, float>> a, std::optional<std::pair<float, float>> b);
    int pointCount() const { return int(m_labels.size()); }
    QSize sizeHint() const override { return {460, 360}; }
    QSize minimumSizeHint() const override { return {300, 240}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    std::vector<float> m_xy;
    std::vector<std::int64_t> m_labels;
    std::vector<std::string> m_classNames;
    std::optional<std::pair<float, float>> m_a, m_b;
};

class LatentView final : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kMapImages = 2000;
    static constexpr int kSamples = 32;

    explicit LatentView(EngineController* engine, QWidget* parent = nullptr);

    // A new model: forgets the images, asks for its map and samples (and a GAN's first pair).
    void setModel(const ModelInfo& info);
    // An image dropped, pasted, opened or picked in Evaluate: the first fills A, the second B,
    // later ones replace the older of the two.
    void addImage(InspectRequest source);
    void setSteps(int steps);
    void swapEnds();
    void newPair();    // a GAN: two other random latents
    void newSamples(); // another seed
    void refresh();    // the same request again (live weights during training)
    // A frozen classifier (.ncmodel) judges `samples` samples: classes covered, confidence,
    // FD-FMNIST beside its real-vs-real floor, distance to the nearest training image.
    void scoreWith(const QString& classifierPath, int samples);
    QString scoreText() const;

    // What a user sees, for tests and screenshots.
    QImage pathImage() const { return m_pathImage; }       // A, the decoded path, B in one row
    QImage samplesImage() const { return m_samplesImage; }
    int pathSteps() const { return m_result ? m_result->steps : 0; }
    int mapPoints() const { return m_scatter->pointCount(); }
    QString statusText() const;
    QString mapCaption() const;
    const LatentResult* lastResult() const { return m_result.get(); }
    bool busy() const { return m_busy; }

  Q_SIGNALS:
    void shown(); // a result or an error has been drawn

  private:
    void request(bool withMap, bool withSamples);
    void onResult(const std::shared_ptr<const LatentResult>& result);
    void onFailed(const QString& message);
    void sendQueued(); // the request asked for while one was on its way
    void openEnd(int end); // 0: A, 1: B
    void saveSamples();
    void chooseClassifier();
    void updateButtons();

    EngineController* m_engine;
    ModelInfo m_info;
    std::optional<InspectRequest> m_a, m_b;
    std::optional<InspectRequest> m_goodA, m_goodB; // the ends of the last walk that worked
    int m_nextEnd = 0;   // the end the next dropped image fills
    int m_newEnd = -1;   // the end a new image went to, until its request is answered
    std::uint64_t m_seedA = 1, m_seedB = 2, m_sampleSeed = 20261203;
    bool m_busy = false, m_again = false, m_againMap = false, m_againSamples = false;
    std::shared_ptr<const LatentResult> m_result;
    nc::LatentMap m_map; // kept between requests: A and B are placed on it
    QImage m_pathImage, m_samplesImage;

    QLabel* m_intro;
    QPushButton* m_openA;
    QPushButton* m_openB;
    QPushButton* m_swap;
    QPushButton* m_pair;
    QSpinBox* m_steps;
    QLabel* m_path;
    QLabel* m_pathCaption;
    QLabel* m_status;
    QLabel* m_mapCaption;
    LatentScatterView* m_scatter;
    QLabel* m_samples;
    QPushButton* m_moreSamples;
    QPushButton* m_saveSamples;
    QPushButton* m_score;
    QSpinBox* m_scoreCount;
    QLabel* m_scoreText;
    QString m_classifier; // asked for with the next request
};

} // namespace nc::ui
