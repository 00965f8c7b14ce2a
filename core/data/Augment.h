#pragma once
#include <cstdint>
#include <vector>

namespace nc {

// Random training-time augmentation of uint8 images (Keras ImageDataGenerator-style, plus random
// erasing). Everything is off by default. Per sample, in this order (docs/DECISIONS.md):
//   1. geometry: flips, zoom, rotation about ((w-1)/2, (h-1)/2), shift and the pad-crop offset,
//      composed into one inverse affine map, sampled bilinearly (rounded), 0 outside the image;
//   2. brightness (adds), then contrast (scales around the image's mean), clamped to 0..255;
//   3. random erasing: one rectangle filled with random values.
struct Augmentation {
    bool horizontalFlip = false;
    bool verticalFlip = false;
    int padCrop = 0;             // pad by this many pixels and crop back at a random offset; 0 = off
    double rotationDegrees = 0;  // rotate by a uniform angle in ±degrees
    double widthShift = 0;       // shift by a uniform fraction of the width in ±widthShift
    double heightShift = 0;      // the same for the height
    double zoom = 0;             // scale the content by a uniform factor in [1 - zoom, 1 + zoom]
    double brightness = 0;       // add a uniform offset in ±brightness·255
    double contrast = 0;         // scale around the mean by a uniform factor in [1 - contrast, 1 + contrast]
    double eraseProbability = 0; // chance that a sample gets one erased rectangle

    bool enabled() const {
        return horizontalFlip || verticalFlip || padCrop > 0 || rotationDegrees > 0 || widthShift > 0 ||
               heightShift > 0 || zoom > 0 || brightness > 0 || contrast > 0 || eraseProbability > 0;
    }
};

// Random erasing's rectangle (Zhong et al. 2017, torchvision's RandomErasing): its area is a
// uniform fraction of the image in this range, its aspect (height / width) log-uniform in
// [kEraseAspectMin, 1 / kEraseAspectMin]; clamped to the image.
constexpr double kEraseAreaMin = 0.02, kEraseAreaMax = 0.25, kEraseAspectMin = 0.3;

// One sample's transform with every random choice made: what augmentBatch draws per sample, and
// what tests and the settings' preview can pin exactly.
struct AugmentParams {
    bool horizontalFlip = false, verticalFlip = false;
    double zoom = 1;               // content scale (2 = twice as large)
    double rotationDegrees = 0;    // counter-clockwise as seen on screen (y pointing down)
    double shiftX = 0, shiftY = 0; // pixels; the content moves right / down
    double brightness = 0;         // added, in uint8 units
    double contrast = 1;           // factor around the image's mean (over all channels)
    // The erased rectangle (empty: none) and the seed of its fill.
    int eraseX = 0, eraseY = 0, eraseWidth = 0, eraseHeight = 0;
    std::uint64_t eraseSeed = 0;

    bool moves() const;     // the geometry step changes something
    bool recolours() const; // brightness or contrast changes something
};

// Draws every sample's parameters for a batch from one std::mt19937_64(seed): the same number of
// draws per sample whatever is enabled, so one setting does not change another's draws.
std::vector<AugmentParams> drawAugmentParams(const Augmentation& aug, std::int64_t batch, std::int64_t h,
                                             std::int64_t w, std::uint64_t seed);

// Applies one sample's parameters to a CHW image in place. `scratch` is reused between calls
// (a batch allocates once).
void applyAugmentation(std::uint8_t* chw, std::int64_t c, std::int64_t h, std::int64_t w,
                       const AugmentParams& params, std::vector<std::uint8_t>& scratch);
void applyAugmentation(std::uint8_t* chw, std::int64_t c, std::int64_t h, std::int64_t w,
                       const AugmentParams& params);

// Batched augmentation on uint8 images [B,C,H,W] in place; `seed` makes it reproducible (the
// same config and seed give the same bytes).
void augmentBatch(std::uint8_t* images, std::int64_t batch, std::int64_t c, std::int64_t h, std::int64_t w,
                  const Augmentation& aug, std::uint64_t seed);

} // namespace nc
