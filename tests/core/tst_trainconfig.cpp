// Training settings: JSON round trip, bad values, and the learning-rate schedules.
#include "graph/Project.h"
#include "train/PrecisionChoice.h"
#include "train/TrainConfig.h"
#include "util/Error.h"

#include <QtTest>

using namespace nc;

class TestTrainConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip() {
        TrainConfig c;
        c.epochs = 12;
        c.optimizer = OptimizerKind::RMSprop;
        c.schedule = ScheduleKind::OneCycle;
        c.precision = Precision::BF16;
        c.augmentation.padCrop = 3;
        c.augmentation.verticalFlip = true;
        c.augmentation.rotationDegrees = 12.5;
        c.augmentation.widthShift = 0.1;
        c.augmentation.heightShift = 0.15;
        c.augmentation.zoom = 0.2;
        c.augmentation.brightness = 0.1;
        c.augmentation.contrast = 0.3;
        c.augmentation.eraseProbability = 0.5;
        c.augmentCleanEpochs = 3;
        c.seed = 123456789;
        const TrainConfig d = TrainConfig::fromJson(c.toJson());
        QCOMPARE(d.toJson(), c.toJson());
        QCOMPARE(d.augmentation.rotationDegrees, 12.5);
        QCOMPARE(d.augmentation.eraseProbability, 0.5);
        QVERIFY(d.augmentation.verticalFlip);
        QCOMPARE(d.augmentCleanEpochs, 3);
        QCOMPARE(c.toJson()["augment_height_shift"].get<double>(), 0.15);
    }

    // A project saved before these keys existed loads with every new augmentation off.
    void olderProjectsLoadWithTheNewAugmentationsOff() {
        const TrainConfig c =
            TrainConfig::fromJson({{"epochs", 3}, {"augment_flip", true}, {"augment_pad_crop", 2}});
        QVERIFY(c.augmentation.horizontalFlip);
        QCOMPARE(c.augmentation.padCrop, 2);
        QVERIFY(!c.augmentation.verticalFlip);
        QCOMPARE(c.augmentation.rotationDegrees, 0.0);
        QCOMPARE(c.augmentation.widthShift + c.augmentation.heightShift + c.augmentation.zoom, 0.0);
        QCOMPARE(c.augmentation.brightness + c.augmentation.contrast + c.augmentation.eraseProbability, 0.0);
        QVERIFY(!TrainConfig::fromJson(Json::object()).augmentation.enabled());
        QCOMPARE(c.augmentCleanEpochs, 0);
    }

    void augmentationValuesAreRangeChecked_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("bad");
        QTest::newRow("rotation") << "augment_rotation" << 181.0;
        QTest::newRow("negative rotation") << "augment_rotation" << -5.0;
        QTest::newRow("width shift") << "augment_width_shift" << 1.5;
        QTest::newRow("height shift") << "augment_height_shift" << -0.1;
        QTest::newRow("zoom") << "augment_zoom" << 1.0;
        QTest::newRow("brightness") << "augment_brightness" << 2.0;
        QTest::newRow("contrast") << "augment_contrast" << 1.1;
        QTest::newRow("erase") << "augment_erase" << 1.01;
        QTest::newRow("clean epochs") << "augment_clean_epochs" << -1.0;
    }
    void augmentationValuesAreRangeChecked() {
        QFETCH(QString, key);
        QFETCH(double, bad);
        try {
            TrainConfig::fromJson({{key.toStdString(), bad}});
            QFAIL("must throw");
        } catch (const Error& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("'" + key.toStdString() + "'") != std::string::npos, e.what());
            QVERIFY2(message.find("allowed") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, TrainConfig::fromJson({{key.toStdString(), "big"}}));
        QVERIFY_THROWS_EXCEPTION(Error, TrainConfig::fromJson({{"augment_vertical_flip", 1}}));
    }

    void badValuesNameTheSetting() {
        try {
            TrainConfig::fromJson({{"optimizer", "lbfgs"}});
            QFAIL("must throw");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("'optimizer' must be one of: sgd, nesterov, adam, adamw, rmsprop") !=
                    std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, TrainConfig::fromJson({{"learning_rate", -1}}));
        QVERIFY_THROWS_EXCEPTION(Error, TrainConfig::fromJson({{"precision", "fp8"}}));
        QVERIFY_THROWS_EXCEPTION(Error, TrainConfig::fromJson({{"augment_flip", "yes"}}));
    }

    // New projects train in "auto"; a stored setting without the key keeps meaning fp32.
    void precisionAutoIsNewButOldSettingsMeanFp32() {
        QCOMPARE(TrainConfig().precision, Precision::Auto);
        QCOMPARE(TrainConfig::fromJson({{"precision", "auto"}}).precision, Precision::Auto);
        QCOMPARE(TrainConfig::fromJson({{"epochs", 3}}).precision, Precision::FP32);
        QCOMPARE(TrainConfig::fromJson(Json::object()).precision, Precision::FP32);
        TrainConfig c;
        QCOMPARE(c.toJson()["precision"].get<std::string>(), std::string("auto"));
        QCOMPARE(TrainConfig::fromJson(c.toJson()).precision, Precision::Auto);
        // Every built-in template makes new projects train in auto.
        for (const char* name : {"keras-cnn", "lenet5", "mlp", "vgg-mini", "resnet-mini"})
            QCOMPARE(makeFromTemplate(name).training.precision, Precision::Auto);
        // A project file without training settings at all is an old one too.
        const Project old = parseProject(R"({"format":"neuralcanvas-project","version":1,"graph":{}})", "old.ncproj");
        QCOMPARE(old.training.precision, Precision::FP32);
    }

    void autoPicksBf16OnlyWhereTheCpuRunsItNatively() {
        const std::string zen4 = "fpu sse2 avx2 avx512f avx512bw avx512_vnni avx512_bf16 vaes";
        const std::string sapphire = "avx512f avx512_bf16 amx_bf16 amx_tile amx_int8";
        const std::string older = "fpu sse2 avx2 fma avx512f avx512bw avx512_vnni";
        PrecisionChoice c = choosePrecision(Precision::Auto, "cpu", zen4);
        QCOMPARE(c.precision, Precision::BF16);
        QCOMPARE(c.nativeFeature, std::string("avx512_bf16"));
        QVERIFY2(c.reason.find("avx512_bf16") != std::string::npos, c.reason.c_str());
        QCOMPARE(choosePrecision(Precision::Auto, "cpu", sapphire).nativeFeature, std::string("amx_bf16"));
        c = choosePrecision(Precision::Auto, "cpu", older);
        QCOMPARE(c.precision, Precision::FP32);
        QVERIFY2(c.reason.find("no native bfloat16") != std::string::npos, c.reason.c_str());
        // A word that merely contains the flag's name is not the flag.
        QCOMPARE(choosePrecision(Precision::Auto, "cpu", "avx512_bf16x").precision, Precision::FP32);
        // An explicit choice is kept; bf16 without native support says it will be slow.
        QCOMPARE(choosePrecision(Precision::FP32, "cpu", zen4).precision, Precision::FP32);
        c = choosePrecision(Precision::BF16, "cpu", older);
        QCOMPARE(c.precision, Precision::BF16);
        QVERIFY2(c.reason.find("slower") != std::string::npos, c.reason.c_str());
        QCOMPARE(choosePrecision(Precision::Auto, "cuda:0", zen4).precision, Precision::FP32);
        // The flags the machine reports can be replaced (what a test or a user asks "what if").
        qputenv("NC_CPU_FLAGS", older.c_str());
        TrainConfig cfg;
        QCOMPARE(choosePrecision(cfg).precision, Precision::FP32);
        qputenv("NC_CPU_FLAGS", zen4.c_str());
        QCOMPARE(choosePrecision(cfg).precision, Precision::BF16);
        qunsetenv("NC_CPU_FLAGS");
        QVERIFY(!cpuFlags().empty());
    }

    void schedules() {
        TrainConfig c;
        c.learningRate = 0.1;
        const std::int64_t total = 1000, perEpoch = 100;
        c.schedule = ScheduleKind::None;
        QCOMPARE(scheduledLearningRate(c, 500, total, perEpoch), 0.1);

        c.schedule = ScheduleKind::Step;
        c.stepSize = 3;
        c.gamma = 0.5;
        QCOMPARE(scheduledLearningRate(c, 299, total, perEpoch), 0.1);  // epoch 2
        QCOMPARE(scheduledLearningRate(c, 300, total, perEpoch), 0.05); // epoch 3
        QCOMPARE(scheduledLearningRate(c, 650, total, perEpoch), 0.025);

        c.schedule = ScheduleKind::Cosine;
        QCOMPARE(scheduledLearningRate(c, 0, total, perEpoch), 0.1);
        QVERIFY(qFuzzyCompare(scheduledLearningRate(c, 999, total, perEpoch) + 1.0, 1.0));
        QVERIFY(std::abs(scheduledLearningRate(c, 500, total, perEpoch) - 0.05) < 1e-3);

        // As torch.optim.lr_scheduler.OneCycleLR: from max/25, peak at 30%, down to max/25e4.
        c.schedule = ScheduleKind::OneCycle;
        QVERIFY(qFuzzyCompare(scheduledLearningRate(c, 0, total, perEpoch), 0.1 / 25));
        const double peak = scheduledLearningRate(c, 300, total, perEpoch);
        QVERIFY(std::abs(peak - 0.1) < 1e-4);
        QVERIFY(qFuzzyCompare(scheduledLearningRate(c, 999, total, perEpoch), 0.1 / 25 / 1e4));
        QVERIFY(scheduledLearningRate(c, 150, total, perEpoch) < peak);
        QVERIFY(scheduledLearningRate(c, 600, total, perEpoch) < peak);
    }
};

QTEST_APPLESS_MAIN(TestTrainConfig)
#include "tst_trainconfig.moc"
