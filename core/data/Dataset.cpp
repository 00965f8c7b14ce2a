#include "data/Dataset.h"
#include "data/ImageCache.h"
#include "data/Random.h"

#include "util/Error.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>

namespace nc {
using detail::below;

// Cheap shape/name look-ups that need the readers' file-format knowledge; defined in Idx.cpp and
// Cifar.cpp (kept out of Dataset.h because they are no public API).
namespace detail {
DatasetInfo idxFolderInfo(const std::string& dir);
DatasetInfo cifarFolderInfo(const std::string& dir);
} // namespace detail

namespace {

const char* const kSpecForms = "fashion-mnist, idx:DIR, cifar10:DIR, folder:DIR, csv:FILE, shapes or shapes:N";
constexpr std::int64_t kDefaultShapes = 3000;
constexpr std::int64_t kMaxShapes = 200000; // ~600 MiB of pixels: more is surely a typo
// Fixed seeds so that "shapes" names the same data on every machine and in every run.
constexpr std::uint64_t kShapesTrainSeed = 0x5eed'0001;
constexpr std::uint64_t kShapesTestSeed = 0x5eed'0002;


std::vector<std::string> fashionMnistNames() {
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

struct ParsedSpec {
    enum Kind { FashionMnist, Idx, Cifar, Shapes, Images } kind;
    std::string dir;
    std::int64_t count = 0;
};

ParsedSpec parseSpec(const std::string& spec) {
    auto startsWith = [&](const char* p) { return spec.rfind(p, 0) == 0; };
    auto dirAfter = [&](std::size_t n) {
        std::string dir = spec.substr(n);
        if (dir.empty())
            throw Error("dataset spec \"" + spec + "\" names no folder; valid forms: " + kSpecForms);
        return dir;
    };
    if (spec == "fashion-mnist")
        return {ParsedSpec::FashionMnist, fashionMnistDir(), 0};
    if (startsWith("idx:"))
        return {ParsedSpec::Idx, dirAfter(4), 0};
    if (startsWith("cifar10:"))
        return {ParsedSpec::Cifar, dirAfter(8), 0};
    if (startsWith("folder:"))
        return {ParsedSpec::Images, dirAfter(7), 0};
    if (startsWith("csv:"))
        return {ParsedSpec::Images, dirAfter(4), 0};
    if (spec == "shapes")
        return {ParsedSpec::Shapes, {}, kDefaultShapes};
    if (startsWith("shapes:")) {
        const std::string num = spec.substr(7);
        const bool digits = !num.empty() && num.size() <= 9 &&
                            std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; });
        const std::int64_t n = digits ? std::stoll(num) : -1;
        if (n < 3 || n > kMaxShapes)
            throw Error("dataset spec \"" + spec + "\": N must be a whole number from 3 to " +
                        std::to_string(kMaxShapes));
        return {ParsedSpec::Shapes, {}, n};
    }
    throw Error("unknown dataset spec \"" + spec + "\"; valid forms: " + kSpecForms);
}

ImageImporter& importer() {
    static ImageImporter i;
    return i;
}

const ImageImporter& requireImporter(const std::string& spec) {
    const ImageImporter& i = importer();
    if (!i.load || !i.info)
        throw Error("dataset \"" + spec + "\" is a folder of image files, and this build cannot decode images "
                    "(it was built without OpenCV)");
    return i;
}

void keepFirst(Dataset& d, std::int64_t n) {
    if (n <= 0 || n >= d.size())
        return;
    d.labels.resize(static_cast<std::size_t>(n));
    if (d.streamed())
        d.rows.resize(static_cast<std::size_t>(n));
    else
        d.images.resize(static_cast<std::size_t>(n * d.imageBytes()));
    if (!d.boxes.empty())
        d.boxes.resize(static_cast<std::size_t>(n * 4));
}

} // namespace

void setImageImporter(ImageImporter i) { importer() = std::move(i); }

bool isImageImportSpec(const std::string& spec) { return spec.rfind("folder:", 0) == 0 || spec.rfind("csv:", 0) == 0; }

const std::uint8_t* Dataset::image(std::int64_t i) const {
    assert(!streamed());
    return images.data() + i * imageBytes();
}

const std::uint8_t* Dataset::imagesAt(std::int64_t first, std::int64_t count, std::vector<std::uint8_t>& scratch) const {
    if (!streamed())
        return images.data() + first * imageBytes();
    const std::int64_t bytes = imageBytes();
    scratch.resize(static_cast<std::size_t>(count * bytes));
    // Runs of consecutive rows (the usual case for a split read in order) are read at once.
    std::int64_t k = 0;
    while (k < count) {
        std::int64_t run = 1;
        const std::int64_t row = rows[static_cast<std::size_t>(first + k)];
        while (k + run < count && rows[static_cast<std::size_t>(first + k + run)] == row + run)
            ++run;
        file->read(fileOffset + std::uint64_t(row * bytes), static_cast<std::size_t>(run * bytes),
                   scratch.data() + k * bytes);
        k += run;
    }
    return scratch.data();
}

void Dataset::gather(const std::int64_t* indices, std::int64_t count, std::uint8_t* out) const {
    const std::int64_t bytes = imageBytes();
    for (std::int64_t k = 0; k < count; ++k) {
        const std::int64_t i = indices[k];
        if (streamed())
            file->read(fileOffset + std::uint64_t(rows[static_cast<std::size_t>(i)] * bytes),
                       static_cast<std::size_t>(bytes), out + k * bytes);
        else
            std::memcpy(out + k * bytes, images.data() + i * bytes, static_cast<std::size_t>(bytes));
    }
}

Dataset Dataset::subset(const std::vector<std::int64_t>& indices) const {
    Dataset out;
    out.name = name;
    out.channels = channels;
    out.height = height;
    out.width = width;
    out.classNames = classNames;
    out.file = file;
    out.fileOffset = fileOffset;
    const std::int64_t bytes = imageBytes();
    const bool hasBoxes = !boxes.empty();
    if (!streamed())
        out.images.reserve(indices.size() * static_cast<std::size_t>(bytes));
    out.labels.reserve(indices.size());
    for (std::int64_t i : indices) {
        if (i < 0 || i >= size())
            throw Error("sample index " + std::to_string(i) + " is outside the dataset of " +
                        std::to_string(size()) + " samples");
        if (streamed()) {
            out.rows.push_back(rows[static_cast<std::size_t>(i)]);
        } else {
            const std::uint8_t* src = image(i);
            out.images.insert(out.images.end(), src, src + bytes);
        }
        out.labels.push_back(labels[static_cast<std::size_t>(i)]);
        if (hasBoxes)
            out.boxes.insert(out.boxes.end(), boxes.begin() + i * 4, boxes.begin() + i * 4 + 4);
    }
    return out;
}

std::string fashionMnistDir() {
    const char* env = std::getenv("NC_DATA_DIR");
    if (env && *env)
        return env;
    return "/usr/share/datasets/fashion-mnist";
}

DatasetPair loadDataset(const std::string& spec, std::int64_t limitTrain, std::int64_t limitTest) {
    return loadDataset(spec, DatasetOptions{}, limitTrain, limitTest);
}

DatasetPair loadDataset(const std::string& spec, const DatasetOptions& options, std::int64_t limitTrain,
                        std::int64_t limitTest) {
    const ParsedSpec p = parseSpec(spec);
    DatasetPair pair;
    switch (p.kind) {
    case ParsedSpec::Images:
        pair = requireImporter(spec).load(spec, options);
        break;
    case ParsedSpec::FashionMnist: {
        std::error_code ec;
        if (!std::filesystem::is_directory(p.dir, ec))
            throw Error("Fashion-MNIST not found: the folder " + p.dir +
                        " does not exist; install the dataset-fashion-mnist package or set NC_DATA_DIR "
                        "to a folder with its IDX files");
        pair = readIdxFolder(p.dir);
        if (pair.test.size() == 0)
            throw Error("Fashion-MNIST in " + p.dir + " has no test files (t10k-images-idx3-ubyte[.gz])");
        auto names = fashionMnistNames();
        for (Dataset* d : {&pair.train, &pair.test}) {
            if (d->numClasses() > static_cast<int>(names.size()))
                throw Error("Fashion-MNIST in " + p.dir + " has labels up to " +
                            std::to_string(d->numClasses() - 1) + ", expected 0..9");
            d->classNames = names;
        }
        break;
    }
    case ParsedSpec::Idx:
        pair = readIdxFolder(p.dir);
        break;
    case ParsedSpec::Cifar:
        pair = readCifarFolder(p.dir);
        break;
    case ParsedSpec::Shapes:
        pair.train = makeShapes(p.count, kShapesTrainSeed);
        pair.test = makeShapes(std::max<std::int64_t>(3, p.count / 5), kShapesTestSeed);
        break;
    }
    pair.train.name = spec;
    pair.test.name = spec;
    pair.validation.name = spec;
    keepFirst(pair.train, limitTrain);
    keepFirst(pair.test, limitTest);
    return pair;
}

DatasetInfo datasetInfo(const std::string& spec) { return datasetInfo(spec, DatasetOptions{}); }

DatasetInfo datasetInfo(const std::string& spec, const DatasetOptions& options) {
    const ParsedSpec p = parseSpec(spec);
    switch (p.kind) {
    case ParsedSpec::Images:
        return requireImporter(spec).info(spec, options);
    case ParsedSpec::FashionMnist:
        return {1, 28, 28, fashionMnistNames()};
    case ParsedSpec::Idx:
        return detail::idxFolderInfo(p.dir);
    case ParsedSpec::Cifar:
        return detail::cifarFolderInfo(p.dir);
    case ParsedSpec::Shapes:
        return {3, 32, 32, {"circle", "square", "triangle"}};
    }
    throw Error("unknown dataset spec \"" + spec + "\"");
}

std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>
stratifiedSplit(const std::vector<std::int64_t>& labels, int numClasses, double fraction,
                std::uint64_t seed) {
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw Error("the validation fraction must be between 0 and 1, got " + std::to_string(fraction));
    if (numClasses <= 0)
        throw Error("cannot split a dataset with no classes");
    std::vector<std::vector<std::int64_t>> byClass(static_cast<std::size_t>(numClasses));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::int64_t l = labels[i];
        if (l < 0 || l >= numClasses)
            throw Error("label " + std::to_string(l) + " of sample " + std::to_string(i) + " is outside 0.." +
                        std::to_string(numClasses - 1));
        byClass[static_cast<std::size_t>(l)].push_back(static_cast<std::int64_t>(i));
    }
    std::mt19937_64 g(seed);
    std::vector<std::int64_t> first, second;
    for (auto& idx : byClass) {
        for (std::size_t i = idx.size(); i > 1; --i)
            std::swap(idx[i - 1], idx[below(g, i)]);
        const auto k = static_cast<std::size_t>(std::llround(static_cast<double>(idx.size()) * fraction));
        second.insert(second.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k));
        first.insert(first.end(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end());
    }
    // Dataset order, so that a split does not also reorder the data it selects.
    std::sort(first.begin(), first.end());
    std::sort(second.begin(), second.end());
    return {std::move(first), std::move(second)};
}

InputAppearance measureAppearance(const std::uint8_t* chw, std::int64_t channels, std::int64_t height,
                                  std::int64_t width) {
    InputAppearance a;
    if (!chw || channels <= 0 || height < 4 || width < 4)
        return a;
    const std::int64_t ring = std::max<std::int64_t>(1, std::min(height, width) / 8);
    double border = 0, centre = 0;
    std::int64_t nb = 0, nc = 0;
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t y = 0; y < height; ++y)
            for (std::int64_t x = 0; x < width; ++x) {
                const double v = chw[(c * height + y) * width + x] / 255.0;
                if (y < ring || y >= height - ring || x < ring || x >= width - ring) {
                    border += v;
                    ++nb;
                } else if (y >= height / 4 && y < height - height / 4 && x >= width / 4 && x < width - width / 4) {
                    centre += v;
                    ++nc;
                }
            }
    if (nb == 0 || nc == 0)
        return a;
    a.known = true;
    a.background = border / double(nb);
    a.object = centre / double(nc);
    return a;
}

InputAppearance measureAppearance(const Dataset& d, std::int64_t maxImages) {
    InputAppearance sum;
    const std::int64_t n = std::min(d.size(), std::max<std::int64_t>(1, maxImages));
    const std::int64_t step = std::max<std::int64_t>(1, d.size() / std::max<std::int64_t>(1, n));
    std::int64_t used = 0;
    std::vector<std::uint8_t> scratch;
    for (std::int64_t i = 0; i < d.size() && used < n; i += step) {
        const InputAppearance a = measureAppearance(d.imagesAt(i, 1, scratch), d.channels, d.height, d.width);
        if (!a.known)
            continue;
        sum.background += a.background;
        sum.object += a.object;
        ++used;
    }
    if (used == 0)
        return {};
    sum.known = true;
    sum.background /= double(used);
    sum.object /= double(used);
    return sum;
}

bool looksInverted(const InputAppearance& training, const InputAppearance& image) {
    if (!training.known || !image.known)
        return false;
    const double learned = training.object - training.background, seen = image.object - image.background;
    return std::abs(learned) >= 0.08 && std::abs(seen) >= 0.05 && (learned > 0) != (seen > 0);
}

void invertPixels(std::vector<std::uint8_t>& pixels) {
    for (std::uint8_t& v : pixels)
        v = static_cast<std::uint8_t>(255 - v);
}

Normalization computeNormalization(const Dataset& d) {
    const auto c = static_cast<std::size_t>(d.channels);
    const std::int64_t plane = d.height * d.width;
    std::vector<double> sum(c, 0.0), sumSq(c, 0.0);
    std::vector<std::uint8_t> scratch;
    const std::int64_t chunk = std::max<std::int64_t>(1, (4 << 20) / std::max<std::int64_t>(1, d.imageBytes()));
    const std::uint8_t* block = nullptr;
    for (std::int64_t i = 0; i < d.size(); ++i) {
        if (i % chunk == 0)
            block = d.imagesAt(i, std::min(chunk, d.size() - i), scratch);
        const std::uint8_t* img = block + (i % chunk) * d.imageBytes();
        for (std::size_t ch = 0; ch < c; ++ch) {
            // Integer sums per image are exact; doubles only accumulate across images.
            std::uint64_t s = 0, s2 = 0;
            const std::uint8_t* p = img + static_cast<std::int64_t>(ch) * plane;
            for (std::int64_t k = 0; k < plane; ++k) {
                s += p[k];
                s2 += static_cast<std::uint64_t>(p[k]) * p[k];
            }
            sum[ch] += static_cast<double>(s);
            sumSq[ch] += static_cast<double>(s2);
        }
    }
    Normalization n;
    const double count = static_cast<double>(d.size()) * static_cast<double>(plane);
    for (std::size_t ch = 0; ch < c; ++ch) {
        if (count <= 0) {
            n.mean.push_back(0.f);
            n.std.push_back(1.f);
            continue;
        }
        const double mean = sum[ch] / count / 255.0;
        const double var = std::max(0.0, sumSq[ch] / count / (255.0 * 255.0) - mean * mean);
        const double sd = std::sqrt(var);
        n.mean.push_back(static_cast<float>(mean));
        // A constant channel would otherwise divide by zero when normalising.
        n.std.push_back(sd < 1e-6 ? 1.f : static_cast<float>(sd));
    }
    return n;
}

} // namespace nc
