// .ncproj files: round trips, atomic saves, migrations and hostile input.
#include "graph/Project.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace nc;

namespace {
std::string errorOf(const std::string& text) {
    try {
        parseProject(text, "p.ncproj");
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}
} // namespace

class TestProjectFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEverything() {
        QTemporaryDir dir;
        Project p = makeFromTemplate("resnet-mini");
        p.dataset = "shapes:300";
        p.training.learningRate = 0.01;
        p.training.optimizer = OptimizerKind::Nesterov;
        p.graph.node("stem")->x = 123.5;
        const std::string path = dir.filePath("r.ncproj").toStdString();
        saveProject(p, path);
        const Project q = loadProject(path);
        QCOMPARE(q.toJson(), p.toJson());
        QCOMPARE(q.graph.node("stem")->x, 123.5);
        QCOMPARE(q.training.optimizer, OptimizerKind::Nesterov);
        QCOMPARE(q.graph.edges().size(), p.graph.edges().size());
    }

    void saveIsAtomicAndLeavesNoTemporaries() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.ncproj").toStdString();
        saveProject(makeFromTemplate("mlp"), path);
        saveProject(makeFromTemplate("lenet5"), path);
        QCOMPARE(loadProject(path).name, std::string("lenet5"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void failedSaveKeepsThePreviousFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("keep.ncproj").toStdString();
        saveProject(makeFromTemplate("mlp"), path);
        // A target that is a directory cannot be replaced: the error names it and the old file stays.
        const std::string blocked = dir.filePath("blocked").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(blocked + "/x")));
        try {
            saveProject(makeFromTemplate("lenet5"), blocked);
            QFAIL("saving over a folder must fail");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(blocked) != std::string::npos, e.what());
            QVERIFY(std::string(e.what()).find("previous file is unchanged") != std::string::npos);
        }
        QCOMPARE(loadProject(path).name, std::string("mlp"));
    }

    void truncatedFileIsAClearError() {
        const std::string text = makeFromTemplate("keras-cnn").toText();
        const std::string cut = text.substr(0, text.size() - 3); // drops the closing brace
        const std::string e = errorOf(cut);
        QVERIFY2(e.find("p.ncproj is not valid JSON") == 0, e.c_str());
    }

    void wrongMagicIsRefused() {
        QVERIFY(errorOf(R"({"format":"something-else","version":1})").find("is not a NeuralCanvas project") !=
                std::string::npos);
        QVERIFY(errorOf("[1,2,3]").find("is not a NeuralCanvas project") != std::string::npos);
        QVERIFY(errorOf("\x89PNG\r\n\x1a\n").find("not valid JSON") != std::string::npos);
    }

    void newerVersionIsRefusedOlderIsMigrated() {
        const std::string e = errorOf(R"({"format":"neuralcanvas-project","version":7})");
        QVERIFY2(e.find("newer NeuralCanvas (project format 7") != std::string::npos, e.c_str());
        // Version 0 kept nodes and edges at the top level.
        const Project p = parseProject(R"({"format":"neuralcanvas-project","version":0,
            "nodes":[{"id":"input","type":"Input"},{"id":"output","type":"Output"}],
            "edges":[{"from":"input:out","to":"output:in"}]})");
        QCOMPARE(p.graph.nodes().size(), std::size_t(2));
        QCOMPARE(p.graph.edges().size(), std::size_t(1));
        QCOMPARE(p.toJson()["version"].get<int>(), Project::kFormatVersion);
    }

    void hugeCountsAreRefusedBeforeBuilding() {
        std::string nodes;
        for (std::size_t i = 0; i <= kMaxNodes; ++i)
            nodes += (i ? "," : "") + std::string("{\"id\":\"n") + std::to_string(i) + "\",\"type\":\"ReLU\"}";
        const std::string e = errorOf(R"({"format":"neuralcanvas-project","version":1,"graph":{"nodes":[)" + nodes + "]}}");
        QVERIFY2(e.find("5001 layers; at most 5000") != std::string::npos, e.c_str());
    }

    void oversizedFileIsRefusedWithoutReading() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.ncproj").toStdString();
        {
            std::ofstream f(path, std::ios::binary);
            f.seekp(std::streamoff(kMaxProjectBytes) + 10);
            f.put('x'); // a sparse file: large on paper, nothing read
        }
        try {
            loadProject(path);
            QFAIL("must refuse");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("more than the limit") != std::string::npos, e.what());
        }
    }

    void deepNestingIsRefused() {
        std::string deep = R"({"format":"neuralcanvas-project","version":1,"description":)";
        deep += std::string(100000, '[') + std::string(100000, ']') + "}";
        const std::string e = errorOf(deep);
        QVERIFY2(e.find("nests deeper than") != std::string::npos, e.c_str());
    }

    void wrongTypesNameTheField() {
        const std::string head = R"({"format":"neuralcanvas-project","version":1,)";
        QVERIFY(errorOf(head + R"("graph":{"nodes":[{"id":5,"type":"ReLU"}]}})").find("node 0: 'id' must be a string") !=
                std::string::npos);
        QVERIFY(errorOf(head + R"("graph":{"nodes":"lots"}})").find("'graph.nodes' must be a list") != std::string::npos);
        QVERIFY(errorOf(head + R"("training":{"epochs":"five"}})").find("'epochs' must be a number") != std::string::npos);
        QVERIFY(errorOf(head + R"("training":{"batch_size":1e12}})").find("'batch_size' is") != std::string::npos);
        QVERIFY(errorOf(head + R"("graph":{"nodes":[{"id":"a","type":"ReLU"},{"id":"a","type":"ReLU"}]}})")
                    .find("id 'a' is used twice") != std::string::npos);
        QVERIFY(errorOf(head + R"("graph":{"nodes":[{"id":"a","type":"ReLU"}],"edges":[{"from":"a:out","to":"zz:in"}]}})")
                    .find("unknown node 'zz'") != std::string::npos);
        QVERIFY(errorOf(head + R"("dataset":42})").find("\"dataset\" must be a string") != std::string::npos);
    }

    void missingFileIsAClearError() {
        QVERIFY_THROWS_EXCEPTION(Error, loadProject("/nonexistent/x.ncproj"));
    }

    void unknownTemplateListsTheKnownOnes() {
        try {
            makeFromTemplate("alexnet");
            QFAIL("must throw");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("keras-cnn") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestProjectFile)
#include "tst_projectfile.moc"
