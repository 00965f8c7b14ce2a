#pragma once
// A user's own images as a dataset (DESIGN §5): `folder:DIR` (one sub-folder per class, or
// train/ test/ val/ split folders holding those) and `csv:FILE` (a path and a label column).
// Decoded once, in parallel, into the image cache (data/ImageCache.h) that training reads.
#include "data/Dataset.h"
#include "data/Import.h"
#include "imaging/Imaging.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// Makes loadDataset/datasetInfo read folder: and csv: specs. Call once at program start.
void installImageImporter();

enum class ImageSplit { Train = 0, Test = 1, Validation = 2 };

// One candidate image: where it is, what it is labelled, and what the cache key needs.
struct ImageEntry {
    std::string path; // to open
    std::string rel;  // for people: relative to the listing's root
    int label = 0;
    ImageSplit split = ImageSplit::Train;
    std::uint64_t bytes = 0;
    std::int64_t mtimeNs = 0;
};

// What a folder or CSV lists, before anything is decoded. Hidden files and folders are left out
// silently; files that are not images, symbolic links leaving the folder, and CSV rows that name
// nothing usable become problems.
struct ImageListing {
    std::string root;
    std::vector<std::string> classNames;
    std::vector<ImageEntry> entries; // sorted by rel
    std::vector<ImportProblem> problems;
    bool splitFolders = false;
    bool hasValidation = false;
};
ImageListing listImages(const std::string& spec, const ImportPolicy& policy);

// The shape every image becomes: the policy's, else the median size of a sample of the images'
// headers scaled to fit 64×64, and the channel count most of them have.
struct ImportShape {
    std::int64_t channels = 0, height = 0, width = 0;
};
ImportShape resolveImportShape(const ImageListing& listing, const ImportPolicy& policy);

// The whole import: list, look for a valid cache, else decode into a new one.
DatasetPair importImages(const std::string& spec, const DatasetOptions& options);
DatasetInfo imageDatasetInfo(const std::string& spec, const DatasetOptions& options);

// The cache file a spec and options name (it may not exist yet).
std::string importCachePath(const std::string& spec, const DatasetOptions& options);

} // namespace nc

namespace nc {

// Images to classify in bulk: every image below a folder (recursively), or the path column of a
// CSV. An image's label is known when its first folder (or the CSV's label column) names one of
// `classNames`; `labelled` when every image's is.
struct PredictionItem {
    std::string path, rel;
    int label = -1;
};
struct PredictionListing {
    std::string root;
    std::vector<PredictionItem> items; // sorted by rel
    std::vector<ImportProblem> problems;
    bool labelled = false;
};
PredictionListing listImagesForPrediction(const std::string& folderOrCsv, const std::vector<std::string>& classNames);

} // namespace nc
