#include "data/ImageCache.h"

#include "util/Error.h"
#include "util/Files.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nc {

namespace {

constexpr char kMagic[8] = {'N', 'C', 'I', 'M', 'G', 'C', '\x01', '\n'};
constexpr std::uint64_t kMaxHeaderBytes = 64ull << 20; // the report can list many files, not more
constexpr std::int64_t kMaxClasses = 100000;

std::uint64_t le64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
void putLe64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = std::uint8_t(v >> (8 * i));
}
std::uint64_t alignUp(std::uint64_t v) { return (v + 63) & ~std::uint64_t(63); }

std::string sysError() { return std::strerror(errno); }

// Writes all of `n` bytes; false on an error (errno set).
bool writeAll(int fd, const void* data, std::size_t n) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= std::size_t(w);
    }
    return true;
}

} // namespace

// --- ImageFile ---------------------------------------------------------------------------------

ImageFile::ImageFile(int fd, std::uint64_t size, std::string path) : m_fd(fd), m_size(size), m_path(std::move(path)) {}

ImageFile::~ImageFile() {
    if (m_fd >= 0)
        ::close(m_fd);
}

std::shared_ptr<ImageFile> ImageFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open " + path + ": " + sysError());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + " is not a regular file");
    }
    return std::shared_ptr<ImageFile>(new ImageFile(fd, std::uint64_t(st.st_size), path));
}

void ImageFile::read(std::uint64_t offset, std::size_t bytes, void* out) const {
    if (offset > m_size || bytes > m_size - offset)
        throw Error(m_path + " is shorter than its header says (reading " + std::to_string(bytes) + " bytes at " +
                    std::to_string(offset) + " of " + std::to_string(m_size) + ")");
    auto* p = static_cast<std::uint8_t*>(out);
    while (bytes > 0) {
        const ssize_t r = ::pread(m_fd, p, bytes, off_t(offset));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            throw Error("cannot read " + m_path + ": " + (r < 0 ? sysError() : std::string("it was truncated")));
        p += r;
        offset += std::uint64_t(r);
        bytes -= std::size_t(r);
    }
}

// --- header ------------------------------------------------------------------------------------

CacheContents readCacheHeader(const ImageFile& file) {
    const std::string& what = file.path();
    if (file.size() < 16)
        throw Error(what + " is not a NeuralCanvas image cache (too short)");
    std::uint8_t head[16];
    file.read(0, 16, head);
    if (std::memcmp(head, kMagic, 8) != 0)
        throw Error(what + " is not a NeuralCanvas image cache (or a newer version of one)");
    const std::uint64_t jsonBytes = le64(head + 8);
    if (jsonBytes == 0 || jsonBytes > kMaxHeaderBytes || jsonBytes > file.size() - 16)
        throw Error(what + ": its header length (" + std::to_string(jsonBytes) + " bytes) does not fit the file");
    std::string text(std::size_t(jsonBytes), '\0');
    file.read(16, text.size(), text.data());
    Json j;
    try {
        j = Json::parse(text);
    } catch (const std::exception& e) {
        throw Error(what + ": its header is damaged (" + e.what() + ")");
    }
    CacheContents c;
    try {
        c.key = j.at("key").get<std::string>();
        c.channels = j.at("channels").get<std::int64_t>();
        c.height = j.at("height").get<std::int64_t>();
        c.width = j.at("width").get<std::int64_t>();
        c.classNames = j.at("classes").get<std::vector<std::string>>();
        if (j.contains("policy"))
            c.policy = j["policy"];
        if (j.contains("report"))
            c.report = j["report"];
    } catch (const std::exception& e) {
        throw Error(what + ": its header lacks a field or has one of the wrong type (" + e.what() + ")");
    }
    if ((c.channels != 1 && c.channels != 3) || c.height < 1 || c.height > 4096 || c.width < 1 || c.width > 4096)
        throw Error(what + ": its image shape " + std::to_string(c.channels) + "×" + std::to_string(c.height) + "×" +
                    std::to_string(c.width) + " is not one this app writes");
    if (c.classNames.empty() || std::int64_t(c.classNames.size()) > kMaxClasses)
        throw Error(what + ": it names " + std::to_string(c.classNames.size()) + " classes");
    const std::uint64_t dataStart = alignUp(16 + jsonBytes);
    const std::uint64_t per = std::uint64_t(c.channels * c.height * c.width);
    std::uint64_t at = dataStart;
    for (auto [name, split] : {std::pair<const char*, CacheContents::Split*>{"train", &c.train},
                               {"test", &c.test},
                               {"validation", &c.validation}}) {
        std::int64_t count = 0;
        if (j.contains("counts") && j["counts"].contains(name) && j["counts"][name].is_number_integer())
            count = j["counts"][name].get<std::int64_t>();
        const std::uint64_t left = file.size() > at ? file.size() - at : 0;
        if (count < 0 || std::uint64_t(count) > left / (8 + per))
            throw Error(what + ": its " + std::string(name) + " part claims " + std::to_string(count) +
                        " images, more than the file holds");
        split->count = count;
        split->labelsOffset = at;
        split->imagesOffset = at + 8 * std::uint64_t(count);
        at = split->imagesOffset + per * std::uint64_t(count);
    }
    if (at != file.size())
        throw Error(what + " is " + std::to_string(file.size()) + " bytes but its header describes " +
                    std::to_string(at) + ": it was truncated or changed");
    if (c.train.count == 0)
        throw Error(what + " holds no training images");
    return c;
}

DatasetPair datasetsFromCache(const std::shared_ptr<const ImageFile>& file, const CacheContents& c,
                              std::int64_t memoryBudget, const std::string& name) {
    const std::int64_t per = c.channels * c.height * c.width;
    const std::int64_t total = per * (c.train.count + c.test.count + c.validation.count);
    const bool inMemory = total <= memoryBudget;
    DatasetPair pair;
    for (auto [split, d] : {std::pair<const CacheContents::Split*, Dataset*>{&c.train, &pair.train},
                            {&c.test, &pair.test},
                            {&c.validation, &pair.validation}}) {
        d->name = name;
        d->channels = c.channels;
        d->height = c.height;
        d->width = c.width;
        d->classNames = c.classNames;
        d->labels.resize(std::size_t(split->count));
        std::vector<std::uint8_t> raw(std::size_t(8 * split->count));
        file->read(split->labelsOffset, raw.size(), raw.data());
        for (std::int64_t i = 0; i < split->count; ++i) {
            const std::uint64_t v = le64(raw.data() + 8 * i);
            if (v >= c.classNames.size())
                throw Error(file->path() + ": label " + std::to_string(v) + " of image " + std::to_string(i) +
                            " is not one of its " + std::to_string(c.classNames.size()) + " classes");
            d->labels[std::size_t(i)] = std::int64_t(v);
        }
        if (inMemory) {
            d->images.resize(std::size_t(per * split->count));
            if (!d->images.empty())
                file->read(split->imagesOffset, d->images.size(), d->images.data());
        } else {
            d->file = file;
            d->fileOffset = split->imagesOffset;
            d->rows.resize(std::size_t(split->count));
            for (std::int64_t i = 0; i < split->count; ++i)
                d->rows[std::size_t(i)] = i;
        }
    }
    return pair;
}

void writeCacheFile(const std::string& path, const CacheContents& header, const CacheSplitData& train,
                    const CacheSplitData& test, const CacheSplitData& validation, const ImageFile& slots,
                    const std::function<bool()>& keepGoing) {
    const std::uint64_t per = std::uint64_t(header.channels * header.height * header.width);
    Json j = {{"format", 1},
              {"key", header.key},
              {"channels", header.channels},
              {"height", header.height},
              {"width", header.width},
              {"classes", header.classNames},
              {"counts",
               {{"train", train.labels.size()}, {"test", test.labels.size()}, {"validation", validation.labels.size()}}},
              {"policy", header.policy},
              {"report", header.report}};
    const std::string text = j.dump();
    static std::atomic<unsigned> writes{0}; // unique per write, also within one process
    const std::string tmp = path + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(++writes);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("cannot write the image cache " + tmp + ": " + sysError());
    bool ok = false;
    struct Cleanup {
        int fd;
        const std::string& tmp;
        bool& ok;
        ~Cleanup() {
            if (fd >= 0)
                ::close(fd);
            if (!ok)
                ::unlink(tmp.c_str());
        }
    } cleanup{fd, tmp, ok};
    auto fail = [&](const std::string& doing) { throw Error("cannot write the image cache " + tmp + " (" + doing + "): " + sysError()); };
    std::uint8_t head[16];
    std::memcpy(head, kMagic, 8);
    putLe64(head + 8, text.size());
    if (!writeAll(fd, head, 16) || !writeAll(fd, text.data(), text.size()))
        fail("header");
    const std::uint64_t pad = alignUp(16 + text.size()) - (16 + text.size());
    const std::uint8_t zeros[64] = {};
    if (!writeAll(fd, zeros, std::size_t(pad)))
        fail("header");
    std::vector<std::uint8_t> buffer;
    for (const CacheSplitData* s : {&train, &test, &validation}) {
        buffer.resize(8 * s->labels.size());
        for (std::size_t i = 0; i < s->labels.size(); ++i)
            putLe64(buffer.data() + 8 * i, std::uint64_t(s->labels[i]));
        if (!writeAll(fd, buffer.data(), buffer.size()))
            fail("labels");
        // Images in chunks of ~4 MiB, each record read from its slot.
        const std::size_t chunk = std::max<std::size_t>(1, (4u << 20) / std::max<std::uint64_t>(1, per));
        buffer.resize(std::size_t(per * chunk));
        for (std::size_t first = 0; first < s->slots.size(); first += chunk) {
            if (keepGoing && !keepGoing())
                throw ImportCancelled{};
            const std::size_t n = std::min(chunk, s->slots.size() - first);
            for (std::size_t k = 0; k < n;) { // runs of consecutive slots in one read
                std::size_t run = 1;
                while (k + run < n && s->slots[first + k + run] == s->slots[first + k] + std::int64_t(run))
                    ++run;
                slots.read(std::uint64_t(s->slots[first + k]) * per, std::size_t(per * run), buffer.data() + k * per);
                k += run;
            }
            if (!writeAll(fd, buffer.data(), std::size_t(n * per)))
                fail("images");
        }
    }
    if (::fsync(fd) != 0)
        fail("fsync");
    ::close(cleanup.fd);
    cleanup.fd = -1;
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        fail("rename to " + path);
    ok = true;
}

// --- memory and places -------------------------------------------------------------------------

std::int64_t defaultMemoryBudget() {
    if (const char* env = std::getenv("NC_DATA_MEMORY_MB"); env && *env)
        return std::max<std::int64_t>(0, std::atoll(env)) << 20;
    std::int64_t limit = std::int64_t(::sysconf(_SC_PHYS_PAGES)) * std::int64_t(::sysconf(_SC_PAGESIZE));
    struct rlimit rl {};
    if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        limit = std::min<std::int64_t>(limit, std::int64_t(rl.rlim_cur));
    // This process's memory cgroup (v2 "0::/path", or v1 "N:memory:/path") and its limit.
    auto applyLimitFile = [&](const std::string& file) {
        std::ifstream in(file);
        std::string v;
        if (in >> v && v != "max") {
            const long long m = std::atoll(v.c_str());
            if (m > 0)
                limit = std::min<std::int64_t>(limit, m);
        }
    };
    std::ifstream self("/proc/self/cgroup");
    for (std::string line; std::getline(self, line);) {
        const auto a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos)
            continue;
        const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        if (controllers.empty())
            applyLimitFile("/sys/fs/cgroup" + path + "/memory.max");
        else if (("," + controllers + ",").find(",memory,") != std::string::npos)
            applyLimitFile("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes");
    }
    return std::max<std::int64_t>(0, limit / 4);
}

std::string defaultCacheDir() {
    if (const char* env = std::getenv("NC_CACHE_DIR"); env && *env)
        return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/neuralcanvas";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/neuralcanvas";
    return "/tmp/neuralcanvas-cache";
}

std::uint64_t hashBytes(const void* data, std::size_t size, std::uint64_t seed) {
    // Eight bytes at a time, each mixed with a multiply-xorshift (the splitmix64 finaliser).
    auto mix = [](std::uint64_t x) {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    };
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::uint64_t h = mix(seed ^ (0x9e3779b97f4a7c15ull + size));
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = mix(h ^ w) + 0x9e3779b97f4a7c15ull;
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i + k < size; ++k)
        tail |= std::uint64_t(p[i + k]) << (8 * k);
    return mix(h ^ tail ^ (std::uint64_t(size - i) << 56));
}

} // namespace nc
