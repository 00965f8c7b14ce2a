#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// Reads a whole file, refusing files larger than maxBytes before allocating. Throws nc::Error.
std::vector<std::uint8_t> readFileBytes(const std::string& path, std::uint64_t maxBytes);
std::string readFileText(const std::string& path, std::uint64_t maxBytes);

// Reads a file that may be gzip-compressed (detected by its magic bytes). The uncompressed size
// is capped at maxBytes; memory grows with the data actually present, never with a header's claim.
std::vector<std::uint8_t> readMaybeGzip(const std::string& path, std::uint64_t maxBytes);
// The same for bytes already in memory (`what` names them in errors): returned unchanged unless
// they start with the gzip magic, else decompressed with the same cap.
std::vector<std::uint8_t> gunzipIfCompressed(std::vector<std::uint8_t> raw, std::uint64_t maxBytes,
                                             const std::string& what);

// Writes atomically: a temporary file beside the target, flushed and fsync'ed, then renamed over
// it. On any failure the previous file is untouched and nc::Error names the path and the reason.
void writeFileAtomic(const std::string& path, const void* data, std::size_t size);
void writeFileAtomic(const std::string& path, const std::string& text);

// One CSV field (RFC 4180): quoted, with doubled quotes, when it holds a comma, quote or newline.
std::string csvField(const std::string& s);

bool fileExists(const std::string& path);
std::uint64_t fileSize(const std::string& path); // throws nc::Error when missing
void makeDirectories(const std::string& path);    // like mkdir -p; throws nc::Error
void removeFile(const std::string& path);         // a regular file, if there is one; never throws

} // namespace nc
