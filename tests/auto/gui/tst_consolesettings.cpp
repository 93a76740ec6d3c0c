// What the console remembers and how it looks: View → Theme (system, light, dark palettes),
// window layout and splitter sizes restored by the next window (and no secret in the
// settings file), the last workspace reopened on start, and its history shown at once —
// with the detail of an event older than this run read back from the history file.
#include "consoletest.h"
#include "errorlogmodel.h"
#include "eventdetailview.h"
#include "monitorsession.h"
#include "theme.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QSplitter>
#include <QTableView>

using namespace hd;

class TestConsoleSettings : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void themeActions_switchPalettes_andAreRemembered();
    void layout_isRestoredByTheNextWindow();
    void lastWorkspace_reopens_withItsHistoryAtOnce();

private:
    QTemporaryDir m_home;
};

void TestConsoleSettings::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsoleSettings::themeActions_switchPalettes_andAreRemembered()
{
    MainWindow w;
    w.findChild<QAction *>(QStringLiteral("actionThemeDark"))->trigger();
    QVERIFY(Theme::isDark());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
    QVERIFY(Theme::errorText().lightness() > 128); // the error text stays readable
    QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));

    w.findChild<QAction *>(QStringLiteral("actionThemeLight"))->trigger();
    QVERIFY(!Theme::isDark());
    QVERIFY(Theme::errorText().lightness() < 128);
    QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("light"));

    // System follows the platform palette captured at start (offscreen: a light one).
    w.findChild<QAction *>(QStringLiteral("actionThemeSystem"))->trigger();
    QCOMPARE(Theme::isDark(), Theme::systemIsDark());

    // A new window applies the remembered choice.
    QSettings().setValue(QStringLiteral("ui/theme"), QStringLiteral("dark"));
    MainWindow again;
    QVERIFY(Theme::isDark());
    QVERIFY(again.findChild<QAction *>(QStringLiteral("actionThemeDark"))->isChecked());
    again.findChild<QAction *>(QStringLiteral("actionThemeLight"))->trigger();
}

void TestConsoleSettings::layout_isRestoredByTheNextWindow()
{
    QList<int> mainSizes, logSizes;
    {
        MainWindow w;
        w.resize(1400, 850);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *main = w.findChild<QSplitter *>(QStringLiteral("mainSplitter"));
        auto *log = w.findChild<QSplitter *>(QStringLiteral("logSplitter"));
        main->setSizes({300, 1100});
        log->setSizes({600, 200});
        QTRY_VERIFY(std::abs(main->sizes().front() - 300) <= 2);
        mainSizes = main->sizes();
        logSizes = log->sizes();
        w.close(); // closeEvent saves
    }
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.size(), QSize(1400, 850));
    QTRY_COMPARE(w.findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes(), mainSizes);
    QCOMPARE(w.findChild<QSplitter *>(QStringLiteral("logSplitter"))->sizes(), logSizes);
}

void TestConsoleSettings::lastWorkspace_reopens_withItsHistoryAtOnce()
{
    const Workspace ws = test::simWorkspace(
        QStringLiteral("remembered"),
        {test::simEndpoint(QStringLiteral("prod.fast"), QStringLiteral("/s004/v1/health"), 150)});
    const QString path = m_home.filePath(QStringLiteral("remembered.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    QStringList firstRunIds;
    QString secret;
    {
        MainWindow w;
        w.show();
        QVERIFY(test::openAndWait(w, path));
        QTRY_VERIFY_WITH_TIMEOUT(w.logModel()->rowCount() >= 5, 20000);
        for (int r = 0; r < w.logModel()->rowCount(); ++r)
            firstRunIds.append(w.logModel()->eventId(r));
        w.close();
    }
    QVERIFY(QFile::exists(MainWindow::historyPathFor(path, false)));

    MainWindow w;
    w.show();
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    w.openStartupWorkspace(); // no --workspace: the last one
    QVERIFY(opened.wait(20000));
    QCOMPARE(w.workspacePath(), QFileInfo(path).absoluteFilePath());
    // The past is in the log before (or along with) anything new.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < w.logModel()->rowCount(); ++r)
                if (w.logModel()->eventId(r) == firstRunIds.front())
                    return true;
            return false;
        }(),
        10000);
    // Its detail is not in this window's memory: it is read back from the history file.
    auto *table = w.findChild<QTableView *>(QStringLiteral("errorLog"));
    int row = -1;
    for (int r = 0; r < w.logModel()->rowCount(); ++r)
        if (w.logModel()->eventId(r) == firstRunIds.front())
            row = r;
    QVERIFY(row >= 0);
    table->setCurrentIndex(w.logModel()->index(row, 0));
    QTRY_VERIFY_WITH_TIMEOUT(w.detailView()->hasEvent()
                                 && w.detailView()->shownEvent().id == firstRunIds.front(),
                             10000);
    QCOMPARE(w.detailView()->shownEvent().endpoint, QStringLiteral("prod.fast"));

    // The settings file holds layout and paths only.
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("remembered.json"));
    for (const QString &name : MonitorSession::secretNames(ws))
        if (const auto v = w.session()->secret(name))
            QVERIFY(!text.contains(v->toUtf8()));
    QVERIFY(!text.contains("HDECK_SIM_"));
}

QTEST_MAIN(TestConsoleSettings)
#include "tst_consolesettings.moc"
