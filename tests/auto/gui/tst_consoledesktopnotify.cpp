// The console's desktop notifications end to end, on a private session bus (with-keyring.sh)
// where the test plays the notification daemon: an endpoint that goes down fires the "down"
// rule, the console calls Notify with the alert and an "Open in HealthDeck" action, and
// invoking the action (what a click does) shows the endpoint's failed event in the detail pane.

#include "consoletest.h"
#include "eventdetailview.h"
#include "fakenotificationserver.h"

using namespace hd;

class TestConsoleDesktopNotify : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void firedAlert_notifies_actionOpensTheEvent();

private:
    QTemporaryDir m_home;
    FakeNotificationServer m_daemon;
};

void TestConsoleDesktopNotify::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
    QVERIFY2(m_daemon.start(), "needs a session bus: run under dbus-run-session (ctest does)");
}

void TestConsoleDesktopNotify::firedAlert_notifies_actionOpensTheEvent()
{
    AlertRule down;
    down.id = QStringLiteral("health-down");
    down.kind = QStringLiteral("down");
    down.scope = QStringLiteral("*");
    down.count = 2;
    const Workspace ws = test::simWorkspace(
        QStringLiteral("desktop"),
        {test::simEndpoint(QStringLiteral("prod.maintenance"),
                           QStringLiteral("/s004/v1/maintenance/status"), 200)},
        {down});
    const QString path = m_home.filePath(QStringLiteral("desktop.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openAndWait(w, path));
    QTRY_VERIFY_WITH_TIMEOUT(!m_daemon.calls.isEmpty(), 20000);
    const FakeNotificationServer::Call call = m_daemon.calls.constFirst();
    QCOMPARE(call.app, QStringLiteral("HealthDeck"));
    QCOMPARE(call.summary, QStringLiteral("Alert: down"));
    QVERIFY2(call.body.startsWith(QStringLiteral("prod.maintenance: down")), qPrintable(call.body));
    QCOMPARE(call.actions,
             (QStringList{QStringLiteral("open"), QStringLiteral("Open in HealthDeck")}));
    QCOMPARE(call.hints.value(QStringLiteral("urgency")).toInt(), 2); // down is critical

    auto *detail = w.findChild<EventDetailView *>();
    QVERIFY(detail);
    QVERIFY(!detail->curlCommand().contains(QStringLiteral("/s004/v1/maintenance/status")));
    QVERIFY(m_daemon.click(call.id, QStringLiteral("open")));
    QTRY_VERIFY2(detail->curlCommand().contains(QStringLiteral("/s004/v1/maintenance/status")),
                 qPrintable(detail->curlCommand()));
}

QTEST_MAIN(TestConsoleDesktopNotify)
#include "tst_consoledesktopnotify.moc"
