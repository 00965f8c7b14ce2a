// Replays the committed fuzz corpus (tests/fuzz/corpus/<target>/: seeds, one regression file per
// crash fixed, and a minimised set of inputs scripts/fuzz.sh found) through the same entry points
// the libFuzzer targets call (tests/fuzz/FuzzTargets.h), in the normal gcc build, on every CI run.
// Each input must parse, or be refused with nc::Error carrying a message, within a time bound;
// any other exception (an OracleFailure included), a crash or a hang fails the test. The seed-*
// files are valid files and must parse. A missing or empty corpus folder fails too.
#include "../fuzz/FuzzTargets.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QtTest>

#include <sys/resource.h>

using namespace nc;

// Sanitizer builds run 2-15x slower: scripts/sanitize.sh sets NC_TIME_SCALE so that time limits
// stretch with them. Unset (the normal suite) it is 1 and the limits are what a user would notice.
inline double ncTimeScale() {
    bool ok = false;
    const double s = qEnvironmentVariable("NC_TIME_SCALE").toDouble(&ok);
    return ok && s >= 1 ? s : 1.0;
}

namespace {

const char* const kTargets[] = {"project", "idx", "cifar", "safetensors", "ncmodel", "image", "serve_request", "ncmodel_int8"};
constexpr qint64 kMaxMillisPerInput = 5000;
constexpr long kMaxPeakGrowthMb = 1024;

QString corpusDir(const QString& target) {
    return QDir::cleanPath(QStringLiteral(NC_TEST_DATA_DIR "/../fuzz/corpus/") + target);
}

long peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

const fuzz::Target* findTarget(const QString& name) {
    static const std::vector<fuzz::Target> all = fuzz::targets();
    for (const auto& t : all)
        if (name == QLatin1String(t.name))
            return &t;
    return nullptr;
}

// "" when the input parsed or was refused properly; otherwise what went wrong.
QString runInput(fuzz::Entry entry, const QByteArray& bytes, bool mustParse, bool* refused = nullptr,
                 std::string* message = nullptr) {
    try {
        entry(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()));
    } catch (const Error& e) {
        if (refused)
            *refused = true;
        if (message)
            *message = e.what();
        if (std::string(e.what()).empty())
            return QStringLiteral("nc::Error without a message");
        if (mustParse)
            return QStringLiteral("a valid seed was refused: ") + QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("threw something other than nc::Error: ") + QString::fromStdString(e.what());
    } catch (...) {
        return QStringLiteral("threw a non-standard exception");
    }
    return {};
}

} // namespace

class TestFuzzCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replay_data() {
        QTest::addColumn<QString>("target");
        for (const char* t : kTargets)
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void replay() {
        QFETCH(QString, target);
        const QDir dir(corpusDir(target));
        QVERIFY2(dir.exists(), qPrintable(dir.path() + " is missing"));
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), qPrintable(dir.path() + " is empty"));
        QVERIFY2(!files.filter(QRegularExpression("^seed-")).isEmpty(),
                 qPrintable(dir.path() + " has no seed-* file"));

        const fuzz::Target* t = findTarget(target);
        if (!t)
            QSKIP("this build has no nc_imaging (OpenCV) or no nc_serve (Boost); this corpus is not replayed");
        const long peakBefore = peakRssMb();
        int refused = 0;
        for (const QString& name : files) {
            QFile f(dir.filePath(name));
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable("cannot read " + f.fileName()));
            const QByteArray bytes = f.readAll();
            QElapsedTimer timer;
            timer.start();
            bool wasRefused = false;
            std::string message;
            const QString problem = runInput(t->run, bytes, name.startsWith("seed-"), &wasRefused, &message);
            const qint64 ms = timer.elapsed();
            QVERIFY2(problem.isEmpty(), qPrintable(target + "/" + name + ": " + problem));
            QVERIFY2(ms <= kMaxMillisPerInput * ncTimeScale(),
                     qPrintable(target + "/" + name + " took " + QString::number(ms) + " ms"));
            refused += wasRefused; // the log shows the corpus exercises both outcomes
            if (name.startsWith("regress-")) // what each fixed crash now gets
                qInfo("%s/%s: %s", qPrintable(target), qPrintable(name),
                      wasRefused ? message.substr(0, 160).c_str() : "parsed");
        }
        const long growth = peakRssMb() - peakBefore;
        QVERIFY2(growth <= kMaxPeakGrowthMb,
                 qPrintable(target + ": peak memory grew by " + QString::number(growth) + " MB"));
        qInfo("%s: %d inputs, %d parsed, %d refused with nc::Error", qPrintable(target), int(files.size()),
              int(files.size()) - refused, refused);
    }

    // The two-file input format the IDX and CIFAR targets use.
    void splitFormat() {
        const std::vector<std::uint8_t> a = {1, 2, 3}, b = {4, 5};
        const auto joined = fuzz::join2(a, b);
        const auto parts = fuzz::split2(joined.data(), joined.size());
        QCOMPARE(parts.first, a);
        QCOMPARE(parts.second, b);
        // A length larger than the input is clamped; a short input is all second part.
        const std::uint8_t big[] = {0xff, 0xff, 0xff, 0xff, 9};
        QCOMPARE(fuzz::split2(big, 5).first.size(), std::size_t(1));
        QCOMPARE(fuzz::split2(big, 3).second.size(), std::size_t(3));
    }

    // The replay can fail: an invariant broken by a parser surfaces as OracleFailure, not as nc::Error.
    void oracleFailuresAreNotRefusals() {
        const auto broken = [](const std::uint8_t*, std::size_t) { fuzz::require(false, "broken invariant"); };
        QVERIFY(!runInput(broken, QByteArray("x"), false).isEmpty());
        const auto silent = [](const std::uint8_t*, std::size_t) { throw Error(""); };
        QVERIFY(!runInput(silent, QByteArray("x"), false).isEmpty());
        const auto refuses = [](const std::uint8_t*, std::size_t) { throw Error("bad file"); };
        QVERIFY(runInput(refuses, QByteArray("x"), false).isEmpty());
        QVERIFY(!runInput(refuses, QByteArray("x"), true).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
