#include "aggregator.h"
#include "historytestevents.h"

#include <QTest>

using namespace hd;
using hd::test::makeEvent;
using hd::test::okEvent;

class TestAggregator : public QObject
{
    Q_OBJECT
private slots:
    void streamHealth_storedPerStreamAndCapped();
    void add_countsOutcomesAndCategoriesInTheCurrentBucket();
    void secondBuckets_rollOverEverySecond();
    void slotReuse_startsTheNewBucketFromZero();
    void lateEvents_olderThanTheWindowAreDroppedFromThatRingOnly();
    void slo_underOnePercentOverThirtyMinutesIsNormal();
    void slo_failuresOlderThanTheWindowNoLongerCount();
    void latency_percentilesAreWithinHistogramError();
    void headroomAndToken_followTheNewestEvent();
    void scopes_separateEndpointEnvironmentAndCredential();
    void memory_staysBoundedHoweverManyEventsArrive();
    void memory_scopeNamesBeyondTheCapShareOneScope();
    void series_zeroFillsCountsAndDecimatesToPixels();
    void series_percentilesComeFromTheMinuteRing();
    void resolutionFor_picksTheFinestRingThatCoversTheSpan();

private:
    static constexpr qint64 T0 = 1795298400000; // ManualClock's default start, on a minute
};

void TestAggregator::add_countsOutcomesAndCategoriesInTheCurrentBucket()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    agg.add(okEvent(T0));
    agg.add(makeEvent(T0 + 10, 429, Category::RateLimited));
    agg.add(makeEvent(T0 + 20, 503, Category::Unavailable));
    agg.add(makeEvent(T0 + 30, std::nullopt, Category::ConnectionReset));

    const WindowSummary s = agg.summary(ScopeKind::All, {}, Resolution::Second, T0, T0 + 1000);
    QCOMPARE(s.total, quint64(4));
    QCOMPARE(s.count(Outcome::Success), quint64(1));
    QCOMPARE(s.count(Outcome::ClientError), quint64(1));
    QCOMPARE(s.count(Outcome::ServerError), quint64(1));
    QCOMPARE(s.count(Outcome::ConnectionError), quint64(1));
    QCOMPARE(s.count(Category::RateLimited), quint64(1));
    QCOMPARE(s.count(Category::ConnectionReset), quint64(1));
    QCOMPARE(s.failures(), quint64(3));
}

void TestAggregator::secondBuckets_rollOverEverySecond()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    agg.add(okEvent(T0 + 999));
    agg.add(okEvent(T0 + 1000));
    agg.add(okEvent(T0 + 1500));
    agg.add(okEvent(T0 + 2000));
    clock.setNow(T0 + 2500);

    const auto counts = agg.series(ScopeKind::All, {}, SeriesMetric::Requests, Resolution::Second,
                                   T0, T0 + 3000, 0);
    QCOMPARE(counts.size(), 3);
    QCOMPARE(counts[0], QPointF(double(T0), 1));
    QCOMPARE(counts[1], QPointF(double(T0 + 1000), 2));
    QCOMPARE(counts[2], QPointF(double(T0 + 2000), 1));
    // The same events fall into one 10 s bucket.
    QCOMPARE(agg.summary(ScopeKind::All, {}, Resolution::TenSeconds, T0, T0 + 10000).total,
             quint64(4));
}

void TestAggregator::slotReuse_startsTheNewBucketFromZero()
{
    ManualClock clock(T0);
    AggregatorConfig config;
    config.buckets = {10, 10, 30};
    Aggregator agg(clock, config);
    agg.add(okEvent(T0));
    agg.add(okEvent(T0));
    agg.add(okEvent(T0 + 10 * 1000)); // same slot of the 1 s ring, ten seconds later
    QCOMPARE(agg.summary(ScopeKind::All, {}, Resolution::Second, T0 + 10000, T0 + 11000).total,
             quint64(1));
    QCOMPARE(agg.summary(ScopeKind::All, {}, Resolution::Second, T0, T0 + 1000).total, quint64(0));
}

void TestAggregator::lateEvents_olderThanTheWindowAreDroppedFromThatRingOnly()
{
    ManualClock clock(T0);
    Aggregator agg(clock); // 1 s ring: 120 s
    agg.add(okEvent(T0 + 300 * 1000));
    agg.add(okEvent(T0)); // 300 s late: outside the 1 s ring, inside the 1 min ring
    QCOMPARE(agg.summary(ScopeKind::All, {}, Resolution::Second, T0, T0 + 1000).total, quint64(0));
    QCOMPARE(agg.summary(ScopeKind::All, {}, Resolution::Minute, T0, T0 + 60000).total, quint64(1));
}

void TestAggregator::slo_underOnePercentOverThirtyMinutesIsNormal()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    // 1,000 requests spread over 30 minutes with 9 failures: 0.9%, normal (seed 002).
    for (int i = 0; i < 1000; ++i) {
        const qint64 t = T0 + qint64(i) * 1800;
        agg.add(i % 111 == 0 && i > 0 ? makeEvent(t, 500, Category::InternalError) : okEvent(t));
    }
    clock.setNow(T0 + 1000 * 1800);
    SloStatus slo = agg.slo(ScopeKind::All, {});
    QCOMPARE(slo.requests, quint64(1000));
    QCOMPARE(slo.failures, quint64(9));
    QVERIFY(!slo.breached());
    QVERIFY(slo.budgetRemaining > 0);

    for (int i = 0; i < 6; ++i)
        agg.add(makeEvent(clock.nowMs() - 1000, 503, Category::Unavailable));
    slo = agg.slo(ScopeKind::All, {});
    QCOMPARE(slo.failures, quint64(15));
    QVERIFY(slo.breached());
    QVERIFY(slo.budgetRemaining < 0);
    QCOMPARE(slo.objective, 0.01);
}

void TestAggregator::slo_failuresOlderThanTheWindowNoLongerCount()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    for (int i = 0; i < 50; ++i)
        agg.add(makeEvent(T0, 500, Category::InternalError));
    QVERIFY(agg.slo(ScopeKind::All, {}).breached());
    clock.advance(32 * 60 * 1000);
    agg.add(okEvent(clock.nowMs()));
    const SloStatus slo = agg.slo(ScopeKind::All, {});
    QCOMPARE(slo.failures, quint64(0));
    QVERIFY(!slo.breached());
}

void TestAggregator::latency_percentilesAreWithinHistogramError()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    // 1..1000 ms, one each, over a few seconds: p50 = 500, p95 = 950, p99 = 990.
    for (int ms = 1; ms <= 1000; ++ms)
        agg.add(okEvent(T0 + ms * 5, ms));
    clock.setNow(T0 + 6000);
    const LatencyPercentiles p = agg.latency(ScopeKind::All, {}, 60 * 1000);
    QCOMPARE(p.samples, quint64(1000));
    const double e = LatencyHistogram::relativeError();
    QVERIFY2(std::abs(p.p50Ms - 500) <= 500 * e, qPrintable(QString::number(p.p50Ms)));
    QVERIFY2(std::abs(p.p95Ms - 950) <= 950 * e, qPrintable(QString::number(p.p95Ms)));
    QVERIFY2(std::abs(p.p99Ms - 990) <= 990 * e, qPrintable(QString::number(p.p99Ms)));
}

void TestAggregator::headroomAndToken_followTheNewestEvent()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    ApiEvent e = okEvent(T0);
    e.rateLimit = RateLimitInfo{};
    e.rateLimit->limit = 100;
    e.rateLimit->remaining = 40;
    e.token = TokenInfo{};
    e.token->expiresInS = 120;
    agg.add(e, QStringLiteral("desk-a"));

    ApiEvent older = e;
    older.timeMs = T0 - 5000;
    older.rateLimit->remaining = 90;
    agg.add(older, QStringLiteral("desk-a")); // arrives late: must not win

    QCOMPARE(agg.headroom(ScopeKind::Credential, QStringLiteral("desk-a")), 0.4);
    clock.advance(20 * 1000);
    QCOMPARE(agg.tokenExpiresInMs(ScopeKind::Credential, QStringLiteral("desk-a")),
             qint64(100 * 1000));
    QVERIFY(!agg.headroom(ScopeKind::Credential, QStringLiteral("desk-b")));
    QVERIFY(!agg.tokenExpiresInMs(ScopeKind::Endpoint, QStringLiteral("nope")));
}

void TestAggregator::scopes_separateEndpointEnvironmentAndCredential()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    agg.add(makeEvent(T0, 200, Category::Ok, QStringLiteral("orders.list"), QStringLiteral("prod")),
            QStringLiteral("desk-a"));
    agg.add(makeEvent(T0, 429, Category::RateLimited, QStringLiteral("orders.place"),
                      QStringLiteral("prod")),
            QStringLiteral("desk-b"));
    agg.add(makeEvent(T0, 200, Category::Ok, QStringLiteral("orders.list"), QStringLiteral("dev")));

    auto total = [&](ScopeKind k, const char *name) {
        return agg.summary(k, QString::fromLatin1(name), Resolution::Minute, T0, T0 + 60000).total;
    };
    QCOMPARE(total(ScopeKind::All, ""), quint64(3));
    QCOMPARE(total(ScopeKind::Endpoint, "orders.list"), quint64(2));
    QCOMPARE(total(ScopeKind::Endpoint, "orders.place"), quint64(1));
    QCOMPARE(total(ScopeKind::Environment, "prod"), quint64(2));
    QCOMPARE(total(ScopeKind::Environment, "dev"), quint64(1));
    QCOMPARE(total(ScopeKind::Credential, "desk-b"), quint64(1));
    QCOMPARE(agg.scopeNames(ScopeKind::Credential),
             QStringList({QStringLiteral("desk-a"), QStringLiteral("desk-b")}));
}

void TestAggregator::memory_staysBoundedHoweverManyEventsArrive()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    for (int i = 0; i < 1000; ++i)
        agg.add(okEvent(T0 + i));
    const std::size_t early = agg.bytesHeld();
    // Four hours of events at 50/s: every ring wraps many times over.
    for (qint64 i = 0; i < 4 * 3600 * 50; ++i)
        agg.add(okEvent(T0 + 1000 + i * 20, double(i % 500)));
    QCOMPARE(agg.bytesHeld(), early);
}

void TestAggregator::memory_scopeNamesBeyondTheCapShareOneScope()
{
    ManualClock clock(T0);
    AggregatorConfig config;
    config.maxScopesPerKind = 3;
    Aggregator agg(clock, config);
    for (int i = 0; i < 10; ++i)
        agg.add(makeEvent(T0, 200, Category::Ok, QStringLiteral("ep%1").arg(i)));
    const QStringList names = agg.scopeNames(ScopeKind::Endpoint);
    QCOMPARE(names.size(), 4);
    QVERIFY(names.contains(Aggregator::overflowScopeName()));
    QCOMPARE(agg.summary(ScopeKind::Endpoint, Aggregator::overflowScopeName(), Resolution::Second,
                         T0, T0 + 1000)
                 .total,
             quint64(7));
}

void TestAggregator::series_zeroFillsCountsAndDecimatesToPixels()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    for (int s = 0; s < 120; ++s) {
        if (s % 2 == 0)
            agg.add(okEvent(T0 + s * 1000));
    }
    agg.add(makeEvent(T0 + 61 * 1000, 500, Category::InternalError));
    for (int i = 0; i < 50; ++i)
        agg.add(okEvent(T0 + 61 * 1000));
    clock.setNow(T0 + 120 * 1000);

    const auto full = agg.series(ScopeKind::All, {}, SeriesMetric::Requests, Resolution::Second, T0,
                                 T0 + 120 * 1000, 0);
    QCOMPARE(full.size(), 120);
    QCOMPARE(full[1].y(), 0.0); // an idle second is a real zero
    QCOMPARE(full[61].y(), 51.0);

    const auto narrow = agg.series(ScopeKind::All, {}, SeriesMetric::Requests, Resolution::Second,
                                   T0, T0 + 120 * 1000, 20);
    QVERIFY(narrow.size() <= 40);
    QVERIFY(std::any_of(narrow.cbegin(), narrow.cend(), [](QPointF p) { return p.y() == 51.0; }));

    const auto rate = agg.series(ScopeKind::All, {}, SeriesMetric::ErrorRate, Resolution::Second,
                                 T0, T0 + 120 * 1000, 0);
    QCOMPARE(rate.size(), 61); // only seconds that saw requests
    QVERIFY(std::any_of(rate.cbegin(), rate.cend(),
                        [](QPointF p) { return qFuzzyCompare(p.y(), 100.0 / 51.0); }));
}

void TestAggregator::series_percentilesComeFromTheMinuteRing()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    for (int minute = 0; minute < 3; ++minute) {
        for (int i = 1; i <= 100; ++i)
            agg.add(okEvent(T0 + minute * 60000 + i * 100, double(i * (minute + 1))));
    }
    clock.setNow(T0 + 3 * 60000);
    const auto p95 = agg.series(ScopeKind::All, {}, SeriesMetric::LatencyP95, Resolution::Minute,
                                T0, T0 + 3 * 60000, 0);
    QCOMPARE(p95.size(), 3);
    for (int minute = 0; minute < 3; ++minute) {
        const double expected = 95.0 * (minute + 1);
        QVERIFY2(std::abs(p95[minute].y() - expected)
                     <= expected * LatencyHistogram::relativeError(),
                 qPrintable(QString::number(p95[minute].y())));
    }
    // The 1 s ring keeps no histograms by default: no invented percentiles.
    QVERIFY(agg.series(ScopeKind::All, {}, SeriesMetric::LatencyP95, Resolution::Second, T0,
                       T0 + 3 * 60000, 0)
                .isEmpty());
}

void TestAggregator::resolutionFor_picksTheFinestRingThatCoversTheSpan()
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    QCOMPARE(int(agg.resolutionFor(60 * 1000)), int(Resolution::Second));
    QCOMPARE(int(agg.resolutionFor(10 * 60 * 1000)), int(Resolution::TenSeconds));
    QCOMPARE(int(agg.resolutionFor(30 * 60 * 1000)), int(Resolution::Minute));
    QCOMPARE(int(agg.resolutionFor(24 * 3600 * 1000)), int(Resolution::Minute));
}

void TestAggregator::streamHealth_storedPerStreamAndCapped()
{
    ManualClock clock;
    AggregatorConfig config;
    config.maxScopesPerKind = 3;
    Aggregator agg(clock, config);
    QVERIFY(!agg.streamHealth(QStringLiteral("md")));
    StreamHealth h;
    h.state = StreamHealth::State::Connected;
    h.reconnects = 2;
    agg.setStreamHealth(QStringLiteral("md"), h);
    h.reconnects = 3; // the newest report replaces the last
    agg.setStreamHealth(QStringLiteral("md"), h);
    QCOMPARE(agg.streamHealth(QStringLiteral("md"))->reconnects, 3);
    QCOMPARE(agg.streamNames(), QStringList{QStringLiteral("md")});
    // Streams are endpoint scopes: the same cap bounds them.
    for (int i = 0; i < 10; ++i)
        agg.setStreamHealth(QStringLiteral("s%1").arg(i), h);
    QVERIFY(agg.streamNames().size() <= 3 + 1); // the cap, plus the one overflow scope
    QVERIFY(agg.streamNames().contains(Aggregator::overflowScopeName()));
}

QTEST_GUILESS_MAIN(TestAggregator)
#include "tst_aggregator.moc"
