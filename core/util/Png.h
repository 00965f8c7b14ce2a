#pragma once
// A small PNG writer (zlib only, no OpenCV), so the engine-only build writes sample grids too,
// and the grid layout generated images are shown in.
#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// Writes 8-bit grey (channels 1), RGB (3) or RGBA (4) pixels, rows top to bottom, interleaved
// (H×W×C). Atomic; throws nc::Error when the file cannot be written.
void writePng(const std::string& path, const std::uint8_t* pixels, int width, int height, int channels);

// Tiles `n` images [C, H, W] (planar, as datasets hold them) into one interleaved H×W×C picture
// of `columns` columns with `gap` pixels of mid grey between them, each image scaled `scale`×.
struct ImageGrid {
    int width = 0, height = 0, channels = 0;
    std::vector<std::uint8_t> pixels;
};
ImageGrid tileImages(const std::uint8_t* images, std::int64_t n, int channels, int height, int width, int columns,
                     int scale = 1, int gap = 2);

} // namespace nc
