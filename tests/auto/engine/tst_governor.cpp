// The governor's decisions under a ManualClock: nothing here sleeps.
#include "governor.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

class TestGovernor : public QObject
{
    Q_OBJECT
private slots:
    void retryAfter_pausesHostExactlyThatLong();
    void tradovateLockout_sendsNothingForTheWholeWindow();
    void lockoutWarning_slowsDown();
    void quotaShare_isNeverExceeded();
    void exhaustedQuota_pausesUntilReset();
    void breaker_opensAfterConsecutiveFailures_andProbesOneAtATime();
    void breaker_doublesOpenTimeWhenProbeFails();
    void keys_areIndependentPerHostAndCredential();
};

static ApiEvent makeEvent(Category c, RetryAction a = RetryAction::None,
                          std::optional<qint64> delay = {})
{
    ApiEvent e;
    e.category = c;
    e.outcome = outcomeOf(c);
    e.retry.action = a;
    e.retry.delayMs = delay;
    return e;
}

void TestGovernor::retryAfter_pausesHostExactlyThatLong()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = Governor::keyFor(QStringLiteral("api:443"), {});
    QVERIFY(g.permit(key, 1.0).allowed);
    g.observe(key, makeEvent(Category::RateLimited, RetryAction::RetryAfter, 30000));
    auto p = g.permit(key, 1.0);
    QVERIFY(!p.allowed);
    QCOMPARE(p.notBeforeMs, clock.nowMs() + 30000);
    clock.advance(29999);
    QVERIFY(!g.permit(key, 1.0).allowed);
    clock.advance(1);
    QVERIFY(g.permit(key, 1.0).allowed);
}

void TestGovernor::tradovateLockout_sendsNothingForTheWholeWindow()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("live.tradovate:443|acct");
    g.observe(key, makeEvent(Category::RateLimited, RetryAction::StopLockout, 3600000));
    for (int minute = 0; minute < 60; ++minute) {
        QVERIFY2(!g.permit(key, 1.0).allowed, qPrintable(QString::number(minute)));
        clock.advance(59999);
    }
    clock.advance(60 * 1000);
    QVERIFY(g.permit(key, 1.0).allowed);
    QVERIFY(g.snapshot(key).pauseReason.isEmpty());
}

void TestGovernor::lockoutWarning_slowsDown()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("h");
    QCOMPARE(g.spacingFactor(key), 1.0);
    g.observe(key, makeEvent(Category::LockoutWarning, RetryAction::SlowDown));
    QVERIFY(g.spacingFactor(key) > 1.0);
    QVERIFY(g.snapshot(key).slowedDown);
    clock.advance(GovernorConfig{}.slowDownMs);
    QCOMPARE(g.spacingFactor(key), 1.0);
}

void TestGovernor::quotaShare_isNeverExceeded()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("h");
    ApiEvent ok = makeEvent(Category::Ok);
    ok.rateLimit
        = RateLimitInfo{100, 99, 60.0, std::nullopt, QString(), QStringLiteral("X-RateLimit")};
    QVERIFY(g.permit(key, 0.1).allowed);
    g.observe(key, ok);
    int allowed = 1;
    // Try 1,000 sends over one minute: at most 10% of 100 may go out.
    for (int i = 0; i < 1000; ++i) {
        clock.advance(59);
        if (g.permit(key, 0.1).allowed)
            ++allowed;
    }
    QCOMPARE(allowed, 10);
    QCOMPARE(g.snapshot(key).sentInWindow, 10);
    clock.advance(60000);
    QVERIFY(g.permit(key, 0.1).allowed);
}

void TestGovernor::exhaustedQuota_pausesUntilReset()
{
    ManualClock clock;
    Governor g(clock);
    ApiEvent e = makeEvent(Category::Ok);
    e.rateLimit = RateLimitInfo{100, 0, 17.0, std::nullopt, QString(), QStringLiteral("RateLimit")};
    g.observe(QStringLiteral("h"), e);
    QVERIFY(!g.permit(QStringLiteral("h"), 1.0).allowed);
    QCOMPARE(g.snapshot(QStringLiteral("h")).headroom.value_or(-1), 0.0);
    clock.advance(17000);
    QVERIFY(g.permit(QStringLiteral("h"), 1.0).allowed);
}

void TestGovernor::breaker_opensAfterConsecutiveFailures_andProbesOneAtATime()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("dead");
    for (int i = 0; i < 5; ++i) {
        QVERIFY(g.permit(key, 1.0).allowed);
        g.observe(key, makeEvent(Category::ConnectionRefused, RetryAction::RetryBackoff));
    }
    QVERIFY(g.snapshot(key).breaker == BreakerState::Open);
    QVERIFY(!g.permit(key, 1.0).allowed);
    clock.advance(GovernorConfig{}.breakerOpenMs);
    QVERIFY(g.permit(key, 1.0).allowed);  // the probe
    QVERIFY(!g.permit(key, 1.0).allowed); // nothing else while it is out
    g.observe(key, makeEvent(Category::Ok));
    QVERIFY(g.snapshot(key).breaker == BreakerState::Closed);
    QVERIFY(g.permit(key, 1.0).allowed);
}

void TestGovernor::breaker_doublesOpenTimeWhenProbeFails()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("dead");
    for (int i = 0; i < 5; ++i) {
        g.permit(key, 1.0);
        g.observe(key, makeEvent(Category::Unavailable, RetryAction::RetryBackoff));
    }
    clock.advance(10000);
    QVERIFY(g.permit(key, 1.0).allowed);
    g.observe(key, makeEvent(Category::Unavailable, RetryAction::RetryBackoff));
    clock.advance(10000);
    QVERIFY(!g.permit(key, 1.0).allowed); // now open for 20 s
    clock.advance(10000);
    QVERIFY(g.permit(key, 1.0).allowed);
}

void TestGovernor::keys_areIndependentPerHostAndCredential()
{
    ManualClock clock;
    Governor g(clock);
    g.observe(Governor::keyFor(QStringLiteral("a"), QStringLiteral("c1")),
              makeEvent(Category::RateLimited, RetryAction::StopLockout, 3600000));
    QVERIFY(!g.permit(Governor::keyFor(QStringLiteral("a"), QStringLiteral("c1")), 1.0).allowed);
    QVERIFY(g.permit(Governor::keyFor(QStringLiteral("a"), QStringLiteral("c2")), 1.0).allowed);
    QVERIFY(g.permit(Governor::keyFor(QStringLiteral("b"), QStringLiteral("c1")), 1.0).allowed);
}

QTEST_GUILESS_MAIN(TestGovernor)
#include "tst_governor.moc"
