#include "imaging/ImageFolder.h"

#include "data/ImageCache.h"
#include "util/Error.h"
#include "util/Files.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

namespace nc {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kAutoSide = 64;      // automatic sizes fit in 64×64: fast to train
constexpr std::size_t kShapeSample = 512;    // headers read to choose the automatic shape
constexpr std::size_t kHeaderBytes = 256 << 10; // enough for a JPEG's SOF after a large EXIF block
constexpr std::uint64_t kMaxCsvBytes = 256ull << 20;
constexpr std::size_t kMaxSizesListed = 50;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool hidden(const fs::path& p) {
    const std::string n = p.filename().string();
    return !n.empty() && n[0] == '.';
}

bool imageExtension(const fs::path& p) {
    static const std::set<std::string> known = {".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".dib", ".tif", ".tiff",
                                                ".webp", ".pbm", ".pgm", ".ppm", ".pnm", ".gif"};
    return known.count(lower(p.extension().string())) > 0;
}

// `p` lies inside `root` (both canonical).
bool inside(const fs::path& p, const fs::path& root) {
    auto r = root.begin(), q = p.begin();
    for (; r != root.end(); ++r, ++q)
        if (q == p.end() || *q != *r)
            return false;
    return true;
}

std::int64_t mtimeNs(const fs::path& p) {
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    return ec ? 0 : std::int64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

ImageSplit splitOfFolder(const std::string& name, bool& known) {
    const std::string n = lower(name);
    known = true;
    if (n == "train" || n == "training")
        return ImageSplit::Train;
    if (n == "test" || n == "testing")
        return ImageSplit::Test;
    if (n == "val" || n == "valid" || n == "validation")
        return ImageSplit::Validation;
    known = false;
    return ImageSplit::Train;
}

// --- folder listing ----------------------------------------------------------------------------

struct Walker {
    fs::path root; // canonical
    ImageListing& out;
    std::set<fs::path> visited;

    std::string rel(const fs::path& p) const { return p.lexically_relative(root).generic_string(); }

    // Files below `dir` (recursively) get `label` and `split`.
    void walk(const fs::path& dir, int label, ImageSplit split) {
        std::error_code ec;
        const fs::path canon = fs::canonical(dir, ec);
        if (ec || !visited.insert(canon).second)
            return; // a loop through a link inside the folder: each folder once
        std::vector<fs::directory_entry> items;
        for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
             it.increment(ec))
            items.push_back(*it);
        if (ec)
            out.problems.push_back({rel(dir), "cannot be listed: " + ec.message()});
        std::sort(items.begin(), items.end(),
                  [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
        for (const fs::directory_entry& e : items) {
            if (hidden(e.path()))
                continue;
            fs::path target = e.path();
            std::error_code lec;
            if (e.is_symlink(lec)) {
                const fs::path t = fs::canonical(e.path(), lec);
                if (lec) {
                    out.problems.push_back({rel(e.path()), "a symbolic link to something that does not exist"});
                    continue;
                }
                if (!inside(t, root)) {
                    out.problems.push_back({rel(e.path()), "a symbolic link to " + t.string() +
                                                               ", outside the dataset's folder: not followed"});
                    continue;
                }
                target = t;
            }
            if (fs::is_directory(target, lec)) {
                walk(target, label, split);
                continue;
            }
            if (!fs::is_regular_file(target, lec)) {
                out.problems.push_back({rel(e.path()), "not a regular file"});
                continue;
            }
            if (!imageExtension(e.path())) {
                out.problems.push_back({rel(e.path()), "not an image file (by its name); skipped"});
                continue;
            }
            ImageEntry entry;
            entry.path = target.string();
            entry.rel = rel(e.path());
            entry.label = label;
            entry.split = split;
            entry.bytes = fs::file_size(target, lec);
            entry.mtimeNs = mtimeNs(target);
            out.entries.push_back(std::move(entry));
        }
    }
};

std::vector<fs::path> subfolders(const fs::path& dir, Walker& w, bool reportFiles) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (hidden(it->path()))
            continue;
        std::error_code lec;
        if (it->is_symlink(lec)) {
            const fs::path t = fs::canonical(it->path(), lec);
            if (lec || !inside(t, w.root)) {
                w.out.problems.push_back({w.rel(it->path()), "a symbolic link outside the dataset's folder: not followed"});
                continue;
            }
        }
        if (fs::is_directory(it->path(), lec))
            dirs.push_back(it->path());
        else if (reportFiles)
            w.out.problems.push_back({w.rel(it->path()), "not inside a class folder; skipped"});
    }
    if (ec)
        throw Error("cannot list " + dir.string() + ": " + ec.message());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

ImageListing listFolder(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error("the image folder " + dir + " does not exist");
    if (!fs::is_directory(dir, ec))
        throw Error(dir + " is a file, not a folder: a folder dataset is a folder with one sub-folder of images "
                          "per class");
    ImageListing out;
    Walker w{fs::canonical(dir), out, {}};
    out.root = w.root.string();
    const std::vector<fs::path> top = subfolders(w.root, w, true);
    std::map<ImageSplit, fs::path> splits;
    for (const fs::path& d : top) {
        bool known = false;
        const ImageSplit s = splitOfFolder(d.filename().string(), known);
        if (known && !splits.count(s))
            splits[s] = d;
    }
    out.splitFolders = splits.count(ImageSplit::Train) && splits.size() >= 2;
    if (out.splitFolders) {
        for (const fs::path& d : top) {
            bool known = false;
            splitOfFolder(d.filename().string(), known);
            if (!known)
                out.problems.push_back({w.rel(d), "not train/, test/ or val/ beside them; skipped"});
        }
        for (const fs::path& c : subfolders(splits[ImageSplit::Train], w, true))
            out.classNames.push_back(c.filename().string());
        for (const auto& [split, folder] : splits) {
            for (const fs::path& c : subfolders(folder, w, true)) {
                const auto it = std::find(out.classNames.begin(), out.classNames.end(), c.filename().string());
                if (it == out.classNames.end()) {
                    out.problems.push_back({w.rel(c), "a class that train/ does not have; skipped"});
                    continue;
                }
                w.walk(c, int(it - out.classNames.begin()), split);
            }
        }
        out.hasValidation = splits.count(ImageSplit::Validation) > 0;
    } else {
        for (const fs::path& c : top)
            out.classNames.push_back(c.filename().string());
        for (std::size_t i = 0; i < top.size(); ++i)
            w.walk(top[i], int(i), ImageSplit::Train);
    }
    if (out.classNames.size() < 2)
        throw Error("the image folder " + dir + " has " + std::to_string(out.classNames.size()) +
                    " class folder(s); a classifier needs at least two: put each class's images in a sub-folder "
                    "named after it (e.g. " + dir + "/cat/, " + dir + "/dog/)");
    return out;
}

// --- CSV listing -------------------------------------------------------------------------------

// RFC 4180 fields: commas, quotes doubled inside quoted fields, CRLF or LF rows.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool isInteger(const std::string& s) {
    return !s.empty() && s.size() < 18 &&
           std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
           s != "-";
}

ImageListing listCsv(const std::string& file, const ImportPolicy& policy) {
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw Error(file + " is a folder, not a CSV file; for a folder of class folders use folder:" + file);
    const std::string text = readFileText(file, kMaxCsvBytes);
    std::vector<std::vector<std::string>> rows = parseCsv(text);
    if (rows.empty())
        throw Error("the CSV file " + file + " is empty");
    ImageListing out;
    const fs::path base = fs::canonical(fs::absolute(fs::path(file)).parent_path());
    out.root = base.string();
    // Columns: the names the policy gives, else the usual header names, else path then label.
    const std::vector<std::string>& head = rows[0];
    auto find = [&](const std::vector<std::string>& names) -> int {
        for (std::size_t i = 0; i < head.size(); ++i)
            for (const std::string& n : names)
                if (lower(trimmed(head[i])) == n)
                    return int(i);
        return -1;
    };
    int pathCol = -1, labelCol = -1, splitCol = -1;
    bool header = false;
    if (!policy.pathColumn.empty() || !policy.labelColumn.empty()) {
        pathCol = find({lower(policy.pathColumn.empty() ? "path" : policy.pathColumn)});
        labelCol = find({lower(policy.labelColumn.empty() ? "label" : policy.labelColumn)});
        if (pathCol < 0 || labelCol < 0)
            throw Error("the CSV file " + file + " has no column named \"" +
                        (pathCol < 0 ? policy.pathColumn : policy.labelColumn) + "\" in its first row");
        header = true;
    } else {
        pathCol = find({"path", "file", "filename", "file_name", "filepath", "image", "image_path", "img"});
        labelCol = find({"label", "class", "category", "target", "y", "class_name", "labels"});
        header = pathCol >= 0 || labelCol >= 0;
        if (pathCol < 0 || labelCol < 0) {
            if (header)
                throw Error("the CSV file " + file + " names a " + (pathCol < 0 ? "label" : "path") +
                            " column but not a " + (pathCol < 0 ? "path" : "label") +
                            " column; name them path and label, or choose them in the import settings");
            if (head.size() < 2)
                throw Error("the CSV file " + file + " needs two columns: the image's path and its label");
            pathCol = 0;
            labelCol = 1;
        }
    }
    if (header)
        splitCol = find({"split", "subset", "set", "fold"});
    std::vector<std::pair<std::string, std::string>> labelled; // rel path, label text
    std::vector<ImageSplit> splits;
    std::set<std::string> seen;
    for (std::size_t r = header ? 1 : 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = "row " + std::to_string(r + 1);
        const int need = std::max({pathCol, labelCol, splitCol});
        if (int(row.size()) <= need) {
            out.problems.push_back({where, "has " + std::to_string(row.size()) + " field(s), fewer than the header"});
            continue;
        }
        const std::string path = trimmed(row[std::size_t(pathCol)]), label = trimmed(row[std::size_t(labelCol)]);
        if (path.empty() || label.empty()) {
            out.problems.push_back({where, path.empty() ? "has no path" : "\"" + path + "\" has no label"});
            continue;
        }
        if (!seen.insert(path).second) {
            out.problems.push_back({path, "listed twice (" + where + "); the first row counts"});
            continue;
        }
        ImageSplit split = ImageSplit::Train;
        if (splitCol >= 0) {
            bool known = false;
            split = splitOfFolder(trimmed(row[std::size_t(splitCol)]), known);
            if (!known) {
                out.problems.push_back({path, "split \"" + row[std::size_t(splitCol)] +
                                                  "\" is not train, test or val (" + where + ")"});
                continue;
            }
            out.splitFolders = true;
            out.hasValidation = out.hasValidation || split == ImageSplit::Validation;
        }
        labelled.emplace_back(path, label);
        splits.push_back(split);
    }
    // Class names: sorted, numerically when every label is a whole number.
    std::set<std::string> names;
    for (const auto& [p, l] : labelled)
        names.insert(l);
    out.classNames.assign(names.begin(), names.end());
    if (std::all_of(out.classNames.begin(), out.classNames.end(), isInteger))
        std::sort(out.classNames.begin(), out.classNames.end(),
                  [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
    if (out.classNames.size() < 2)
        throw Error("the CSV file " + file + " has " + std::to_string(out.classNames.size()) +
                    " label(s); a classifier needs at least two");
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        const auto& [rel, label] = labelled[i];
        const fs::path listed = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
        std::error_code lec;
        const fs::path canon = fs::canonical(listed, lec);
        if (lec) {
            out.problems.push_back({rel, "does not exist"});
            continue;
        }
        // A path through a symbolic link must stay in the CSV's folder; a plain path may go anywhere.
        if (canon != listed.lexically_normal() && !inside(canon, base)) {
            out.problems.push_back({rel, "a symbolic link to " + canon.string() +
                                             ", outside the CSV's folder: not followed"});
            continue;
        }
        if (fs::is_directory(canon, lec) || !fs::is_regular_file(canon, lec)) {
            out.problems.push_back({rel, "not a regular file"});
            continue;
        }
        if (hidden(listed))
            continue;
        ImageEntry e;
        e.path = canon.string();
        e.rel = rel;
        e.label = int(std::find(out.classNames.begin(), out.classNames.end(), label) - out.classNames.begin());
        e.split = splits[i];
        e.bytes = fs::file_size(canon, lec);
        e.mtimeNs = mtimeNs(canon);
        out.entries.push_back(std::move(e));
    }
    if (out.splitFolders && std::none_of(out.entries.begin(), out.entries.end(),
                                         [](const ImageEntry& e) { return e.split == ImageSplit::Test; }))
        out.splitFolders = false; // only train (and val) rows: the test part is held out as usual
    std::sort(out.entries.begin(), out.entries.end(), [](const ImageEntry& a, const ImageEntry& b) { return a.rel < b.rel; });
    return out;
}

// Reads the first bytes of a file (enough for its header).
std::vector<std::uint8_t> readHead(const std::string& path) {
    std::vector<std::uint8_t> b(kHeaderBytes);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(b.data()), std::streamsize(b.size()));
    b.resize(std::size_t(std::max<std::streamsize>(0, in.gcount())));
    return b;
}

std::string specRoot(const std::string& spec) {
    return spec.substr(spec.find(':') + 1);
}

} // namespace

ImageListing listImages(const std::string& spec, const ImportPolicy& policy) {
    if (spec.rfind("folder:", 0) == 0)
        return listFolder(specRoot(spec));
    if (spec.rfind("csv:", 0) == 0)
        return listCsv(specRoot(spec), policy);
    throw Error("\"" + spec + "\" is not a folder: or csv: dataset");
}

ImportShape resolveImportShape(const ImageListing& listing, const ImportPolicy& policy) {
    ImportShape s{policy.channels, policy.height, policy.width};
    if (s.channels != 0 && s.height != 0)
        return s;
    std::vector<std::int64_t> ws, hs;
    int grey = 0, colour = 0;
    const std::size_t n = listing.entries.size();
    const std::size_t take = std::min(n, kShapeSample);
    for (std::size_t k = 0; k < take; ++k) {
        const ImageEntry& e = listing.entries[k * n / take]; // spread over classes (sorted by path)
        const std::vector<std::uint8_t> head = readHead(e.path);
        std::int64_t w = 0, h = 0;
        int c = 3;
        if (!readImageHeaderInfo(head.data(), head.size(), w, h, c) || w < policy.minSide || h < policy.minSide ||
            w > policy.maxPixels || h > policy.maxPixels / w)
            continue;
        ws.push_back(w);
        hs.push_back(h);
        (c == 1 ? grey : colour)++;
    }
    if (ws.empty()) {
        if (s.channels != 0 && s.height != 0)
            return s;
        throw Error("none of the first images in " + listing.root +
                    " has a header this app can read; choose the image size in the import settings");
    }
    if (s.channels == 0)
        s.channels = grey > colour ? 1 : 3;
    if (s.height == 0) {
        std::nth_element(ws.begin(), ws.begin() + long(ws.size() / 2), ws.end());
        std::nth_element(hs.begin(), hs.begin() + long(hs.size() / 2), hs.end());
        std::int64_t w = ws[ws.size() / 2], h = hs[hs.size() / 2];
        const double scale = std::min(1.0, double(kAutoSide) / double(std::max(w, h)));
        s.width = std::max<std::int64_t>(1, std::int64_t(w * scale + 0.5));
        s.height = std::max<std::int64_t>(1, std::int64_t(h * scale + 0.5));
    }
    return s;
}

namespace {

std::string cacheKey(const std::string& spec, const ImageListing& l, const ImportShape& shape,
                     const ImportPolicy& policy) {
    std::string text = "nc-image-cache-1|" + l.root + "|" + spec.substr(0, spec.find(':')) + "|" +
                       std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x" +
                       std::to_string(shape.width) + "|" + policy.fit + "|" + std::to_string(policy.testFraction) +
                       "|" + std::to_string(policy.seed) + "|" + std::to_string(policy.minSide) + "|" +
                       std::to_string(policy.maxPixels) + "\n";
    for (const std::string& c : l.classNames)
        text += c + "\n";
    for (const ImageEntry& e : l.entries)
        text += e.rel + "|" + std::to_string(e.label) + "|" + std::to_string(int(e.split)) + "|" +
                std::to_string(e.bytes) + "|" + std::to_string(e.mtimeNs) + "\n";
    return hex(hashBytes(text.data(), text.size(), 1)) + hex(hashBytes(text.data(), text.size(), 2));
}

// One open, fstat, read and close: the import reads tens of thousands of small files.
std::vector<std::uint8_t> readWholeFile(const std::string& path, std::uint64_t maxBytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(std::string("cannot be read: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw Error("is not a regular file");
    if (std::uint64_t(st.st_size) > maxBytes)
        throw Error("is " + std::to_string(st.st_size) + " bytes, more than the limit of " + std::to_string(maxBytes) +
                    " bytes for an image");
    std::vector<std::uint8_t> bytes(std::size_t(st.st_size));
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t r = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            throw Error(std::string("cannot be read: ") + (r < 0 ? std::strerror(errno) : "it became shorter"));
        got += std::size_t(r);
    }
    return bytes;
}

struct Decoded {
    bool ok = false;
    std::string reason;
    std::uint64_t hash = 0;
    std::int64_t width = 0, height = 0;
};

// Decodes every entry into its slot of `slotsFd`, on `threads` threads; the caller's thread
// reports progress and may cancel.
std::vector<Decoded> decodeAll(const ImageListing& l, const ImportShape& shape, const ImportPolicy& policy,
                               int slotsFd, int threads, const ImportProgress& progress) {
    const std::size_t n = l.entries.size();
    std::vector<Decoded> out(n);
    FitMode fit = FitMode::Pad;
    parseFitMode(policy.fit, fit);
    const Shape input{shape.channels, shape.height, shape.width};
    const std::int64_t per = shape.channels * shape.height * shape.width;
    ImageLimits limits;
    limits.maxPixels = policy.maxPixels;
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> cancel{false};
    std::mutex errorMutex;
    std::string writeError;
    auto work = [&] {
        while (!cancel) {
            const std::size_t i = next++;
            if (i >= n)
                return;
            const ImageEntry& e = l.entries[i];
            Decoded& d = out[i];
            try {
                const std::vector<std::uint8_t> bytes = readWholeFile(e.path, limits.maxFileBytes);
                d.hash = hashBytes(bytes.data(), bytes.size());
                std::int64_t w = 0, h = 0;
                int c = 3;
                if (!bytes.empty() && readImageHeaderInfo(bytes.data(), bytes.size(), w, h, c) &&
                    (w < policy.minSide || h < policy.minSide))
                    throw Error("it is " + std::to_string(w) + "×" + std::to_string(h) + " pixels, smaller than " +
                                std::to_string(policy.minSide) + "×" + std::to_string(policy.minSide));
                const PreparedImage img = prepareImageForModel(bytes, "it", input, fit, limits);
                d.width = img.originalWidth;
                d.height = img.originalHeight;
                const off_t at = off_t(std::int64_t(i) * per);
                if (::pwrite(slotsFd, img.pixels.data(), img.pixels.size(), at) != ssize_t(img.pixels.size())) {
                    std::lock_guard<std::mutex> lock(errorMutex);
                    writeError = std::strerror(errno);
                    cancel = true;
                }
                d.ok = true;
            } catch (const std::exception& ex) {
                std::string why = ex.what();
                if (why.rfind("it ", 0) == 0)
                    why = why.substr(3); // "it is empty (0 bytes)…" reads as a reason after the name
                d.reason = why;
            }
            ++done;
        }
    };
    std::vector<std::thread> pool;
    const int count = std::max(1, std::min<int>(threads, int(std::max<std::size_t>(1, n))));
    for (int t = 0; t < count; ++t)
        pool.emplace_back(work);
    bool cancelled = false;
    while (done < n && !cancel) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (progress && !progress(std::int64_t(done.load()), std::int64_t(n))) {
            cancelled = true;
            cancel = true;
        }
    }
    for (std::thread& t : pool)
        t.join();
    if (cancelled)
        throw ImportCancelled{};
    if (!writeError.empty())
        throw Error("cannot write the image cache beside the dataset: " + writeError);
    if (progress)
        progress(std::int64_t(n), std::int64_t(n));
    return out;
}

} // namespace

namespace {
// A killed import (SIGKILL, power cut) leaves `<cache>.slots-<pid>` / `<cache>.partial-<pid>`
// behind; those of processes that no longer run are removed before the next import.
void removeAbandonedTemporaries(const std::string& cachePath) {
    const fs::path p(cachePath);
    const std::string base = p.filename().string();
    std::error_code ec;
    for (fs::directory_iterator it(p.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        for (const char* tag : {".slots-", ".partial-"}) {
            const std::string prefix = base + tag;
            if (name.rfind(prefix, 0) != 0)
                continue;
            const std::string rest = name.substr(prefix.size());
            const std::string pid = rest.substr(0, rest.find('-')); // <pid> or <pid>-<n>
            if (pid.empty() || pid.size() > 9 || !std::all_of(pid.begin(), pid.end(), ::isdigit))
                continue;
            if (::kill(pid_t(std::stol(pid)), 0) != 0 && errno == ESRCH)
                fs::remove(it->path(), ec);
        }
    }
}
} // namespace

std::string importCachePath(const std::string& spec, const DatasetOptions& options) {
    const std::string dir = options.cacheDir.empty() ? defaultCacheDir() : options.cacheDir;
    const std::string stem = options.cacheName.empty() ? "dataset" : options.cacheName;
    return (fs::path(dir) / (stem + "-" + hex(hashBytes(spec.data(), spec.size())).substr(0, 8) + ".nccache")).string();
}

DatasetPair importImages(const std::string& spec, const DatasetOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const ImportPolicy& policy = options.policy;
    ImageListing listing = listImages(spec, policy);
    if (listing.entries.empty())
        throw Error("no image files found in " + listing.root + " (PNG, JPEG, BMP, TIFF, WebP)");
    const ImportShape shape = resolveImportShape(listing, policy);
    const std::string key = cacheKey(spec, listing, shape, policy);
    const std::string cachePath = importCachePath(spec, options);
    const std::int64_t budget = options.memoryBudget >= 0 ? options.memoryBudget : defaultMemoryBudget();

    // A valid cache built from exactly these files with this policy: use it.
    if (fileExists(cachePath)) {
        try {
            auto file = ImageFile::open(cachePath);
            const CacheContents c = readCacheHeader(*file);
            if (c.key == key) {
                DatasetPair pair = datasetsFromCache(file, c, budget, spec);
                if (options.report) {
                    *options.report = ImportReport::fromJson(c.report);
                    options.report->fromCache = true;
                    options.report->cachePath = cachePath;
                    options.report->seconds = 0;
                }
                return pair;
            }
        } catch (const Error&) {
            // damaged or foreign: rebuilt below, replacing it
        }
    }

    makeDirectories(fs::path(cachePath).parent_path().string());
    removeAbandonedTemporaries(cachePath);
    const std::int64_t per = shape.channels * shape.height * shape.width;
    // Unique per import, even for two in one process (the window's import view and a run start).
    static std::atomic<unsigned> imports{0};
    const std::string slotsPath = cachePath + ".slots-" + std::to_string(::getpid()) + "-" + std::to_string(++imports);
    const int slotsFd = ::open(slotsPath.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (slotsFd < 0)
        throw Error("cannot write the image cache " + slotsPath + ": " + std::strerror(errno));
    struct SlotsCleanup {
        int fd;
        std::string path;
        ~SlotsCleanup() {
            ::close(fd);
            ::unlink(path.c_str());
        }
    } slotsCleanup{slotsFd, slotsPath};
    if (::ftruncate(slotsFd, off_t(per * std::int64_t(listing.entries.size()))) != 0)
        throw Error("cannot make room for the image cache " + slotsPath + ": " + std::strerror(errno));
    const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const std::vector<Decoded> decoded = decodeAll(listing, shape, policy, slotsFd, threads, options.progress);

    ImportReport report;
    report.root = listing.root;
    report.filesSeen = std::int64_t(listing.entries.size() + listing.problems.size());
    report.problems = listing.problems;
    report.classNames = listing.classNames;
    report.splitFolders = listing.splitFolders;
    report.channels = shape.channels;
    report.height = shape.height;
    report.width = shape.width;
    std::vector<bool> keep(decoded.size(), false);
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        keep[i] = decoded[i].ok;
        if (!decoded[i].ok)
            report.problems.push_back({listing.entries[i].rel, decoded[i].reason});
    }
    // Exact duplicates: the same bytes twice. In one class the first copy stays; in several classes
    // the label is in doubt, so every copy is left out.
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < decoded.size(); ++i)
        if (keep[i])
            groups[{decoded[i].hash, listing.entries[i].bytes}].push_back(i);
    for (const auto& [k, members] : groups) {
        if (members.size() < 2)
            continue;
        std::set<int> labels;
        for (std::size_t i : members)
            labels.insert(listing.entries[i].label);
        if (labels.size() > 1) {
            std::string classes;
            for (int c : labels)
                classes += (classes.empty() ? "" : ", ") + listing.classNames[std::size_t(c)];
            for (std::size_t i : members) {
                keep[i] = false;
                report.problems.push_back({listing.entries[i].rel, "the same image is also in another class (" +
                                                                       classes + "): left out, its label is in doubt"});
            }
        } else {
            for (std::size_t m = 1; m < members.size(); ++m) {
                keep[members[m]] = false;
                report.problems.push_back(
                    {listing.entries[members[m]].rel, "a duplicate of " + listing.entries[members[0]].rel});
            }
        }
    }
    std::sort(report.problems.begin(), report.problems.end(),
              [](const ImportProblem& a, const ImportProblem& b) { return a.path < b.path; });

    // The splits: from the folders (or the CSV's split column), else a seeded stratified test part.
    CacheSplitData parts[3];
    std::vector<std::size_t> trainPool;
    const bool hasTest = std::any_of(listing.entries.begin(), listing.entries.end(),
                                     [](const ImageEntry& e) { return e.split == ImageSplit::Test; });
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        if (!keep[i])
            continue;
        const ImageEntry& e = listing.entries[i];
        if (hasTest || e.split != ImageSplit::Train) {
            parts[int(e.split)].labels.push_back(e.label);
            parts[int(e.split)].slots.push_back(std::int64_t(i));
        } else {
            trainPool.push_back(i);
        }
    }
    if (!hasTest) {
        std::vector<std::int64_t> poolLabels;
        for (std::size_t i : trainPool)
            poolLabels.push_back(listing.entries[i].label);
        const auto [trainIdx, testIdx] =
            stratifiedSplit(poolLabels, int(listing.classNames.size()), policy.testFraction, policy.seed);
        std::vector<bool> isTest(trainPool.size(), false);
        for (std::int64_t t : testIdx)
            isTest[std::size_t(t)] = true;
        for (std::size_t k = 0; k < trainPool.size(); ++k) {
            CacheSplitData& p = parts[isTest[k] ? 1 : 0]; // in listing order either way
            p.labels.push_back(poolLabels[k]);
            p.slots.push_back(std::int64_t(trainPool[k]));
        }
    }
    if (parts[0].labels.empty())
        throw Error("no usable training images in " + listing.root + " (" + std::to_string(report.problems.size()) +
                    " file(s) skipped; the first: " +
                    (report.problems.empty() ? std::string("none")
                                             : report.problems[0].path + ": " + report.problems[0].reason) +
                    ")");
    const std::size_t classes = listing.classNames.size();
    report.trainCounts.assign(classes, 0);
    report.testCounts.assign(classes, 0);
    report.validationCounts.assign(classes, 0);
    for (int s = 0; s < 3; ++s)
        for (std::int64_t label : parts[s].labels)
            (s == 0 ? report.trainCounts : s == 1 ? report.testCounts : report.validationCounts)[std::size_t(label)]++;
    for (std::size_t c = 0; c < classes; ++c)
        if (report.trainCounts[c] < ImportReport::kFewImages)
            report.fewImages.push_back(listing.classNames[c]);
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> sizes;
    for (std::size_t i = 0; i < decoded.size(); ++i)
        if (keep[i]) {
            ++report.imported;
            ++sizes[{decoded[i].width, decoded[i].height}];
        }
    for (const auto& [wh, count] : sizes)
        report.sizes.push_back({wh.first, wh.second, count});
    std::sort(report.sizes.begin(), report.sizes.end(),
              [](const ImportReport::SizeCount& a, const ImportReport::SizeCount& b) { return a.count > b.count; });
    if (report.sizes.size() > kMaxSizesListed)
        report.sizes.resize(kMaxSizesListed);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.cachePath = cachePath;

    CacheContents header;
    header.key = key;
    header.channels = shape.channels;
    header.height = shape.height;
    header.width = shape.width;
    header.classNames = listing.classNames;
    header.policy = policy.toJson();
    header.report = report.toJson();
    {
        auto slots = ImageFile::open(slotsPath);
        std::function<bool()> keepGoing;
        if (options.progress)
            keepGoing = [&] { return options.progress(std::int64_t(decoded.size()), std::int64_t(decoded.size())); };
        writeCacheFile(cachePath, header, parts[0], parts[1], parts[2], *slots, keepGoing);
    }
    if (options.report)
        *options.report = report;
    auto file = ImageFile::open(cachePath);
    return datasetsFromCache(file, readCacheHeader(*file), budget, spec);
}

namespace {
// The class names of a folder dataset from its folders alone (no file is listed or read): what
// the window needs on every dataset change when the policy names the shape.
std::vector<std::string> folderClassNames(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(fs::exists(dir, ec) ? dir + " is a file, not a folder" : "the image folder " + dir + " does not exist");
    auto folders = [&](const fs::path& d) {
        std::vector<std::string> names;
        for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
            if (!hidden(it->path()) && fs::is_directory(it->path(), ec))
                names.push_back(it->path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    };
    const std::vector<std::string> top = folders(dir);
    std::string train;
    bool otherSplit = false;
    for (const std::string& n : top) {
        bool known = false;
        const ImageSplit s = splitOfFolder(n, known);
        if (known && s == ImageSplit::Train && train.empty())
            train = n;
        else if (known)
            otherSplit = true;
    }
    std::vector<std::string> names = !train.empty() && otherSplit ? folders(fs::path(dir) / train) : top;
    if (names.size() < 2)
        throw Error("the image folder " + dir + " has " + std::to_string(names.size()) +
                    " class folder(s); a classifier needs at least two");
    return names;
}
} // namespace

DatasetInfo imageDatasetInfo(const std::string& spec, const DatasetOptions& options) {
    const ImportPolicy& p = options.policy;
    if (spec.rfind("folder:", 0) == 0 && p.channels != 0 && p.height != 0)
        return {p.channels, p.height, p.width, folderClassNames(specRoot(spec))};
    const ImageListing listing = listImages(spec, options.policy);
    if (listing.entries.empty())
        throw Error("no image files found in " + listing.root + " (PNG, JPEG, BMP, TIFF, WebP)");
    const ImportShape s = resolveImportShape(listing, options.policy);
    return {s.channels, s.height, s.width, listing.classNames};
}

void installImageImporter() { setImageImporter({importImages, imageDatasetInfo}); }

PredictionListing listImagesForPrediction(const std::string& source, const std::vector<std::string>& classNames) {
    PredictionListing out;
    std::error_code ec;
    auto labelOf = [&](const std::string& name) {
        const auto it = std::find(classNames.begin(), classNames.end(), name);
        return it == classNames.end() ? -1 : int(it - classNames.begin());
    };
    if (fs::is_directory(source, ec)) {
        ImageListing listing;
        Walker w{fs::canonical(source), listing, {}};
        listing.root = w.root.string();
        w.walk(w.root, -1, ImageSplit::Train);
        out.root = listing.root;
        out.problems = std::move(listing.problems);
        for (ImageEntry& e : listing.entries) {
            const std::string first = fs::path(e.rel).begin()->string();
            const bool nested = fs::path(e.rel).has_parent_path();
            out.items.push_back({std::move(e.path), e.rel, nested ? labelOf(first) : -1});
        }
    } else {
        if (!fs::exists(source, ec))
            throw Error(source + " does not exist");
        // A CSV: its path column, and its label column where it has one.
        const std::string text = readFileText(source, kMaxCsvBytes);
        const auto rows = parseCsv(text);
        if (rows.empty())
            throw Error("the CSV file " + source + " is empty");
        const fs::path base = fs::canonical(fs::absolute(fs::path(source)).parent_path());
        out.root = base.string();
        int pathCol = -1, labelCol = -1;
        for (std::size_t i = 0; i < rows[0].size(); ++i) {
            const std::string h = lower(trimmed(rows[0][i]));
            if (pathCol < 0 && (h == "path" || h == "file" || h == "filename" || h == "image" || h == "filepath"))
                pathCol = int(i);
            if (labelCol < 0 && (h == "label" || h == "class" || h == "category" || h == "target"))
                labelCol = int(i);
        }
        const bool header = pathCol >= 0;
        if (!header)
            pathCol = 0;
        for (std::size_t r = header ? 1 : 0; r < rows.size(); ++r) {
            if (int(rows[r].size()) <= pathCol)
                continue;
            const std::string rel = trimmed(rows[r][std::size_t(pathCol)]);
            if (rel.empty())
                continue;
            const fs::path listed = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
            const int label = labelCol >= 0 && int(rows[r].size()) > labelCol
                                  ? labelOf(trimmed(rows[r][std::size_t(labelCol)]))
                                  : -1;
            out.items.push_back({listed.lexically_normal().string(), rel, label});
        }
    }
    std::sort(out.items.begin(), out.items.end(),
              [](const PredictionItem& a, const PredictionItem& b) { return a.rel < b.rel; });
    out.labelled = !out.items.empty() &&
                   std::all_of(out.items.begin(), out.items.end(), [](const PredictionItem& i) { return i.label >= 0; });
    return out;
}

} // namespace nc
