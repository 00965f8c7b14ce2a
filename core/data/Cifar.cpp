#include "data/Dataset.h"

#include "util/Error.h"
#include "util/Files.h"

#include <filesystem>

namespace nc {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kSide = 32;
constexpr std::int64_t kImageBytes = 3 * kSide * kSide;
constexpr std::int64_t kRecordBytes = 1 + kImageBytes;
// A real batch is 30,730,000 bytes; leave room for bigger home-made ones.
constexpr std::uint64_t kMaxBatchBytes = 512ull << 20;
constexpr std::uint64_t kMaxMetaBytes = 64 << 10;

std::string notWholeRecords(const std::string& path, std::uint64_t size) {
    return path + ": " + std::to_string(size) + " bytes is not a whole number of CIFAR-10 records (" +
           std::to_string(kRecordBytes) + " bytes each: 1 label byte + 3x32x32 pixels)";
}

std::vector<std::string> standardNames() {
    return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
}

// Names from batches.meta.txt (one a line, blank lines ignored), else the standard ten.
std::vector<std::string> classNamesFor(const std::string& dir) {
    const std::string meta = (fs::path(dir) / "batches.meta.txt").string();
    if (!fileExists(meta))
        return standardNames();
    return parseCifarClassNames(readFileText(meta, kMaxMetaBytes), meta);
}

Dataset readBatch(const std::string& path, const std::vector<std::string>& names) {
    // Size first, so a wrong file is refused before it is read at all.
    const std::uint64_t size = fileSize(path);
    if (size == 0 || size % kRecordBytes != 0)
        throw Error(notWholeRecords(path, size));
    const auto bytes = readFileBytes(path, kMaxBatchBytes);
    if (bytes.size() != size)
        throw Error(path + ": the file changed while it was being read");
    return parseCifarBatch(bytes.data(), bytes.size(), names, path);
}

void append(Dataset& into, const Dataset& part) {
    into.images.insert(into.images.end(), part.images.begin(), part.images.end());
    into.labels.insert(into.labels.end(), part.labels.begin(), part.labels.end());
}

// Downloads unpack into cifar-10-batches-bin/; accept the parent folder too.
std::string batchDir(const std::string& dir) {
    if (fileExists((fs::path(dir) / "data_batch_1.bin").string()))
        return dir;
    const std::string inner = (fs::path(dir) / "cifar-10-batches-bin").string();
    if (fileExists((fs::path(inner) / "data_batch_1.bin").string()))
        return inner;
    throw Error(dir + ": no CIFAR-10 binary batches found (expected data_batch_1.bin .. data_batch_5.bin "
                      "and test_batch.bin)");
}

} // namespace

std::vector<std::string> parseCifarClassNames(const std::string& text, const std::string& what) {
    std::vector<std::string> names;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(pos, end - pos);
        const auto first = line.find_first_not_of(" \t\r");
        const auto last = line.find_last_not_of(" \t\r");
        if (first != std::string::npos)
            names.push_back(line.substr(first, last - first + 1));
        pos = end + 1;
    }
    if (names.empty() || names.size() > 256)
        throw Error(what + ": expected 1 to 256 class names, one a line, found " +
                    std::to_string(names.size()));
    return names;
}

Dataset parseCifarBatch(const std::uint8_t* bytes, std::size_t size, const std::vector<std::string>& names,
                        const std::string& path) {
    if (size == 0 || size % kRecordBytes != 0)
        throw Error(notWholeRecords(path, size));
    if (names.empty() || names.size() > 256)
        throw Error(path + ": expected 1 to 256 class names, got " + std::to_string(names.size()));
    const auto count = static_cast<std::int64_t>(size / kRecordBytes);

    Dataset d;
    d.name = path;
    d.channels = 3;
    d.height = kSide;
    d.width = kSide;
    d.classNames = names;
    d.labels.reserve(static_cast<std::size_t>(count));
    d.images.reserve(static_cast<std::size_t>(count * kImageBytes));
    for (std::int64_t i = 0; i < count; ++i) {
        const std::uint8_t* rec = bytes + i * kRecordBytes;
        if (rec[0] >= names.size())
            throw Error(path + ": record " + std::to_string(i) + " has label " + std::to_string(rec[0]) +
                        ", but there are only " + std::to_string(names.size()) + " classes");
        d.labels.push_back(rec[0]);
        d.images.insert(d.images.end(), rec + 1, rec + kRecordBytes);
    }
    return d;
}

Dataset readCifarBatch(const std::string& path) {
    return readBatch(path, classNamesFor(fs::path(path).parent_path().string()));
}

DatasetPair readCifarFolder(const std::string& dir) {
    const std::string root = batchDir(dir);
    const auto names = classNamesFor(root);
    DatasetPair pair;
    pair.train = readBatch((fs::path(root) / "data_batch_1.bin").string(), names);
    for (int i = 2; i <= 5; ++i) {
        const std::string p = (fs::path(root) / ("data_batch_" + std::to_string(i) + ".bin")).string();
        if (fileExists(p))
            append(pair.train, readBatch(p, names));
    }
    const std::string test = (fs::path(root) / "test_batch.bin").string();
    if (fileExists(test)) {
        pair.test = readBatch(test, names);
    } else {
        pair.test.channels = 3;
        pair.test.height = pair.test.width = kSide;
        pair.test.classNames = names;
    }
    return pair;
}

namespace detail {
DatasetInfo cifarFolderInfo(const std::string& dir) {
    return {3, kSide, kSide, classNamesFor(batchDir(dir))};
}
} // namespace detail

} // namespace nc
