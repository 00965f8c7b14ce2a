#pragma once
// Importing a user's own images (DESIGN §5, `folder:DIR` and `csv:FILE`): the policy that turns
// images of any size into one tensor shape, the report of what was skipped and why, and the
// options a caller passes to loadDataset (where the cache lives, progress, cancel).
#include "util/Json.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nc {

// Stored in the project ("import"); the same policy on the same files names the same cache.
struct ImportPolicy {
    std::int64_t height = 0, width = 0; // 0 = auto: the median size, scaled to fit 64×64
    int channels = 0;                   // 0 = as most images are; 1 = grey; 3 = RGB
    std::string fit = "pad";            // pad | crop | stretch (imaging/Imaging.h FitMode)
    double testFraction = 0.2;          // held out per class when the folder has no test/ split
    std::uint64_t seed = 42;            // for that split
    std::string pathColumn, labelColumn; // csv: header names; empty = detected
    std::int64_t minSide = 8;           // smaller images are skipped
    std::int64_t maxPixels = 40'000'000; // larger ones are refused from their header, never decoded

    bool operator==(const ImportPolicy& o) const { return toJson() == o.toJson(); }
    Json toJson() const;
    static ImportPolicy fromJson(const Json& j); // throws nc::Error naming the bad field
};

// One file the import skipped and why, in words (the path is relative to the dataset's folder).
struct ImportProblem {
    std::string path;
    std::string reason;
};

struct ImportReport {
    std::string root;                 // the folder (or the CSV's folder) paths are relative to
    std::int64_t filesSeen = 0;       // candidate files found
    std::int64_t imported = 0;        // images in the dataset
    std::vector<ImportProblem> problems;
    std::vector<std::string> classNames;
    std::vector<std::int64_t> trainCounts, testCounts, validationCounts; // per class
    std::vector<std::string> fewImages; // classes with fewer than kFewImages training images
    // Original sizes seen: width, height, how many images had it (the largest groups first).
    struct SizeCount {
        std::int64_t width = 0, height = 0, count = 0;
    };
    std::vector<SizeCount> sizes;
    std::int64_t height = 0, width = 0, channels = 0; // the resolved policy's shape
    bool splitFolders = false;        // train/ test/ (val/) came from the folder
    bool fromCache = false;
    std::string cachePath;
    double seconds = 0;               // decoding time (0 when read from the cache)

    static constexpr std::int64_t kFewImages = 10;
    Json toJson() const;
    static ImportReport fromJson(const Json& j);
    std::string summary() const; // a few lines for a terminal
};

// Progress of an import: `done` of `total` files decoded. Return false to cancel.
using ImportProgress = std::function<bool(std::int64_t done, std::int64_t total)>;

struct DatasetOptions {
    ImportPolicy policy;
    std::string cacheDir;   // where the cache goes; empty = $NC_CACHE_DIR or ~/.cache/neuralcanvas
    std::string cacheName;  // the cache file's stem (a project's name); empty = from the content key
    ImportProgress progress;
    ImportReport* report = nullptr; // filled when the spec is an image folder or CSV
    int threads = 0;                // decoding threads; 0 = all cores
    // Pixels kept in memory at most; a larger dataset is read from its cache file per batch.
    // < 0 = automatic (a quarter of the memory this process may use; NC_DATA_MEMORY_MB overrides).
    std::int64_t memoryBudget = -1;
};

// Thrown when the progress callback cancels: nothing was written.
struct ImportCancelled {};

// True for specs that name a user's images ("folder:…", "csv:…").
bool isImageImportSpec(const std::string& spec);

} // namespace nc
