// Alerts in the window, driven by object name: an endpoint that is down fires the "down" rule,
// the banner shows it with since-when and what to do, the alert list has it, a notification
// is recorded (the tray shows it where there is one), and Acknowledge hides the banner while
// the alert keeps firing.
#include "alertbanner.h"
#include "alertlist.h"
#include "consoletest.h"
#include "monitorsession.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>

using namespace hd;

class TestConsoleAlerts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void downEndpoint_showsBanner_acknowledgeHidesIt();

private:
    QTemporaryDir m_home;
};

void TestConsoleAlerts::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsoleAlerts::downEndpoint_showsBanner_acknowledgeHidesIt()
{
    AlertRule down;
    down.id = QStringLiteral("maintenance-down");
    down.kind = QStringLiteral("down");
    down.scope = QStringLiteral("*");
    down.count = 2;
    const Workspace ws = test::simWorkspace(
        QStringLiteral("alerts"),
        {test::simEndpoint(QStringLiteral("prod.maintenance"),
                           QStringLiteral("/s004/v1/maintenance/status"), 200),
         test::simEndpoint(QStringLiteral("prod.health"), QStringLiteral("/s004/v1/health"), 500)},
        {down});
    const QString path = m_home.filePath(QStringLiteral("alerts.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openAndWait(w, path));
    auto *banner = w.findChild<AlertBanner *>(QStringLiteral("alertBanner"));
    auto *text = w.findChild<QLabel *>(QStringLiteral("alertBannerText"));
    auto *ack = w.findChild<QPushButton *>(QStringLiteral("alertAcknowledge"));
    auto *list = w.findChild<AlertList *>(QStringLiteral("alertList"));
    QVERIFY(banner && text && ack && list);
    QVERIFY(!banner->isVisible());

    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
    QCOMPARE(banner->alert().ruleId, QStringLiteral("maintenance-down"));
    QCOMPARE(banner->alert().subject, QStringLiteral("prod.maintenance"));
    QVERIFY2(text->text().contains(QStringLiteral("since")), qPrintable(text->text()));
    QVERIFY2(text->text().contains(QStringLiteral("What to do")), qPrintable(text->text()));
    QVERIFY(!w.notifications().isEmpty());
    QVERIFY(w.notifications().front().startsWith(QStringLiteral("fired: ")));

    // The alert list (a dock) holds it as firing.
    w.findChild<QAction *>(QStringLiteral("actionShowAlerts"))->trigger();
    QTRY_VERIFY(w.findChild<QDockWidget *>(QStringLiteral("alertDock"))->isVisible());
    auto *tree = list->findChild<QTreeWidget *>(QStringLiteral("alertListTree"));
    QTRY_VERIFY(tree->topLevelItemCount() >= 1);
    QCOMPARE(tree->topLevelItem(0)->text(AlertList::State), QStringLiteral("FIRING"));
    QCOMPARE(tree->topLevelItem(0)->text(AlertList::Subject), QStringLiteral("prod.maintenance"));

    ack->click();
    QVERIFY(!banner->isVisible());
    // Still firing, still acknowledged: the banner stays hidden over further evaluations (run
    // here rather than waited for), once the window has shown their result in the list.
    w.session()->alerts()->evaluate();
    w.session()->alerts()->evaluate();
    const auto active = w.session()->alerts()->active();
    QVERIFY(std::any_of(active.cbegin(), active.cend(), [](const AlertState &a) {
        return a.ruleId == u"maintenance-down" && a.acknowledged && a.firing();
    }));
    QTRY_COMPARE(tree->topLevelItem(0)->text(AlertList::State), QStringLiteral("acknowledged"));
    QVERIFY(!banner->isVisible());
}

QTEST_MAIN(TestConsoleAlerts)
#include "tst_consolealerts.moc"
