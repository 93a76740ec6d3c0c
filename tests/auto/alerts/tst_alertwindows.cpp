// Alerts during maintenance windows and outside trading hours (models/alertengine with a
// WindowSchedule) on a ManualClock: held with the window named, fired once the window ends if
// the condition still holds, and requests inside a window count for nothing.
#include "alertengine.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

namespace {

qint64 utc(int h, int m)
{
    // ManualClock's default day: 2026-11-21 (a Saturday).
    return QDateTime(QDate(2026, 11, 21), QTime(h, m), QTimeZone::utc()).toMSecsSinceEpoch();
}

MaintenanceWindow window(const QString &scope, const QString &start, const QString &end)
{
    MaintenanceWindow w;
    w.id = QStringLiteral("db-upgrade");
    w.name = w.id;
    w.scope = scope;
    w.kind = MaintenanceWindow::Kind::Once;
    w.start = start;
    w.end = end;
    return w;
}

AlertRule rule(const QString &kind, int count = 3, int windowS = 1800, double threshold = 0)
{
    return AlertRule{kind, kind, QStringLiteral("*"), threshold, windowS, count};
}

} // namespace

class TestAlertWindows : public QObject
{
    Q_OBJECT
private slots:
    void down_failuresInsideAWindowDoNotCount();
    void lockout_isHeldWithTheWindowAndFiresWhenItEnds();
    void errorRate_looksOnlyAfterTheWindow();
    void calendarHalt_holdsTheEnvironmentsAlerts();
    void otherEnvironment_isNotHeld();

private:
    ApiEvent make(const QString &env, Category c, RetryAction a = RetryAction::None,
                  std::optional<qint64> delayMs = {});
    ManualClock m_clock;
};

ApiEvent TestAlertWindows::make(const QString &env, Category c, RetryAction a,
                                std::optional<qint64> delayMs)
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.endpoint = QStringLiteral("orders");
    e.environment = env;
    e.category = c;
    e.outcome = outcomeOf(c);
    e.retry.action = a;
    e.retry.delayMs = delayMs;
    e.durationMs = 10;
    return e;
}

void TestAlertWindows::down_failuresInsideAWindowDoNotCount()
{
    m_clock.setNow(utc(22, 0));
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    WindowSchedule windows;
    windows.add(window(QStringLiteral("prod"), QStringLiteral("2026-11-21T21:30"),
                       QStringLiteral("2026-11-21T22:30")));
    alerts.setWindows(windows);
    alerts.setRules({rule(QStringLiteral("down"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    for (int i = 0; i < 5; ++i) {
        alerts.observe(make(QStringLiteral("prod"), Category::ConnectionRefused));
        alerts.evaluate();
        m_clock.advance(60000);
    }
    QCOMPARE(fired.count(), 0);
    QVERIFY(alerts.held().isEmpty()); // nothing counted, so nothing is even held
    m_clock.setNow(utc(22, 30));
    for (int i = 0; i < 2; ++i)
        alerts.observe(make(QStringLiteral("prod"), Category::ConnectionRefused));
    alerts.evaluate();
    QCOMPARE(fired.count(), 0); // the streak started afresh when the window ended
    alerts.observe(make(QStringLiteral("prod"), Category::ConnectionRefused));
    alerts.evaluate();
    QCOMPARE(fired.count(), 1);
}

void TestAlertWindows::lockout_isHeldWithTheWindowAndFiresWhenItEnds()
{
    m_clock.setNow(utc(22, 0));
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    WindowSchedule windows;
    windows.add(window(QStringLiteral("prod"), QStringLiteral("2026-11-21T21:30"),
                       QStringLiteral("2026-11-21T22:30")));
    alerts.setWindows(windows);
    alerts.setRules({rule(QStringLiteral("lockout"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    alerts.observe(make(QStringLiteral("prod"), Category::RateLimited, RetryAction::StopLockout,
                        qint64(3600000)));
    alerts.evaluate();
    QCOMPARE(fired.count(), 0);
    QVERIFY(alerts.active().isEmpty());
    const QList<AlertState> held = alerts.held();
    QCOMPARE(held.size(), 1);
    QCOMPARE(held.first().subject, QStringLiteral("orders"));
    QCOMPARE(held.first().heldReason, QStringLiteral("maintenance window \"db-upgrade\""));
    QCOMPARE(held.first().heldUntilMs, utc(22, 30));
    QVERIFY(held.first().message.contains(QStringLiteral("locked out")));

    m_clock.setNow(utc(22, 30));
    alerts.evaluate();
    QCOMPARE(fired.count(), 1);
    QVERIFY(alerts.held().isEmpty());
    const auto state = fired.first().first().value<AlertState>();
    QVERIFY(state.heldReason.isEmpty());
    QCOMPARE(state.firedAtMs, utc(22, 30));
}

void TestAlertWindows::errorRate_looksOnlyAfterTheWindow()
{
    m_clock.setNow(utc(22, 0));
    Aggregator agg(m_clock);
    AlertEngine withWindow(m_clock, &agg);
    AlertEngine without(m_clock, &agg);
    WindowSchedule windows;
    windows.add(window(QStringLiteral("*"), QStringLiteral("2026-11-21T22:00"),
                       QStringLiteral("2026-11-21T22:05")));
    withWindow.setWindows(windows);
    const AlertRule errorRate = rule(QStringLiteral("error_rate"), 20, 1800, 0.01);
    withWindow.setRules({errorRate});
    without.setRules({errorRate});
    QSignalSpy firedWith(&withWindow, &AlertEngine::fired);
    QSignalSpy firedWithout(&without, &AlertEngine::fired);
    // The deploy inside the window fails half the requests…
    for (int i = 0; i < 60; ++i) {
        const ApiEvent e
            = make(QStringLiteral("prod"), i % 2 ? Category::InternalError : Category::Ok);
        agg.add(e);
        withWindow.observe(e);
        without.observe(e);
        m_clock.advance(4000);
    }
    QCOMPARE(firedWith.count(), 0);
    // …and afterwards all is well.
    m_clock.setNow(utc(22, 6));
    for (int i = 0; i < 30; ++i) {
        const ApiEvent e = make(QStringLiteral("prod"), Category::Ok);
        agg.add(e);
        withWindow.observe(e);
        without.observe(e);
        m_clock.advance(1000);
    }
    withWindow.evaluate();
    without.evaluate();
    QCOMPARE(firedWithout.count(), 1); // without the window the deploy's failures count
    QCOMPARE(firedWith.count(), 0);
}

void TestAlertWindows::calendarHalt_holdsTheEnvironmentsAlerts()
{
    // Tuesday 10 November 2026, 16:30 in Chicago: CME Globex's daily halt.
    const QTimeZone chicago("America/Chicago");
    m_clock.setNow(QDateTime(QDate(2026, 11, 10), QTime(16, 30), chicago).toMSecsSinceEpoch());
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    Workspace ws;
    MaintenanceWindow globex;
    globex.id = QStringLiteral("globex-hours");
    globex.scope = QStringLiteral("prod");
    globex.kind = MaintenanceWindow::Kind::Calendar;
    globex.calendar = QStringLiteral("cme-globex");
    ws.maintenance.append(globex);
    QStringList errors;
    alerts.setWindows(WindowSchedule::fromWorkspace(ws, &errors));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    alerts.setRules({rule(QStringLiteral("lockout"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    alerts.observe(make(QStringLiteral("prod"), Category::RateLimited, RetryAction::StopLockout,
                        qint64(3600000)));
    alerts.evaluate();
    QCOMPARE(fired.count(), 0);
    QCOMPARE(alerts.held().size(), 1);
    QCOMPARE(alerts.held().first().heldReason, QStringLiteral("CME Globex daily halt"));
    const qint64 reopen = QDateTime(QDate(2026, 11, 10), QTime(17, 0), chicago).toMSecsSinceEpoch();
    QCOMPARE(alerts.held().first().heldUntilMs, reopen);
    QCOMPARE(alerts.windowNow(QStringLiteral("prod"))->reason,
             QStringLiteral("CME Globex daily halt"));
    m_clock.setNow(reopen);
    alerts.evaluate();
    QCOMPARE(fired.count(), 1);
    QVERIFY(!alerts.windowNow(QStringLiteral("prod")));
}

void TestAlertWindows::otherEnvironment_isNotHeld()
{
    m_clock.setNow(utc(22, 0));
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    WindowSchedule windows;
    windows.add(window(QStringLiteral("uat"), QStringLiteral("2026-11-21T21:30"),
                       QStringLiteral("2026-11-21T22:30")));
    alerts.setWindows(windows);
    alerts.setRules({rule(QStringLiteral("down"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    for (int i = 0; i < 3; ++i)
        alerts.observe(make(QStringLiteral("prod"), Category::ConnectionRefused));
    alerts.evaluate();
    QCOMPARE(fired.count(), 1);
}

QTEST_GUILESS_MAIN(TestAlertWindows)
#include "tst_alertwindows.moc"
