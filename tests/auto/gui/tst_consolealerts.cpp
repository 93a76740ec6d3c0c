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
    void heldAlert_isListedWithItsWindowAndCannotBeAcknowledged();

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

void TestConsoleAlerts::heldAlert_isListedWithItsWindowAndCannotBeAcknowledged()
{
    AlertList list;
    QSignalSpy ack(&list, &AlertList::acknowledgeRequested);
    AlertState firing;
    firing.ruleId = QStringLiteral("down");
    firing.kind = QStringLiteral("down");
    firing.subject = QStringLiteral("prod.orders");
    firing.message = QStringLiteral("prod.orders: down, 3 failed requests in a row");
    firing.firedAtMs = 1795298400000;
    AlertState held = firing;
    held.subject = QStringLiteral("cme.quotes");
    held.message = QStringLiteral("cme.quotes: down, 3 failed requests in a row");
    held.firedAtMs = 0;
    held.heldReason = QStringLiteral("CME Globex daily halt");
    held.heldUntilMs = 1795302000000;
    list.setAlerts({firing}, {}, {held});
    QCOMPARE(list.tree()->topLevelItemCount(), 2);
    QTreeWidgetItem *row = list.tree()->topLevelItem(1);
    QCOMPARE(row->text(AlertList::State), QStringLiteral("held"));
    QVERIFY2(row->text(AlertList::Message)
                 .contains(QStringLiteral("held by CME Globex daily halt until")),
             qPrintable(row->text(AlertList::Message)));
    QCOMPARE(list.firingCount(), 1); // held is not firing
    list.tree()->setCurrentItem(row);
    auto *button = list.findChild<QPushButton *>(QStringLiteral("alertListAcknowledge"));
    QVERIFY(button);
    button->click();
    QCOMPARE(ack.size(), 0); // nothing fired, nothing to acknowledge
    list.tree()->setCurrentItem(list.tree()->topLevelItem(0));
    button->click();
    QCOMPARE(ack.size(), 1);
}

QTEST_MAIN(TestConsoleAlerts)
#include "tst_consolealerts.moc"
