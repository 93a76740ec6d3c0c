// SLO error budgets survive a restart: what the history database saw before this run is read
// back as counts per hour and minute on the reader thread (HistoryReader::sloCounts) and added
// to the tracker (AlertEngine::restoreSlos) — the same report as if the run had watched it
// live, token requests and maintenance windows left out, scopes respected, a damaged count
// bounded.
#include "aggregator.h"
#include "alertengine.h"
#include "historystore.h"
#include "historytestevents.h"
#include "testsupport.h"
#include "workspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestHistorySlo : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void restart_keepsTheBudgetAndBurnRates();
    void restore_leavesOutTokensWindowsAndOtherScopes();
    void restore_isBoundedAndIgnoresWhatTheRingNoLongerHolds();

private:
    // Two days of prod traffic: per hour `perHour` requests on prod.orders, `failedPerHour` of
    // them 5xx, plus token requests that fail; returns the events.
    QList<ApiEvent> traffic(qint64 startMs, int hours, int perHour, int failedPerHour) const;
    SloCount count(qint64 index, const QString &endpoint, const QString &env, quint32 total,
                   quint32 failures) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    static constexpr qint64 T0 = 1795298400000; // 2026-11-21T22:00:00Z, on the hour
};

void TestHistorySlo::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QList<ApiEvent> TestHistorySlo::traffic(qint64 startMs, int hours, int perHour,
                                        int failedPerHour) const
{
    QList<ApiEvent> out;
    for (int h = 0; h < hours; ++h) {
        for (int i = 0; i < perHour; ++i) {
            const qint64 t = startMs + h * 3600000LL + i * (3600000LL / perHour);
            const bool failed = i < failedPerHour;
            out.append(hd::test::makeEvent(t, failed ? 503 : 200,
                                           failed ? Category::Unavailable : Category::Ok,
                                           QStringLiteral("prod.orders"), QStringLiteral("prod")));
        }
        out.append(hd::test::makeEvent(startMs + h * 3600000LL + 1, 401, Category::Unauthorized,
                                       QStringLiteral("token:desk-oauth"), QStringLiteral("prod")));
    }
    return out;
}

SloCount TestHistorySlo::count(qint64 index, const QString &endpoint, const QString &env,
                               quint32 total, quint32 failures) const
{
    SloCount c;
    c.index = index;
    c.endpoint = endpoint;
    c.environment = env;
    c.total = total;
    c.failures = failures;
    return c;
}

void TestHistorySlo::restart_keepsTheBudgetAndBurnRates()
{
    ManualClock clock(T0);
    const QList<ApiEvent> events = traffic(T0, 48, 120, 3); // 2.5 % failing for two days
    // What a run that watched all of it live reports.
    Aggregator agg(clock);
    AlertEngine live(clock, &agg);
    for (const ApiEvent &e : events)
        live.observe(e);

    {
        HistoryStore store(clock);
        QVERIFY(store.open(m_dir->filePath(QStringLiteral("h.db"))).ok);
        store.append(events);
        store.flush();
        store.close();
    }
    clock.setNow(T0 + 48 * 3600000LL); // the restart, right after the last event
    const SloReport expected = live.slos().reports().first();
    QCOMPARE(expected.requests, quint64(48 * 120));
    QCOMPARE(expected.failures, quint64(48 * 3));

    HistoryStore store(clock);
    QVERIFY(store.open(m_dir->filePath(QStringLiteral("h.db"))).ok);
    AlertEngine restarted(clock, &agg);
    QCOMPARE(restarted.slos().reports().first().requests, quint64(0)); // a fresh start
    bool done = false;
    const qint64 now = clock.nowMs();
    store.sloCountsAsync(now - 30LL * 86400000, now - 6 * 3600000LL, now, this,
                         [&](const HistoryStore::SloCounts &counts) {
                             QCOMPARE(counts.error, QString());
                             restarted.restoreSlos(counts.hours, counts.minutes);
                             done = true;
                         });
    QTRY_VERIFY(done);
    const SloReport back = restarted.slos().reports().first();
    QCOMPARE(back.requests, expected.requests);
    QCOMPARE(back.failures, expected.failures);
    QCOMPARE(back.budgetRemaining, expected.budgetRemaining);
    QVERIFY(back.budgetRemaining < 0.95); // two days at 2.5x the allowed rate spent some
    QCOMPARE(back.burn1h, expected.burn1h);
    QCOMPARE(back.burn6h, expected.burn6h);
    QCOMPARE(back.burn5m, expected.burn5m);
    QVERIFY(back.burn6h > 2.0);
}

void TestHistorySlo::restore_leavesOutTokensWindowsAndOtherScopes()
{
    ManualClock clock(T0 + 10 * 3600000LL);
    Aggregator agg(clock);
    AlertEngine alerts(clock, &agg);
    Slo uat;
    uat.id = QStringLiteral("uat");
    uat.scope = QStringLiteral("uat");
    uat.objective = 99.5;
    uat.periodDays = 7;
    alerts.setSlos({uat});
    Workspace ws;
    MaintenanceWindow w;
    w.id = QStringLiteral("db-upgrade");
    w.scope = QStringLiteral("prod");
    w.kind = MaintenanceWindow::Kind::Once;
    w.timeZone = QStringLiteral("UTC");
    w.start = QStringLiteral("2026-11-22T00:00"); // T0 + 2 h
    w.end = QStringLiteral("2026-11-22T01:00");
    ws.maintenance = {w};
    Environment prod;
    prod.id = QStringLiteral("prod");
    ws.environments = {prod};
    QStringList errors;
    alerts.setWindows(WindowSchedule::fromWorkspace(ws, &errors));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));

    const qint64 h0 = T0 / 3600000;
    alerts.restoreSlos({count(h0, QStringLiteral("prod.orders"), QStringLiteral("prod"), 100, 10),
                        count(h0 + 2, QStringLiteral("prod.orders"), QStringLiteral("prod"), 100,
                              100), // inside the window
                        count(h0 + 1, QStringLiteral("token:desk"), QStringLiteral("prod"), 50, 50),
                        count(h0 + 1, QStringLiteral("uat.orders"), QStringLiteral("uat"), 40, 1)},
                       {});
    const auto all = alerts.slos().report(SloTracker::builtinSlo().id);
    QVERIFY(all);
    QCOMPARE(all->requests, quint64(140)); // 100 prod (not the window's) + 40 uat
    QCOMPARE(all->failures, quint64(11));
    const auto onlyUat = alerts.slos().report(QStringLiteral("uat"));
    QVERIFY(onlyUat);
    QCOMPARE(onlyUat->requests, quint64(40));
    QCOMPARE(onlyUat->failures, quint64(1));
}

void TestHistorySlo::restore_isBoundedAndIgnoresWhatTheRingNoLongerHolds()
{
    ManualClock clock(T0);
    SloTracker t(clock);
    const qint64 h = T0 / 3600000;
    t.restore({count(h, QStringLiteral("a"), QStringLiteral("prod"), 0xfffffff0u, 0xffffffffu),
               count(h, QStringLiteral("b"), QStringLiteral("prod"), 0x100u, 0u),
               count(-5, QStringLiteral("a"), QStringLiteral("prod"), 7, 7)},
              {});
    SloReport r = t.reports().first();
    QCOMPARE(r.requests, quint64(0xffffffffu)); // saturated, not wrapped
    QVERIFY(r.failures <= r.requests);
    // Live traffic this hour, then the hour exactly one period earlier: the 30-day ring's
    // slot for it holds this hour now, and the older count must not overwrite it.
    SloTracker fresh(clock);
    ApiEvent e
        = hd::test::makeEvent(T0, 200, Category::Ok, QStringLiteral("a"), QStringLiteral("prod"));
    fresh.observe(e);
    fresh.restore({count(h - 30 * 24, QStringLiteral("a"), QStringLiteral("prod"), 500, 500)}, {});
    r = fresh.reports().first();
    QCOMPARE(r.requests, quint64(1));
    QCOMPARE(r.failures, quint64(0));
}

QTEST_GUILESS_MAIN(TestHistorySlo)
#include "tst_historyslo.moc"
