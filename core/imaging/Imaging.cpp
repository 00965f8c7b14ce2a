#include "imaging/Imaging.h"

#include "util/Error.h"
#include "util/Files.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
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

bool readImageHeaderSize(const std::uint8_t* b, std::size_t n, std::int64_t& width, std::int64_t& height) {
    if (n >= 24 && std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 && std::memcmp(b + 12, "IHDR", 4) == 0) {
        width = be32(b + 16);
        height = be32(b + 20);
        return true;
    }
    if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
        width = std::int32_t(le32(b + 18));
        height = std::abs(std::int32_t(le32(b + 22)));
        return true;
    }
    if (n >= 10 && (std::memcmp(b, "GIF87a", 6) == 0 || std::memcmp(b, "GIF89a", 6) == 0)) {
        width = le16(b + 6);
        height = le16(b + 8);
        return true;
    }
    if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8) { // JPEG: walk the markers to the first SOFn
        std::size_t i = 2;
        while (i + 9 < n) {
            if (b[i] != 0xFF) {
                ++i;
                continue;
            }
            const std::uint8_t marker = b[i + 1];
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                height = be16(b + i + 5);
                width = be16(b + i + 7);
                return true;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            i += 2 + be16(b + i + 2);
        }
    }
    return false;
}

PreparedImage prepareImageForModel(const std::vector<std::uint8_t>& bytes, const std::string& what, const Shape& input,
                                   FitMode fit, const ImageLimits& limits) {
    if (input.size() != 3 || (input[0] != 1 && input[0] != 3))
        throw Error("the model's input " + shapeToString(input) + " is not a 1- or 3-channel image");
    if (bytes.empty())
        throw Error(what + " is empty (0 bytes): there is no image in it");
    std::int64_t w = 0, h = 0;
    if (readImageHeaderSize(bytes.data(), bytes.size(), w, h) && (w <= 0 || h <= 0 || w * h > limits.maxPixels))
        throw Error(what + " is " + std::to_string(w) + "×" + std::to_string(h) + " pixels; images up to " +
                    std::to_string(limits.maxPixels / 1000000) + " megapixels are accepted");
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data())),
                               cv::IMREAD_COLOR);
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
    if (input[0] == 1)
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
    if (fit == FitMode::Pad) { // keep the whole image, pad the short side with its border colour
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
