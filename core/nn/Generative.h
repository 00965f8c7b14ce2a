#pragma once
// Generative networks (issue 16): a network that ends in loss nodes (KLDivergence,
// ReconstructionLoss) instead of an Output. What the CLI and the window do with a trained one:
// score it on a dataset, reconstruct images through it, and decode samples of its latent space.
#include "data/Dataset.h"
#include "nn/Model.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace nc {

// True when the model's network trains on loss nodes (it has no Output layer).
bool isGenerative(const Model& model);

// Each loss node's mean value per image (nats for BCE and KL) over a dataset, in eval mode (a
// VAE's z is then μ), and their sum: for a VAE with β = 1 the negative ELBO.
struct GenerativeScores {
    std::vector<std::pair<std::string, double>> terms; // loss node id -> nats per image
    double total = 0;
    std::int64_t images = 0;
};
// `limit` > 0 scores the first `limit` images only. Throws nc::Error for a classifier.
GenerativeScores scoreGenerative(const Model& model, const Dataset& data, std::int64_t limit = 0);

// The decoder's images (pixels 0-255, the model's input shape) for `n` uint8 images run through
// the whole network in eval mode: the reconstructions a VAE makes of them.
std::vector<std::uint8_t> reconstructImages(const Model& model, const std::uint8_t* images, std::int64_t n);

// The latent the decoder reads: the Reparameterize node and its width. Throws nc::Error when the
// network has none (the message says what a sampler needs).
std::pair<std::string, std::int64_t> latentNode(const Model& model);

// True when the latent is a LatentInput (a GAN: it makes images from noise and has no encoder).
bool generatesFromNoise(const Model& model);

// `n` images decoded from z ~ N(0, I) (seeded: the same seed gives the same images).
std::vector<std::uint8_t> sampleImages(const Model& model, std::int64_t n, std::uint64_t seed);

// The same from given latents z [n, latentNode().second] (interpolations, a fixed grid).
std::vector<std::uint8_t> decodeLatents(const Model& model, const std::vector<float>& z, std::int64_t n);

// The latent means μ of `n` images (eval mode), [n, latent width] row-major.
std::vector<float> encodeImages(const Model& model, const std::uint8_t* images, std::int64_t n);

// `steps` latents on the straight line from `a` to `b` (each `width` numbers), both ends
// included: [steps, width] row-major, for decodeLatents (an interpolation through latent space).
std::vector<float> lerpLatents(const float* a, const float* b, std::int64_t width, std::int64_t steps);

// `n` latents z ~ N(0, I) of the model's latent width, seeded (sampleImages draws these).
std::vector<float> randomLatents(const Model& model, std::int64_t n, std::uint64_t seed);

// A 2-D view of latents [n, width]: their first two principal components (the latents
// themselves when the width is 1 or 2). `explained` is the share of the variance the two keep.
struct LatentMap {
    std::int64_t width = 0;
    std::vector<float> mean; // [width]
    std::vector<float> axes; // [2, width]: the unit directions onto which a latent is projected
    double explained = 1;
    std::vector<float> xy;   // [n, 2]: the latents mapped
    std::pair<float, float> project(const float* z) const; // another latent in the same view
};
LatentMap mapLatents(const std::vector<float>& z, std::int64_t n, std::int64_t width);

// The decoder (a VAE) or generator (a GAN) alone, as a model of its own that exports like a
// classifier: its input is a latent z as [N, width, 1, 1] (PyTorch's DCGAN convention; the
// input's normalisation is the identity), its output the pixels in [0, 1] flattened to
// [N, C·H·W] — a sigmoid after a bce_logits decoder, the input's un-normalisation (a fixed
// per-channel affine, as a BatchNorm2d in eval mode) after a GAN's generator, nothing after an
// mse decoder. The weights are the model's own (a shared layer gets its owner's). Throws
// nc::Error when the decoder reads anything that does not follow from the latent.
Model decoderModel(const Model& generative);

// Generated images judged by a frozen classifier (issue 16: no Inception weights here): the share
// of each class it sees, the classes at ≥ 5 %, the KL divergence of the shares from uniform, its
// mean confidence; FD-FMNIST (the Fréchet distance of its penultimate features) to real test
// images beside the floor of real training images against them; and each image's nearest
// training image (memorisation) beside a real test image's. NaN where the real data is too small.
struct SampleScores {
    std::int64_t samples = 0;
    std::vector<std::pair<std::string, double>> classShares; // in the classifier's class order
    int classesAtFivePercent = 0;
    double klFromUniform = 0, meanConfidence = 0;
    std::int64_t fdImages = 0;
    double fd = std::numeric_limits<double>::quiet_NaN(), fdFloor = std::numeric_limits<double>::quiet_NaN();
    std::int64_t nearestImages = 0;
    double nearestSample = std::numeric_limits<double>::quiet_NaN(), nearestReal = std::numeric_limits<double>::quiet_NaN();
};
// `images`: n generated uint8 images of the classifier's input shape; `train`/`test`: real images.
SampleScores scoreSamples(const Model& classifier, const std::uint8_t* images, std::int64_t n, const Dataset& train,
                          const Dataset& test);

// A classifier's penultimate features for `n` uint8 images: the input of the layer that feeds
// its Output (keras-cnn's 64 dense units), [n, dim] row-major, eval mode. Throws nc::Error for a
// model without an Output.
std::vector<float> penultimateFeatures(const Model& classifier, const std::uint8_t* images, std::int64_t n,
                                       std::int64_t& dim);

// For each of `nq` uint8 images, the Euclidean distance (pixels scaled to [0, 1]) to its nearest
// of `nr` reference images of the same size `per`: generated images much nearer the training set
// than real test images are have been memorised.
std::vector<float> nearestDistances(const std::uint8_t* queries, std::int64_t nq, const std::uint8_t* refs,
                                    std::int64_t nr, std::int64_t per);

// The Fréchet distance between Gaussians fitted to two feature sets [na, dim] and [nb, dim]:
// |μa − μb|² + tr(Σa + Σb − 2 (Σa Σb)^½) (as FID computes it, here on an app-trained classifier's
// features: "FD-FMNIST" on Fashion-MNIST, not comparable with FID).
double frechetDistance(const std::vector<float>& a, std::int64_t na, const std::vector<float>& b, std::int64_t nb,
                       std::int64_t dim);

} // namespace nc
