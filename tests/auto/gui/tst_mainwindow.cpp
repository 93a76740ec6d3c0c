// The console's shell on the offscreen platform: starts cleanly, About tells version and Qt.
#include "consoletest.h"
#include "healthdeck/version.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTableWidget>
#include <QTest>

using namespace hd;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        hd::test::isolateUserDirectories(m_home); // never the user's settings or history
    }
    void init();
    void startsWithoutWarnings();
    void aboutText_namesVersionQtAndBuild();
    void menus_haveNamedActions();
    void shortcuts_areListedAndUnique();

private:
    QTemporaryDir m_home;
};

void TestMainWindow::init()
{
    // Any warning (a missing plugin, a broken connect, a font problem) fails the test, except
    // two the offscreen platform itself prints on every headless machine.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(
        "^(?!This plugin does not support propagateSizeHints|QStandardPaths: XDG_RUNTIME_DIR).*")));
}

void TestMainWindow::startsWithoutWarnings()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QStringLiteral("HealthDeck"));
    QVERIFY(w.grab().width() > 0);
}

void TestMainWindow::aboutText_namesVersionQtAndBuild()
{
    const QString text = MainWindow::aboutText();
    QVERIFY(text.contains(QStringLiteral(HEALTHDECK_VERSION)));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    QVERIFY(text.contains(QStringLiteral(HEALTHDECK_BUILD_INFO)));
}

void TestMainWindow::menus_haveNamedActions()
{
    MainWindow w;
    QVERIFY(w.findChild<QAction *>(QStringLiteral("actionAbout")));
    QVERIFY(w.findChild<QAction *>(QStringLiteral("actionQuit")));
    for (const char *name :
         {"actionNewWorkspace",     "actionOpenWorkspace",   "actionOpenDemo",
          "actionSaveWorkspace",    "actionSaveWorkspaceAs", "actionEditWorkspace",
          "actionEditEnvironments", "actionEditCredentials", "actionEditEndpoints",
          "actionEditAlertRules",   "actionSetSecret",       "actionPause",
          "actionResume",           "actionSendNow",         "actionComposer",
          "actionFocusFilter",      "actionClearFilter",     "actionNextFailure",
          "actionPreviousFailure",  "actionCopyCurl",        "actionAddToBundle",
          "actionClearBundle",      "actionAcknowledge",     "actionShowAlerts",
          "actionThemeSystem",      "actionThemeLight",      "actionThemeDark",
          "actionShortcuts"})
        QVERIFY2(w.findChild<QAction *>(QLatin1String(name)), name);
    // The splitters other panes insert into keep their names.
    QVERIFY(w.findChild<QWidget *>(QStringLiteral("mainSplitter")));
    QVERIFY(w.findChild<QWidget *>(QStringLiteral("logSplitter")));
}

void TestMainWindow::shortcuts_areListedAndUnique()
{
    MainWindow w;
    const auto list = w.shortcutList();
    QStringList keys;
    for (const auto &[key, text] : list) {
        QVERIFY2(!keys.contains(key), qPrintable(key + QStringLiteral(" is used twice")));
        keys.append(key);
    }
    for (const char *key : {"Ctrl+F", "F5", "Ctrl+P", "Ctrl+R", "Ctrl+K", "F8", "Ctrl+B"})
        QVERIFY2(keys.contains(QLatin1String(key)), key);
    // The dialog shows the same list.
    w.findChild<QAction *>(QStringLiteral("actionShortcuts"))->trigger();
    auto *table = w.findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), list.size());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
