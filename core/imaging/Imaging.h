#pragma once
// nc_imaging: image files in and out (OpenCV). Depends on nc_core; core never depends on it.
#include "graph/LayerRegistry.h"
#include "inspect/Inspect.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// Refused before anything large is allocated: the file size is checked before reading and the
// pixel count from the file's header before decoding.
struct ImageLimits {
    std::uint64_t maxFileBytes = 64ull << 20;
    std::int64_t maxPixels = 40'000'000;
};

// How an image of another aspect ratio becomes the model's input size.
enum class FitMode { Pad, CenterCrop, Stretch };
bool parseFitMode(const std::string& name, FitMode& out); // "pad", "crop", "stretch"

// An image as the model sees it: uint8 [C, H, W] at the model's input size and channel count.
struct PreparedImage {
    std::int64_t channels = 0, height = 0, width = 0;
    std::vector<std::uint8_t> pixels;
    std::int64_t originalWidth = 0, originalHeight = 0;
};

// Width and height from a PNG, JPEG, BMP or GIF header without decoding; false if unknown.
bool readImageHeaderSize(const std::uint8_t* bytes, std::size_t size, std::int64_t& width, std::int64_t& height);
// The same and the channel count the header declares (1 for grey PNG and JPEG, else 3).
bool readImageHeaderInfo(const std::uint8_t* bytes, std::size_t size, std::int64_t& width, std::int64_t& height,
                         int& channels);

// Decodes any format OpenCV reads, converts colour/grayscale to `input`'s channels, resizes to its
// height × width (area interpolation when shrinking). Throws nc::Error naming the file.
PreparedImage loadImageForModel(const std::string& path, const Shape& input, FitMode fit = FitMode::Pad,
                                const ImageLimits& limits = {});
PreparedImage prepareImageForModel(const std::vector<std::uint8_t>& fileBytes, const std::string& what,
                                   const Shape& input, FitMode fit = FitMode::Pad, const ImageLimits& limits = {});

// Writes the image with the saliency map blended on top (colour map "jet", "inferno" or
// "gray"), scaled up so that small inputs stay visible. Atomic.
void writeSaliencyOverlay(const std::string& pngPath, const PreparedImage& image, const SaliencyMap& map,
                          const std::string& colormap = "jet", double opacity = 0.5, int scale = 8);

} // namespace nc
