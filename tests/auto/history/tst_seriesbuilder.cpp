#include "aggregator.h"
#include "bucketring.h"
#include "historytestevents.h"
#include "responseclass.h"
#include "seriesbuilder.h"

#include <QTest>

using namespace hd;
using hd::test::makeEvent;
using hd::test::okEvent;

class TestSeriesBuilder : public QObject
{
    Q_OBJECT
private slots:
    void responseClass_rateLimitsAreTheirOwnClassWhateverTheStatus();
    void stacked_countsEachClassPerBucketOnOneAxis();
    void stacked_mergesBucketsIntoColumnsThatFitThePixels();
    void stacked_columnsDoNotShiftAsTimeMovesOn();
    void stacked_cumulativeIsTheUpperEdgeOfEachBand();
    void tokenExpiresIn_countsDownFromTheLatestExpiryInEachBucket();
    void series_matchesTheAggregatorForEveryRing();
    void memory_tokenExpiryKeepsTheBucketFixedSize();
    void phases_meanPerPhaseWeightedAcrossMergedBuckets();
    void phases_eventsWithoutTimingsAreLeftOut();

private:
    static constexpr qint64 T0 = 1795298400000; // on a minute
};

void TestSeriesBuilder::responseClass_rateLimitsAreTheirOwnClassWhateverTheStatus()
{
    QCOMPARE(responseClassOf(Category::Ok), ResponseClass::Ok);
    QCOMPARE(responseClassOf(Category::RateLimited), ResponseClass::RateLimited);
    QCOMPARE(responseClassOf(Category::Forbidden), ResponseClass::ClientError);
    QCOMPARE(responseClassOf(Category::LockoutWarning), ResponseClass::ClientError);
    QCOMPARE(responseClassOf(Category::Unavailable), ResponseClass::ServerError);
    QCOMPARE(responseClassOf(Category::BusinessRejected), ResponseClass::BusinessError);
    QCOMPARE(responseClassOf(Category::ConnectionReset), ResponseClass::ConnectionError);
    QCOMPARE(responseClassOf(Category::StreamDropped), ResponseClass::ConnectionError);
    // Every category has a class with a label.
    for (int c = 0; c < CategoryCount; ++c)
        QVERIFY(!responseClassLabel(responseClassOf(Category(c))).isEmpty());
}

void TestSeriesBuilder::stacked_countsEachClassPerBucketOnOneAxis()
{
    ManualClock clock(T0 + 3500);
    Aggregator agg(clock);
    agg.add(okEvent(T0));
    agg.add(okEvent(T0 + 10));
    agg.add(makeEvent(T0 + 20, 429, Category::RateLimited));
    agg.add(makeEvent(T0 + 1000, 503, Category::Unavailable));
    agg.add(makeEvent(T0 + 1100, std::nullopt, Category::ConnectionReset));
    agg.add(makeEvent(T0 + 2000, 200, Category::BusinessRejected));
    agg.add(makeEvent(T0 + 2100, 400, Category::BadRequest));
    // a 403 that shows an exhausted quota is classified rate_limited: it stacks as a rate limit
    agg.add(makeEvent(T0 + 2200, 403, Category::RateLimited));

    const StackedCounts s
        = agg.stackedSeries(ScopeKind::All, {}, Resolution::Second, T0, T0 + 4000, 800);
    QCOMPARE(s.columnMs, qint64(1000));
    // zero-filled up to now (T0+3.5 s): four columns
    QCOMPARE(s.x, (QVector<double>{double(T0), double(T0 + 1000), double(T0 + 2000),
                                   double(T0 + 3000)}));
    QCOMPARE(s.of(ResponseClass::Ok), (QVector<double>{2, 0, 0, 0}));
    QCOMPARE(s.of(ResponseClass::RateLimited), (QVector<double>{1, 0, 1, 0}));
    QCOMPARE(s.of(ResponseClass::ServerError), (QVector<double>{0, 1, 0, 0}));
    QCOMPARE(s.of(ResponseClass::ConnectionError), (QVector<double>{0, 1, 0, 0}));
    QCOMPARE(s.of(ResponseClass::BusinessError), (QVector<double>{0, 0, 1, 0}));
    QCOMPARE(s.of(ResponseClass::ClientError), (QVector<double>{0, 0, 1, 0}));
}

void TestSeriesBuilder::stacked_mergesBucketsIntoColumnsThatFitThePixels()
{
    // 600 one-second buckets into 100 pixels: 6 buckets per column.
    BucketRing ring(1000, 600, false);
    for (int i = 0; i < 600; ++i) {
        ring.add(EventSample::fromEvent(okEvent(T0 + i * 1000)));
        if (i % 2 == 0)
            ring.add(
                EventSample::fromEvent(makeEvent(T0 + i * 1000, 500, Category::InternalError)));
    }
    const StackedCounts s = SeriesBuilder::stacked(ring, T0, T0 + 600000, T0 + 599999, 100);
    QCOMPARE(s.columnMs, qint64(6000));
    QCOMPARE(s.x.size(), 100);
    QVERIFY(s.x.size() <= 100);
    for (qsizetype i = 0; i < s.x.size(); ++i) {
        QCOMPARE(s.x[i], double(T0 + i * 6000));
        QCOMPARE(s.of(ResponseClass::Ok)[i], 6.0);
        QCOMPARE(s.of(ResponseClass::ServerError)[i], 3.0);
    }
    // Nothing lost: the sums are the totals.
    double ok = 0;
    for (double v : s.of(ResponseClass::Ok))
        ok += v;
    QCOMPARE(ok, 600.0);
}

void TestSeriesBuilder::stacked_columnsDoNotShiftAsTimeMovesOn()
{
    BucketRing ring(1000, 3600, false);
    for (int i = 0; i < 3600; ++i)
        ring.add(EventSample::fromEvent(okEvent(T0 + i * 1000)));
    const qint64 span = 1800 * 1000;
    const qint64 now1 = T0 + 3000 * 1000;
    const qint64 now2 = now1 + 1000;
    const StackedCounts a = SeriesBuilder::stacked(ring, now1 - span, now1, now1, 300);
    const StackedCounts b = SeriesBuilder::stacked(ring, now2 - span, now2, now2, 300);
    QCOMPARE(a.columnMs, qint64(6000));
    QCOMPARE(b.columnMs, qint64(6000));
    // Columns start on multiples of 6 s since the epoch in both, so a full column keeps its value.
    for (double x : a.x)
        QCOMPARE(qint64(x) % 6000, 0);
    const qsizetype i = a.x.indexOf(b.x[5]);
    QVERIFY(i >= 0);
    QCOMPARE(a.of(ResponseClass::Ok)[i], b.of(ResponseClass::Ok)[5]);
}

void TestSeriesBuilder::stacked_cumulativeIsTheUpperEdgeOfEachBand()
{
    ManualClock clock(T0 + 500);
    Aggregator agg(clock);
    agg.add(makeEvent(T0, std::nullopt, Category::Timeout));
    agg.add(makeEvent(T0, 502, Category::BadGateway));
    agg.add(makeEvent(T0, 502, Category::BadGateway));
    agg.add(okEvent(T0));
    const StackedCounts s
        = agg.stackedSeries(ScopeKind::All, {}, Resolution::Second, T0, T0 + 1000, 10);
    QCOMPARE(s.cumulative(ResponseClass::ConnectionError), QVector<double>{1});
    QCOMPARE(s.cumulative(ResponseClass::ServerError), QVector<double>{3});
    QCOMPARE(s.cumulative(ResponseClass::BusinessError), QVector<double>{3});
    QCOMPARE(s.cumulative(ResponseClass::Ok), QVector<double>{4});
}

void TestSeriesBuilder::tokenExpiresIn_countsDownFromTheLatestExpiryInEachBucket()
{
    ManualClock clock(T0 + 2500);
    Aggregator agg(clock);
    ApiEvent a = okEvent(T0 + 100);
    a.token = TokenInfo{};
    a.token->expiresInS = 120; // expires at T0 + 120.1 s
    ApiEvent b = okEvent(T0 + 1200);
    b.token = TokenInfo{};
    b.token->expiresInS = 300; // refreshed: expires at T0 + 301.2 s
    ApiEvent older = okEvent(T0 + 1300);
    older.token = TokenInfo{};
    older.token->expiresInS = 10; // a shorter-lived token seen later in the bucket does not win
    agg.add(a);
    agg.add(b);
    agg.add(older);
    agg.add(okEvent(T0 + 2100)); // no token facts: a gap, not zero

    const auto pts = agg.series(ScopeKind::All, {}, SeriesMetric::TokenExpiresIn,
                                Resolution::Second, T0, T0 + 3000, 0);
    QCOMPARE(pts.size(), 2);
    QCOMPARE(pts[0], QPointF(double(T0), 119.1));        // at the bucket's end, T0 + 1 s
    QCOMPARE(pts[1], QPointF(double(T0 + 1000), 299.2)); // at T0 + 2 s
}

void TestSeriesBuilder::series_matchesTheAggregatorForEveryRing()
{
    ManualClock clock(T0 + 30 * 60000);
    Aggregator agg(clock);
    for (int i = 0; i < 1800; ++i)
        agg.add(i % 10 ? okEvent(T0 + i * 1000, 5 + i % 50)
                       : makeEvent(T0 + i * 1000, 503, Category::Unavailable));
    for (int r = 0; r < ResolutionCount; ++r) {
        const Resolution res = Resolution(r);
        const BucketRing *ring = agg.ring(ScopeKind::All, {}, res);
        QVERIFY(ring);
        for (SeriesMetric m : {SeriesMetric::Requests, SeriesMetric::ErrorRate,
                               SeriesMetric::LatencyP95, SeriesMetric::Headroom}) {
            QCOMPARE(SeriesBuilder::series(*ring, m, T0, clock.nowMs() + 1, clock.nowMs(), 200),
                     agg.series(ScopeKind::All, {}, m, res, T0, clock.nowMs() + 1, 200));
        }
    }
    QVERIFY(!agg.ring(ScopeKind::Endpoint, QStringLiteral("nobody"), Resolution::Second));
}

void TestSeriesBuilder::memory_tokenExpiryKeepsTheBucketFixedSize()
{
    // The counters are plain numbers: a bucket costs the same after a million events.
    BucketRing ring(1000, 60, false);
    const std::size_t before = ring.bytesHeld();
    ApiEvent e = okEvent(T0);
    e.token = TokenInfo{};
    e.token->expiresInS = 3600;
    for (int i = 0; i < 100000; ++i) {
        e.timeMs = T0 + i;
        ring.add(EventSample::fromEvent(e));
    }
    QCOMPARE(ring.bytesHeld(), before);
    // Counters, the phase sums (48 bytes) included: a bucket stays a few cache lines.
    QVERIFY(sizeof(TimeBucket) <= 224);
}

static ApiEvent timedEvent(qint64 t, double dns, double tls, double firstByte, double transfer)
{
    ApiEvent e = okEvent(t, dns + tls + firstByte + transfer);
    TimingInfo timing;
    timing.dnsMs = dns;
    timing.tlsMs = tls;
    timing.firstByteMs = firstByte;
    timing.transferMs = transfer;
    timing.reusedConnection = tls == 0;
    if (tls == 0)
        timing.tlsMs.reset(); // a reused connection has no handshake
    e.timing = timing;
    return e;
}

void TestSeriesBuilder::phases_meanPerPhaseWeightedAcrossMergedBuckets()
{
    BucketRing ring(1000, 60, false);
    // Bucket 0: one new connection (dns 2, tls 10, first byte 30, transfer 4).
    ring.add(EventSample::fromEvent(timedEvent(T0, 2, 10, 30, 4)));
    // Bucket 1: three reused connections, no handshake.
    for (int i = 0; i < 3; ++i)
        ring.add(EventSample::fromEvent(timedEvent(T0 + 1000 + i, 0, 0, 10, 2)));

    const StackedPhases one = SeriesBuilder::phases(ring, T0, T0 + 2000, T0 + 1999, 0);
    QCOMPARE(one.columnMs, qint64(1000));
    QCOMPARE(one.x, (QVector<double>{double(T0), double(T0 + 1000)}));
    QCOMPARE(one.timed, (QVector<quint32>{1, 3}));
    QCOMPARE(one.meanMs[std::size_t(Phase::Tls)], (QVector<double>{10, 0}));
    QCOMPARE(one.meanMs[std::size_t(Phase::FirstByte)], (QVector<double>{30, 10}));
    QCOMPARE(one.meanMs[std::size_t(Phase::Connect)], (QVector<double>{0, 0}));

    // Two buckets per column: the mean over the four events, not the mean of the two means.
    const StackedPhases merged = SeriesBuilder::phases(ring, T0, T0 + 2000, T0 + 1999, 1);
    QCOMPARE(merged.columnMs, qint64(2000));
    QCOMPARE(merged.x.size(), 1);
    QCOMPARE(merged.timed.first(), quint32(4));
    QCOMPARE(merged.meanMs[std::size_t(Phase::Tls)].first(), 2.5);
    QCOMPARE(merged.meanMs[std::size_t(Phase::FirstByte)].first(), 15.0);
    QCOMPARE(merged.meanMs[std::size_t(Phase::Transfer)].first(), 2.5);
    QCOMPARE(merged.meanMs[std::size_t(Phase::Dns)].first(), 0.5);
}

void TestSeriesBuilder::phases_eventsWithoutTimingsAreLeftOut()
{
    BucketRing ring(1000, 60, false);
    ring.add(EventSample::fromEvent(okEvent(T0))); // another tool's event: no timing
    ApiEvent onlyReuse = okEvent(T0 + 1);
    onlyReuse.timing = TimingInfo{};
    onlyReuse.timing->reusedConnection = true; // a flag, but no phase: nothing to average
    ring.add(EventSample::fromEvent(onlyReuse));
    ring.add(EventSample::fromEvent(timedEvent(T0 + 5000, 1, 4, 20, 1)));
    ApiEvent bad = timedEvent(T0 + 5001, 1, 4, 20, 1);
    bad.timing->transferMs = -50; // nonsense from a file adds nothing
    ring.add(EventSample::fromEvent(bad));

    const StackedPhases p = SeriesBuilder::phases(ring, T0, T0 + 10000, T0 + 9999, 0);
    // No column for the second without timings, nor for the idle ones: gaps, not zeros.
    QCOMPARE(p.x, (QVector<double>{double(T0 + 5000)}));
    QCOMPARE(p.timed, (QVector<quint32>{2}));
    QCOMPARE(p.meanMs[std::size_t(Phase::Transfer)].first(), 0.5);
    QCOMPARE(p.meanMs[std::size_t(Phase::FirstByte)].first(), 20.0);
}

QTEST_GUILESS_MAIN(TestSeriesBuilder)
#include "tst_seriesbuilder.moc"
