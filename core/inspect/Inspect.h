#pragma once
#include "nn/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// A model's answer for one image.
struct Prediction {
    int predicted = -1;
    std::vector<float> probabilities;             // softmax, one per class
    std::vector<std::pair<int, float>> topK;      // (class, probability), best first
};

// Top-k predictions for uint8 images [n, C, H, W] (eval mode, no gradients).
std::vector<Prediction> predict(const Model& model, const std::uint8_t* images, std::int64_t n, int k = 5);

enum class SaliencyMethod { Gradient, SmoothGrad, IntegratedGradients, GradCam };
inline constexpr SaliencyMethod kSaliencyMethods[] = {SaliencyMethod::Gradient, SaliencyMethod::SmoothGrad,
                                                      SaliencyMethod::IntegratedGradients, SaliencyMethod::GradCam};
const char* saliencyMethodName(SaliencyMethod m); // "gradient", "smoothgrad", "integrated-gradients", "grad-cam"
bool parseSaliencyMethod(const std::string& name, SaliencyMethod& out);

struct SaliencyOptions {
    SaliencyMethod method = SaliencyMethod::Gradient;
    int targetClass = -1;     // -1: the predicted class
    int samples = 25;         // SmoothGrad: noisy copies, evaluated as one batch
    double noise = 0.15;      // SmoothGrad: noise σ as a fraction of the input's [0, 1] range
    int steps = 64;           // Integrated Gradients: path steps, evaluated in batches
    std::string layer;        // Grad-CAM: a Conv2d node id; empty = the last convolution
};

// A map the size of the input image: how much each pixel drove the target class's score.
struct SaliencyMap {
    std::int64_t height = 0, width = 0;
    std::vector<float> values; // [height × width], ≥ 0
    int targetClass = -1;
    std::string layer;         // Grad-CAM's layer
    // Integrated Gradients' completeness check: the attributions sum to f(x) − f(baseline).
    double attributionSum = 0, scoreDifference = 0;
};

// Throws nc::Error for a bad class, an unknown layer or a graph without convolutions (Grad-CAM).
SaliencyMap saliency(const Model& model, const std::uint8_t* image, const SaliencyOptions& options);

// The output of one node for one image: shape [C, H, W] or [F] and its values.
struct Activation {
    std::string node;
    Shape shape;
    std::vector<float> values;
};
Activation activation(const Model& model, const std::uint8_t* image, const std::string& nodeId);

} // namespace nc
