// Safetensors reader/writer: round trips, and hostile files that must fail cleanly and fast.
#include "io/Safetensors.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Json.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace nc;

namespace {

TensorRecord floatTensor(const std::string& name, std::vector<std::int64_t> shape, float start) {
    TensorRecord t;
    t.name = name;
    t.dtype = DType::F32;
    t.shape = std::move(shape);
    std::vector<float> values(static_cast<std::size_t>(t.numel()));
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = start + static_cast<float>(i) * 0.5f;
    t.data.resize(values.size() * 4);
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return t;
}

// A file made of a raw header text and a data buffer, for hand-made broken files.
std::vector<std::uint8_t> rawFile(const std::string& header, std::size_t dataBytes,
                                  std::uint64_t claimedLength = 0) {
    const std::uint64_t n = claimedLength ? claimedLength : header.size();
    std::vector<std::uint8_t> out(8 + header.size() + dataBytes, 0);
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
    std::memcpy(out.data() + 8, header.data(), header.size());
    return out;
}

// Parses and returns the error message; fails the test when no nc::Error is thrown.
QString parseError(const std::vector<std::uint8_t>& bytes) {
    QElapsedTimer timer;
    timer.start();
    try {
        parseSafetensors(bytes.data(), bytes.size(), "model.ncmodel");
    } catch (const Error& e) {
        // Hostile sizes must be rejected from the header alone, never by trying to allocate.
        if (timer.elapsed() > 1000)
            return QStringLiteral("too slow: ") + QString::fromStdString(e.what());
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("<no error>");
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void roundTrip();
    void writesSortedAlignedHeader();
    void emptyFileRoundTrips();
    void cutByOneByte();
    void notASafetensorsFile();
    void hugeHeaderLength();
    void hugeShape();
    void offsetsBeyondData();
    void sizeMismatch();
    void overlapAndGap();
    void badJsonAndTypes();
    void deepNesting();
    void writerRejectsBadRecords();
};

void TestSafetensors::roundTrip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SafetensorsFile f;
    f.tensors.push_back(floatTensor("fc.weight", {3, 4}, 1.f));
    f.tensors.push_back(floatTensor("conv1.bias", {5}, -2.f));
    TensorRecord labels;
    labels.name = "labels";
    labels.dtype = DType::I64;
    labels.shape = {2};
    labels.data.resize(16);
    labels.data[0] = 7;
    labels.data[8] = 9;
    f.tensors.push_back(labels);
    f.metadata["graph"] = R"({"layers":[1,2,3]})";
    f.metadata["classes"] = "a\nb \"c\"";

    const std::string path = dir.filePath("model.ncmodel").toStdString();
    writeSafetensors(path, f);
    const SafetensorsFile g = readSafetensors(path);

    QCOMPARE(g.tensors.size(), std::size_t(3));
    QCOMPARE(g.metadata, f.metadata);
    for (const auto& t : f.tensors) {
        const TensorRecord* r = g.find(t.name);
        QVERIFY2(r, t.name.c_str());
        QCOMPARE(int(r->dtype), int(t.dtype));
        QCOMPARE(r->shape, t.shape);
        QVERIFY(r->data == t.data);
    }
    QVERIFY(g.find("missing") == nullptr);
    QCOMPARE(g.find("fc.weight")->numel(), std::int64_t(12));
}

void TestSafetensors::writesSortedAlignedHeader() {
    SafetensorsFile f;
    f.tensors.push_back(floatTensor("z", {2}, 0.f));
    f.tensors.push_back(floatTensor("a", {1}, 0.f));
    const auto bytes = serializeSafetensors(f);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | bytes[static_cast<std::size_t>(i)];
    QCOMPARE(n % 8, std::uint64_t(0));
    QCOMPARE(bytes.size(), std::size_t(8 + n + 12));
    const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
    const auto parsed = nc::Json::parse(header);
    QCOMPARE(int(parsed["a"]["data_offsets"][0]), 0);
    QCOMPARE(int(parsed["z"]["data_offsets"][0]), 4);
    QVERIFY(parsed["a"]["dtype"] == "F32");
    // Sorted by name on the way back too.
    const auto g = parseSafetensors(bytes.data(), bytes.size(), "x");
    QCOMPARE(g.tensors.front().name, std::string("a"));
}

void TestSafetensors::emptyFileRoundTrips() {
    SafetensorsFile f;
    TensorRecord empty;
    empty.name = "empty";
    empty.shape = {0, 3};
    f.tensors.push_back(empty);
    const auto bytes = serializeSafetensors(f);
    const auto g = parseSafetensors(bytes.data(), bytes.size(), "x");
    QCOMPARE(g.tensors.size(), std::size_t(1));
    QCOMPARE(g.tensors[0].numel(), std::int64_t(0));
}

void TestSafetensors::cutByOneByte() {
    QTemporaryDir dir;
    SafetensorsFile f;
    f.tensors.push_back(floatTensor("conv1.weight", {4, 4}, 0.f));
    const std::string path = dir.filePath("model.ncmodel").toStdString();
    writeSafetensors(path, f);
    auto bytes = readFileBytes(path, 1 << 20);
    bytes.pop_back();
    writeFileAtomic(path, bytes.data(), bytes.size());
    try {
        readSafetensors(path);
        QFAIL("a truncated file was accepted");
    } catch (const Error& e) {
        const QString msg = QString::fromStdString(e.what());
        QVERIFY2(msg.startsWith("model.ncmodel: "), qPrintable(msg));
        QVERIFY2(msg.contains("conv1.weight") && msg.contains("ends at byte 64") && msg.contains("63 bytes"),
                 qPrintable(msg));
    }
}

void TestSafetensors::notASafetensorsFile() {
    // A zip file (e.g. a PyTorch .pt) read as safetensors: the "length" is nonsense.
    std::vector<std::uint8_t> zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 'x', 'y'};
    QString msg = parseError(zip);
    QVERIFY2(msg.startsWith("model.ncmodel: ") && msg.contains("header claims"), qPrintable(msg));
    msg = parseError({1, 2, 3});
    QVERIFY2(msg.contains("too short"), qPrintable(msg));
    msg = parseError(rawFile("[1,2,3]", 0));
    QVERIFY2(msg.contains("not a JSON object"), qPrintable(msg));
}

void TestSafetensors::hugeHeaderLength() {
    const QString msg = parseError(rawFile("{}", 0, 1ull << 60));
    QVERIFY2(msg.contains("header claims 1152921504606846976 bytes"), qPrintable(msg));
}

void TestSafetensors::hugeShape() {
    const std::string h =
        R"({"w":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}})";
    QString msg = parseError(rawFile(h, 4));
    QVERIFY2(msg.contains("tensor w") && msg.contains("too many elements"), qPrintable(msg));
    // Large but not overflowing: refused because the data is not there.
    const std::string h2 = R"({"w":{"dtype":"F32","shape":[1073741824,1024],"data_offsets":[0,4]}})";
    msg = parseError(rawFile(h2, 4));
    QVERIFY2(msg.contains("needs 4398046511104 bytes"), qPrintable(msg));
    const std::string h3 = R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})";
    msg = parseError(rawFile(h3, 4));
    QVERIFY2(msg.contains("whole numbers >= 0"), qPrintable(msg));
}

void TestSafetensors::offsetsBeyondData() {
    const std::string h = R"({"w":{"dtype":"U8","shape":[2000000000000],"data_offsets":[0,2000000000000]}})";
    const QString msg = parseError(rawFile(h, 8));
    QVERIFY2(msg.contains("ends at byte 2000000000000 but the file has only 8 bytes of data"),
             qPrintable(msg));
}

void TestSafetensors::sizeMismatch() {
    const std::string h = R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})";
    const QString msg = parseError(rawFile(h, 8));
    QVERIFY2(msg.contains("needs 12 bytes") && msg.contains("span 8"), qPrintable(msg));
}

void TestSafetensors::overlapAndGap() {
    const std::string overlap = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                                R"("b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})";
    QString msg = parseError(rawFile(overlap, 6));
    QVERIFY2(msg.contains("overlap") && msg.contains("a and b"), qPrintable(msg));
    const std::string gap = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                            R"("b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}})";
    msg = parseError(rawFile(gap, 6));
    QVERIFY2(msg.contains("belong to no tensor"), qPrintable(msg));
    const std::string trailing = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})";
    msg = parseError(rawFile(trailing, 5));
    QVERIFY2(msg.contains("3 bytes of data after the last tensor"), qPrintable(msg));
    // Any order of regions is fine as long as they tile the buffer.
    const std::string reversed = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},)"
                                 R"("b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})";
    auto bytes = rawFile(reversed, 4);
    bytes[bytes.size() - 4] = 11; // b
    bytes[bytes.size() - 2] = 22; // a
    const auto f = parseSafetensors(bytes.data(), bytes.size(), "x");
    QCOMPARE(int(f.find("a")->data[0]), 22);
    QCOMPARE(int(f.find("b")->data[0]), 11);
}

void TestSafetensors::badJsonAndTypes() {
    QString msg = parseError(rawFile("{\"a\": ", 0));
    QVERIFY2(msg.contains("not valid JSON"), qPrintable(msg));
    msg = parseError(rawFile(R"({"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}})", 1));
    QVERIFY2(msg.contains("unknown dtype") && msg.contains("Q7"), qPrintable(msg));
    msg = parseError(rawFile(R"({"__metadata__":{"epoch":3}})", 0));
    QVERIFY2(msg.contains("metadata value for \"epoch\" is not a string"), qPrintable(msg));
    msg = parseError(rawFile(R"({"a":{"dtype":"U8","shape":[1]}})", 1));
    QVERIFY2(msg.contains("has no \"data_offsets\""), qPrintable(msg));
    msg = parseError(rawFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}})", 1));
    QVERIFY2(msg.contains("before it begins"), qPrintable(msg));
}

void TestSafetensors::deepNesting() {
    const std::string deep = "{\"__metadata__\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const QString msg = parseError(rawFile(deep, 0));
    QVERIFY2(msg.contains("nested deeper"), qPrintable(msg));
}

void TestSafetensors::writerRejectsBadRecords() {
    SafetensorsFile f;
    TensorRecord t = floatTensor("w", {2}, 0.f);
    t.data.pop_back();
    f.tensors.push_back(t);
    QVERIFY_THROWS_EXCEPTION(Error, serializeSafetensors(f));
    f.tensors = {floatTensor("w", {2}, 0.f), floatTensor("w", {2}, 0.f)};
    QVERIFY_THROWS_EXCEPTION(Error, serializeSafetensors(f));
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
