// Chart buckets from the real SQLite history (issue 7: 24 h and custom ranges beyond the live
// aggregator): built on the store's reader thread, delivered later on the caller's thread,
// scoped like the live aggregator, and equal to what the aggregator would chart.
#include "aggregator.h"
#include "historystore.h"
#include "historytestevents.h"
#include "seriesbuilder.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::makeEvent;
using hd::test::okEvent;

class TestHistoryBuckets : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void buckets_matchTheLiveAggregatorAndArriveLater();
    void buckets_scopeByEndpointEnvironmentAndCredential();
    void buckets_perCredentialHeadroomAndToken();
    void buckets_withoutADatabaseSayWhy();
    void buckets_phasesMatchTheLiveAggregator();
    void resolutionFor_keepsADayWithinTheBucketCap();

private:
    HistoryBuckets fetch(HistoryStore &store, const HistoryBucketQuery &q);
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    static constexpr qint64 T0 = 1795298400000;
};

void TestHistoryBuckets::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

HistoryBuckets TestHistoryBuckets::fetch(HistoryStore &store, const HistoryBucketQuery &q)
{
    std::optional<HistoryBuckets> got;
    store.fetchBuckets(q, this, [&got](const HistoryBuckets &b) { got = b; });
    [&] {
        QVERIFY(!got);
    }(); // never inside the call
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
    }();
    return got.value_or(HistoryBuckets{});
}

void TestHistoryBuckets::buckets_matchTheLiveAggregatorAndArriveLater()
{
    ManualClock clock(T0 + 3600 * 1000);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    Aggregator live(clock);
    QList<ApiEvent> events;
    for (int s = 0; s < 3600; s += 7) {
        ApiEvent e = s % 5 ? okEvent(T0 + s * 1000LL, 5 + s % 90)
                           : makeEvent(T0 + s * 1000LL, 503, Category::Unavailable);
        events.append(e);
        live.add(e);
    }
    store.append(events);
    store.flush();

    HistoryBucketQuery q;
    q.fromMs = T0;
    q.toMs = T0 + 3600 * 1000;
    q.resolutionMs = 60 * 1000;
    const HistoryBuckets b = fetch(store, q);
    QCOMPARE(b.error, QString());
    QCOMPARE(b.rows, qint64(events.size()));
    QVERIFY(b.scope);
    const BucketRing *ring = live.ring(ScopeKind::All, {}, Resolution::Minute);
    for (SeriesMetric m : {SeriesMetric::Requests, SeriesMetric::Failures, SeriesMetric::ErrorRate,
                           SeriesMetric::LatencyP95, SeriesMetric::LatencyMax}) {
        QCOMPARE(SeriesBuilder::series(*b.scope, m, q.fromMs, q.toMs, clock.nowMs(), 0),
                 SeriesBuilder::series(*ring, m, q.fromMs, q.toMs, clock.nowMs(), 0));
    }
    const StackedCounts s = SeriesBuilder::stacked(*b.scope, q.fromMs, q.toMs, clock.nowMs(), 30);
    QCOMPARE(s.columnMs, qint64(120 * 1000));
    QCOMPARE(s.x.size(), 30);
}

void TestHistoryBuckets::buckets_scopeByEndpointEnvironmentAndCredential()
{
    ManualClock clock(T0 + 60000);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    store.append(QList<ApiEvent>{
        makeEvent(T0 + 1000, 200, Category::Ok, QStringLiteral("orders.list"),
                  QStringLiteral("prod")),
        makeEvent(T0 + 2000, 500, Category::InternalError, QStringLiteral("orders.list"),
                  QStringLiteral("prod")),
        makeEvent(T0 + 3000, 200, Category::Ok, QStringLiteral("quotes"), QStringLiteral("prod")),
        makeEvent(T0 + 4000, 429, Category::RateLimited, QStringLiteral("quotes"),
                  QStringLiteral("dev")),
        makeEvent(T0 + 5000, 401, Category::Unauthorized, QStringLiteral("token:broker"),
                  QStringLiteral("prod")),
    });
    store.flush();
    HistoryBucketQuery q;
    q.fromMs = T0;
    q.toMs = T0 + 60000;
    q.resolutionMs = 10000;
    q.credentialOfEndpoint = {{QStringLiteral("orders.list"), QStringLiteral("broker")},
                              {QStringLiteral("quotes"), QStringLiteral("public")}};
    auto total = [&](ScopeKind kind, const QString &name) {
        q.kind = kind;
        q.name = name;
        const HistoryBuckets b = fetch(store, q);
        double n = 0;
        for (const QPointF &p :
             SeriesBuilder::series(*b.scope, SeriesMetric::Requests, q.fromMs, q.toMs, q.toMs, 0))
            n += p.y();
        return n;
    };
    QCOMPARE(total(ScopeKind::All, {}), 5.0);
    QCOMPARE(total(ScopeKind::Endpoint, QStringLiteral("orders.list")), 2.0);
    QCOMPARE(total(ScopeKind::Environment, QStringLiteral("dev")), 1.0);
    // orders.list and the token endpoint of "broker"
    QCOMPARE(total(ScopeKind::Credential, QStringLiteral("broker")), 3.0);
}

void TestHistoryBuckets::buckets_perCredentialHeadroomAndToken()
{
    ManualClock clock(T0 + 60000);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    ApiEvent a = okEvent(T0 + 1000);
    a.rateLimit = RateLimitInfo{};
    a.rateLimit->limit = 100;
    a.rateLimit->remaining = 25;
    a.token = TokenInfo{};
    a.token->expiresInS = 600;
    ApiEvent b = okEvent(T0 + 2000);
    b.endpoint = QStringLiteral("quotes");
    b.rateLimit = RateLimitInfo{};
    b.rateLimit->limit = 10;
    b.rateLimit->remaining = 9;
    store.append(QList<ApiEvent>{a, b});
    store.flush();
    HistoryBucketQuery q;
    q.fromMs = T0;
    q.toMs = T0 + 60000;
    q.resolutionMs = 10000;
    q.credentialOfEndpoint = {{QStringLiteral("orders.list"), QStringLiteral("broker")},
                              {QStringLiteral("quotes"), QStringLiteral("public")}};
    q.credentials = {QStringLiteral("broker"), QStringLiteral("public")};
    const HistoryBuckets got = fetch(store, q);
    QCOMPARE(got.credentials.size(), 2);
    const auto broker = SeriesBuilder::series(*got.credentials.value(QStringLiteral("broker")),
                                              SeriesMetric::Headroom, q.fromMs, q.toMs, q.toMs, 0);
    QCOMPARE(broker, (QVector<QPointF>{QPointF(double(T0), 25.0)}));
    const auto pub = SeriesBuilder::series(*got.credentials.value(QStringLiteral("public")),
                                           SeriesMetric::Headroom, q.fromMs, q.toMs, q.toMs, 0);
    QCOMPARE(pub.size(), 1);
    QVERIFY(qAbs(pub[0].y() - 90.0) < 1e-4);
    const auto token
        = SeriesBuilder::series(*got.credentials.value(QStringLiteral("broker")),
                                SeriesMetric::TokenExpiresIn, q.fromMs, q.toMs, q.toMs, 0);
    // expires at T0 + 601 s; the bucket ends at T0 + 10 s
    QCOMPARE(token, (QVector<QPointF>{QPointF(double(T0), 591.0)}));
}

void TestHistoryBuckets::buckets_withoutADatabaseSayWhy()
{
    HistoryStore store;
    HistoryBucketQuery q;
    q.toMs = 1000;
    const HistoryBuckets b = fetch(store, q);
    QVERIFY(!b.scope);
    QCOMPARE(b.error, QStringLiteral("no history database is open"));
}

void TestHistoryBuckets::buckets_phasesMatchTheLiveAggregator()
{
    ManualClock clock(T0 + 600 * 1000);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    Aggregator live(clock);
    QList<ApiEvent> events;
    for (int s = 0; s < 600; s += 3) {
        ApiEvent e = okEvent(T0 + s * 1000LL, 20 + s % 17);
        if (s % 2) { // half of them with timings; a fresh connection every fifth
            TimingInfo t;
            t.dnsMs = s % 5 ? 0.0 : 1.5;
            if (s % 5 == 0)
                t.tlsMs = 6.25 + s % 3;
            t.firstByteMs = 10.0 + s % 7;
            t.transferMs = 0.5;
            e.timing = t;
        }
        events.append(e);
        live.add(e);
    }
    store.append(events);
    store.flush();
    HistoryBucketQuery q;
    q.fromMs = T0;
    q.toMs = T0 + 600 * 1000;
    q.resolutionMs = 60 * 1000;
    const HistoryBuckets b = fetch(store, q);
    QCOMPARE(b.error, QString());
    QVERIFY(b.scope);
    const BucketRing *ring = live.ring(ScopeKind::All, {}, Resolution::Minute);
    const StackedPhases fromHistory
        = SeriesBuilder::phases(*b.scope, q.fromMs, q.toMs, clock.nowMs(), 0);
    const StackedPhases fromLive = SeriesBuilder::phases(*ring, q.fromMs, q.toMs, clock.nowMs(), 0);
    QCOMPARE(fromHistory.x.size(), 10);
    QCOMPARE(fromHistory.x, fromLive.x);
    QCOMPARE(fromHistory.timed, fromLive.timed);
    for (std::size_t p = 0; p < PhaseCount; ++p)
        QCOMPARE(fromHistory.meanMs[p], fromLive.meanMs[p]);
    QVERIFY(fromHistory.meanMs[std::size_t(Phase::Tls)].first() > 0);
}

void TestHistoryBuckets::resolutionFor_keepsADayWithinTheBucketCap()
{
    QCOMPARE(HistoryBucketQuery::resolutionFor(15 * 60 * 1000), qint64(1000));
    QCOMPARE(HistoryBucketQuery::resolutionFor(24 * 3600 * 1000LL), qint64(60 * 1000));
    QCOMPARE(HistoryBucketQuery::resolutionFor(7 * 24 * 3600 * 1000LL), qint64(5 * 60 * 1000));
    QCOMPARE(HistoryBucketQuery::resolutionFor(365 * 24 * 3600 * 1000LL), qint64(3600 * 1000));
}

QTEST_GUILESS_MAIN(TestHistoryBuckets)
#include "tst_historybuckets.moc"
