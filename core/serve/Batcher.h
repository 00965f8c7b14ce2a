#pragma once
#include "serve/HttpTypes.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc {
class Model;
}

namespace nc::serve {

// What one request gets back from the model: logits and probabilities, [n, classes] row-major.
struct BatchResult {
    bool ok = false;
    int status = 200;    // 503 when the queue is full or the request waited too long
    std::string error;   // when not ok
    std::vector<float> logits, probabilities;
    double queueSeconds = 0, computeSeconds = 0;
    std::size_t batchImages = 0; // how many images ran in the forward pass that served it
};

// Dynamic batching for one model (DESIGN §9): requests wait in a bounded queue for at most
// maxDelay to be run together, up to maxBatch images, on the batcher's own thread, which owns
// the model (torch runs there only). `done` is called on that thread; a full queue or a request
// that waited past its timeout is answered 503 at once.
class Batcher {
public:
    Batcher(std::shared_ptr<const Model> model, const ServeLimits& limits, int threads);
    ~Batcher(); // finishes what is queued, then stops the thread
    Batcher(const Batcher&) = delete;
    Batcher& operator=(const Batcher&) = delete;

    // `images`: n float images [n, C, H, W] in [0, 1] of the model's input shape.
    void submit(std::vector<float> images, std::size_t n, std::function<void(BatchResult)> done);
    // Runs `job` on the model's thread between batches (explanations: saliency needs gradients).
    void runJob(std::function<void(const Model&)> job);
    const Model& model() const;
    std::size_t queued() const; // images waiting

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace nc::serve
