#pragma once
#include "engine/Inspection.h"

#include <QElapsedTimer>
#include <QImage>
#include <QWidget>

#include <functional>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QStackedWidget;
class QVBoxLayout;

namespace nc::ui {
class FolderPredictView;
class LatentView;

class ClassBarsView;
class EngineController;
class FeatureGridView;
class PixelImageView;

// The Inspect tab: an image (dropped anywhere on the window, pasted, opened, or a test image
// from the Evaluate tab) as the model sees it, the top-k classes as bars, a saliency overlay
// (method, opacity, colour map) and the feature maps of the node selected on the canvas.
// Requests go to the engine thread; during training the view refreshes on the live weights.
class InspectTab final : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kLiveRefreshMs = 2000; // while training: at most one refresh per 2 s

    explicit InspectTab(EngineController* engine, QWidget* parent = nullptr);
    ~InspectTab() override;
    // Where Open Image starts (the project's folder); asked each time the dialog opens.
    void setStartFolder(std::function<QString()> folder) { m_startFolder = std::move(folder); }

    void inspectFile(const QString& path);                             // decode on the engine thread
    void inspectFolder(const QString& folderOrCsv); // every image in it: a table (FolderPredictView)
    FolderPredictView* folderView() const { return m_folderView; }
    LatentView* latentView() const { return m_latentView; } // a generative model's page
    void inspectEncoded(const QByteArray& bytes, const QString& what); // e.g. a pasted PNG
    void inspectPixels(const std::vector<std::uint8_t>& chw, const QString& what); // model-sized [C,H,W]
    void showFeaturesOf(const QString& nodeId); // the canvas's selected node; empty: none
    void pasteFromClipboard();                  // an image, an image file's URL or encoded bytes

    // The controls, for scripts and screenshots (each acts like the user changing it).
    void setSaliencyMethod(nc::SaliencyMethod method);
    void setColormap(const QString& name); // "jet", "inferno" or "gray"
    void setOpacity(int percent);          // 0..100

    // What a user reads, for tests and screen readers.
    QString predictionText() const; // e.g. "Sneaker 97.3 %", empty before the first answer
    QString message() const;        // the last error shown (bad file, no model, …), empty if none
    // The note shown when an image looks opposite to the training images, "" when hidden.
    QString polarityHint() const;
    QCheckBox* invertBox() const { return m_invert; }
    QString titleText() const;      // the line naming the image, the model and the engine time
    const InspectResult* lastResult() const { return m_result.get(); }
    // The saliency overlay as drawn, `side` pixels on its longer edge; null when there is none.
    QImage overlayImage(int side = 256) const;
    int featureTileCount() const; // feature maps shown for the selected node (0: none, or a [F] strip)
    int requestsSent() const { return m_requestsSent; }

  Q_SIGNALS:
    void resultShown(); // after a result or an error has been drawn

  protected:
    bool event(QEvent* event) override; // Ctrl+V inside the tab pastes an image
    void keyPressEvent(QKeyEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    void buildToolbar(QVBoxLayout* column);
    QWidget* buildResultsPage();
    void openImageDialog();
    void startImage(InspectRequest source); // a new image: asked for now, shown when answered
    InspectRequest currentRequest() const;  // the image source plus the controls' settings
    void send();
    void refresh(); // the controls changed: ask again now, or when the tab is next shown
    void liveRefresh();
    void onInspected(const std::shared_ptr<const InspectResult>& result);
    void onFailed(const QString& what, const QString& message);
    void onModelChanged(const ModelInfo& info);
    void fillLayers(const nc::Graph& graph);
    void showResult();
    void showFeatures();
    void updateOverlay(); // colour map or opacity: repaint only, no engine round trip
    void updateEmptyState();
    void updateMethodControls();
    void showMessage(const QString& text);
    void clearMessage();
    void applyMessageColours();

    EngineController* m_engine;
    std::shared_ptr<const InspectResult> m_result;
    std::optional<InspectRequest> m_image;   // the source of the image shown (kept on errors)
    std::optional<InspectRequest> m_pending; // a new image asked for, not yet answered
    QString m_featureNode;
    bool m_stale = false;   // a request is due but the tab was hidden
    bool m_waiting = false; // a request is on its way to the engine
    QElapsedTimer m_sinceSend;
    int m_requestsSent = 0;

    QPushButton* m_open;
    QPushButton* m_paste;
    QComboBox* m_fit;
    QCheckBox* m_invert;
    QLabel* m_polarityHint;
    QString m_modelKey; // what the invert choice is remembered under (the model's file or label)
    QSpinBox* m_topK;
    QLabel* m_topKLabel;
    QWidget* m_saliencyRow;
    LatentView* m_latentView;
    bool m_generative = false; // the model trains on loss nodes: the latent view replaces the results
    QComboBox* m_method;
    QLabel* m_layerLabel;
    QComboBox* m_layer;
    QComboBox* m_colormap;
    QSlider* m_opacity;
    QLabel* m_opacityValue;
    QLabel* m_title;
    QFrame* m_messageBox;
    QLabel* m_message;
    QStackedWidget* m_pages;
    FolderPredictView* m_folderView;
    QLabel* m_hint;
    QLabel* m_inputDetail;
    PixelImageView* m_input;
    QLabel* m_overlayDetail;
    PixelImageView* m_overlay;
    QLabel* m_saliencyError;
    ClassBarsView* m_bars;
    QLabel* m_featureCaption;
    FeatureGridView* m_features;
    QLabel* m_featureHint;
    std::function<QString()> m_startFolder;
};

} // namespace nc::ui
