#include "util/Files.h"

#include "util/Error.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nc {
namespace fs = std::filesystem;

bool fileExists(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::uint64_t fileSize(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw Error(path + " is a folder, not a file");
    if (!fs::is_regular_file(path, ec))
        throw Error("file not found: " + path);
    auto size = fs::file_size(path, ec);
    if (ec)
        throw Error("cannot read the size of " + path + ": " + ec.message());
    return size;
}

void removeFile(const std::string& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        fs::remove(path, ec);
}

void makeDirectories(const std::string& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
        throw Error("cannot create folder " + path + ": " + ec.message());
}

std::vector<std::uint8_t> readFileBytes(const std::string& path, std::uint64_t maxBytes) {
    const std::uint64_t size = fileSize(path);
    if (size > maxBytes)
        throw Error(path + " is " + std::to_string(size) + " bytes, more than the limit of " +
                    std::to_string(maxBytes) + " bytes for this kind of file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open " + path + ": " + std::strerror(errno));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw Error("cannot read " + path);
    return bytes;
}

std::string readFileText(const std::string& path, std::uint64_t maxBytes) {
    auto bytes = readFileBytes(path, maxBytes);
    return std::string(bytes.begin(), bytes.end());
}

std::vector<std::uint8_t> readMaybeGzip(const std::string& path, std::uint64_t maxBytes) {
    // Compressed input is bounded too: a gzip file cannot expand by more than ~1032x.
    return gunzipIfCompressed(readFileBytes(path, maxBytes), maxBytes, path);
}

std::vector<std::uint8_t> gunzipIfCompressed(std::vector<std::uint8_t> raw, std::uint64_t maxBytes,
                                             const std::string& path) {
    if (raw.size() > maxBytes)
        throw Error(path + " is " + std::to_string(raw.size()) + " bytes, more than the limit of " +
                    std::to_string(maxBytes) + " bytes for this kind of file");
    if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        return raw;

    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        throw Error("cannot start gzip decompression for " + path);
    zs.next_in = raw.data();
    zs.avail_in = static_cast<uInt>(raw.size());
    std::vector<std::uint8_t> out;
    std::uint8_t chunk[1 << 16];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            throw Error(path + " is not a valid gzip file (" + (zs.msg ? zs.msg : "truncated or corrupt") +
                        ")");
        }
        const std::size_t produced = sizeof chunk - zs.avail_out;
        if (out.size() + produced > maxBytes) {
            inflateEnd(&zs);
            throw Error(path + " decompresses to more than " + std::to_string(maxBytes) + " bytes");
        }
        out.insert(out.end(), chunk, chunk + produced);
        if (rc == Z_OK && zs.avail_in == 0 && produced == 0) {
            inflateEnd(&zs);
            throw Error(path + " is a truncated gzip file");
        }
    }
    inflateEnd(&zs);
    return out;
}

void writeFileAtomic(const std::string& path, const void* data, std::size_t size) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // A writer killed mid-save (SIGKILL, power loss) leaves its temporary file behind: remove
    // those of this target whose process is gone, so crashes do not pile up hidden copies.
    const std::string prefix = "." + target.filename().string() + ".tmp";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            ::unlink(it->path().c_str());
    }
    std::random_device rd;
    const fs::path tmp = dir / (prefix + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("cannot write " + path + ": " + std::strerror(errno));
    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(std::string("cannot write ") + path + " (" + what + "): " + std::strerror(err) +
                    "; the previous file is unchanged");
    };
    const auto* p = static_cast<const char*>(data);
    std::size_t left = size;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("write");
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        fail("flush");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error("cannot write " + path + ": " + std::strerror(err) + "; the previous file is unchanged");
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error("cannot replace " + path + ": " + std::strerror(err) + "; the previous file is unchanged");
    }
    // Make the rename itself durable.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

void writeFileAtomic(const std::string& path, const std::string& text) {
    writeFileAtomic(path, text.data(), text.size());
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

} // namespace nc
