#pragma once
// Plain values that cross between the GUI and the engine thread for evaluation and inspection.
// Nothing here holds a tensor: images are uint8 [C, H, W], maps and probabilities are floats.
#include "data/Dataset.h"
#include "graph/Graph.h"
#include "imaging/BatchPredict.h"
#include "imaging/Imaging.h"
#include "inspect/Inspect.h"
#include "nn/Generative.h"
#include "train/Evaluator.h"
#include "train/Metrics.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nc::ui {

// The model the Evaluate and Inspect tabs work on: the running run's live weights while one
// trains, the last trained weights after it, or a .ncmodel opened from the run history.
struct ModelInfo {
    bool available = false;
    bool live = false;      // the weights change between batches (a run is training)
    QString label;          // "live weights (run 2026-11-23 …)", "best model of run …"
    QString path;           // the .ncmodel it came from, or empty
    nc::Graph graph;        // the graph it was compiled from (node ids as on the canvas)
    nc::Shape inputShape;   // [C, H, W]
    std::vector<std::string> classNames;
    bool generative = false; // trains on loss nodes: Inspect shows its latent space, not classes
    bool fromNoise = false;  // generative from a LatentInput (a GAN: no encoder)
    std::int64_t latentWidth = 0;
};

// One evaluation of the current model on a dataset's test split.
struct EvaluationReport {
    QString modelLabel;
    std::string datasetSpec;
    nc::EvaluationResult metrics;
    nc::ImageVerdicts verdicts;              // per test image: predicted class, confidence
    std::shared_ptr<const nc::Dataset> data; // the test images (shared with the engine's cache)
    double seconds = 0;
};

// What to look at: an image file, encoded bytes (pasted) or raw pixels already at the model's
// size (a test image), and which explanations to compute for it.
struct InspectRequest {
    QString path;                            // a file to decode
    std::vector<std::uint8_t> encoded;       // or: an encoded image (PNG, JPEG, …) from the clipboard
    std::vector<std::uint8_t> raw;           // or: uint8 [C, H, W] at the model's input size
    QString what;                            // how the image is named in messages and titles
    nc::FitMode fit = nc::FitMode::Pad;
    int topK = 5;
    bool withSaliency = true;
    nc::SaliencyOptions saliency;
    std::string featureNode;                 // a node whose output to return, or empty
    bool invert = false;                     // flip the pixels (255 - v) before asking the model
};

struct InspectResult {
    QString what;
    QString modelLabel;
    bool live = false;
    nc::PreparedImage image; // as the model sees it
    nc::Prediction prediction;
    std::vector<std::string> classNames;
    nc::SaliencyMap saliency;       // empty values when not asked for or failed
    QString saliencyError;          // why there is no map (e.g. Grad-CAM on a network without convolutions)
    nc::Activation features;        // empty node when not asked for
    QString featureError;
    double milliseconds = 0;        // engine time for the whole request
    // The image as given looks the other way round from the model's training images (e.g. a
    // dark drawing on white paper for a model trained on light-on-dark Fashion-MNIST).
    bool looksInverted = false;
    bool inverted = false;             // the request's invert: `image` is the flipped picture
    nc::InputAppearance training;      // the model's training images, when known
};

// A walk through a generative model's latent space (Inspect, for a VAE or GAN): the decoded path
// between two images' latent means (a VAE) or two seeded random latents (a GAN), a 2-D map of
// test images' latent means coloured by class, and a grid of samples.
struct LatentRequest {
    std::optional<InspectRequest> a, b;   // a VAE's two images (path, encoded or raw, and fit)
    std::uint64_t seedA = 1, seedB = 2;   // a GAN's two ends
    int steps = 8;                        // decoded images between the ends, both ends included
    int mapImages = 0;                    // > 0: map that many test images of the model's dataset
    int samples = 0;                      // > 0: decode that many samples of z ~ N(0, I)
    std::uint64_t sampleSeed = 0;
    std::string classifierPath; // non-empty: a frozen classifier judges scoreSamples samples
    int scoreSamples = 2000;
};

struct LatentResult {
    QString modelLabel;
    bool live = false;
    bool fromNoise = false;
    int channels = 0, height = 0, width = 0; // of every image below
    std::int64_t latentWidth = 0;
    // The ends as the model sees them (a GAN's: decoded from its two latents), then the path.
    std::vector<std::uint8_t> imageA, imageB, path;
    QString whatA, whatB;
    int steps = 0;                          // images in `path` (0: fewer than two ends)
    // The map (mapImages > 0): points of map.xy with their labels (map.project places A and B).
    bool mapped = false;
    nc::LatentMap map;
    std::vector<std::int64_t> mapLabels;
    std::vector<std::string> classNames;
    std::string mapDataset;
    std::vector<float> latentA, latentB;     // the ends' latents (empty for an end not given)
    QString mapError;                       // why there is no map (a GAN has no encoder, …)
    std::vector<std::uint8_t> samples;      // sampleCount images
    int sampleCount = 0;
    std::optional<nc::SampleScores> scores; // when a classifier was given
    std::string classifierPath;
    QString scoreError;                     // why it could not judge them
    double milliseconds = 0;
};

// A folder (or CSV) of images classified by the current model.
struct FolderPrediction {
    QString source;     // the folder or CSV
    QString root;       // paths in rows are relative to it
    QString modelLabel;
    std::vector<std::string> classNames;
    std::int64_t channels = 0, height = 0, width = 0; // the model's input: the thumbnails' shape
    std::vector<nc::BatchPrediction> rows; // the first 5,000 keep their pixels as thumbnails
    std::vector<nc::ImportProblem> skipped; // not classified: not images, links leaving the folder
    bool labelled = false;
    bool cancelled = false;
    nc::EvaluationResult metrics; // with labels: accuracy and the confusion matrix
    double seconds = 0;
};

} // namespace nc::ui

Q_DECLARE_METATYPE(std::shared_ptr<const nc::ui::FolderPrediction>)
Q_DECLARE_METATYPE(nc::ui::ModelInfo)
Q_DECLARE_METATYPE(std::shared_ptr<const nc::ui::EvaluationReport>)
Q_DECLARE_METATYPE(std::shared_ptr<const nc::ui::InspectResult>)
Q_DECLARE_METATYPE(std::shared_ptr<const nc::ui::LatentResult>)
