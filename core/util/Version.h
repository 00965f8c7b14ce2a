#pragma once
#include <map>
#include <string>

namespace nc {

// This build's version ("0.1.0") and how files name their writer ("NeuralCanvas 0.1.0").
const char* appVersion();
std::string writerName();

// The versions this build writes (and reads, migrating older ones). The project format's is
// Project::kFormatVersion. docs/FORMATS.md lists what changed in each.
inline constexpr int kModelFormatVersion = 2;      // .ncmodel (2: int8 models; float ones are still written as 1)
inline constexpr int kCheckpointFormatVersion = 1; // .ncckpt

// Every file format carries a whole-number version and the writer's name. A reader accepts
// versions up to `supported` (older ones are migrated by the format's own chain) and refuses a
// newer one with a message naming the app version that wrote it. `kind` is e.g. "project format";
// `versionText` is the file's version as stored ("1"); `writer` may be empty (older files).
// Returns the version; throws nc::Error for a newer, negative or unreadable version.
int checkFormatVersion(const std::string& what, const std::string& kind, const std::string& versionText,
                       int supported, const std::string& writer);
// The same for a file whose string metadata (safetensors' __metadata__) holds "version" and
// "writer" (.ncmodel, .ncckpt); a missing version is not valid.
int checkFormatVersion(const std::string& what, const std::string& kind,
                       const std::map<std::string, std::string>& metadata, int supported);

} // namespace nc
