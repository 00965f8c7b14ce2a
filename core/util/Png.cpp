#include "util/Png.h"

#include "util/Error.h"
#include "util/Files.h"

#include <zlib.h>

#include <algorithm>

namespace nc {

namespace {
void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void chunk(std::string& out, const char* type, const std::string& data) {
    put32(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t start = out.size();
    out.append(type, 4);
    out += data;
    const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + start);
    put32(out, static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(out.size() - start))));
}
} // namespace

void writePng(const std::string& path, const std::uint8_t* pixels, int width, int height, int channels) {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3 && channels != 4))
        throw Error("cannot write " + path + ": a PNG needs a positive size and 1, 3 or 4 channels");
    const std::size_t row = std::size_t(width) * std::size_t(channels);
    std::string raw;
    raw.reserve((row + 1) * std::size_t(height));
    for (int y = 0; y < height; ++y) {
        raw.push_back('\0'); // filter type 0 (none) for every row
        raw.append(reinterpret_cast<const char*>(pixels + std::size_t(y) * row), row);
    }
    uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(packedSize, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize, reinterpret_cast<const Bytef*>(raw.data()),
                  static_cast<uLong>(raw.size()), 6) != Z_OK)
        throw Error("cannot write " + path + ": compressing the pixels failed");
    packed.resize(packedSize);

    std::string ihdr;
    put32(ihdr, static_cast<std::uint32_t>(width));
    put32(ihdr, static_cast<std::uint32_t>(height));
    ihdr.push_back(8); // bit depth
    ihdr.push_back(static_cast<char>(channels == 1 ? 0 : channels == 3 ? 2 : 6)); // colour type
    ihdr.append(3, '\0'); // deflate, adaptive filtering, no interlace
    std::string png("\x89PNG\r\n\x1a\n", 8);
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", packed);
    chunk(png, "IEND", std::string());
    writeFileAtomic(path, png);
}

ImageGrid tileImages(const std::uint8_t* images, std::int64_t n, int channels, int height, int width, int columns,
                     int scale, int gap) {
    ImageGrid g;
    columns = std::max(1, columns);
    scale = std::max(1, scale);
    const int rows = int((n + columns - 1) / columns);
    const int cellW = width * scale, cellH = height * scale;
    g.channels = channels;
    g.width = columns * cellW + (columns + 1) * gap;
    g.height = std::max(1, rows) * cellH + (std::max(1, rows) + 1) * gap;
    g.pixels.assign(std::size_t(g.width) * std::size_t(g.height) * std::size_t(channels), 128);
    const std::size_t plane = std::size_t(height) * std::size_t(width);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::uint8_t* img = images + std::size_t(i) * plane * std::size_t(channels);
        const int x0 = gap + int(i % columns) * (cellW + gap), y0 = gap + int(i / columns) * (cellH + gap);
        for (int y = 0; y < cellH; ++y)
            for (int x = 0; x < cellW; ++x)
                for (int c = 0; c < channels; ++c)
                    g.pixels[(std::size_t(y0 + y) * std::size_t(g.width) + std::size_t(x0 + x)) * std::size_t(channels) +
                             std::size_t(c)] = img[std::size_t(c) * plane + std::size_t(y / scale) * std::size_t(width) +
                                                   std::size_t(x / scale)];
    }
    return g;
}

} // namespace nc
