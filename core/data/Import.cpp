#include "data/Import.h"

#include "util/Error.h"

#include <cmath>
#include <sstream>

namespace nc {

namespace {

std::int64_t integer(const Json& j, const char* key, std::int64_t def, std::int64_t lo, std::int64_t hi) {
    if (!j.contains(key))
        return def;
    const Json& v = j[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
        throw Error(std::string("import setting '") + key + "' must be a whole number from " + std::to_string(lo) +
                    " to " + std::to_string(hi));
    return v.get<std::int64_t>();
}

std::string text(const Json& j, const char* key, const std::string& def) {
    if (!j.contains(key))
        return def;
    if (!j[key].is_string())
        throw Error(std::string("import setting '") + key + "' must be text");
    return j[key].get<std::string>();
}

} // namespace

Json ImportPolicy::toJson() const {
    Json j = {{"height", height},           {"width", width},       {"channels", channels},
              {"fit", fit},                 {"test_fraction", testFraction}, {"seed", seed},
              {"min_side", minSide},        {"max_pixels", maxPixels}};
    if (!pathColumn.empty())
        j["path_column"] = pathColumn;
    if (!labelColumn.empty())
        j["label_column"] = labelColumn;
    return j;
}

ImportPolicy ImportPolicy::fromJson(const Json& j) {
    if (!j.is_object())
        throw Error("the project's import settings must be an object");
    ImportPolicy p;
    p.height = integer(j, "height", p.height, 0, 1024);
    p.width = integer(j, "width", p.width, 0, 1024);
    if ((p.height == 0) != (p.width == 0))
        throw Error("import settings: set both the height and the width, or neither (automatic)");
    p.channels = int(integer(j, "channels", p.channels, 0, 3));
    if (p.channels == 2)
        throw Error("import setting 'channels' must be 0 (as most images are), 1 (grey) or 3 (RGB)");
    p.fit = text(j, "fit", p.fit);
    if (p.fit != "pad" && p.fit != "crop" && p.fit != "stretch")
        throw Error("import setting 'fit' must be pad, crop or stretch");
    if (j.contains("test_fraction")) {
        if (!j["test_fraction"].is_number() || !(j["test_fraction"].get<double>() >= 0) ||
            !(j["test_fraction"].get<double>() <= 0.9))
            throw Error("import setting 'test_fraction' must be a number from 0 to 0.9");
        p.testFraction = j["test_fraction"].get<double>();
    }
    p.seed = std::uint64_t(integer(j, "seed", std::int64_t(p.seed), 0, std::int64_t(1) << 53));
    p.minSide = integer(j, "min_side", p.minSide, 1, 4096);
    p.maxPixels = integer(j, "max_pixels", p.maxPixels, 1, 400'000'000);
    p.pathColumn = text(j, "path_column", "");
    p.labelColumn = text(j, "label_column", "");
    return p;
}

Json ImportReport::toJson() const {
    Json problemsJ = Json::array();
    for (const ImportProblem& p : problems)
        problemsJ.push_back({{"path", p.path}, {"reason", p.reason}});
    Json sizesJ = Json::array();
    for (const SizeCount& s : sizes)
        sizesJ.push_back({s.width, s.height, s.count});
    return {{"root", root},
            {"files_seen", filesSeen},
            {"imported", imported},
            {"problems", problemsJ},
            {"classes", classNames},
            {"train_counts", trainCounts},
            {"test_counts", testCounts},
            {"validation_counts", validationCounts},
            {"few_images", fewImages},
            {"sizes", sizesJ},
            {"shape", {channels, height, width}},
            {"split_folders", splitFolders},
            {"from_cache", fromCache},
            {"cache", cachePath},
            {"seconds", seconds}};
}

ImportReport ImportReport::fromJson(const Json& j) {
    ImportReport r;
    if (!j.is_object())
        return r;
    auto get = [&](const char* key, auto& into) {
        if (j.contains(key)) {
            try {
                j[key].get_to(into);
            } catch (const std::exception&) {
            }
        }
    };
    get("root", r.root);
    get("files_seen", r.filesSeen);
    get("imported", r.imported);
    if (j.contains("problems") && j["problems"].is_array())
        for (const Json& p : j["problems"])
            if (p.is_object() && p.contains("path") && p["path"].is_string() && p.contains("reason") &&
                p["reason"].is_string())
                r.problems.push_back({p["path"].get<std::string>(), p["reason"].get<std::string>()});
    get("classes", r.classNames);
    get("train_counts", r.trainCounts);
    get("test_counts", r.testCounts);
    get("validation_counts", r.validationCounts);
    get("few_images", r.fewImages);
    if (j.contains("sizes") && j["sizes"].is_array())
        for (const Json& s : j["sizes"])
            if (s.is_array() && s.size() == 3 && s[0].is_number_integer() && s[1].is_number_integer() &&
                s[2].is_number_integer())
                r.sizes.push_back({s[0].get<std::int64_t>(), s[1].get<std::int64_t>(), s[2].get<std::int64_t>()});
    if (j.contains("shape") && j["shape"].is_array() && j["shape"].size() == 3) {
        try {
            r.channels = j["shape"][0].get<std::int64_t>();
            r.height = j["shape"][1].get<std::int64_t>();
            r.width = j["shape"][2].get<std::int64_t>();
        } catch (const std::exception&) {
        }
    }
    get("split_folders", r.splitFolders);
    get("from_cache", r.fromCache);
    get("cache", r.cachePath);
    get("seconds", r.seconds);
    return r;
}

std::string ImportReport::summary() const {
    std::ostringstream o;
    std::int64_t train = 0, test = 0, val = 0;
    for (auto n : trainCounts)
        train += n;
    for (auto n : testCounts)
        test += n;
    for (auto n : validationCounts)
        val += n;
    o << imported << " images in " << classNames.size() << " classes from " << root << " (" << train << " train, "
      << test << " test" << (val ? ", " + std::to_string(val) + " validation" : std::string()) << "), "
      << channels << "×" << height << "×" << width << (fromCache ? ", from the cache" : "") << "\n";
    for (std::size_t c = 0; c < classNames.size(); ++c)
        o << "  " << classNames[c] << ": " << (c < trainCounts.size() ? trainCounts[c] : 0) << " train, "
          << (c < testCounts.size() ? testCounts[c] : 0) << " test\n";
    for (const std::string& c : fewImages)
        o << "  note: class \"" << c << "\" has fewer than " << kFewImages << " training images\n";
    if (!problems.empty()) {
        o << problems.size() << " file(s) skipped:\n";
        for (const ImportProblem& p : problems)
            o << "  " << p.path << ": " << p.reason << "\n";
    }
    return o.str();
}

} // namespace nc
