// Alert rules under a ManualClock: they fire, resolve, and do not flap.
#include "alertengine.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestAlertEngine : public QObject
{
    Q_OBJECT
private slots:
    void errorRate_firesAboveSloAndResolvesAfterHold();
    void errorRate_doesNotFlapAroundTheThreshold();
    void errorRate_needsEnoughRequests();
    void down_firesAfterNFailuresInARow();
    void lockout_firesForTheWholeWindow();
    void lockoutWarning_firesOn423();
    void refreshFailed_firesAndClearsOnNextSuccess();
    void headroom_firesUnderThreshold();
    void acknowledge_marksButKeepsFiring();
    void removedRule_resolvesItsAlerts();

private:
    ApiEvent make(const QString &endpoint, Category c, RetryAction a = RetryAction::None);
    ManualClock m_clock;
};

ApiEvent TestAlertEngine::make(const QString &endpoint, Category c, RetryAction a)
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.endpoint = endpoint;
    e.environment = QStringLiteral("prod");
    e.category = c;
    e.outcome = outcomeOf(c);
    e.retry.action = a;
    e.durationMs = 10;
    return e;
}

static AlertRule rule(const QString &kind, double threshold = 0, int windowS = 60, int count = 3)
{
    return AlertRule{kind, kind, QStringLiteral("*"), threshold, windowS, count};
}

void TestAlertEngine::errorRate_firesAboveSloAndResolvesAfterHold()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(30000);
    alerts.setRules({rule(QStringLiteral("error_rate"), 0.01, 60, 20)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    auto feed = [&](int ok, int failed) {
        for (int i = 0; i < ok; ++i) {
            const ApiEvent e = make(QStringLiteral("orders"), Category::Ok);
            agg.add(e);
            alerts.observe(e);
        }
        for (int i = 0; i < failed; ++i) {
            const ApiEvent e = make(QStringLiteral("orders"), Category::InternalError);
            agg.add(e);
            alerts.observe(e);
        }
    };
    feed(95, 5);
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    const auto a = fired.at(0).at(0).value<AlertState>();
    QCOMPARE(a.kind, QStringLiteral("error_rate"));
    QVERIFY2(a.message.contains(QStringLiteral("5.00%")), qPrintable(a.message));
    QCOMPARE(alerts.active().size(), 1);
    // The window moves past the failures: clear, but only resolved after the hold.
    m_clock.advance(70000);
    feed(100, 0);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 0);
    m_clock.advance(30000);
    feed(100, 0);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
    QVERIFY(alerts.active().isEmpty());
    QCOMPARE(alerts.history().size(), 1);
}

void TestAlertEngine::errorRate_doesNotFlapAroundTheThreshold()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(10000);
    alerts.setRules({rule(QStringLiteral("error_rate"), 0.10, 60, 10)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    // Hover around 10% for a minute, one evaluation a second.
    for (int second = 0; second < 60; ++second) {
        const bool fail = second % 9 == 0 || second % 10 == 0;
        const ApiEvent e
            = make(QStringLiteral("orders"), fail ? Category::BadGateway : Category::Ok);
        agg.add(e);
        alerts.observe(e);
        alerts.evaluate();
        m_clock.advance(1000);
    }
    QVERIFY(fired.size() <= 1);
    QCOMPARE(resolved.size(), 0);
}

void TestAlertEngine::errorRate_needsEnoughRequests()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({rule(QStringLiteral("error_rate"), 0.01, 60, 20)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    const ApiEvent e = make(QStringLiteral("orders"), Category::InternalError);
    agg.add(e);
    alerts.observe(e);
    alerts.evaluate();
    QCOMPARE(fired.size(), 0); // one failure out of one request is not a rate
}

void TestAlertEngine::down_firesAfterNFailuresInARow()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule(QStringLiteral("down"), 0, 60, 3)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    for (int i = 0; i < 2; ++i) {
        alerts.observe(make(QStringLiteral("quotes"), Category::ConnectionRefused));
        alerts.evaluate();
    }
    QCOMPARE(fired.size(), 0);
    alerts.observe(make(QStringLiteral("quotes"), Category::Timeout));
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired.at(0).at(0).value<AlertState>().subject, QStringLiteral("quotes"));
    // A success ends the streak.
    alerts.observe(make(QStringLiteral("quotes"), Category::Ok));
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
}

void TestAlertEngine::lockout_firesForTheWholeWindow()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule(QStringLiteral("lockout"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    ApiEvent e
        = make(QStringLiteral("tradovate.orders"), Category::RateLimited, RetryAction::StopLockout);
    e.retry.delayMs = 3600000;
    alerts.observe(e);
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    QVERIFY(
        fired.at(0).at(0).value<AlertState>().message.contains(QStringLiteral("60 more minutes")));
    m_clock.advance(3599000);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 0);
    m_clock.advance(1000);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
}

void TestAlertEngine::lockoutWarning_firesOn423()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule(QStringLiteral("lockout_warning"), 0, 300)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    alerts.observe(
        make(QStringLiteral("tradovate.orders"), Category::LockoutWarning, RetryAction::SlowDown));
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    m_clock.advance(300000);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
}

void TestAlertEngine::refreshFailed_firesAndClearsOnNextSuccess()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule(QStringLiteral("refresh_failed"))});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    alerts.observe(make(QStringLiteral("token:demo-oauth"), Category::Unauthorized));
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    alerts.observe(make(QStringLiteral("token:demo-oauth"), Category::Ok));
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
}

void TestAlertEngine::headroom_firesUnderThreshold()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule(QStringLiteral("headroom"), 0.10)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    ApiEvent e = make(QStringLiteral("signals"), Category::Ok);
    e.rateLimit
        = RateLimitInfo{100, 5, 30.0, std::nullopt, QString(), QStringLiteral("X-RateLimit")};
    agg.add(e, QStringLiteral("signals-key"));
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired.at(0).at(0).value<AlertState>().subject, QStringLiteral("signals-key"));
    m_clock.advance(1000);
    e.timeMs = m_clock.nowMs();
    e.rateLimit->remaining = 11; // inside the hysteresis band (10% .. 12%)
    agg.add(e, QStringLiteral("signals-key"));
    alerts.evaluate();
    QCOMPARE(resolved.size(), 0);
    m_clock.advance(1000);
    e.timeMs = m_clock.nowMs();
    e.rateLimit->remaining = 80;
    agg.add(e, QStringLiteral("signals-key"));
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
}

void TestAlertEngine::acknowledge_marksButKeepsFiring()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({rule(QStringLiteral("down"), 0, 60, 1)});
    alerts.observe(make(QStringLiteral("quotes"), Category::Unavailable));
    alerts.evaluate();
    QVERIFY(alerts.acknowledge(QStringLiteral("down"), QStringLiteral("quotes")));
    QCOMPARE(alerts.active().size(), 1);
    QVERIFY(alerts.active().at(0).acknowledged);
    QVERIFY(!alerts.acknowledge(QStringLiteral("down"), QStringLiteral("nope")));
}

void TestAlertEngine::removedRule_resolvesItsAlerts()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({rule(QStringLiteral("down"), 0, 60, 1)});
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    alerts.observe(make(QStringLiteral("quotes"), Category::Unavailable));
    alerts.evaluate();
    alerts.setRules({});
    QCOMPARE(resolved.size(), 1);
    QVERIFY(alerts.active().isEmpty());
}

QTEST_GUILESS_MAIN(TestAlertEngine)
#include "tst_alertengine.moc"
