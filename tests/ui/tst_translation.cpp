// The window in Simplified Chinese: the zh_CN translation is compiled in where main.cpp loads it
// (:/i18n), the texts a user sees first are Chinese, and no menu action is left in English.
#include "UiTestUtil.h"

#include "document/Document.h"
#include "app/TemplateGallery.h"
#include "graph/Project.h"
#include "deploy/CompressTab.h"
#include "sweep/SweepTab.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTranslator>
#include <QTreeWidget>

using namespace nc::ui;

namespace {
bool hasChinese(const QString& text) {
    for (const QChar c : text)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    return false;
}

// Every action reachable from the menu bar, keyed by its position (menu/index/...), so that the
// English and the Chinese window line up entry by entry.
void collectMenu(const QMenu* menu, const QString& path, QMap<QString, QString>& out) {
    const QList<QAction*> actions = menu->actions();
    for (int i = 0; i < actions.size(); ++i) {
        if (actions[i]->isSeparator())
            continue;
        const QString key = path + QLatin1Char('/') + QString::number(i);
        out.insert(key, actions[i]->text());
        if (actions[i]->menu())
            collectMenu(actions[i]->menu(), key, out);
    }
}

QMap<QString, QString> menuTexts(const MainWindow& window) {
    QMap<QString, QString> out;
    const QList<QAction*> top = window.menuBar()->actions();
    for (int i = 0; i < top.size(); ++i) {
        out.insert(QString::number(i), top[i]->text());
        if (top[i]->menu())
            collectMenu(top[i]->menu(), QString::number(i), out);
    }
    return out;
}
} // namespace

class TestTranslation : public QObject {
    Q_OBJECT
    QTranslator m_translator;
    QMap<QString, QString> m_english;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvasTests"));
        {
            MainWindow english;
            english.setAskBeforeDiscarding(false);
            english.newFromTemplate(QStringLiteral("keras-cnn"));
            m_english = menuTexts(english);
        }
        QVERIFY(m_english.size() > 30);
        QCOMPARE(m_english.value(QStringLiteral("0")), QStringLiteral("&File"));

        // Exactly as main.cpp does for --lang zh_CN.
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/neuralcanvas_zh_CN.qm")));
        QVERIFY(m_translator.load(QLocale(QStringLiteral("zh_CN")), QStringLiteral("neuralcanvas"), QStringLiteral("_"),
                                  QStringLiteral(":/i18n")));
        QVERIFY(QCoreApplication::installTranslator(&m_translator));
    }

    void cleanupTestCase() { QCoreApplication::removeTranslator(&m_translator); }

    void visibleTextsAreChinese() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("文件(&F)"));
        QCOMPARE(window.findChild<QLineEdit*>(QStringLiteral("paletteSearch"))->placeholderText(),
                 QStringLiteral("搜索网络层…"));
        const QString valid = window.findChild<QLabel*>(QStringLiteral("statusValid"))->text();
        QVERIFY2(valid.contains(QStringLiteral("有效")) && !valid.contains(QStringLiteral("Valid")), qPrintable(valid));
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("statusDataset"))->text().startsWith(QStringLiteral("数据集")));
        QCOMPARE(window.findChild<QDockWidget*>(QStringLiteral("paletteDock"))->windowTitle(), QStringLiteral("网络层"));
        QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("modeTabs"))->tabText(0), QStringLiteral("设计"));
        // The Sweep tab (ui/sweep/) is translated as well: its tab, its buttons.
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("modeTabs"));
        QCOMPARE(tabs->tabText(tabs->indexOf(window.sweepTab())), QStringLiteral("超参数搜索"));
        QCOMPARE(window.sweepTab()->findChild<QPushButton*>(QStringLiteral("sweepStart"))->text(), QStringLiteral("开始搜索"));
        QCOMPARE(window.sweepTab()->findChild<QPushButton*>(QStringLiteral("sweepApplyBest"))->text(),
                 QStringLiteral("将最佳结果应用到项目"));
        QVERIFY(window.action(QStringLiteral("actionSave"))->toolTip().startsWith(QStringLiteral("保存")));
        // The Compress tab (ui/deploy/CompressTab.cpp) too.
        QCOMPARE(tabs->tabText(tabs->indexOf(window.compressTab())), QStringLiteral("压缩"));
        QCOMPARE(window.compressTab()->findChild<QPushButton*>(QStringLiteral("compressInt8"))->text(),
                 QStringLiteral("量化为 int8"));

        // Palette categories: every one translated (the registry's names are English file-format words).
        const auto* tree = window.findChild<QTreeWidget*>(QStringLiteral("paletteTree"));
        QVERIFY(tree->topLevelItemCount() >= 5);
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            QVERIFY2(hasChinese(tree->topLevelItem(i)->text(0)), qPrintable(tree->topLevelItem(i)->text(0)));

        // An edit's undo text comes from ui/ too: "Undo Add Dropout" reads in Chinese.
        window.document()->editor()->addLayer(QStringLiteral("Dropout"), QPointF(400, 400));
        const QString undo = window.action(QStringLiteral("actionUndo"))->text();
        QVERIFY2(undo.startsWith(QStringLiteral("撤销(&U) 添加 ")), qPrintable(undo));
    }

    // Every built-in template's description (resources/templates) reads in Chinese: in the New
    // project gallery and in the project's properties. A description edited in a template file
    // without its entry in ui/document/TemplateText.cpp would fall back to English and fail here.
    void templateDescriptionsAreChinese() {
        for (const nc::TemplateInfo& t : nc::listTemplates()) {
            const QString zh = TemplateGallery::describe(t.description);
            QVERIFY2(hasChinese(zh), qPrintable(QString::fromStdString(t.name) + ": " + zh));
        }
        TemplateGallery gallery;
        const auto* list = gallery.findChild<QListWidget*>();
        QVERIFY(list && list->count() == int(nc::listTemplates().size()) + 1);
        for (int i = 0; i < list->count(); ++i)
            QVERIFY2(hasChinese(list->item(i)->toolTip()), qPrintable(list->item(i)->toolTip()));
        // The user's own description stays as written.
        QCOMPARE(TemplateGallery::describe("my own network"), QStringLiteral("my own network"));
    }

    void noMenuActionLeftUntranslated() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        const QMap<QString, QString> chinese = menuTexts(window);
        QCOMPARE(chinese.keys(), m_english.keys());
        for (auto it = m_english.cbegin(); it != m_english.cend(); ++it) {
            const QString zh = chinese.value(it.key());
            QVERIFY2(zh != it.value() && hasChinese(zh),
                     qPrintable(QStringLiteral("menu entry %1 untranslated: %2").arg(it.key(), zh)));
        }
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
