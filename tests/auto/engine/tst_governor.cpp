// The governor's decisions under a ManualClock: nothing here sleeps.
#include "governor.h"
#include "testsupport.h"

#include <QTest>

#include <cmath>
#include <limits>

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
    void absurdDurations_inAnEvent_pauseAtMostAnHour_data();
    void absurdDurations_inAnEvent_pauseAtMostAnHour();
    void pauseCause_isTyped_whateverTheReasonSays();
    void pauseCause_followsTheLongerPause();
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

void TestGovernor::absurdDurations_inAnEvent_pauseAtMostAnHour_data()
{
    // Events do not only come from the classifier (files, tests, future code): the governor's
    // own arithmetic saturates, so no number in an event can overflow it or pause past an hour.
    QTest::addColumn<double>("retryAfterS");
    QTest::addColumn<double>("resetS");
    QTest::addColumn<qint64>("delayMs");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("Retry-After 1e300") << 1e300 << -1.0 << qint64(-1);
    QTest::newRow("Retry-After inf") << inf << -1.0 << qint64(-1);
    QTest::newRow("Retry-After NaN") << std::nan("") << -1.0 << qint64(-1);
    QTest::newRow("reset 1e300, exhausted") << -1.0 << 1e300 << qint64(-1);
    QTest::newRow("reset -1e300, exhausted") << -1.0 << -1e300 << qint64(-1);
    QTest::newRow("delay_ms of qint64 max") << -1.0 << -1.0 << std::numeric_limits<qint64>::max();
}

void TestGovernor::absurdDurations_inAnEvent_pauseAtMostAnHour()
{
    QFETCH(double, retryAfterS);
    QFETCH(double, resetS);
    QFETCH(qint64, delayMs);
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("api:443");
    ApiEvent e = makeEvent(Category::RateLimited, RetryAction::RetryAfter,
                           delayMs >= 0 ? std::optional<qint64>(delayMs) : std::nullopt);
    RateLimitInfo r;
    r.limit = 10;
    r.remaining = 0;
    if (retryAfterS != -1.0)
        r.retryAfterS = retryAfterS;
    if (resetS != -1.0)
        r.resetS = resetS;
    r.policy = QStringLiteral("b;w=99999999999999999999");
    e.rateLimit = r;
    g.observe(key, e);
    const auto p = g.permit(key, 1.0);
    if (delayMs >= 0) {
        // A profile's own delay is configuration, not a header: saturated, not clamped.
        QVERIFY(!p.allowed);
        QCOMPARE(p.notBeforeMs, std::numeric_limits<qint64>::max());
        return;
    }
    if (!p.allowed)
        QVERIFY2(p.notBeforeMs <= clock.nowMs() + 3600000,
                 qPrintable(QString::number(p.notBeforeMs - clock.nowMs())));
    clock.advance(3600000);
    QVERIFY(g.permit(key, 1.0).allowed);
}

void TestGovernor::pauseCause_isTyped_whateverTheReasonSays()
{
    ManualClock clock;
    Governor g(clock);
    QCOMPARE(g.snapshot(QStringLiteral("fresh")).pauseCause, PauseCause::None);

    g.observe(QStringLiteral("lock"),
              makeEvent(Category::RateLimited, RetryAction::StopLockout, 600000));
    const GovernorSnapshot lock = g.snapshot(QStringLiteral("lock"));
    QCOMPARE(lock.pauseCause, PauseCause::Lockout);
    QCOMPARE(lock.pausedUntilMs, clock.nowMs() + 600000);
    const Governor::Permit denied = g.permit(QStringLiteral("lock"), 1.0);
    QVERIFY(!denied.allowed);
    QCOMPARE(denied.pauseCause, PauseCause::Lockout);

    g.observe(QStringLiteral("ra"),
              makeEvent(Category::RateLimited, RetryAction::RetryAfter, 5000));
    QCOMPARE(g.snapshot(QStringLiteral("ra")).pauseCause, PauseCause::RetryAfter);

    ApiEvent exhausted = makeEvent(Category::Ok);
    exhausted.rateLimit
        = RateLimitInfo{100, 0, 17.0, std::nullopt, QString(), QStringLiteral("RateLimit")};
    g.observe(QStringLiteral("quota"), exhausted);
    QCOMPARE(g.snapshot(QStringLiteral("quota")).pauseCause, PauseCause::QuotaExhausted);

    // A breaker denies sends but does not pause the host: no cause.
    for (int i = 0; i < 5; ++i)
        g.observe(QStringLiteral("dead"), makeEvent(Category::ConnectionRefused));
    const Governor::Permit breaker = g.permit(QStringLiteral("dead"), 1.0);
    QVERIFY(!breaker.allowed);
    QCOMPARE(breaker.pauseCause, PauseCause::None);
    QCOMPARE(g.snapshot(QStringLiteral("dead")).pauseCause, PauseCause::None);

    // Once the window has passed the cause is gone with the pause.
    clock.advance(600000);
    QCOMPARE(g.snapshot(QStringLiteral("lock")).pauseCause, PauseCause::None);
    QVERIFY(g.permit(QStringLiteral("lock"), 1.0).allowed);
}

void TestGovernor::pauseCause_followsTheLongerPause()
{
    ManualClock clock;
    Governor g(clock);
    const QString key = QStringLiteral("h");
    g.observe(key, makeEvent(Category::RateLimited, RetryAction::StopLockout, 3600000));
    // A shorter Retry-After during the lockout does not relabel it.
    g.observe(key, makeEvent(Category::RateLimited, RetryAction::RetryAfter, 30000));
    QCOMPARE(g.snapshot(key).pauseCause, PauseCause::Lockout);
    // A longer one does: the host is now paused because the server asked.
    g.observe(key, makeEvent(Category::RateLimited, RetryAction::RetryAfter, 7200000));
    QCOMPARE(g.snapshot(key).pauseCause, PauseCause::RetryAfter);
}

QTEST_GUILESS_MAIN(TestGovernor)
#include "tst_governor.moc"
