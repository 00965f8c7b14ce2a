#include "serve/Batcher.h"

#include "nn/Model.h"
#include "serve/Scheduling.h"
#include "util/Threads.h"

#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace nc::serve {

namespace {
using Clock = std::chrono::steady_clock;

struct Pending {
    std::vector<float> images;
    std::size_t n = 0;
    std::function<void(BatchResult)> done;
    Clock::time_point arrived;
};

void softmaxRows(const std::vector<float>& logits, std::size_t rows, std::size_t classes, std::vector<float>& out) {
    out.resize(logits.size());
    for (std::size_t r = 0; r < rows; ++r) {
        const float* x = logits.data() + r * classes;
        float* y = out.data() + r * classes;
        float top = x[0];
        for (std::size_t c = 1; c < classes; ++c)
            top = std::max(top, x[c]);
        double sum = 0;
        for (std::size_t c = 0; c < classes; ++c)
            sum += std::exp(double(x[c] - top));
        for (std::size_t c = 0; c < classes; ++c)
            y[c] = float(std::exp(double(x[c] - top)) / sum);
    }
}
} // namespace

struct Batcher::Impl {
    std::shared_ptr<const Model> model;
    ServeLimits limits;
    int threads = 1;
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending> queue;
    std::deque<std::function<void(const Model&)>> jobs;
    std::size_t queuedImages = 0;
    bool stopping = false;
    std::size_t lastBatchImages = 0; // model thread only
    // What a forward pass costs per image at each batch size 1, 2, 4, … (model thread only).
    // Bigger is not always cheaper: on a 2-core Zen 5 with one torch thread, keras-cnn costs
    // ~170 µs an image at batch 2 and ~650 µs at batch 32. Batches are capped at the size that
    // measured cheapest; every size is tried a few times first and one is re-measured now and then.
    static constexpr int kSizes = 13; // up to 4096
    static constexpr int kTries = 3;
    std::array<double, kSizes> costPerImage{};
    std::array<int, kSizes> samples{};
    std::array<bool, kSizes> costKnown{}; // a full batch of that size has run
    std::uint64_t batchesRun = 0;
    std::size_t cap = 1; // model thread, under the mutex
    std::thread worker;

    static int bucketOf(std::size_t images) {
        int b = 0;
        while (b + 1 < kSizes && (std::size_t(1) << (b + 1)) <= images)
            ++b;
        return b;
    }
    void chooseCap() {
        const int top = bucketOf(limits.maxBatch);
        for (int b = 0; b <= top; ++b) {
            // A size is tried only once the size below it has filled: 4 clients never fill 8,
            // so 16 and 32 are not waited for at all.
            if (b > 0 && !costKnown[std::size_t(b - 1)])
                break;
            if (samples[std::size_t(b)] < kTries) { // not measured enough yet: try it
                cap = std::min(limits.maxBatch, std::size_t(1) << b);
                return;
            }
        }
        int best = 0;
        for (int b = 1; b <= top; ++b)
            if (costKnown[std::size_t(b)] && costPerImage[std::size_t(b)] < costPerImage[std::size_t(best)])
                best = b;
        cap = std::min(limits.maxBatch, std::size_t(1) << best);
        if (++batchesRun % 512 == 0) // the machine's load changes: re-measure one other size
            samples[std::size_t((batchesRun / 512) % std::uint64_t(top + 1))] = kTries - 1;
    }
    void measured(std::size_t images, double seconds) {
        if (images == 0)
            return;
        const std::size_t b = std::size_t(bucketOf(images));
        if ((std::size_t(1) << b) != images)
            return; // only full power-of-two batches say what that size costs
        const double per = seconds / double(images);
        costPerImage[b] = costKnown[b] ? 0.7 * costPerImage[b] + 0.3 * per : per;
        costKnown[b] = true;
        ++samples[b];
    }
    // A batch that waited for `cap` images and got fewer: the load cannot fill that size now.
    // It counts as a try of that size, so the trials move on instead of making every batch wait
    // for images that are not coming (8 clients never fill a batch of 16).
    void unfilled(std::size_t images) {
        const std::size_t b = std::size_t(bucketOf(cap));
        if (images < cap && samples[b] < kTries)
            ++samples[b];
    }

    void loop();
};

Batcher::Batcher(std::shared_ptr<const Model> model, const ServeLimits& limits, int threads)
    : d(std::make_unique<Impl>()) {
    d->model = std::move(model);
    d->limits = limits;
    d->threads = threads;
    d->worker = std::thread([this] { d->loop(); });
}

Batcher::~Batcher() {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->stopping = true;
    }
    d->wake.notify_all();
    d->worker.join();
}

const Model& Batcher::model() const { return *d->model; }

std::size_t Batcher::queued() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->queuedImages;
}

void Batcher::submit(std::vector<float> images, std::size_t n, std::function<void(BatchResult)> done) {
    {
        std::unique_lock<std::mutex> lock(d->mutex);
        if (!d->stopping && d->queuedImages + n <= d->limits.queueImages) {
            // The model's thread needs waking only when it waits for a first request, or for a
            // batch that this request fills. Waking it for every request of a filling batch
            // would cost two context switches each (it re-checks and sleeps again), which on a
            // shared core is most of a request's time.
            const bool wasEmpty = d->queue.empty();
            d->queuedImages += n;
            d->queue.push_back({std::move(images), n, std::move(done), Clock::now()});
            const bool wake = wasEmpty || d->queuedImages >= d->cap;
            lock.unlock();
            if (wake)
                d->wake.notify_one();
            return;
        }
    }
    BatchResult full;
    full.status = 503;
    full.error = "the server is busy: its queue is full; retry shortly";
    done(std::move(full));
}

void Batcher::runJob(std::function<void(const Model&)> job) {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->jobs.push_back(std::move(job));
    }
    d->wake.notify_one();
}

void Batcher::Impl::loop() {
    prepareTorchThread(threads); // this thread runs the model; it gets torch's thread pool settings
    const BatchScheduling scheduling;
    const std::size_t per = std::size_t(model->inputShape()[0] * model->inputShape()[1] * model->inputShape()[2]);
    const std::size_t classes = model->classNames().size();
    for (;;) {
        std::vector<Pending> batch;
        std::size_t images = 0;
        {
            std::unique_lock<std::mutex> lock(mutex);
            wake.wait(lock, [&] { return stopping || !queue.empty() || !jobs.empty(); });
            if (!jobs.empty()) {
                auto job = std::move(jobs.front());
                jobs.pop_front();
                lock.unlock();
                job(*model); // a job answers its own errors
                continue;
            }
            if (queue.empty() && stopping)
                return;
            // Under load (requests queued while the last batch ran, or that batch held several), wait
            // up to maxDelay after the oldest request for more to join. A lone request runs at once:
            // nobody else is coming, and waiting would only add latency.
            chooseCap();
            if ((queue.size() > 1 || lastBatchImages > 1) && queuedImages < cap) {
                const auto deadline = queue.front().arrived + std::chrono::microseconds(limits.maxDelayMicros);
                wake.wait_until(lock, deadline, [&] { return stopping || queuedImages >= cap; });
                unfilled(queuedImages);
            }
            while (!queue.empty() && (batch.empty() || images + queue.front().n <= cap)) {
                images += queue.front().n;
                queuedImages -= queue.front().n;
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
        }
        const auto start = Clock::now();
        // Requests that waited past their timeout are answered, not run.
        std::vector<Pending> live;
        std::size_t liveImages = 0;
        for (Pending& p : batch) {
            if (std::chrono::duration_cast<std::chrono::milliseconds>(start - p.arrived).count() >
                limits.requestTimeoutMs) {
                BatchResult late;
                late.status = 503;
                late.error = "the request waited longer than the server's timeout; retry shortly";
                p.done(std::move(late));
            } else {
                liveImages += p.n;
                live.push_back(std::move(p));
            }
        }
        lastBatchImages = liveImages;
        if (live.empty())
            continue;
        std::vector<float> input;
        input.reserve(liveImages * per);
        for (const Pending& p : live)
            input.insert(input.end(), p.images.begin(), p.images.end());
        std::vector<float> logits, probabilities;
        std::string error;
        try {
            logits = model->logitsFromUnit(input.data(), std::int64_t(liveImages));
            softmaxRows(logits, liveImages, classes, probabilities);
        } catch (const std::exception& e) {
            error = std::string("the model failed: ") + e.what();
        }
        const double compute = std::chrono::duration<double>(Clock::now() - start).count();
        if (error.empty())
            measured(liveImages, compute);
        std::size_t row = 0;
        for (Pending& p : live) {
            BatchResult r;
            r.queueSeconds = std::chrono::duration<double>(start - p.arrived).count();
            r.computeSeconds = compute;
            r.batchImages = liveImages;
            if (error.empty()) {
                r.ok = true;
                r.logits.assign(logits.begin() + std::ptrdiff_t(row * classes),
                                logits.begin() + std::ptrdiff_t((row + p.n) * classes));
                r.probabilities.assign(probabilities.begin() + std::ptrdiff_t(row * classes),
                                       probabilities.begin() + std::ptrdiff_t((row + p.n) * classes));
            } else {
                r.status = 500;
                r.error = error;
            }
            row += p.n;
            p.done(std::move(r));
        }
    }
}

} // namespace nc::serve
