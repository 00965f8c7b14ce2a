#include "imaging/Imaging.h"

#include "util/Error.h"
#include "util/Files.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace nc {

bool parseFitMode(const std::string& name, FitMode& out) {
    if (name == "pad")
        out = FitMode::Pad;
    else if (name == "crop")
        out = FitMode::CenterCrop;
    else if (name == "stretch")
        out = FitMode::Stretch;
    else
        return false;
    return true;
}

namespace {
std::uint32_t be32(const std::uint8_t* p) { return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
std::uint16_t be16(const std::uint8_t* p) { return std::uint16_t((p[0] << 8) | p[1]); }
std::uint32_t le32(const std::uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
std::uint16_t le16(const std::uint8_t* p) { return std::uint16_t(p[0] | (p[1] << 8)); }
} // namespace

namespace {

enum class ImageFormat { Unknown, Png, Bmp, Gif, Jpeg, WebP, Tiff, Pnm };

// a × b for sides read from a header (either may be near 2^32), capped at 2^62 instead of overflowing.
std::int64_t cappedArea(std::int64_t a, std::int64_t b) {
    constexpr std::int64_t kCap = std::int64_t(1) << 62;
    return a > 0 && b > kCap / a ? kCap : a * b;
}

// What a file's header says, read the way the decoder OpenCV picks for it will read it. OpenCV
// chooses its decoder by signature, so each signature here is at least as strict as OpenCV's.
struct ImageHeader {
    ImageFormat format = ImageFormat::Unknown;
    std::int64_t width = 0, height = 0;
    // The largest temporary buffer the decoder sizes from the header, in pixels (TIFF strips
    // and tiles); the image itself otherwise.
    std::int64_t bufferPixels = 0;
    int channels = 3; // 1 when the header says grey (PNG colour type 0/4, one-component JPEG)
};

// libjpeg reads the first SOFn in marker order; skip fill bytes and parameterless markers as it does.
bool jpegSize(const std::uint8_t* b, std::size_t n, ImageHeader& h) {
    std::size_t i = 2;
    while (i + 9 < n) {
        if (b[i] != 0xFF) {
            ++i;
            continue;
        }
        const std::uint8_t marker = b[i + 1];
        if (marker == 0xFF) { // fill byte
            ++i;
            continue;
        }
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            h.height = be16(b + i + 5);
            h.width = be16(b + i + 7);
            h.channels = b[i + 9] == 1 ? 1 : 3;
            return true;
        }
        if (marker == 0x00 || marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2;
            continue;
        }
        i += 2 + be16(b + i + 2);
    }
    return false;
}

// WebP: the canvas of an extended file, else the lossy or lossless frame's size.
bool webpSize(const std::uint8_t* b, std::size_t n, ImageHeader& h) {
    if (n < 30)
        return false;
    if (std::memcmp(b + 12, "VP8X", 4) == 0) {
        h.width = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
        h.height = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
        return true;
    }
    if (std::memcmp(b + 12, "VP8 ", 4) == 0 && b[23] == 0x9d && b[24] == 0x01 && b[25] == 0x2a) {
        h.width = le16(b + 26) & 0x3fff;
        h.height = le16(b + 28) & 0x3fff;
        return true;
    }
    if (std::memcmp(b + 12, "VP8L", 4) == 0 && b[20] == 0x2f) {
        const std::uint32_t bits = le32(b + 21);
        h.width = 1 + (bits & 0x3fff);
        h.height = 1 + ((bits >> 14) & 0x3fff);
        return true;
    }
    return false;
}

// Classic TIFF (not BigTIFF): the first directory's ImageWidth, ImageLength and the strip or
// tile size OpenCV allocates a buffer for. A tag given twice or with an unusual type is refused.
bool tiffSize(const std::uint8_t* b, std::size_t n, ImageHeader& h) {
    const bool le = b[0] == 'I';
    auto u16 = [&](std::size_t at) { return le ? le16(b + at) : be16(b + at); };
    auto u32 = [&](std::size_t at) { return le ? le32(b + at) : be32(b + at); };
    const std::uint64_t ifd = u32(4);
    if (ifd < 8 || ifd + 2 > n)
        return false;
    const std::uint64_t count = u16(std::size_t(ifd));
    if (ifd + 2 + 12 * count > n)
        return false;
    std::int64_t values[5] = {-1, -1, -1, -1, -1}; // width, length, rows per strip, tile width, tile length
    const std::uint16_t tags[5] = {256, 257, 278, 322, 323};
    for (std::uint64_t k = 0; k < count; ++k) {
        const std::size_t e = std::size_t(ifd + 2 + 12 * k);
        const std::uint16_t tag = u16(e), type = u16(e + 2);
        for (int t = 0; t < 5; ++t) {
            if (tag != tags[t])
                continue;
            if (u32(e + 4) != 1 || (type != 3 && type != 4) || values[t] >= 0)
                return false;
            values[t] = type == 3 ? u16(e + 8) : u32(e + 8);
        }
    }
    if (values[0] < 0 || values[1] < 0)
        return false;
    h.width = values[0];
    h.height = values[1];
    if (values[3] >= 0 || values[4] >= 0) { // tiled
        const std::int64_t tw = values[3] > 0 ? values[3] : h.width, tl = values[4] > 0 ? values[4] : h.height;
        h.bufferPixels = cappedArea(tw, tl);
    } else {
        const std::int64_t rows = values[2] <= 0 || values[2] == 0xFFFFFFFFll ? h.height : values[2];
        h.bufferPixels = cappedArea(h.width, rows);
    }
    return true;
}

// Netpbm P1..P6: whitespace- and comment-separated decimal width and height after the magic.
bool pnmSize(const std::uint8_t* b, std::size_t n, ImageHeader& h) {
    std::size_t i = 2;
    std::int64_t dims[2] = {0, 0};
    for (std::int64_t& d : dims) {
        for (;;) {
            while (i < n && std::isspace(b[i]))
                ++i;
            if (i < n && b[i] == '#') {
                while (i < n && b[i] != '\n' && b[i] != '\r')
                    ++i;
                continue;
            }
            break;
        }
        if (i >= n || !std::isdigit(b[i]))
            return false;
        while (i < n && std::isdigit(b[i])) {
            d = d * 10 + (b[i++] - '0');
            if (d > (std::int64_t(1) << 40))
                return false;
        }
    }
    h.width = dims[0];
    h.height = dims[1];
    return true;
}

ImageHeader readImageHeader(const std::uint8_t* b, std::size_t n) {
    ImageHeader h;
    bool ok = false;
    if (n >= 24 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 && std::memcmp(b + 12, "IHDR", 4) == 0) {
        h.format = ImageFormat::Png;
        h.width = be32(b + 16);
        h.height = be32(b + 20);
        h.channels = n > 25 && (b[25] == 0 || b[25] == 4) ? 1 : 3;
        ok = true;
    } else if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
        h.format = ImageFormat::Bmp;
        if (le32(b + 14) == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
            h.width = le16(b + 18);
            h.height = le16(b + 20);
        } else {
            h.width = std::int32_t(le32(b + 18));
            h.height = std::int32_t(le32(b + 22)); // negative: rows stored top-down
            if (h.height < 0)
                h.height = -h.height; // in 64 bits, so -2^31 stays representable
        }
        ok = true;
    } else if (n >= 10 && (std::memcmp(b, "GIF87a", 6) == 0 || std::memcmp(b, "GIF89a", 6) == 0)) {
        h.format = ImageFormat::Gif;
        h.width = le16(b + 6);
        h.height = le16(b + 8);
        ok = true;
    } else if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        h.format = ImageFormat::Jpeg;
        ok = jpegSize(b, n, h);
    } else if (n >= 12 && std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0) {
        h.format = ImageFormat::WebP;
        ok = webpSize(b, n, h);
    } else if (n >= 8 && (std::memcmp(b, "II*\0", 4) == 0 || std::memcmp(b, "MM\0*", 4) == 0)) {
        h.format = ImageFormat::Tiff;
        ok = tiffSize(b, n, h);
    } else if (n >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' && std::isspace(b[2])) {
        h.format = ImageFormat::Pnm;
        ok = pnmSize(b, n, h);
    }
    if (!ok)
        return {};
    if (h.bufferPixels == 0)
        h.bufferPixels = cappedArea(h.width, h.height);
    return h;
}

} // namespace

bool readImageHeaderSize(const std::uint8_t* b, std::size_t n, std::int64_t& width, std::int64_t& height) {
    const ImageHeader h = readImageHeader(b, n);
    if (h.format == ImageFormat::Unknown)
        return false;
    width = h.width;
    height = h.height;
    return true;
}

bool readImageHeaderInfo(const std::uint8_t* b, std::size_t n, std::int64_t& width, std::int64_t& height,
                         int& channels) {
    const ImageHeader h = readImageHeader(b, n);
    if (h.format == ImageFormat::Unknown)
        return false;
    width = h.width;
    height = h.height;
    channels = h.channels;
    return true;
}

PreparedImage prepareImageForModel(const std::vector<std::uint8_t>& bytes, const std::string& what, const Shape& input,
                                   FitMode fit, const ImageLimits& limits) {
    if (input.size() != 3 || (input[0] != 1 && input[0] != 3))
        throw Error("the model's input " + shapeToString(input) + " is not a 1- or 3-channel image");
    if (bytes.empty())
        throw Error(what + " is empty (0 bytes): there is no image in it");
    // Only formats whose size can be read here are handed to OpenCV: its decoders allocate what a
    // header claims (a 20-byte PPM can ask for gigabytes), and it has more of them than we vet.
    const ImageHeader header = readImageHeader(bytes.data(), bytes.size());
    if (header.format == ImageFormat::Unknown)
        throw Error(what + " is not an image this app reads: PNG, JPEG, BMP, TIFF, WebP and PNM files are "
                           "accepted, and this one is none of them or its header is damaged");
    if (header.format == ImageFormat::Gif)
        throw Error(what + " is a GIF image, which this build cannot decode; convert it to PNG");
    const std::int64_t w = header.width, h = header.height;
    // Both sides may be up to 2^32 - 1 here: compare without multiplying them.
    if (w <= 0 || h <= 0 || w > limits.maxPixels || h > limits.maxPixels / w)
        throw Error(what + " is " + std::to_string(w) + "×" + std::to_string(h) + " pixels; images up to " +
                    std::to_string(limits.maxPixels / 1000000) + " megapixels are accepted");
    if (header.bufferPixels > limits.maxPixels)
        throw Error(what + " stores its pixels in strips or tiles larger than " +
                    std::to_string(limits.maxPixels / 1000000) + " megapixels, which is not accepted");
    cv::Mat decoded;
    try {
        // A grey file for a grey input is decoded as grey: the same pixels, a third of the work.
        const bool grey = input[0] == 1 && header.channels == 1;
        decoded = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data())),
                               grey ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        throw Error(what + " cannot be decoded: " + e.msg);
    }
    if (decoded.empty())
        throw Error(what + " is not an image OpenCV can read (PNG, JPEG, BMP, TIFF, WebP, …) or it is damaged");
    if (std::int64_t(decoded.total()) > limits.maxPixels)
        throw Error(what + " is too large (" + std::to_string(decoded.cols) + "×" + std::to_string(decoded.rows) + ")");
    PreparedImage out;
    out.originalWidth = decoded.cols;
    out.originalHeight = decoded.rows;
    cv::Mat img;
    if (decoded.channels() == 1)
        img = decoded;
    else if (input[0] == 1)
        cv::cvtColor(decoded, img, cv::COLOR_BGR2GRAY);
    else
        cv::cvtColor(decoded, img, cv::COLOR_BGR2RGB);
    const int tw = int(input[2]), th = int(input[1]);
    if (fit == FitMode::CenterCrop) { // the largest centred region with the target's aspect ratio
        const double target = double(tw) / th, current = double(img.cols) / img.rows;
        cv::Rect r(0, 0, img.cols, img.rows);
        if (current > target) {
            r.width = std::max(1, int(img.rows * target + 0.5));
            r.x = (img.cols - r.width) / 2;
        } else {
            r.height = std::max(1, int(img.cols / target + 0.5));
            r.y = (img.rows - r.height) / 2;
        }
        img = img(r).clone();
    }
    cv::Mat resized;
    if (img.cols == tw && img.rows == th) {
        resized = img; // already the model's size
    } else if (fit == FitMode::Pad) { // keep the whole image, pad the short side with its border colour
        const double s = std::min(double(tw) / img.cols, double(th) / img.rows);
        const int nw = std::max(1, int(img.cols * s + 0.5)), nh = std::max(1, int(img.rows * s + 0.5));
        cv::Mat scaled;
        cv::resize(img, scaled, cv::Size(nw, nh), 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        const int left = (tw - nw) / 2, top = (th - nh) / 2;
        cv::copyMakeBorder(scaled, resized, top, th - nh - top, left, tw - nw - left, cv::BORDER_REPLICATE);
    } else {
        const bool shrink = img.cols > tw || img.rows > th;
        cv::resize(img, resized, cv::Size(tw, th), 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    out.channels = input[0];
    out.height = th;
    out.width = tw;
    out.pixels.resize(std::size_t(out.channels * th * tw));
    std::vector<cv::Mat> planes;
    cv::split(resized, planes);
    for (std::int64_t c = 0; c < out.channels; ++c)
        std::memcpy(out.pixels.data() + c * th * tw, planes[std::size_t(c)].data, std::size_t(th * tw));
    return out;
}

PreparedImage loadImageForModel(const std::string& path, const Shape& input, FitMode fit, const ImageLimits& limits) {
    return prepareImageForModel(readFileBytes(path, limits.maxFileBytes), path, input, fit, limits);
}

void writeSaliencyOverlay(const std::string& pngPath, const PreparedImage& image, const SaliencyMap& map,
                          const std::string& colormap, double opacity, int scale) {
    const int h = int(image.height), w = int(image.width);
    cv::Mat base;
    std::vector<cv::Mat> planes;
    for (std::int64_t c = 0; c < image.channels; ++c)
        planes.emplace_back(h, w, CV_8U, const_cast<std::uint8_t*>(image.pixels.data() + c * h * w));
    cv::merge(planes, base);
    if (image.channels == 1)
        cv::cvtColor(base, base, cv::COLOR_GRAY2BGR);
    else
        cv::cvtColor(base, base, cv::COLOR_RGB2BGR);
    cv::Mat heat(int(map.height), int(map.width), CV_32F, const_cast<float*>(map.values.data()));
    double lo, hi;
    cv::minMaxLoc(heat, &lo, &hi);
    cv::Mat heat8;
    heat.convertTo(heat8, CV_8U, hi > lo ? 255.0 / (hi - lo) : 0.0, hi > lo ? -lo * 255.0 / (hi - lo) : 0.0);
    cv::Mat colored;
    if (colormap == "gray")
        cv::cvtColor(heat8, colored, cv::COLOR_GRAY2BGR);
    else
        cv::applyColorMap(heat8, colored, colormap == "inferno" ? cv::COLORMAP_INFERNO : cv::COLORMAP_JET);
    cv::Mat big, bigHeat, blended;
    cv::resize(base, big, cv::Size(w * scale, h * scale), 0, 0, cv::INTER_NEAREST);
    cv::resize(colored, bigHeat, big.size(), 0, 0, cv::INTER_LINEAR);
    cv::addWeighted(big, 1.0 - opacity, bigHeat, opacity, 0.0, blended);
    std::vector<std::uint8_t> png;
    if (!cv::imencode(".png", blended, png))
        throw Error("cannot encode " + pngPath);
    writeFileAtomic(pngPath, png.data(), png.size());
}

} // namespace nc
