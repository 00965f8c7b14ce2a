#include "data/Dataset.h"

#include "util/Error.h"
#include "util/Files.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace nc {
namespace {

// Far above any MNIST-style set (Fashion-MNIST train images are 47 MB) yet bounded.
constexpr std::uint64_t kMaxIdxBytes = 1ull << 30;
constexpr std::uint32_t kMaxSide = 4096;
constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;

std::uint32_t readBE32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

// Checks magic (which encodes dtype and dimension count) and returns the dimensions.
std::vector<std::uint32_t> parseHeader(const std::uint8_t* b, std::size_t size, const std::string& path,
                                       std::uint32_t magic, const char* kind) {
    const std::size_t ndim = magic & 0xff;
    if (size < 4)
        throw Error(path + ": file is too short (" + std::to_string(size) + " bytes) to be an IDX " + kind +
                    " file");
    const std::uint32_t got = readBE32(b);
    if (got != magic) {
        std::string why;
        if ((got & 0xffff0000u) == 0 && ((got >> 8) & 0xff) != 0x08)
            why = " (only unsigned-byte data, type 0x08, is supported)";
        throw Error(path + ": wrong magic number " + hex32(got) + ", expected " + hex32(magic) + " for IDX " +
                    kind + why);
    }
    if (size < 4 + 4 * ndim)
        throw Error(path + ": the IDX header is cut short (" + std::to_string(size) + " bytes)");
    std::vector<std::uint32_t> dims;
    for (std::size_t i = 0; i < ndim; ++i)
        dims.push_back(readBE32(b + 4 + 4 * i));
    return dims;
}

struct Images {
    std::uint32_t count = 0, height = 0, width = 0;
    std::vector<std::uint8_t> pixels;
};

void checkSides(std::uint32_t h, std::uint32_t w, const std::string& path) {
    if (h == 0 || w == 0 || h > kMaxSide || w > kMaxSide)
        throw Error(path + ": image size " + std::to_string(h) + "x" + std::to_string(w) +
                    " is not supported (each side must be 1.." + std::to_string(kMaxSide) + ")");
}

// `bytes` already decompressed; `path` names the file in errors.
Images parseImages(const std::vector<std::uint8_t>& bytes, const std::string& path) {
    const auto dims = parseHeader(bytes.data(), bytes.size(), path, kImagesMagic, "images");
    Images im{dims[0], dims[1], dims[2], {}};
    checkSides(im.height, im.width, path);
    // Sides are capped, so this product fits easily in 64 bits.
    const std::uint64_t expected = std::uint64_t(im.count) * im.height * im.width;
    const std::uint64_t present = bytes.size() - 16;
    if (expected != present)
        throw Error(path + ": expected " + std::to_string(expected) + " bytes of image data (" +
                    std::to_string(im.count) + " images of " + std::to_string(im.height) + "x" +
                    std::to_string(im.width) + "), file has " + std::to_string(present));
    if (im.count == 0)
        throw Error(path + ": the file holds no images");
    im.pixels.assign(bytes.begin() + 16, bytes.end());
    return im;
}

std::vector<std::int64_t> parseLabels(const std::vector<std::uint8_t>& bytes, const std::string& path) {
    const auto dims = parseHeader(bytes.data(), bytes.size(), path, kLabelsMagic, "labels");
    const std::uint64_t present = bytes.size() - 8;
    if (dims[0] != present)
        throw Error(path + ": expected " + std::to_string(dims[0]) + " bytes of label data, file has " +
                    std::to_string(present));
    // Labels are single bytes, so at most 256 classes by construction.
    return std::vector<std::int64_t>(bytes.begin() + 8, bytes.end());
}

Images readImages(const std::string& path) { return parseImages(readMaybeGzip(path, kMaxIdxBytes), path); }

std::vector<std::int64_t> readLabels(const std::string& path) {
    return parseLabels(readMaybeGzip(path, kMaxIdxBytes), path);
}

std::vector<std::string> numberNames(std::int64_t n) {
    std::vector<std::string> names;
    for (std::int64_t i = 0; i < n; ++i)
        names.push_back(std::to_string(i));
    return names;
}

std::int64_t maxLabel(const std::vector<std::int64_t>& labels) {
    return labels.empty() ? -1 : *std::max_element(labels.begin(), labels.end());
}

// The names MNIST-style sets are published under, plain or gzip-compressed.
std::string findIdxFile(const std::string& dir, const std::string& split, const std::string& what) {
    namespace fs = std::filesystem;
    for (const std::string& base : {split + "-" + what + "-idx", split + "-" + what + ".idx"}) {
        const std::string name = base + (what == "images" ? "3" : "1") + "-ubyte";
        for (const std::string& candidate : {name, name + ".gz"}) {
            const std::string p = (fs::path(dir) / candidate).string();
            if (fileExists(p))
                return p;
        }
    }
    return {};
}

Dataset makeIdxDataset(Images im, std::vector<std::int64_t> labels, const std::string& imagesPath,
                       const std::string& labelsPath) {
    if (labels.size() != im.count)
        throw Error(imagesPath + " has " + std::to_string(im.count) + " images but " + labelsPath + " has " +
                    std::to_string(labels.size()) + " labels");
    Dataset d;
    d.name = imagesPath;
    d.channels = 1;
    d.height = im.height;
    d.width = im.width;
    d.images = std::move(im.pixels);
    d.classNames = numberNames(maxLabel(labels) + 1);
    d.labels = std::move(labels);
    return d;
}

} // namespace

Dataset readIdx(const std::string& imagesPath, const std::string& labelsPath) {
    Images im = readImages(imagesPath);
    return makeIdxDataset(std::move(im), readLabels(labelsPath), imagesPath, labelsPath);
}

Dataset parseIdx(const std::vector<std::uint8_t>& images, const std::vector<std::uint8_t>& labels,
                 const std::string& imagesName, const std::string& labelsName) {
    Images im = parseImages(gunzipIfCompressed(images, kMaxIdxBytes, imagesName), imagesName);
    return makeIdxDataset(std::move(im), parseLabels(gunzipIfCompressed(labels, kMaxIdxBytes, labelsName), labelsName),
                          imagesName, labelsName);
}

DatasetPair readIdxFolder(const std::string& dir) {
    const std::string trainImages = findIdxFile(dir, "train", "images");
    const std::string trainLabels = findIdxFile(dir, "train", "labels");
    if (trainImages.empty() || trainLabels.empty())
        throw Error(dir + ": no MNIST-style training files found (expected train-images-idx3-ubyte and "
                          "train-labels-idx1-ubyte, optionally with .gz)");
    DatasetPair pair;
    pair.train = readIdx(trainImages, trainLabels);

    const std::string testImages = findIdxFile(dir, "t10k", "images");
    const std::string testLabels = findIdxFile(dir, "t10k", "labels");
    if (!testImages.empty() && !testLabels.empty()) {
        pair.test = readIdx(testImages, testLabels);
        if (pair.test.height != pair.train.height || pair.test.width != pair.train.width)
            throw Error(testImages + ": images are " + std::to_string(pair.test.height) + "x" +
                        std::to_string(pair.test.width) + " but the training images are " +
                        std::to_string(pair.train.height) + "x" + std::to_string(pair.train.width));
    } else {
        // No test files: an empty test set of the same shape.
        pair.test.channels = 1;
        pair.test.height = pair.train.height;
        pair.test.width = pair.train.width;
    }
    const auto classes = std::max(maxLabel(pair.train.labels), maxLabel(pair.test.labels)) + 1;
    pair.train.classNames = pair.test.classNames = numberNames(classes);
    return pair;
}

namespace detail {

// Reads only the image header (gzread handles plain files too) and the small label files.
DatasetInfo idxFolderInfo(const std::string& dir) {
    const std::string trainImages = findIdxFile(dir, "train", "images");
    const std::string trainLabels = findIdxFile(dir, "train", "labels");
    if (trainImages.empty() || trainLabels.empty())
        throw Error(dir + ": no MNIST-style training files found (expected train-images-idx3-ubyte and "
                          "train-labels-idx1-ubyte, optionally with .gz)");
    std::uint8_t header[16] = {};
    int got = -1;
    if (gzFile f = gzopen(trainImages.c_str(), "rb")) {
        got = gzread(f, header, sizeof header);
        gzclose(f);
    }
    if (got < 0)
        throw Error("cannot read " + trainImages);
    const auto dims = parseHeader(header, static_cast<std::size_t>(got), trainImages, kImagesMagic, "images");
    checkSides(dims[1], dims[2], trainImages);

    std::int64_t top = maxLabel(readLabels(trainLabels));
    const std::string testLabels = findIdxFile(dir, "t10k", "labels");
    if (!testLabels.empty() && !findIdxFile(dir, "t10k", "images").empty())
        top = std::max(top, maxLabel(readLabels(testLabels)));
    return {1, dims[1], dims[2], numberNames(top + 1)};
}

} // namespace detail
} // namespace nc
