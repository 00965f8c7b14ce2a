#include "train/TrainConfig.h"

#include "util/Error.h"

#include <cmath>

namespace nc {

namespace {
const char* const kOptimizers[] = {"sgd", "nesterov", "adam", "adamw", "rmsprop"};
const char* const kSchedules[] = {"none", "step", "cosine", "one-cycle"};
const char* const kPrecisions[] = {"fp32", "bf16", "auto"};

template <typename T>
T number(const Json& j, const char* key, T def, double lo, double hi) {
    if (!j.contains(key))
        return def;
    const Json& v = j[key];
    if (!v.is_number())
        throw Error(std::string("training setting '") + key + "' must be a number");
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi)
        throw Error(std::string("training setting '") + key + "' is " + std::to_string(d) + "; allowed: " +
                    std::to_string(lo) + " to " + std::to_string(hi));
    return static_cast<T>(d);
}

bool boolean(const Json& j, const char* key, bool def) {
    if (!j.contains(key))
        return def;
    if (!j[key].is_boolean())
        throw Error(std::string("training setting '") + key + "' must be true or false");
    return j[key].get<bool>();
}

template <typename E, std::size_t N>
E choice(const Json& j, const char* key, E def, const char* const (&names)[N]) {
    if (!j.contains(key))
        return def;
    if (j[key].is_string())
        for (std::size_t i = 0; i < N; ++i)
            if (j[key].get<std::string>() == names[i])
                return static_cast<E>(i);
    std::string list;
    for (const char* n : names)
        list += (list.empty() ? "" : ", ") + std::string(n);
    throw Error(std::string("training setting '") + key + "' must be one of: " + list);
}
} // namespace

const char* optimizerName(OptimizerKind k) { return kOptimizers[static_cast<int>(k)]; }
const char* scheduleName(ScheduleKind k) { return kSchedules[static_cast<int>(k)]; }

const char* precisionName(Precision p) { return kPrecisions[static_cast<int>(p)]; }

bool parsePrecision(const std::string& s, Precision& out) {
    for (int i = 0; i < 3; ++i)
        if (s == kPrecisions[i]) {
            out = static_cast<Precision>(i);
            return true;
        }
    return false;
}

bool parseOptimizer(const std::string& s, OptimizerKind& out) {
    for (int i = 0; i < 5; ++i)
        if (s == kOptimizers[i]) {
            out = static_cast<OptimizerKind>(i);
            return true;
        }
    return false;
}

Json TrainConfig::toJson() const {
    Json j = {{"epochs", epochs},
            {"batch_size", batchSize},
            {"optimizer", optimizerName(optimizer)},
            {"learning_rate", learningRate},
            {"momentum", momentum},
            {"weight_decay", weightDecay},
            {"beta1", beta1},
            {"beta2", beta2},
            {"eps", eps},
            {"schedule", scheduleName(schedule)},
            {"step_size", stepSize},
            {"gamma", gamma},
            {"label_smoothing", labelSmoothing},
            {"grad_clip_norm", gradClipNorm},
            {"early_stopping_patience", earlyStoppingPatience},
            {"augment_flip", augmentation.horizontalFlip},
            {"augment_pad_crop", augmentation.padCrop},
            {"augment_vertical_flip", augmentation.verticalFlip},
            {"augment_rotation", augmentation.rotationDegrees},
            {"augment_width_shift", augmentation.widthShift},
            {"augment_height_shift", augmentation.heightShift},
            {"augment_zoom", augmentation.zoom},
            {"augment_brightness", augmentation.brightness},
            {"augment_contrast", augmentation.contrast},
            {"augment_erase", augmentation.eraseProbability},
            {"augment_clean_epochs", augmentCleanEpochs},
            {"validation_fraction", validationFraction},
            {"seed", seed},
            {"device", device},
            {"precision", precisionName(precision)},
            {"threads", threads},
            {"limit_train", limitTrain},
            {"teacher", teacher},
            {"distill_temperature", distillTemperature},
            {"distill_alpha", distillAlpha}};
    if (!phases.empty()) {
        Json list = Json::array();
        for (const TrainPhase& p : phases)
            list.push_back({{"name", p.name}, {"losses", p.losses}, {"trains", p.trains},
                            {"optimizer", optimizerName(p.optimizer)}, {"learning_rate", p.learningRate},
                            {"beta1", p.beta1}, {"beta2", p.beta2}, {"every", p.every}});
        j["phases"] = list;
    }
    return j;
}

TrainConfig TrainConfig::fromJson(const Json& j) {
    if (!j.is_object())
        throw Error("'training' must be an object");
    TrainConfig c;
    c.epochs = number<int>(j, "epochs", c.epochs, 1, 100000);
    c.batchSize = number<int>(j, "batch_size", c.batchSize, 1, 65536);
    c.optimizer = choice(j, "optimizer", c.optimizer, kOptimizers);
    c.learningRate = number<double>(j, "learning_rate", c.learningRate, 0, 1e12);
    c.momentum = number<double>(j, "momentum", c.momentum, 0, 1);
    c.weightDecay = number<double>(j, "weight_decay", c.weightDecay, 0, 10);
    c.beta1 = number<double>(j, "beta1", c.beta1, 0, 1);
    c.beta2 = number<double>(j, "beta2", c.beta2, 0, 1);
    c.eps = number<double>(j, "eps", c.eps, 0, 1);
    c.schedule = choice(j, "schedule", c.schedule, kSchedules);
    c.stepSize = number<int>(j, "step_size", c.stepSize, 1, 100000);
    c.gamma = number<double>(j, "gamma", c.gamma, 0, 1);
    c.labelSmoothing = number<double>(j, "label_smoothing", c.labelSmoothing, -1, 0.99);
    c.gradClipNorm = number<double>(j, "grad_clip_norm", c.gradClipNorm, 0, 1e9);
    c.earlyStoppingPatience = number<int>(j, "early_stopping_patience", c.earlyStoppingPatience, 0, 100000);
    Augmentation& a = c.augmentation; // every key optional: projects from before a key load unchanged
    a.horizontalFlip = boolean(j, "augment_flip", a.horizontalFlip);
    a.padCrop = number<int>(j, "augment_pad_crop", a.padCrop, 0, 64);
    a.verticalFlip = boolean(j, "augment_vertical_flip", a.verticalFlip);
    a.rotationDegrees = number<double>(j, "augment_rotation", a.rotationDegrees, 0, 180);
    a.widthShift = number<double>(j, "augment_width_shift", a.widthShift, 0, 1);
    a.heightShift = number<double>(j, "augment_height_shift", a.heightShift, 0, 1);
    a.zoom = number<double>(j, "augment_zoom", a.zoom, 0, 0.9);
    a.brightness = number<double>(j, "augment_brightness", a.brightness, 0, 1);
    a.contrast = number<double>(j, "augment_contrast", a.contrast, 0, 1);
    a.eraseProbability = number<double>(j, "augment_erase", a.eraseProbability, 0, 1);
    c.augmentCleanEpochs = number<int>(j, "augment_clean_epochs", c.augmentCleanEpochs, 0, 100000);
    c.validationFraction = number<double>(j, "validation_fraction", c.validationFraction, 0, 0.9);
    c.seed = number<std::uint64_t>(j, "seed", c.seed, 0, 9.0e15);
    if (j.contains("device")) {
        if (!j["device"].is_string())
            throw Error("training setting 'device' must be a string such as \"cpu\" or \"cuda\"");
        c.device = j["device"].get<std::string>();
    }
    // Settings stored before "auto" existed and left the key out meant fp32; they keep meaning it.
    c.precision = j.contains("precision") ? choice(j, "precision", Precision::FP32, kPrecisions) : Precision::FP32;
    c.threads = number<int>(j, "threads", c.threads, 0, 1024);
    c.limitTrain = number<std::int64_t>(j, "limit_train", c.limitTrain, 0, 1e12);
    if (j.contains("teacher")) {
        if (!j["teacher"].is_string())
            throw Error("training setting 'teacher' must be the path of a .ncmodel file, or \"\"");
        c.teacher = j["teacher"].get<std::string>();
    }
    c.distillTemperature = number<double>(j, "distill_temperature", c.distillTemperature, 0.05, 100);
    c.distillAlpha = number<double>(j, "distill_alpha", c.distillAlpha, 0, 1);
    if (j.contains("phases")) {
        if (!j["phases"].is_array())
            throw Error("training setting 'phases' must be a list of phases");
        for (const Json& pj : j["phases"]) {
            const std::string where = "training phase " + std::to_string(c.phases.size() + 1);
            if (!pj.is_object())
                throw Error(where + " must be an object");
            TrainPhase p;
            if (!pj.contains("name") || !pj["name"].is_string() || pj["name"].get<std::string>().empty())
                throw Error(where + " needs a \"name\"");
            p.name = pj["name"].get<std::string>().substr(0, 100);
            for (const char* key : {"losses", "trains"}) {
                if (!pj.contains(key) || !pj[key].is_array() || pj[key].empty())
                    throw Error("training phase " + p.name + " needs \"" + key + "\": a list of node ids");
                for (const Json& id : pj[key]) {
                    if (!id.is_string())
                        throw Error("training phase " + p.name + ": \"" + key + "\" must hold node ids (strings)");
                    (std::string(key) == "losses" ? p.losses : p.trains).push_back(id.get<std::string>());
                }
            }
            try {
                p.optimizer = choice(pj, "optimizer", c.optimizer, kOptimizers);
                p.learningRate = number<double>(pj, "learning_rate", c.learningRate, 0, 1e12);
                p.beta1 = number<double>(pj, "beta1", c.beta1, 0, 1);
                p.beta2 = number<double>(pj, "beta2", c.beta2, 0, 1);
                p.every = number<int>(pj, "every", 1, 1, 1000);
            } catch (const Error& e) {
                throw Error("training phase " + p.name + ": " + e.what());
            }
            for (const TrainPhase& q : c.phases)
                if (q.name == p.name)
                    throw Error("two training phases are called " + p.name + "; give each its own name");
            c.phases.push_back(std::move(p));
        }
    }
    return c;
}

bool augmentsEpoch(const TrainConfig& c, int epoch) {
    return c.augmentation.enabled() && epoch < c.epochs - c.augmentCleanEpochs;
}

double scheduledLearningRate(const TrainConfig& c, std::int64_t step, std::int64_t totalSteps,
                             std::int64_t stepsPerEpoch) {
    const double pi = 3.14159265358979323846;
    const double lr = c.learningRate;
    const double t = totalSteps > 1 ? double(step) / double(totalSteps - 1) : 0.0;
    switch (c.schedule) {
    case ScheduleKind::None:
        return lr;
    case ScheduleKind::Step: {
        const std::int64_t epoch = stepsPerEpoch > 0 ? step / stepsPerEpoch : 0;
        return lr * std::pow(c.gamma, double(epoch / c.stepSize));
    }
    case ScheduleKind::Cosine:
        return 0.5 * lr * (1.0 + std::cos(pi * t));
    case ScheduleKind::OneCycle: {
        // torch.optim.lr_scheduler.OneCycleLR defaults: 30% warm-up from lr/25, cosine down to lr/25e4.
        const double start = lr / 25.0, end = start / 1e4, warm = 0.3;
        if (t < warm)
            return start + (lr - start) * 0.5 * (1.0 - std::cos(pi * t / warm));
        return end + (lr - end) * 0.5 * (1.0 + std::cos(pi * (t - warm) / (1.0 - warm)));
    }
    }
    return lr;
}

} // namespace nc
