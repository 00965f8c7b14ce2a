#include "util/Version.h"

#include "util/Error.h"

#include <cerrno>
#include <cstdlib>

#ifndef NC_APP_VERSION
#error "NC_APP_VERSION is set by core/CMakeLists.txt from the project's version"
#endif

namespace nc {

const char* appVersion() { return NC_APP_VERSION; }

std::string writerName() { return std::string("NeuralCanvas ") + NC_APP_VERSION; }

int checkFormatVersion(const std::string& what, const std::string& kind, const std::string& versionText,
                       int supported, const std::string& writer) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(versionText.c_str(), &end, 10);
    if (versionText.empty() || end == versionText.c_str() || *end != '\0' || errno == ERANGE || v < 0 || v > 1000000)
        throw Error(what + ": its " + kind + " version \"" + versionText.substr(0, 40) + "\" is not valid");
    if (v > supported)
        throw Error(what + " was written by " + (writer.empty() ? std::string("a newer NeuralCanvas") : writer.substr(0, 80)) +
                    " (" + kind + " " + std::to_string(v) + "); this " + writerName() + " reads " + kind + " " +
                    std::to_string(supported) + " and older. Update NeuralCanvas to open it.");
    return int(v);
}

int checkFormatVersion(const std::string& what, const std::string& kind,
                       const std::map<std::string, std::string>& metadata, int supported) {
    const auto field = [&](const char* key) {
        const auto it = metadata.find(key);
        return it == metadata.end() ? std::string() : it->second;
    };
    return checkFormatVersion(what, kind, field("version"), supported, field("writer"));
}

} // namespace nc
