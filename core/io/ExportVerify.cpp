#include "io/ExportVerify.h"

#include "io/ExportInt8.h"
#include "nn/Generative.h"
#include "nn/Quantize.h"
#include "util/Error.h"
#include "util/Files.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <sys/wait.h>

namespace nc {

const char* exportCheckerScript(); // generated from resources/tools/check_export.py

namespace {
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The node_modules folder that may hold onnxruntime-node ("" when there is none to try).
std::string exportCheckModules() {
    if (const char* p = std::getenv("NC_EXPORT_CHECK_MODULES"))
        return p;
#ifdef NC_EXPORT_CHECK_MODULES_DEFAULT
    return NC_EXPORT_CHECK_MODULES_DEFAULT;
#else
    return {};
#endif
}

std::string python() {
    if (const char* p = std::getenv("NC_PYTHON"))
        return p;
    return fileExists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
} // namespace

double outputStep(const Model& model) {
    if (!isQuantized(model))
        return 0.0;
    try {
        const auto nodes = exportNodes(model);
        const Int8Plan plan = int8Plan(model, nodes);
        for (const ExportNode& n : nodes)
            if (n.type == "Output") {
                const Int8Node& q = plan.at(n.id);
                return q.int8 ? q.value.scale : 0.0;
            }
    } catch (const std::exception&) {
    }
    return 0.0;
}

namespace {
// Runs the checker on `input` (uint8 images, or float32 as it is: a decoder's latents) and compares
// with `expected`, the app's outputs for it.
ExportCheck runChecker(const Model& model, ExportFormat format, const std::string& exportPath, const void* input,
                       std::size_t inputBytes, bool floatInput, const Shape& shape, const std::vector<float>& expected,
                       bool compareClasses);
} // namespace

ExportCheck verifyExport(const Model& model, ExportFormat format, const std::string& exportPath) {
    const std::int64_t n = 8;
    std::mt19937 rng(1234);
    if (isGenerative(model)) { // its decoder: latents z ~ N(0, I) in, pixels out
        try {
            const Model decoder = decoderModel(model);
            const Shape& s = decoder.inputShape();
            std::normal_distribution<float> normal(0.f, 1.f);
            std::vector<float> z(static_cast<std::size_t>(n * s[0]));
            for (float& v : z)
                v = normal(rng);
            ExportCheck c = runChecker(decoder, format, exportPath, z.data(), z.size() * sizeof(float), true,
                                       {n, s[0], s[1], s[2]}, decoder.logitsFromUnit(z.data(), n), false);
            c.images = n;
            return c;
        } catch (const std::exception& e) {
            ExportCheck c;
            c.message = std::string("the check could not run: ") + e.what();
            return c;
        }
    }
    const Shape& s = model.inputShape();
    std::vector<std::uint8_t> images(static_cast<std::size_t>(n * s[0] * s[1] * s[2]));
    for (auto& b : images)
        b = static_cast<std::uint8_t>(rng() & 0xFF);
    return verifyExport(model, format, exportPath, images.data(), n);
}

ExportCheck verifyExport(const Model& model, ExportFormat format, const std::string& exportPath,
                         const std::uint8_t* images, std::int64_t n) {
    try {
        const Shape& s = model.inputShape();
        ExportCheck c = runChecker(model, format, exportPath, images, static_cast<std::size_t>(n * s[0] * s[1] * s[2]),
                                   false, {n, s[0], s[1], s[2]}, model.logits(images, n), true);
        c.images = n;
        return c;
    } catch (const std::exception& e) {
        ExportCheck c;
        c.images = n;
        c.message = std::string("the check could not run: ") + e.what();
        return c;
    }
}

namespace {
ExportCheck runChecker(const Model& model, ExportFormat format, const std::string& exportPath, const void* input,
                       std::size_t inputBytes, bool floatInput, const Shape& shape, const std::vector<float>& logits,
                       bool compareClasses) {
    const std::int64_t n = shape[0];
    ExportCheck check;
    check.images = n;
    check.runtime = format == ExportFormat::Onnx     ? "ONNX Runtime or OpenCV dnn"
                    : format == ExportFormat::Tflite ? "ArmNN or LiteRT"
                                                     : "Python torch";
    if (isQuantized(model)) {
        const double step = outputStep(model);
        // A float output (the app's last layer runs in float) still carries int8 rounding from
        // before it: allowed the same as ONNX Runtime's requantisation.
        check.tolerance = step > 0 ? step * (format == ExportFormat::Tflite ? 1.001 : 3.0) : 0.05;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir = fs::temp_directory_path(ec) / ("nc-verify-" + std::to_string(std::random_device{}()));
    try {
        makeDirectories(dir.string());
        const std::string script = (dir / "check_export.py").string(), inputPath = (dir / (floatInput ? "in.f32" : "in.u8")).string(),
                          expected = (dir / "out.f32").string(), modelPath = (dir / "model.ncmodel").string(),
                          saved = (dir / "runtime.f32").string();
        writeFileAtomic(script, std::string(exportCheckerScript()));
        writeFileAtomic(inputPath, input, inputBytes);
        writeFileAtomic(expected, logits.data(), logits.size() * sizeof(float));
        if (format == ExportFormat::Python)
            model.save(modelPath);
        const std::string cmd = quoted(python()) + " " + quoted(script) + " --format " + exportFormatName(format) +
                                " --file " + quoted(exportPath) + " --model " + quoted(modelPath) + " --input " +
                                quoted(inputPath) + " --shape " + std::to_string(n) + "," + std::to_string(shape[1]) + "," +
                                std::to_string(shape[2]) + "," + std::to_string(shape[3]) + " --expected " + quoted(expected) +
                                (floatInput ? " --input-dtype f32" : "") + (compareClasses ? "" : " --no-argmax") +
                                " --save-output " + quoted(saved) +
                                (exportCheckModules().empty() ? std::string() : " --node-modules " + quoted(exportCheckModules())) +
                                " 2>" + quoted((dir / "err.txt").string());
        std::string out;
        if (FILE* p = ::popen(cmd.c_str(), "r")) {
            std::array<char, 4096> buf{};
            while (std::fgets(buf.data(), int(buf.size()), p))
                out += buf.data();
            const int status = ::pclose(p);
            if (status != 0) {
                std::string err = readFileText((dir / "err.txt").string(), 1 << 20);
                const auto last = err.find_last_of('\n', err.size() >= 2 ? err.size() - 2 : 0);
                check.message = "the check failed in " + check.runtime + ": " +
                                (last == std::string::npos ? err : err.substr(last + 1));
            } else {
                // The checker's answer is untrusted too (non-finite outputs print as NaN, not JSON).
                const auto brace = out.find('{');
                const Json j = Json::parse(brace == std::string::npos ? std::string() : out.substr(brace), nullptr,
                                           false);
                if (j.is_object() && j.contains("max_abs_diff") && j["max_abs_diff"].is_number() &&
                    j.contains("argmax_agrees") && j["argmax_agrees"].is_boolean()) {
                    check.ran = true;
                    check.maxAbsDifference = j["max_abs_diff"].get<double>();
                    check.sameClass = j["argmax_agrees"].get<bool>();
                    if (j.contains("agreement") && j["agreement"].is_number())
                        check.agreement = j["agreement"].get<double>();
                    const std::string y = readFileText(saved, std::size_t(1) << 30);
                    if (y.size() == logits.size() * sizeof(float)) {
                        check.outputs.resize(logits.size());
                        std::memcpy(check.outputs.data(), y.data(), y.size());
                    }
                    if (j.contains("runtime") && j["runtime"].is_string())
                        check.runtime = j["runtime"].get<std::string>();
                } else {
                    check.message = "the check in " + check.runtime +
                                    " gave no usable answer (the exported model's outputs may not be finite)";
                }
            }
        } else {
            check.message = "cannot start " + python();
        }
    } catch (const std::exception& e) {
        check.ran = false;
        check.message = std::string("the check could not run: ") + e.what();
    }
    fs::remove_all(dir, ec);
    return check;
}
} // namespace

} // namespace nc
