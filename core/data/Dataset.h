#pragma once
#include "data/Augment.h"
#include "data/Import.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc {

class ImageFile; // data/ImageCache.h: a dataset cache file read with positioned reads

// Images as uint8 [N, C, H, W] (row-major) with int64 labels in [0, classes): held in memory, or,
// for an imported folder larger than the memory budget, read from its cache file as needed.
struct Dataset {
    std::string name;
    std::int64_t channels = 0, height = 0, width = 0;
    std::vector<std::uint8_t> images;
    std::vector<std::int64_t> labels;
    std::vector<std::string> classNames;
    // For synthetic data only: the object's bounding box per image (x0, y0, x1, y1; exclusive end).
    std::vector<std::int32_t> boxes;

    std::int64_t size() const { return static_cast<std::int64_t>(labels.size()); }
    std::int64_t imageBytes() const { return channels * height * width; }
    int numClasses() const { return static_cast<int>(classNames.size()); }
    // In memory only (asserted): a streamed dataset has no pointer to give; use imagesAt()/gather().
    const std::uint8_t* image(std::int64_t i) const;

    // Samples [first, first + count): a pointer into memory, or `scratch` filled from the file.
    const std::uint8_t* imagesAt(std::int64_t first, std::int64_t count, std::vector<std::uint8_t>& scratch) const;
    // Copies the listed samples, one after the other, into `out` (count × imageBytes()).
    void gather(const std::int64_t* indices, std::int64_t count, std::uint8_t* out) const;
    bool streamed() const { return file != nullptr; }

    // Copies the listed samples into a new dataset (boxes too when present); for a streamed
    // dataset only the row numbers are copied.
    Dataset subset(const std::vector<std::int64_t>& indices) const;

    // Streamed storage: record rows[i] of the file's images region starting at fileOffset.
    std::shared_ptr<const ImageFile> file;
    std::uint64_t fileOffset = 0;
    std::vector<std::int64_t> rows;
};

// Training and test parts of one dataset spec, and a validation part where the data came split
// that way (a folder with val/): when present, training validates on it instead of a fraction.
struct DatasetPair {
    Dataset train;
    Dataset test;
    Dataset validation;
};

// Loads a dataset spec (DESIGN §5): "fashion-mnist", "idx:DIR", "cifar10:DIR", "shapes[:N]",
// "folder:DIR", "csv:FILE" (the last two through the image importer, data/Import.h).
// `limitTrain`/`limitTest` > 0 keep only the first samples (after loading, for quick runs).
// Throws nc::Error with a message that names the file and what is wrong with it.
DatasetPair loadDataset(const std::string& spec, std::int64_t limitTrain = 0, std::int64_t limitTest = 0);
DatasetPair loadDataset(const std::string& spec, const DatasetOptions& options, std::int64_t limitTrain = 0,
                        std::int64_t limitTest = 0);

// Only the shape and class names, cheap (reads headers / generates nothing) where possible.
struct DatasetInfo {
    std::int64_t channels = 0, height = 0, width = 0;
    std::vector<std::string> classNames;
};
DatasetInfo datasetInfo(const std::string& spec);
DatasetInfo datasetInfo(const std::string& spec, const DatasetOptions& options);

// The reader of folder: and csv: specs lives in nc_imaging (it needs OpenCV); the programs that
// link it install it at start (installImageImporter() in imaging/ImageFolder.h). Without it those
// specs are refused with a message saying this build cannot decode images.
struct ImageImporter {
    std::function<DatasetPair(const std::string& spec, const DatasetOptions& options)> load;
    std::function<DatasetInfo(const std::string& spec, const DatasetOptions& options)> info;
};
void setImageImporter(ImageImporter importer);

// The folder the `fashion-mnist` spec reads: $NC_DATA_DIR, else the Debian package's folder.
std::string fashionMnistDir();

// --- readers (each checks sizes against the file before allocating) ---
// IDX (MNIST-style) image and label files; plain or .gz.
Dataset readIdx(const std::string& imagesPath, const std::string& labelsPath);
// The same for file contents already in memory (each plain or gzip); the names label errors.
Dataset parseIdx(const std::vector<std::uint8_t>& images, const std::vector<std::uint8_t>& labels,
                 const std::string& imagesName, const std::string& labelsName);
// A folder with train-images-idx3-ubyte[.gz] etc.; test files are optional for readIdxFolder.
DatasetPair readIdxFolder(const std::string& dir);
// CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin, batches.meta.txt).
Dataset readCifarBatch(const std::string& path);
// In memory: one batch's bytes with the given class names, and the names in a batches.meta.txt.
Dataset parseCifarBatch(const std::uint8_t* bytes, std::size_t size, const std::vector<std::string>& classNames,
                        const std::string& what);
std::vector<std::string> parseCifarClassNames(const std::string& text, const std::string& what);
DatasetPair readCifarFolder(const std::string& dir);
// Deterministic synthetic circles / squares / triangles (3 classes, 3×32×32, boxes filled): one
// object 9..17 pixels wide, lighter than its plain background, random colours, ±6 pixel noise.
Dataset makeShapes(std::int64_t count, std::uint64_t seed);

// Seeded stratified split: `fraction` of every class goes to the second part.
std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>
stratifiedSplit(const std::vector<std::int64_t>& labels, int numClasses, double fraction, std::uint64_t seed);

// Per-channel mean and standard deviation in [0,1] units.
struct Normalization {
    std::vector<float> mean, std;
};
Normalization computeNormalization(const Dataset& d);

// How images look, in [0,1] averaged over channels: the border ring (the background, in
// datasets like Fashion-MNIST) and the central half (where the object usually is). A model keeps
// its training data's, so it can say when an image is the opposite polarity (dark on light
// where it learned light on dark) and offer to invert it.
struct InputAppearance {
    bool known = false;
    double background = 0, object = 0;
};
InputAppearance measureAppearance(const std::uint8_t* chw, std::int64_t channels, std::int64_t height,
                                  std::int64_t width);
InputAppearance measureAppearance(const Dataset& d, std::int64_t maxImages = 4096); // the average image's
// True when both have a clear contrast between background and object and it runs the other way.
bool looksInverted(const InputAppearance& training, const InputAppearance& image);
void invertPixels(std::vector<std::uint8_t>& pixels); // v -> 255 - v

} // namespace nc
