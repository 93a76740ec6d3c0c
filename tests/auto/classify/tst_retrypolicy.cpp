// RetryPolicy: full jitter within bounds, caps, Retry-After obeyed exactly, lockouts respected,
// one retry after a token refresh (DESIGN §2, §4; seeds 000, 002, 003).

#include "classifier.h"
#include "retrypolicy.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

namespace {

ApiEvent eventWith(RetryAction action, bool retryable, std::optional<qint64> delayMs = std::nullopt)
{
    ApiEvent e;
    e.outcome = Outcome::ServerError;
    e.category = Category::Unavailable;
    e.retry = {retryable, action, delayMs, QStringLiteral("advice")};
    return e;
}

ApiEvent classified(int status, const QByteArrayList &headers = {},
                    const QString &profile = QStringLiteral("auto"))
{
    static const Classifier c(std::make_shared<ProfileRegistry>());
    ClassifyInput in;
    in.status = status;
    for (const QByteArray &h : headers) {
        const qsizetype colon = h.indexOf(':');
        in.headers.append({h.left(colon).trimmed(), h.mid(colon + 1).trimmed()});
    }
    in.profile = profile;
    in.nowMs = 1795298400000;
    return c.classify(in);
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void backoff_fullJitterStaysWithinCeiling_data();
    void backoff_fullJitterStaysWithinCeiling();
    void backoff_ceilingDoublesUntilCap();
    void backoff_stopsAtMaxAttempts();
    void retryAfter_isObeyedExactly();
    void retryAfter_longerThanWeWaitStops();
    void retryAfter_clampedFromTenYearsStopsAProbe();
    void retryAfter_withoutDelayFallsBackToBackoff();
    void stopLockout_neverRetries();
    void slowDown_doesNotRetry();
    void refreshToken_retriesOnceOnlyWhenACredentialCanBeRefreshed();
    void nonRetryableActions_stop_data();
    void nonRetryableActions_stop();
    void success_stops();
    void classifiedEvents_getTheSeedStrategy();
};

void TestRetryPolicy::backoff_fullJitterStaysWithinCeiling_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expected");

    // base 1000 ms, cap 30000 ms: ceiling = min(cap, base * 2^(attempt-1)); delay = random *
    // (ceiling + 1).
    QTest::newRow("random 0, attempt 1") << 0.0 << 1 << qint64(0);
    QTest::newRow("random 0, attempt 4") << 0.0 << 4 << qint64(0);
    QTest::newRow("random 0.999, attempt 1") << 0.999 << 1 << qint64(999);
    QTest::newRow("random 0.999, attempt 2") << 0.999 << 2 << qint64(1998);
    QTest::newRow("random 0.999, attempt 3") << 0.999 << 3 << qint64(3996);
    QTest::newRow("random 0.999, attempt 5 capped") << 0.999 << 5 << qint64(15984);
    QTest::newRow("random 0.999, attempt 6 capped") << 0.999 << 6 << qint64(29970);
    QTest::newRow("random 0.999, attempt 30 capped") << 0.999 << 30 << qint64(29970);
    QTest::newRow("random 0.5, attempt 2") << 0.5 << 2 << qint64(1000);
}

void TestRetryPolicy::backoff_fullJitterStaysWithinCeiling()
{
    QFETCH(double, random);
    QFETCH(int, attempt);
    QFETCH(qint64, expected);

    const RetryPolicy policy({1000, 30000, 100, 3600000}, [random] { return random; });
    const qint64 d = policy.backoffDelay(attempt);
    QCOMPARE(d, expected);
    QVERIFY(d >= 0);
    QVERIFY(d <= policy.backoffCeiling(attempt));
    QVERIFY(d <= 30000);

    const RetryStep step = policy.next(eventWith(RetryAction::RetryBackoff, true), attempt);
    QVERIFY(step.retry);
    QCOMPARE(step.delayMs, expected);
}

void TestRetryPolicy::backoff_ceilingDoublesUntilCap()
{
    const RetryPolicy policy({500, 8000, 10, 3600000}, [] { return 0.0; });
    QCOMPARE(policy.backoffCeiling(1), qint64(500));
    QCOMPARE(policy.backoffCeiling(2), qint64(1000));
    QCOMPARE(policy.backoffCeiling(3), qint64(2000));
    QCOMPARE(policy.backoffCeiling(5), qint64(8000));
    QCOMPARE(policy.backoffCeiling(6), qint64(8000));
    QCOMPARE(policy.backoffCeiling(1000), qint64(8000));
    QCOMPARE(policy.backoffCeiling(0), qint64(500));
    QCOMPARE(policy.backoffCeiling(-5), qint64(500));
}

void TestRetryPolicy::backoff_stopsAtMaxAttempts()
{
    const RetryPolicy policy({1000, 30000, 4, 3600000}, [] { return 0.5; });
    const ApiEvent e = eventWith(RetryAction::RetryBackoff, true);
    QVERIFY(policy.next(e, 1).retry);
    QVERIFY(policy.next(e, 3).retry);
    const RetryStep last = policy.next(e, 4);
    QVERIFY(!last.retry);
    QVERIFY(last.reason.contains(QStringLiteral("4 attempts")));
    QVERIFY(!policy.next(e, 5).retry);
}

void TestRetryPolicy::retryAfter_isObeyedExactly()
{
    const RetryPolicy policy({}, [] { return 0.999; });
    const RetryStep step = policy.next(eventWith(RetryAction::RetryAfter, true, 30000), 1);
    QVERIFY(step.retry);
    QCOMPARE(step.delayMs, qint64(30000));
    // The jitter source is not consulted: the server said exactly when.
    QCOMPARE(policy.next(eventWith(RetryAction::RetryAfter, true, 1), 3).delayMs, qint64(1));
}

void TestRetryPolicy::retryAfter_longerThanWeWaitStops()
{
    const RetryPolicy policy({1000, 30000, 5, 60000});
    const RetryStep step = policy.next(eventWith(RetryAction::RetryAfter, true, 120000), 1);
    QVERIFY(!step.retry);
    QVERIFY(!step.reason.isEmpty());
}

void TestRetryPolicy::retryAfter_clampedFromTenYearsStopsAProbe()
{
    // The header is clamped to an hour (docs/limits.md), which is within maxWaitMs; a probe
    // must still not sit an hour in the foreground for a server that asked for ten years.
    const RetryPolicy policy;
    const ApiEvent e = classified(429, {"Retry-After: 315360000"});
    QVERIFY(e.rateLimit && e.rateLimit->clamped);
    QCOMPARE(e.retry.delayMs, std::optional<qint64>(3600000));
    const RetryStep step = policy.next(e, 1);
    QVERIFY(!step.retry);
    QVERIFY2(step.reason.contains(QStringLiteral("clamped")), qPrintable(step.reason));
    // An hour exactly is honoured as asked.
    const RetryStep hour = policy.next(classified(429, {"Retry-After: 3600"}), 1);
    QVERIFY(hour.retry);
    QCOMPARE(hour.delayMs, qint64(3600000));
}

void TestRetryPolicy::retryAfter_withoutDelayFallsBackToBackoff()
{
    // seed 000: 429 is always retried with backoff, even when the server gives no Retry-After.
    const RetryPolicy policy({1000, 30000, 5, 3600000}, [] { return 0.999; });
    const RetryStep step = policy.next(eventWith(RetryAction::RetryAfter, true), 2);
    QVERIFY(step.retry);
    QCOMPARE(step.delayMs, qint64(1998));
}

void TestRetryPolicy::stopLockout_neverRetries()
{
    const RetryPolicy policy;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        QVERIFY(!policy.next(eventWith(RetryAction::StopLockout, false, 3600000), attempt).retry);
        QVERIFY(!policy.next(eventWith(RetryAction::StopLockout, true, 1000), attempt, true).retry);
    }
}

void TestRetryPolicy::slowDown_doesNotRetry()
{
    const RetryPolicy policy;
    QVERIFY(!policy.next(eventWith(RetryAction::SlowDown, true), 1).retry);
}

void TestRetryPolicy::refreshToken_retriesOnceOnlyWhenACredentialCanBeRefreshed()
{
    const RetryPolicy policy;
    const ApiEvent e = eventWith(RetryAction::RefreshToken, true);
    const RetryStep first = policy.next(e, 1, true);
    QVERIFY(first.retry);
    QCOMPARE(first.delayMs, qint64(0));
    QVERIFY(!policy.next(e, 2, true).retry); // a second 401 after the refresh: stop
    QVERIFY(!policy.next(e, 1, false)
                 .retry); // nothing to refresh: a plain retry would fail the same way
}

void TestRetryPolicy::nonRetryableActions_stop_data()
{
    QTest::addColumn<int>("action");
    QTest::newRow("none") << int(RetryAction::None);
    QTest::newRow("request_scope") << int(RetryAction::RequestScope);
    QTest::newRow("fix_request") << int(RetryAction::FixRequest);
    QTest::newRow("resolve_conflict") << int(RetryAction::ResolveConflict);
    QTest::newRow("reduce_payload") << int(RetryAction::ReducePayload);
}

void TestRetryPolicy::nonRetryableActions_stop()
{
    QFETCH(int, action);
    const RetryStep step = RetryPolicy().next(eventWith(RetryAction(action), false), 1, true);
    QVERIFY(!step.retry);
    QVERIFY(step.reason.contains(QStringLiteral("cannot help")));
}

void TestRetryPolicy::success_stops()
{
    ApiEvent ok;
    QVERIFY(!RetryPolicy().next(ok, 1).retry);
}

void TestRetryPolicy::classifiedEvents_getTheSeedStrategy()
{
    const RetryPolicy policy({1000, 30000, 5, 3600000}, [] { return 0.999; });
    QCOMPARE(policy.next(classified(503), 1).delayMs, qint64(999));
    QCOMPARE(policy.next(classified(503, {"Retry-After: 12"}), 1).delayMs, qint64(12000));
    QVERIFY(
        !policy.next(classified(429, {"Retry-After: 5"}, QStringLiteral("tradovate")), 1).retry);
    QVERIFY(!policy.next(classified(423, {}, QStringLiteral("tradovate")), 1).retry);
    QVERIFY(policy.next(classified(423), 1).retry); // a concurrency lock: back off and retry
    QVERIFY(policy.next(classified(401), 1, true).retry);
    QVERIFY(!policy.next(classified(400), 1).retry);
    QVERIFY(!policy.next(classified(403), 1).retry);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
