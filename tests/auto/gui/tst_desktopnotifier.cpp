// Desktop notifications against a REAL session bus (dbus-run-session, registered with DBUS):
// the test owns org.freedesktop.Notifications on its own connection, receives the Notify call
// DesktopNotifier makes (summary, body, actions, urgency), emits ActionInvoked as a
// notification daemon does when the user clicks, and checks the console is asked to open the
// event. Without the service, the text comes back for the tray.

#include "desktopnotifier.h"
#include "fakenotificationserver.h"

#include <QDBusConnection>
#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestDesktopNotifier : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void notify_carriesSummaryBodyAndOpenAction();
    void actionInvoked_asksToOpenTheEvent();
    void otherNotificationsActions_ignored();
    void noService_handsTheTextBackForTheTray();

private:
    void emitSignal(const QString &name, const QVariantList &args)
    {
        QVERIFY(m_fake.emitSignal(name, args));
    }
    FakeNotificationServer m_fake;
};

void TestDesktopNotifier::initTestCase()
{
    QVERIFY2(QDBusConnection::sessionBus().isConnected(),
             "needs a session bus: run under dbus-run-session (ctest does)");
    QVERIFY(m_fake.start());
}

void TestDesktopNotifier::notify_carriesSummaryBodyAndOpenAction()
{
    m_fake.calls.clear();
    DesktopNotifier n;
    QSignalSpy unavailable(&n, &DesktopNotifier::unavailable);
    n.show(QStringLiteral("Alert: down"),
           QStringLiteral("prod.orders.list: down, 5 failed requests in a row"),
           QStringLiteral("evt-123"), true);
    QTRY_COMPARE(m_fake.calls.size(), 1);
    const FakeNotificationServer::Call c = m_fake.calls.constFirst();
    QCOMPARE(c.app, QStringLiteral("HealthDeck"));
    QCOMPARE(c.summary, QStringLiteral("Alert: down"));
    QCOMPARE(c.body, QStringLiteral("prod.orders.list: down, 5 failed requests in a row"));
    QCOMPARE(c.actions,
             (QStringList{QStringLiteral("open"), QStringLiteral("Open in HealthDeck")}));
    QCOMPARE(c.hints.value(QStringLiteral("urgency")).toInt(), 2);
    QCOMPARE(c.timeout, 0); // critical: stays until dismissed
    QTRY_COMPARE(n.shown(), 1);
    QCOMPARE(unavailable.size(), 0);

    // A resolve: no event to open, so no action; normal urgency, expires.
    n.show(QStringLiteral("Resolved: down"), QStringLiteral("prod.orders.list"), QString(), false);
    QTRY_COMPARE(m_fake.calls.size(), 2);
    QVERIFY(m_fake.calls.at(1).actions.isEmpty());
    QCOMPARE(m_fake.calls.at(1).hints.value(QStringLiteral("urgency")).toInt(), 1);
    QVERIFY(m_fake.calls.at(1).timeout > 0);
}

void TestDesktopNotifier::actionInvoked_asksToOpenTheEvent()
{
    m_fake.calls.clear();
    DesktopNotifier n;
    QSignalSpy open(&n, &DesktopNotifier::openEventRequested);
    const uint id = m_fake.nextId + 1;
    n.show(QStringLiteral("Alert: down"), QStringLiteral("body"), QStringLiteral("evt-42"), false);
    QTRY_COMPARE(n.shown(), 1);
    emitSignal(QStringLiteral("ActionInvoked"), {QVariant::fromValue(id), QStringLiteral("open")});
    QTRY_COMPARE(open.size(), 1);
    QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("evt-42"));

    // Once the daemon closes it, a late click on that id no longer opens anything.
    emitSignal(QStringLiteral("NotificationClosed"),
               {QVariant::fromValue(id), QVariant::fromValue(2u)});
    emitSignal(QStringLiteral("ActionInvoked"), {QVariant::fromValue(id), QStringLiteral("open")});
    // A marker after both: when it arrives, the two before it have been handled.
    n.show(QStringLiteral("marker"), QStringLiteral("body"), QStringLiteral("evt-43"), false);
    QTRY_COMPARE(n.shown(), 2);
    emitSignal(QStringLiteral("ActionInvoked"),
               {QVariant::fromValue(id + 1), QStringLiteral("open")});
    QTRY_COMPARE(open.size(), 2);
    QCOMPARE(open.at(1).at(0).toString(), QStringLiteral("evt-43"));
}

void TestDesktopNotifier::otherNotificationsActions_ignored()
{
    DesktopNotifier n;
    QSignalSpy open(&n, &DesktopNotifier::openEventRequested);
    const uint id = m_fake.nextId + 1;
    n.show(QStringLiteral("Alert"), QStringLiteral("body"), QStringLiteral("evt-7"), false);
    QTRY_COMPARE(n.shown(), 1);
    // Another application's notification id, and an action key we never offered.
    emitSignal(QStringLiteral("ActionInvoked"),
               {QVariant::fromValue(id + 100), QStringLiteral("open")});
    emitSignal(QStringLiteral("ActionInvoked"),
               {QVariant::fromValue(id), QStringLiteral("snooze")});
    emitSignal(QStringLiteral("ActionInvoked"),
               {QVariant::fromValue(id), QStringLiteral("default")});
    QTRY_COMPARE(open.size(), 1); // only the default action (a click on the body) opens it
    QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("evt-7"));
}

void TestDesktopNotifier::noService_handsTheTextBackForTheTray()
{
    QVERIFY(m_fake.disown());
    const int before = int(m_fake.calls.size());
    DesktopNotifier n;
    QSignalSpy unavailable(&n, &DesktopNotifier::unavailable);
    n.show(QStringLiteral("Alert: down"), QStringLiteral("the body"), QStringLiteral("e"), true);
    QTRY_COMPARE(unavailable.size(), 1);
    QCOMPARE(unavailable.at(0).at(0).toString(), QStringLiteral("Alert: down"));
    QCOMPARE(unavailable.at(0).at(1).toString(), QStringLiteral("the body"));
    QCOMPARE(n.shown(), 0);
    QCOMPARE(int(m_fake.calls.size()), before);
    QVERIFY(m_fake.own());
}

QTEST_GUILESS_MAIN(TestDesktopNotifier)
#include "tst_desktopnotifier.moc"
