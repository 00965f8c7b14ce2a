#pragma once
// The dataset cache (docs/FORMATS.md "Image cache"): an imported folder's images decoded once into
// uint8 records, read back without OpenCV. Written atomically; read as hostile input.
#include "data/Dataset.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc {

// A file read with positioned reads (pread): safe from several threads, and its pages count
// against the page cache, not this process, so a dataset larger than memory stays readable.
class ImageFile {
public:
    static std::shared_ptr<ImageFile> open(const std::string& path); // throws nc::Error
    ~ImageFile();
    ImageFile(const ImageFile&) = delete;
    ImageFile& operator=(const ImageFile&) = delete;

    // Reads exactly `bytes` at `offset`; throws nc::Error if the file is shorter.
    void read(std::uint64_t offset, std::size_t bytes, void* out) const;
    std::uint64_t size() const { return m_size; }
    const std::string& path() const { return m_path; }

private:
    ImageFile(int fd, std::uint64_t size, std::string path);
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::string m_path;
};

struct CacheContents {
    std::string key; // what the cache was built from (file list, sizes, times, policy)
    std::int64_t channels = 0, height = 0, width = 0;
    std::vector<std::string> classNames;
    struct Split {
        std::int64_t count = 0;
        std::uint64_t labelsOffset = 0, imagesOffset = 0; // absolute, in the file
    };
    Split train, test, validation;
    Json policy = Json::object();
    Json report = Json::object();
};

// Reads and checks the header (magic, version, sizes against the file's length, labels in range).
CacheContents readCacheHeader(const ImageFile& file);

// The datasets a cache holds: in memory when all their pixels fit in `memoryBudget` bytes, else
// streamed from the file. `name` becomes each Dataset's name (the spec).
DatasetPair datasetsFromCache(const std::shared_ptr<const ImageFile>& file, const CacheContents& contents,
                              std::int64_t memoryBudget, const std::string& name);

// Writes a cache: the header, then each split's labels and images. Images are copied from
// `slots` (records of imageBytes each, by slot number) in each split's order. Atomic: a temporary
// file beside `path`, fsync'ed and renamed; on failure or when `keepGoing` returns false nothing
// is left behind (ImportCancelled is thrown for the latter).
struct CacheSplitData {
    std::vector<std::int64_t> labels;
    std::vector<std::int64_t> slots;
};
void writeCacheFile(const std::string& path, const CacheContents& header, const CacheSplitData& train,
                    const CacheSplitData& test, const CacheSplitData& validation, const ImageFile& slots,
                    const std::function<bool()>& keepGoing);

// Pixels a dataset may keep in memory: a quarter of what this process may use (physical memory,
// an address-space limit, a cgroup limit, whichever is least); NC_DATA_MEMORY_MB overrides.
std::int64_t defaultMemoryBudget();
// $NC_CACHE_DIR, else $XDG_CACHE_HOME/neuralcanvas, else ~/.cache/neuralcanvas.
std::string defaultCacheDir();

// 64-bit content hash (not cryptographic): duplicate detection and cache keys.
std::uint64_t hashBytes(const void* data, std::size_t size, std::uint64_t seed = 0);

} // namespace nc
