#include "imaging/BatchPredict.h"

#include "data/Dataset.h"
#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "util/Error.h"
#include "util/Files.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace nc {

namespace {

std::string probabilityText(float p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", double(p));
    return buf;
}

} // namespace

std::vector<BatchPrediction> predictImages(const Model& model, const PredictionListing& listing,
                                           const BatchPredictOptions& options) {
    const Shape input = model.inputShape();
    const std::int64_t per = input.size() == 3 ? input[0] * input[1] * input[2] : 0;
    if (per <= 0)
        throw Error("the model's input " + shapeToString(input) + " is not an image");
    const std::size_t n = listing.items.size();
    std::vector<BatchPrediction> rows(n);
    const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const std::size_t batch = std::size_t(std::max(1, options.batchSize));
    std::vector<std::uint8_t> pixels;
    std::vector<std::size_t> slot;
    for (std::size_t first = 0; first < n; first += batch) {
        const std::size_t count = std::min(batch, n - first);
        pixels.assign(count * std::size_t(per), 0);
        std::vector<char> ok(count, 0); // one byte each: written from several threads
        std::atomic<std::size_t> next{0};
        auto work = [&] {
            for (std::size_t k; (k = next++) < count;) {
                const PredictionItem& item = listing.items[first + k];
                BatchPrediction& row = rows[first + k];
                row.path = item.rel;
                row.label = item.label;
                try {
                    PreparedImage img = loadImageForModel(item.path, input, options.fit);
                    if (options.invert)
                        invertPixels(img.pixels);
                    std::copy(img.pixels.begin(), img.pixels.end(), pixels.begin() + std::ptrdiff_t(k * std::size_t(per)));
                    if (first + k < options.keepPixels)
                        row.pixels = img.pixels;
                    ok[k] = true;
                } catch (const std::exception& e) {
                    row.error = e.what();
                }
            }
        };
        std::vector<std::thread> pool;
        for (int t = 1; t < std::min<int>(threads, int(count)); ++t)
            pool.emplace_back(work);
        work();
        for (std::thread& t : pool)
            t.join();
        // The decoded ones, packed, through the model at once.
        slot.clear();
        std::vector<std::uint8_t> packed;
        packed.reserve(count * std::size_t(per));
        for (std::size_t k = 0; k < count; ++k)
            if (ok[k]) {
                slot.push_back(k);
                packed.insert(packed.end(), pixels.begin() + std::ptrdiff_t(k * std::size_t(per)),
                              pixels.begin() + std::ptrdiff_t((k + 1) * std::size_t(per)));
            }
        if (!slot.empty()) {
            const std::vector<Prediction> p =
                predict(model, packed.data(), std::int64_t(slot.size()), std::max(1, options.topK));
            for (std::size_t j = 0; j < slot.size(); ++j) {
                BatchPrediction& row = rows[first + slot[j]];
                row.ok = true;
                row.predicted = p[j].predicted;
                row.probability = p[j].probabilities[std::size_t(p[j].predicted)];
                row.top = p[j].topK;
            }
        }
        if (options.progress && !options.progress(std::int64_t(first + count), std::int64_t(n))) {
            rows.resize(first + count);
            break;
        }
    }
    return rows;
}

std::string predictionsCsv(const std::vector<BatchPrediction>& rows, const std::vector<std::string>& names) {
    auto name = [&](int c) { return c >= 0 && c < int(names.size()) ? names[std::size_t(c)] : std::string(); };
    std::string out = "path,label,predicted,probability,top_k,correct,error\n";
    for (const BatchPrediction& r : rows) {
        std::string top;
        for (const auto& [c, p] : r.top)
            top += (top.empty() ? "" : ";") + name(c) + ":" + probabilityText(p);
        out += csvField(r.path) + "," + csvField(name(r.label)) + "," + csvField(r.ok ? name(r.predicted) : "") + "," +
               (r.ok ? probabilityText(r.probability) : "") + "," + csvField(top) + "," +
               (r.ok && r.label >= 0 ? (r.label == r.predicted ? "1" : "0") : "") + "," + csvField(r.error) + "\n";
    }
    return out;
}

EvaluationResult batchMetrics(const std::vector<BatchPrediction>& rows, const std::vector<std::string>& classNames) {
    std::vector<std::int64_t> truth, predicted;
    for (const BatchPrediction& r : rows)
        if (r.ok && r.label >= 0) {
            truth.push_back(r.label);
            predicted.push_back(r.predicted);
        }
    return computeMetrics(truth, predicted, classNames);
}

double batchAccuracy(const std::vector<BatchPrediction>& rows) {
    std::int64_t n = 0, right = 0;
    for (const BatchPrediction& r : rows)
        if (r.ok && r.label >= 0) {
            ++n;
            right += r.label == r.predicted;
        }
    return n ? double(right) / double(n) : -1.0;
}

} // namespace nc
