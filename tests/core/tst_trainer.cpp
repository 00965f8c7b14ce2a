// Training on real (synthetic) data: accuracy, pause/stop, failures, checkpoints and exact resume.
#include "GenerativeGraphs.h"
#include "data/Dataset.h"
#include "graph/Project.h"
#include "io/Safetensors.h"
#include "nn/GraphNet.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <limits>
#include <random>
#include <thread>

using namespace nc;

namespace {
DatasetInfo infoOf(const Dataset& d) { return {d.channels, d.height, d.width, d.classNames}; }

// A template whose classifier is resized to the dataset's classes (as `new --dataset` does).
Graph templateFor(const std::string& name, int classes) {
    Project p = makeFromTemplate(name);
    fitClassifierToClasses(p.graph, classes);
    return p.graph;
}

TrainConfig quickConfig() {
    TrainConfig c;
    c.epochs = 4;
    c.batchSize = 32;
    c.learningRate = 0.003;
    c.optimizer = OptimizerKind::Adam;
    c.threads = 2;
    c.seed = 7;
    return c;
}

// The first n images of a dataset (a small, fixed training set).
Dataset firstImages(const Dataset& d, std::int64_t n) {
    std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        idx[std::size_t(i)] = i;
    return d.subset(idx);
}

// Sets the CPU flags "auto" looks at for the scope's duration (NC_CPU_FLAGS), then restores.
struct CpuFlags {
    explicit CpuFlags(const char* flags) { qputenv("NC_CPU_FLAGS", flags); }
    ~CpuFlags() { qunsetenv("NC_CPU_FLAGS"); }
};
const char* const kWithBf16 = "fpu sse2 avx2 fma avx512f avx512bw avx512_vnni avx512_bf16";
const char* const kWithoutBf16 = "fpu sse2 avx2 fma avx512f avx512bw avx512_vnni";

// The tensors of two checkpoints are the same to the last bit.
void compareCheckpoints(const std::string& a, const std::string& b) {
    const SafetensorsFile ra = readSafetensors(a), rb = readSafetensors(b);
    QCOMPARE(ra.tensors.size(), rb.tensors.size());
    for (std::size_t i = 0; i < ra.tensors.size(); ++i) {
        QCOMPARE(ra.tensors[i].name, rb.tensors[i].name);
        QVERIFY2(ra.tensors[i].data == rb.tensors[i].data, ra.tensors[i].name.c_str());
    }
    QCOMPARE(ra.metadata.at("step"), rb.metadata.at("step"));
}

std::string checkpointPrecision(const std::string& path) { return readSafetensors(path).metadata.at("precision_used"); }

std::size_t lineCount(const std::string& path, const std::string& needle) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        n += line.find(needle) != std::string::npos;
    return n;
}
} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private:
    Dataset m_train = makeShapes(1500, 11);
    Dataset m_test = makeShapes(300, 12);

private Q_SLOTS:
    // Reparameterize draws z = μ + σ·ε while training (the sample's mean and spread are μ and σ)
    // and gives μ itself otherwise; a Detach after it keeps gradients from μ and log σ².
    void reparameterizeSamplesWhileTrainingAndDetachStopsGradients() {
        const Graph g = test::vaeBottleneckClassifier(4, 4, 3);
        Model m = Model::compile(g, {1, 8, 8, {"a", "b", "c"}}, 3);
        GraphNet& net = m.impl().net;
        {
            torch::NoGradGuard noGrad;
            for (auto& p : net->named_parameters()) {
                if (p.key().rfind("mu.", 0) == 0 || p.key().rfind("logvar.", 0) == 0)
                    p.value().zero_();
                if (p.key() == "mu.bias")
                    p.value().fill_(1.5);
                if (p.key() == "logvar.bias")
                    p.value().fill_(std::log(4.0)); // σ = 2
            }
        }
        const torch::Tensor x = torch::rand({20000, 1, 8, 8});
        auto zOf = [&] {
            torch::Tensor z;
            net->forwardVisiting(x, [&](const std::string& id, const torch::Tensor& v) {
                if (id == "z")
                    z = v.detach().clone();
            });
            return z;
        };
        net->train();
        const torch::Tensor sample = zOf();
        QVERIFY2(std::abs(sample.mean().item<double>() - 1.5) < 0.05, std::to_string(sample.mean().item<double>()).c_str());
        QVERIFY2(std::abs(sample.std().item<double>() - 2.0) < 0.05, std::to_string(sample.std().item<double>()).c_str());
        QVERIFY(!torch::equal(sample, zOf())); // a fresh draw each pass
        net->eval();
        QVERIFY(torch::equal(zOf(), torch::full({20000, 4}, 1.5)));
        // Gradients reach fc but stop at the Detach.
        net->train();
        net->zero_grad();
        net->forward(x).sum().backward();
        for (auto& p : net->named_parameters()) {
            const bool reached = p.value().grad().defined() && p.value().grad().abs().sum().item<double>() > 0;
            QVERIFY2(reached == (p.key().rfind("fc.", 0) == 0), p.key().c_str());
        }
    }

    // Without autograd MaxPool2d takes its own faster path (core/nn/GraphNet.cpp); what a user sees
    // (evaluation, Inspect, served predictions) must be the very numbers training's max_pool2d gives,
    // NaN included, for every kernel, stride and padding.
    void maxPoolIsTheSameWithAndWithoutAutograd() {
        struct Case {
            int kernel, stride, padding;
        };
        for (const Case c : {Case{2, 0, 0}, Case{3, 2, 1}, Case{3, 1, 1}, Case{2, 1, 0}, Case{3, 3, 0}, Case{5, 2, 2}}) {
            Graph g;
            g.addNode({"input", "Input", Json::object()});
            g.addNode({"conv", "Conv2d", {{"out_channels", 16}, {"kernel_size", 3}, {"padding", 1}}});
            g.addNode({"pool", "MaxPool2d", {{"kernel_size", c.kernel}, {"stride", c.stride}, {"padding", c.padding}}});
            g.addNode({"flat", "Flatten", Json::object()});
            g.addNode({"fc", "Linear", {{"out_features", 3}}});
            g.addNode({"output", "Output", Json::object()});
            g.connect({"input", "out"}, {"conv", "in"});
            g.connect({"conv", "out"}, {"pool", "in"});
            g.connect({"pool", "out"}, {"flat", "in"});
            g.connect({"flat", "out"}, {"fc", "in"});
            g.connect({"fc", "out"}, {"output", "in"});
            Model m = Model::compile(g, {1, 23, 29, {"a", "b", "c"}}, 3);
            GraphNet& net = m.impl().net;
            net->eval();
            torch::Tensor x = torch::randn({8, 1, 23, 29});
            x[3][0][5][7] = std::numeric_limits<float>::quiet_NaN();
            auto poolOf = [&](const torch::Tensor& input) {
                torch::Tensor pool;
                net->forwardVisiting(input, [&](const std::string& id, const torch::Tensor& v) {
                    if (id == "pool")
                        pool = v.detach().clone();
                });
                return pool;
            };
            const torch::Tensor reference = poolOf(x.clone().requires_grad_(true)); // max_pool2d itself
            torch::Tensor fast;
            {
                torch::NoGradGuard noGrad;
                fast = poolOf(x);
            }
            const std::string what = "kernel " + std::to_string(c.kernel) + " stride " + std::to_string(c.stride) +
                                     " padding " + std::to_string(c.padding);
            QVERIFY2(fast.sizes() == reference.sizes(), what.c_str());
            QVERIFY2(reference.isnan().any().item<bool>(), what.c_str());
            QVERIFY2(torch::equal(fast.isnan(), reference.isnan()), what.c_str());
            QVERIFY2(torch::equal(fast.nan_to_num(0.0), reference.nan_to_num(0.0)), what.c_str());
        }
    }

    void shapesReachHighAccuracyInSeconds() {
        QTemporaryDir dir;
        Model model = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 1);
        Trainer trainer(model, m_train, quickConfig(), dir.path().toStdString());
        int epochs = 0;
        trainer.setCallbacks({nullptr, [&](const EpochEvent&) { ++epochs; }, nullptr});
        const auto t0 = std::chrono::steady_clock::now();
        const FinishedEvent done = trainer.run();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        QCOMPARE(done.reason, FinishReason::Completed);
        QCOMPARE(epochs, 4);
        const EvaluationResult r = evaluateModel(model, m_test);
        qInfo("shapes: test accuracy %.3f after 4 epochs in %.1f s", r.accuracy, seconds);
        QVERIFY2(r.accuracy >= 0.9, qPrintable(QString::number(r.accuracy)));

        // The run folder holds what a user needs afterwards.
        const std::string run = dir.path().toStdString();
        QCOMPARE(lineCount(run + "/metrics.jsonl", "\"event\":\"epoch\""), std::size_t(4));
        QCOMPARE(lineCount(run + "/metrics.jsonl", "\"event\":\"finished\""), std::size_t(1));
        const Model best = Model::load(run + "/best.ncmodel");
        QCOMPARE(best.classNames(), m_train.classNames);
        QCOMPARE(best.normalization().mean, model.normalization().mean);
        QVERIFY(best.metadata().contains("val_accuracy"));
        QVERIFY(evaluateModel(best, m_test).accuracy >= 0.9);
        QVERIFY(fileExists(run + "/last.ncckpt"));
    }

    // Distillation: a student whose labels are scrambled learns the task from the teacher's
    // softened outputs alone (alpha 1), while the same student, seed and labels without the teacher
    // stays near chance (measured: 0.35 alone, 0.99 taught). A teacher that does not fit the student is refused with a message.
    void aTeacherAloneTeachesAStudentWhoseLabelsAreScrambled() {
        QTemporaryDir dir;
        const std::string teacherPath = dir.path().toStdString() + "/teacher.ncmodel";
        {
            Model teacher = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 1);
            Trainer trainer(teacher, m_train, quickConfig());
            QCOMPARE(trainer.run().reason, FinishReason::Completed);
            QVERIFY(evaluateModel(teacher, m_test).accuracy >= 0.9);
            teacher.save(teacherPath);
        }
        Dataset scrambled = m_train;
        std::mt19937 rng(5);
        for (auto& label : scrambled.labels)
            label = std::int64_t(rng() % 3);
        auto student = [&](const TrainConfig& cfg) {
            Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(scrambled), 2); // its own seed
            Trainer trainer(m, scrambled, cfg);
            const FinishedEvent done = trainer.run();
            return std::pair{done, evaluateModel(m, m_test).accuracy};
        };
        TrainConfig cfg = quickConfig();
        const auto [alone, aloneAccuracy] = student(cfg);
        QCOMPARE(alone.reason, FinishReason::Completed);
        cfg.teacher = teacherPath;
        cfg.distillAlpha = 1.0;
        const auto [taught, taughtAccuracy] = student(cfg);
        QCOMPARE(taught.reason, FinishReason::Completed);
        qInfo("scrambled labels: test accuracy %.3f alone, %.3f with the teacher", aloneAccuracy, taughtAccuracy);
        QVERIFY2(aloneAccuracy < 0.5, qPrintable(QString::number(aloneAccuracy)));
        QVERIFY2(taughtAccuracy >= 0.8, qPrintable(QString::number(taughtAccuracy)));

        // The settings survive the project file.
        const TrainConfig back = TrainConfig::fromJson(cfg.toJson());
        QCOMPARE(back.teacher, teacherPath);
        QCOMPARE(back.distillAlpha, 1.0);
        QCOMPARE(back.distillTemperature, cfg.distillTemperature);

        // Other class names, or no teacher file: the run fails at once, saying why.
        Dataset renamed = m_train;
        renamed.classNames = {"x", "y", "z"};
        Model other = Model::compile(templateFor("mlp", 3), infoOf(renamed), 2);
        const FinishedEvent mismatch = Trainer(other, renamed, cfg).run();
        QCOMPARE(mismatch.reason, FinishReason::Failed);
        QVERIFY2(QString::fromStdString(mismatch.message).contains("same classes"), mismatch.message.c_str());
        cfg.teacher = dir.path().toStdString() + "/missing.ncmodel";
        const FinishedEvent missing = student(cfg).first;
        QCOMPARE(missing.reason, FinishReason::Failed);
        QVERIFY2(QString::fromStdString(missing.message).contains("missing.ncmodel"), missing.message.c_str());
    }

    void stopTakesEffectWithinOneBatch() {
        Model model = Model::compile(templateFor("mlp", 3), infoOf(m_train), 1);
        Trainer trainer(model, m_train, quickConfig());
        int batches = 0;
        trainer.setCallbacks({[&](const BatchEvent& e) {
                                  ++batches;
                                  if (e.step == 3)
                                      trainer.stop();
                              },
                              nullptr, nullptr});
        const FinishedEvent done = trainer.run();
        QCOMPARE(done.reason, FinishReason::Stopped);
        QCOMPARE(batches, 3);
        QCOMPARE(done.steps, std::int64_t(3));
    }

    void pauseHoldsTheBatchCounterAndResumeContinues() {
        Model model = Model::compile(templateFor("mlp", 3), infoOf(m_train), 1);
        TrainConfig cfg = quickConfig();
        cfg.epochs = 1;
        Trainer trainer(model, m_train, cfg);
        std::atomic<std::int64_t> steps{0};
        trainer.setCallbacks({[&](const BatchEvent& e) { steps = e.step; }, nullptr, nullptr});
        FinishedEvent done;
        std::thread worker([&] { done = trainer.run(); });
        while (steps < 5)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        trainer.pause(); // from another thread, as the GUI does
        const std::int64_t atPause = steps;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const std::int64_t held = steps;
        QVERIFY2(held <= atPause + 1, qPrintable(QString("%1 -> %2").arg(atPause).arg(held)));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QCOMPARE(std::int64_t(steps), held); // nothing moves while paused
        QVERIFY(trainer.isPaused());
        trainer.resume();
        worker.join();
        QCOMPARE(done.reason, FinishReason::Completed);
        QVERIFY(steps > held);
    }

    // A run held for a while (the app pauses it, or answers other requests, inside the batch
    // callback) reports its training time, not the wall-clock time: the run's duration, the epoch's
    // seconds and images/s leave the hold out.
    void timeHeldInTheBatchCallbackIsNotTrainingTime() {
        Model model = Model::compile(templateFor("mlp", 3), infoOf(m_train), 1);
        TrainConfig cfg = quickConfig();
        cfg.epochs = 1;
        Trainer trainer(model, m_train, cfg);
        const double held = 0.6;
        EpochEvent epoch;
        trainer.setCallbacks({[&](const BatchEvent& e) {
                                  if (e.step == 2)
                                      std::this_thread::sleep_for(std::chrono::duration<double>(held));
                              },
                              [&](const EpochEvent& e) { epoch = e; }, nullptr});
        QElapsedTimer wall;
        wall.start();
        const FinishedEvent done = trainer.run();
        const double wallSeconds = wall.nsecsElapsed() / 1e9;
        QCOMPARE(done.reason, FinishReason::Completed);
        QVERIFY2(wallSeconds >= held, qPrintable(QString::number(wallSeconds)));
        QVERIFY2(done.seconds <= wallSeconds - held + 0.02,
                 qPrintable(QString("run %1 s, wall %2 s").arg(done.seconds).arg(wallSeconds)));
        QVERIFY2(epoch.seconds > 0 && epoch.seconds <= wallSeconds - held + 0.02,
                 qPrintable(QString("epoch %1 s, wall %2 s").arg(epoch.seconds).arg(wallSeconds)));
        QVERIFY(epoch.imagesPerSecond > 0);
    }

    void stopWhilePausedEndsTheRun() {
        Model model = Model::compile(templateFor("mlp", 3), infoOf(m_train), 1);
        Trainer trainer(model, m_train, quickConfig());
        trainer.setCallbacks({[&](const BatchEvent& e) {
                                  if (e.step == 2)
                                      trainer.pause();
                              },
                              nullptr, nullptr});
        FinishedEvent done;
        std::thread worker([&] { done = trainer.run(); });
        // Held after step 2 (however long the set-up took on a busy machine), then stopped.
        QElapsedTimer waited;
        waited.start();
        while (!trainer.isPaused() && waited.elapsed() < 60000)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        QVERIFY(trainer.isPaused());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        trainer.stop();
        worker.join();
        QCOMPARE(done.reason, FinishReason::Stopped);
        QCOMPARE(done.steps, std::int64_t(2));
    }

    void hugeLearningRateEndsWithNonFiniteMessageNamingANode() {
        QTemporaryDir dir;
        Model model = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 1);
        TrainConfig cfg = quickConfig();
        cfg.optimizer = OptimizerKind::SGD;
        cfg.learningRate = 1e6;
        Trainer trainer(model, m_train, cfg, dir.path().toStdString());
        FinishedEvent reported;
        trainer.setCallbacks({nullptr, nullptr, [&](const FinishedEvent& e) { reported = e; }});
        const FinishedEvent done = trainer.run();
        QCOMPARE(done.reason, FinishReason::Failed);
        QCOMPARE(reported.reason, FinishReason::Failed);
        // Stopped at the first batch whose loss went non-finite or grew 10,000-fold.
        QVERIFY2(done.message.find("the loss became") != std::string::npos ||
                     done.message.find("the loss diverged") != std::string::npos,
                 done.message.c_str());
        QVERIFY(done.diverged);
        QVERIFY2(!done.nodeId.empty(), done.message.c_str());
        QVERIFY(model.graph().node(done.nodeId) != nullptr);
        QVERIFY(done.message.find("first layer whose activations blew up is " + done.nodeId) != std::string::npos);
        QVERIFY(!fileExists(dir.path().toStdString() + "/best.ncmodel"));
        QVERIFY(done.message.find("Lower the learning rate") != std::string::npos);
        QCOMPARE(lineCount(dir.path().toStdString() + "/metrics.jsonl", "\"event\":\"failed\""), std::size_t(1));
    }

    void resumeGivesBitIdenticalWeights() {
        // mlp has Dropout and augmentation is on, so every random stream must resume exactly.
        TrainConfig cfg = quickConfig();
        cfg.epochs = 2;
        cfg.augmentation.horizontalFlip = true;
        cfg.augmentation.padCrop = 2;
        cfg.schedule = ScheduleKind::Cosine;
        const Dataset small = firstImages(m_train, 400);
        QTemporaryDir a, b;
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        {
            TrainConfig first = cfg;
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, first, b.path().toStdString());
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 2 && e.batch == 1)
                                    t.stop(); // interrupted early in epoch 2
                            },
                            nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Stopped);
        }
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 99); // different init on purpose
            Trainer t(m, small, cfg, b.path().toStdString());
            t.resumeFrom(b.path().toStdString() + "/last.ncckpt");
            const FinishedEvent done = t.run();
            QCOMPARE(done.reason, FinishReason::Completed);
            QCOMPARE(done.epochsDone, 2);
        }
        const SafetensorsFile ra = readSafetensors(a.path().toStdString() + "/last.ncckpt");
        const SafetensorsFile rb = readSafetensors(b.path().toStdString() + "/last.ncckpt");
        QCOMPARE(ra.tensors.size(), rb.tensors.size());
        int optimizerTensors = 0;
        for (std::size_t i = 0; i < ra.tensors.size(); ++i) {
            QCOMPARE(ra.tensors[i].name, rb.tensors[i].name);
            QVERIFY2(ra.tensors[i].data == rb.tensors[i].data, ra.tensors[i].name.c_str());
            optimizerTensors += ra.tensors[i].name.rfind("optim/", 0) == 0;
        }
        QVERIFY(optimizerTensors > 0);
        QCOMPARE(ra.metadata.at("step"), rb.metadata.at("step"));
    }

    // Stop in the middle of epoch 1: a checkpoint of exactly that point and a model of the
    // weights then; resuming gives the weights and epoch figures of a run never stopped. Every
    // augmentation is on as well, so each one's draws are shown to resume exactly.
    void stopMidEpochKeepsWhatItLearnedAndResumesExactly() {
        TrainConfig cfg = quickConfig();
        cfg.epochs = 2;
        cfg.augmentation.horizontalFlip = true;
        cfg.augmentation.verticalFlip = true;
        cfg.augmentation.padCrop = 2;
        cfg.augmentation.rotationDegrees = 20;
        cfg.augmentation.widthShift = cfg.augmentation.heightShift = 0.1;
        cfg.augmentation.zoom = 0.15;
        cfg.augmentation.brightness = 0.1;
        cfg.augmentation.contrast = 0.2;
        cfg.augmentation.eraseProbability = 0.5;
        cfg.schedule = ScheduleKind::Cosine;
        const Dataset small = firstImages(m_train, 480);
        QTemporaryDir a, b;
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        const std::string dirB = b.path().toStdString();
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, dirB);
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 1 && e.batch == 5)
                                    t.stop();
                            },
                            nullptr, nullptr});
            const FinishedEvent stopped = t.run();
            QCOMPARE(stopped.reason, FinishReason::Stopped);
            QCOMPARE(stopped.epochsDone, 0);
            QCOMPARE(stopped.batchesIntoEpoch, std::int64_t(5));
            QVERIFY(stopped.batchesPerEpoch > 5);
            QVERIFY(stopped.stopValidationAccuracy >= 0 && stopped.stopValidationAccuracy <= 1);
            QVERIFY(fileExists(dirB + "/last.ncckpt"));
            QVERIFY(!fileExists(dirB + "/best.ncmodel")); // no epoch ended: nothing is "best" yet
            // The stopped weights open as a model, with where they stopped and what they reach.
            const Model last = Model::load(dirB + "/last.ncmodel");
            QCOMPARE(last.metadata()["batch_in_epoch"].get<int>(), 5);
            QCOMPARE(last.metadata()["val_accuracy"].get<double>(), stopped.stopValidationAccuracy);
            QCOMPARE(evaluateModel(last, m_test).count, m_test.size());
            const Json j = stopped.toJson();
            QCOMPARE(j["batch_in_epoch"].get<int>(), 5);
        }
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 99); // different init on purpose
            Trainer t(m, small, cfg, dirB);
            t.resumeFrom(dirB + "/last.ncckpt");
            std::int64_t firstBatch = 0;
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (!firstBatch)
                                    firstBatch = e.batch;
                            },
                            nullptr, nullptr});
            const FinishedEvent done = t.run();
            QCOMPARE(done.reason, FinishReason::Completed);
            QCOMPARE(firstBatch, std::int64_t(6)); // continues where it stopped
        }
        const SafetensorsFile ra = readSafetensors(a.path().toStdString() + "/last.ncckpt");
        const SafetensorsFile rb = readSafetensors(dirB + "/last.ncckpt");
        QCOMPARE(ra.tensors.size(), rb.tensors.size());
        for (std::size_t i = 0; i < ra.tensors.size(); ++i) {
            QCOMPARE(ra.tensors[i].name, rb.tensors[i].name);
            QVERIFY2(ra.tensors[i].data == rb.tensors[i].data, ra.tensors[i].name.c_str());
        }
        // The epoch figures too (the partial epoch's sums were carried over exactly).
        const Json ha = Json::parse(ra.metadata.at("history")), hb = Json::parse(rb.metadata.at("history"));
        QCOMPARE(ha.size(), std::size_t(2));
        QCOMPARE(hb.size(), ha.size());
        for (std::size_t e = 0; e < ha.size(); ++e)
            for (const char* key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"})
                QVERIFY2(ha[e][key] == hb[e][key], key); // timings aside, the same figures to the last bit
        QCOMPARE(ra.metadata.at("step"), rb.metadata.at("step"));
    }

    // "Clean epochs at the end": the last N epochs see the images as they are. With N = 1 of 2,
    // epoch 1 is the augmented run's epoch 1 to the last bit and epoch 2 is not; with every epoch
    // clean the run is the un-augmented run exactly; a run stopped inside the clean epoch resumes
    // to the same bits.
    void cleanEpochsTrainOnTheImagesAsTheyAre() {
        TrainConfig augmented = quickConfig();
        augmented.epochs = 2;
        augmented.schedule = ScheduleKind::Cosine;
        augmented.augmentation.horizontalFlip = true;
        augmented.augmentation.rotationDegrees = 20;
        augmented.augmentation.widthShift = augmented.augmentation.heightShift = 0.1;
        TrainConfig plain = augmented;
        plain.augmentation = Augmentation();
        TrainConfig oneClean = augmented, allClean = augmented;
        oneClean.augmentCleanEpochs = 1;
        allClean.augmentCleanEpochs = 2;
        QVERIFY(augmentsEpoch(oneClean, 0) && !augmentsEpoch(oneClean, 1));
        QVERIFY(!augmentsEpoch(plain, 0) && !augmentsEpoch(allClean, 0));

        const Dataset small = firstImages(m_train, 400);
        QTemporaryDir root;
        auto train = [&](const TrainConfig& cfg, const std::string& name) {
            const std::string dir = root.path().toStdString() + "/" + name;
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, dir);
            if (t.run().reason != FinishReason::Completed)
                qFatal("run %s did not complete", name.c_str());
            return dir + "/last.ncckpt";
        };
        auto history = [](const std::string& ckpt) { return Json::parse(readSafetensors(ckpt).metadata.at("history")); };
        const std::string a = train(augmented, "augmented"), p = train(plain, "plain"),
                          one = train(oneClean, "one"), all = train(allClean, "all");
        const Json ha = history(a), hp = history(p), h1 = history(one);
        QVERIFY(h1[0]["train_loss"] == ha[0]["train_loss"]);    // epoch 1: augmented
        QVERIFY(h1[1]["train_loss"] != ha[1]["train_loss"]);    // epoch 2: not
        QVERIFY(ha[0]["train_loss"] != hp[0]["train_loss"]);    // the augmentation does change the images
        compareCheckpoints(all, p);

        // Stopped at batch 3 of the clean epoch, resumed: the bits of the run never stopped.
        const std::string dir = root.path().toStdString() + "/stopped";
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 5);
            Trainer t(m, small, oneClean, dir);
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 2 && e.batch == 3)
                                    t.stop();
                            },
                            nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Stopped);
        }
        {
            Model m = Model::compile(templateFor("mlp", 3), infoOf(small), 99);
            Trainer t(m, small, oneClean, dir);
            t.resumeFrom(dir + "/last.ncckpt");
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        compareCheckpoints(dir + "/last.ncckpt", one);
    }

    void bf16LearnsAboutAsWellAsFp32() {
        double accuracy[2] = {0, 0};
        for (int i = 0; i < 2; ++i) {
            Model model = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 1);
            TrainConfig cfg = quickConfig();
            cfg.epochs = 2;
            cfg.precision = i == 0 ? Precision::FP32 : Precision::BF16;
            Trainer trainer(model, m_train, cfg);
            const FinishedEvent done = trainer.run();
            QCOMPARE(done.reason, FinishReason::Completed);
            accuracy[i] = evaluateModel(model, m_test).accuracy;
        }
        qInfo("test accuracy after 2 epochs: fp32 %.3f, bf16 %.3f", accuracy[0], accuracy[1]);
        QVERIFY2(accuracy[1] > 0.45, qPrintable(QString::number(accuracy[1]))); // chance is 0.33
        QVERIFY2(std::abs(accuracy[0] - accuracy[1]) < 0.25, qPrintable(QString::number(accuracy[1])));
    }

    // "auto" on a CPU whose flags lack bf16 (injected) trains exactly as fp32 does; with
    // avx512_bf16 exactly as bf16 does. The run says which it chose and why.
    void autoFollowsTheCpuFlags() {
        const Dataset small = firstImages(m_train, 320);
        // Trains one epoch; QCOMPARE needs a void function, so the choice comes back by reference.
        auto train = [&](Precision p, const QTemporaryDir& dir, PrecisionChoice& choice) {
            Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(small), 5);
            TrainConfig cfg = quickConfig();
            cfg.epochs = 1;
            cfg.precision = p;
            Trainer t(m, small, cfg, dir.path().toStdString());
            choice = t.precisionChoice();
            const FinishedEvent done = t.run();
            QCOMPARE(done.reason, FinishReason::Completed);
            QCOMPARE(done.precision, choice.precision);
            QCOMPARE(checkpointPrecision(dir.path().toStdString() + "/last.ncckpt"), std::string(precisionName(choice.precision)));
            QCOMPARE(lineCount(dir.path().toStdString() + "/metrics.jsonl", "\"precision_reason\""), std::size_t(1));
        };
        QTemporaryDir autoNoBf16, fp32, autoBf16, bf16;
        PrecisionChoice c, explicitChoice;
        {
            CpuFlags flags(kWithoutBf16);
            train(Precision::Auto, autoNoBf16, c);
            QCOMPARE(c.precision, Precision::FP32);
            QVERIFY2(c.reason.find("no native bfloat16") != std::string::npos, c.reason.c_str());
            train(Precision::FP32, fp32, explicitChoice);
            QCOMPARE(explicitChoice.precision, Precision::FP32);
        }
        compareCheckpoints(autoNoBf16.path().toStdString() + "/last.ncckpt", fp32.path().toStdString() + "/last.ncckpt");
        {
            CpuFlags flags(kWithBf16);
            train(Precision::Auto, autoBf16, c);
            QCOMPARE(c.precision, Precision::BF16);
            QVERIFY2(c.reason.find("avx512_bf16") != std::string::npos, c.reason.c_str());
            train(Precision::BF16, bf16, explicitChoice);
            QCOMPARE(explicitChoice.precision, Precision::BF16);
        }
        compareCheckpoints(autoBf16.path().toStdString() + "/last.ncckpt", bf16.path().toStdString() + "/last.ncckpt");
        // bf16 and fp32 really are different runs (else the comparisons above prove nothing).
        const SafetensorsFile a = readSafetensors(fp32.path().toStdString() + "/last.ncckpt");
        const SafetensorsFile b = readSafetensors(bf16.path().toStdString() + "/last.ncckpt");
        QVERIFY(a.tensors.front().data != b.tensors.front().data);
    }

    // A bf16 run stopped mid-epoch and resumed gives the weights of one never stopped; it
    // resumes in bf16 even where "auto" would now pick fp32 (the checkpoint's precision wins).
    void bf16ResumeIsBitExactEvenWhereAutoWouldPickFp32() {
        TrainConfig cfg = quickConfig();
        cfg.epochs = 2;
        cfg.precision = Precision::Auto;
        cfg.augmentation.horizontalFlip = true;
        const Dataset small = firstImages(m_train, 400);
        QTemporaryDir a, b;
        {
            CpuFlags flags(kWithBf16);
            Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        {
            CpuFlags flags(kWithBf16);
            Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, b.path().toStdString());
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 1 && e.batch == 4)
                                    t.stop();
                            },
                            nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Stopped);
        }
        QCOMPARE(checkpointPrecision(b.path().toStdString() + "/last.ncckpt"), std::string("bf16"));
        {
            CpuFlags flags(kWithoutBf16);
            Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(small), 99);
            Trainer t(m, small, cfg, b.path().toStdString());
            t.resumeFrom(b.path().toStdString() + "/last.ncckpt");
            const PrecisionChoice c = t.precisionChoice();
            QCOMPARE(c.precision, Precision::BF16);
            QVERIFY2(c.reason.find("checkpoint") != std::string::npos, c.reason.c_str());
            const FinishedEvent done = t.run();
            QCOMPARE(done.reason, FinishReason::Completed);
            QCOMPARE(done.precision, Precision::BF16);
        }
        compareCheckpoints(a.path().toStdString() + "/last.ncckpt", b.path().toStdString() + "/last.ncckpt");
    }

    // resnet-mini in fp32 trains with channels-last weights (BatchNorm2d, no Flatten): stopped
    // mid-epoch and resumed, it still ends with the weights of a run never stopped.
    void channelsLastResumeIsBitExact() {
        TrainConfig cfg = quickConfig();
        cfg.epochs = 2;
        cfg.precision = Precision::FP32;
        const Dataset small = firstImages(m_train, 256);
        QTemporaryDir a, b;
        {
            Model m = Model::compile(templateFor("resnet-mini", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        {
            Model m = Model::compile(templateFor("resnet-mini", 3), infoOf(small), 5);
            Trainer t(m, small, cfg, b.path().toStdString());
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 1 && e.batch == 3)
                                    t.stop();
                            },
                            nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Stopped);
        }
        {
            Model m = Model::compile(templateFor("resnet-mini", 3), infoOf(small), 99);
            Trainer t(m, small, cfg, b.path().toStdString());
            t.resumeFrom(b.path().toStdString() + "/last.ncckpt");
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        compareCheckpoints(a.path().toStdString() + "/last.ncckpt", b.path().toStdString() + "/last.ncckpt");
    }

    // A bf16 run whose loss goes non-finite in epoch 2 of 3 (an output bias set beyond bf16's
    // range, 3.4e38, which fp32 still holds) is not lost: it goes back to the checkpoint of
    // epoch 1, says so, and trains on in fp32 to the end, learning as a clean run does.
    void bf16NonFiniteLossFallsBackToFp32AndContinues() {
        QTemporaryDir dir, clean;
        TrainConfig cfg = quickConfig();
        cfg.epochs = 3;
        cfg.precision = Precision::BF16;
        Model m = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 5);
        Trainer t(m, m_train, cfg, dir.path().toStdString());
        bool poisoned = false;
        std::vector<PrecisionChoice> changes;
        TrainerCallbacks cb;
        cb.onBatch = [&](const BatchEvent& e) {
            if (e.epoch == 2 && e.batch == 3 && !poisoned) {
                poisoned = true;
                torch::NoGradGuard noGrad;
                auto params = m.impl().net->named_parameters();
                params[params.size() - 1].value()[0].fill_(3.4e38f); // the classifier's last bias
            }
        };
        cb.onPrecisionChanged = [&](const PrecisionChoice& c) { changes.push_back(c); };
        t.setCallbacks(cb);
        const FinishedEvent done = t.run();
        QVERIFY(poisoned);
        QCOMPARE(done.reason, FinishReason::Completed);
        QCOMPARE(done.epochsDone, 3);
        QCOMPARE(done.precision, Precision::FP32);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes[0].precision, Precision::FP32);
        QVERIFY2(done.precisionFallback.find("epoch 2, batch 4") != std::string::npos, done.precisionFallback.c_str());
        QVERIFY2(done.precisionFallback.find("fp32 from the checkpoint of epoch 1") != std::string::npos,
                 done.precisionFallback.c_str());
        const std::string run = dir.path().toStdString();
        QCOMPARE(lineCount(run + "/metrics.jsonl", "\"event\":\"precision_fallback\""), std::size_t(1));
        QCOMPARE(checkpointPrecision(run + "/last.ncckpt"), std::string("fp32"));
        const Json history = Json::parse(readSafetensors(run + "/last.ncckpt").metadata.at("history"));
        QCOMPARE(history.size(), std::size_t(3)); // epoch 2 once, not twice
        QCOMPARE(done.toJson()["precision"].get<std::string>(), std::string("fp32"));

        // Epoch 1 is the clean bf16 run's epoch 1 exactly; the end result learned as well.
        Model reference = Model::compile(templateFor("keras-cnn", 3), infoOf(m_train), 5);
        Trainer r(reference, m_train, cfg, clean.path().toStdString());
        QCOMPARE(r.run().reason, FinishReason::Completed);
        const Json cleanHistory = Json::parse(readSafetensors(clean.path().toStdString() + "/last.ncckpt").metadata.at("history"));
        for (const char* key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"})
            QVERIFY2(history[0][key] == cleanHistory[0][key], key);
        const double accuracy = evaluateModel(m, m_test).accuracy, cleanAccuracy = evaluateModel(reference, m_test).accuracy;
        qInfo("test accuracy: fell back to fp32 %.3f, clean bf16 %.3f", accuracy, cleanAccuracy);
        QVERIFY2(accuracy > 0.6, qPrintable(QString::number(accuracy)));
        QVERIFY2(std::abs(accuracy - cleanAccuracy) < 0.15, qPrintable(QString::number(accuracy)));
    }

    void cudaOnAMachineWithoutOneIsAClearMessage() {
        Model model = Model::compile(templateFor("mlp", 3), infoOf(m_train), 1);
        TrainConfig cfg = quickConfig();
        cfg.epochs = 1;
        cfg.device = "cuda";
        Trainer trainer(model, m_train, cfg);
        const FinishedEvent done = trainer.run();
        if (cudaDeviceCount() > 0) { // a GPU machine trains on it instead
            QCOMPARE(done.reason, FinishReason::Completed);
            return;
        }
        QCOMPARE(done.reason, FinishReason::Failed);
        QVERIFY2(done.message.find("no CUDA device") != std::string::npos, done.message.c_str());
    }

    void datasetThatDoesNotFitIsAnError() {
        Model model = Model::compile(templateFor("keras-cnn", 10), {1, 28, 28, std::vector<std::string>(10, "c")}, 1);
        QVERIFY_THROWS_EXCEPTION(Error, evaluateModel(model, m_test));
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
