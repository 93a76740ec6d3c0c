// SLO error budgets and multi-window burn-rate alerts (models/slotracker, kind burn_rate in
// models/alertengine) on a ManualClock: the fast pair (1 h and 5 min at 14.4) fires critical,
// the slow pair (6 h and 30 min at 6) a warning, the text says when the budget is gone, the
// alert resolves soon after the errors stop, and maintenance windows do not count.
#include "alertengine.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestBurnRate : public QObject
{
    Q_OBJECT
private slots:
    void exhaustionText_isPlain();
    void builtinSlo_isSeed002sUnlessTheWorkspaceHasOneOnAll();
    void fastBurn_firesCriticalWithPlainText();
    void slowBurn_firesAWarning();
    void burnRate_resolvesWhenTheShortWindowClears();
    void shortSpike_doesNotFire();
    void budget_leavesOutMaintenanceWindows();
    void rule_scopeSelectsTheSlo();

private:
    // `minutes` minutes of `perMinute` requests, `failedPerMinute` of them failing, on prod.
    void feed(AlertEngine &alerts, int minutes, int perMinute, int failedPerMinute,
              const QString &env = QStringLiteral("prod"));
    ManualClock m_clock;
};

void TestBurnRate::feed(AlertEngine &alerts, int minutes, int perMinute, int failedPerMinute,
                        const QString &env)
{
    for (int m = 0; m < minutes; ++m) {
        for (int i = 0; i < perMinute; ++i) {
            ApiEvent e;
            e.timeMs = m_clock.nowMs();
            e.endpoint = QStringLiteral("orders");
            e.environment = env;
            e.category = i < failedPerMinute ? Category::InternalError : Category::Ok;
            e.outcome = outcomeOf(e.category);
            alerts.observe(e);
        }
        m_clock.advance(60000);
        alerts.evaluate();
    }
}

static AlertRule burnRule(const QString &scope = QStringLiteral("*"))
{
    AlertRule r{QStringLiteral("budget"), QStringLiteral("burn_rate"), scope, 0, 1800, 3};
    return r;
}

void TestBurnRate::exhaustionText_isPlain()
{
    const Slo slo = SloTracker::builtinSlo();
    QCOMPARE(budgetExhaustionText(slo, 15.0),
             QStringLiteral("at this rate the month's error budget is gone in 2 days"));
    QCOMPARE(budgetExhaustionText(slo, 6.0),
             QStringLiteral("at this rate the month's error budget is gone in 5 days"));
    QCOMPARE(budgetExhaustionText(slo, 30.0),
             QStringLiteral("at this rate the month's error budget is gone in 24 hours"));
    QCOMPARE(budgetExhaustionText(slo, 1440.0),
             QStringLiteral("at this rate the month's error budget is gone in 30 minutes"));
    Slo week = slo;
    week.periodDays = 7;
    QCOMPARE(budgetExhaustionText(week, 3.5),
             QStringLiteral("at this rate the 7-day error budget is gone in 2 days"));
}

void TestBurnRate::builtinSlo_isSeed002sUnlessTheWorkspaceHasOneOnAll()
{
    SloTracker t(m_clock);
    QCOMPARE(t.reports().size(), 1);
    QVERIFY(t.reports().first().builtin);
    QCOMPARE(t.reports().first().slo.objective, 99.0);
    QCOMPARE(t.reports().first().slo.periodDays, 30);
    Slo prod{QStringLiteral("prod-orders"), {}, QStringLiteral("prod"), 99.5, 30};
    t.setSlos({prod});
    QCOMPARE(t.reports().size(), 2);
    Slo all{QStringLiteral("all"), {}, QStringLiteral("*"), 99.9, 7};
    t.setSlos({prod, all});
    QCOMPARE(t.reports().size(), 2);
    QVERIFY(!t.report(QStringLiteral("error-rate")));
    QVERIFY(t.report(QStringLiteral("all")));
}

void TestBurnRate::fastBurn_firesCriticalWithPlainText()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({burnRule()});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    // 15 % failing against a 1 % objective: burn rate 15 in every window, from the first
    // minute on (a window's rate is over the requests it holds, as Prometheus's rate() is).
    feed(alerts, 1, 2, 1);
    QCOMPARE(fired.count(), 0); // fewer than `count` requests in the short window
    feed(alerts, 60, 100, 15);
    QCOMPARE(fired.count(), 1);
    const auto first = fired.first().first().value<AlertState>();
    QCOMPARE(first.kind, QStringLiteral("burn_rate"));
    QCOMPARE(first.subject, QStringLiteral("error-rate"));
    QCOMPARE(first.severity, QStringLiteral("critical"));
    // The active alert's words follow the numbers.
    QCOMPARE(alerts.active().size(), 1);
    const AlertState a = alerts.active().first();
    QVERIFY2(a.message.contains(
                 QStringLiteral("at this rate the month's error budget is gone in 2 days")),
             qPrintable(a.message));
    QVERIFY2(a.message.startsWith(QStringLiteral("all endpoints: 15.00% of requests failed in the "
                                                 "last hour and 15.00% in the last 5 min")),
             qPrintable(a.message));
    QVERIFY(qAbs(a.value - 15.0) < 1e-9);
    const SloReport r = *alerts.slos().report(QStringLiteral("error-rate"));
    QCOMPARE(r.requests, quint64(6002));
    QCOMPARE(r.failures, quint64(901));
    QVERIFY(qAbs(r.availability - 0.8499) < 0.0001);
    QVERIFY(qAbs(r.burn1h - 15.0) < 1e-9);
    QVERIFY(r.budgetRemaining < -13.9); // 15× the allowed failures
}

void TestBurnRate::slowBurn_firesAWarning()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({burnRule()});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    feed(alerts, 360, 100, 7); // 6 h at burn rate 7: over 6, under 14.4
    QCOMPARE(fired.count(), 1);
    QCOMPARE(fired.first().first().value<AlertState>().severity, QStringLiteral("warning"));
    const AlertState a = alerts.active().first();
    QVERIFY2(a.message.contains(QStringLiteral("in the last 6 hours")), qPrintable(a.message));
    QVERIFY2(a.message.contains(QStringLiteral("gone in 4 days")), qPrintable(a.message));
}

void TestBurnRate::burnRate_resolvesWhenTheShortWindowClears()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({burnRule()});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    feed(alerts, 60, 100, 20);
    QCOMPARE(fired.count(), 1);
    // The hour still burns, but the last 5 min (and 30 min for the slow pair) are what say
    // whether it still burns now… the 30-minute window needs longer.
    feed(alerts, 6, 100, 0);
    QCOMPARE(resolved.count(), 0); // 30 min: 24 bad minutes of 30 still burn over 6
    feed(alerts, 24, 100, 0);
    QCOMPARE(resolved.count(), 1);
}

void TestBurnRate::shortSpike_doesNotFire()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({burnRule()});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    feed(alerts, 55, 100, 0);
    feed(alerts, 5, 100, 50); // 5 bad minutes: 1 h burn rate 4.2 — not the fast pair
    QCOMPARE(fired.count(), 0);
}

void TestBurnRate::budget_leavesOutMaintenanceWindows()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setSlos({Slo{QStringLiteral("prod-orders"), {}, QStringLiteral("prod"), 99.0, 30}});
    alerts.setRules({burnRule(QStringLiteral("prod-orders"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    feed(alerts, 10, 100, 0);
    feed(alerts, 1, 1000, 5);
    SloReport r = *alerts.slos().report(QStringLiteral("prod-orders"));
    QCOMPARE(r.requests, quint64(2000));
    QCOMPARE(r.failures, quint64(5));
    QVERIFY(qFuzzyCompare(r.budgetRemaining, 0.75));
    // An hour of failures inside a window on prod: not counted, no alert.
    MaintenanceWindow w;
    w.id = QStringLiteral("deploy");
    w.scope = QStringLiteral("prod");
    w.kind = MaintenanceWindow::Kind::Once;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), QTimeZone::utc());
    w.start = now.toString(QStringLiteral("yyyy-MM-ddTHH:mm"));
    w.end = now.addSecs(7200).toString(QStringLiteral("yyyy-MM-ddTHH:mm"));
    WindowSchedule windows;
    QCOMPARE(windows.add(w), QString());
    alerts.setWindows(windows);
    feed(alerts, 60, 100, 100);
    QCOMPARE(fired.count(), 0);
    r = *alerts.slos().report(QStringLiteral("prod-orders"));
    QCOMPARE(r.failures, quint64(5));
    QCOMPARE(r.requests, quint64(2000));
    // Other environments are not in this SLO at all.
    alerts.setWindows({});
    feed(alerts, 1, 100, 100, QStringLiteral("uat"));
    QCOMPARE(alerts.slos().report(QStringLiteral("prod-orders"))->failures, quint64(5));
    QCOMPARE(alerts.slos().report(QStringLiteral("error-rate"))->failures, quint64(105));
}

void TestBurnRate::rule_scopeSelectsTheSlo()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setSlos({Slo{QStringLiteral("uat-orders"), {}, QStringLiteral("uat"), 99.0, 30}});
    alerts.setRules({burnRule(QStringLiteral("uat-orders"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    feed(alerts, 60, 100, 20, QStringLiteral("prod")); // prod burns; the rule watches uat
    QCOMPARE(fired.count(), 0);
    feed(alerts, 60, 100, 20, QStringLiteral("uat"));
    QCOMPARE(fired.count(), 1);
    QCOMPARE(fired.first().first().value<AlertState>().subject, QStringLiteral("uat-orders"));
}

QTEST_GUILESS_MAIN(TestBurnRate)
#include "tst_burnrate.moc"
