#pragma once

// Live aggregation of ApiEvents per endpoint, environment and credential (and over all
// events) in 1 s, 10 s and 1 min buckets. Adding an event is O(1): a handful of counter
// increments per scope and resolution. Memory is bounded: a fixed ring per scope and
// resolution, and a cap on the number of scopes. Queries (summaries, SLO, percentiles,
// chart series) are answered relative to the injected Clock. Main thread only.

#include "aggregatortypes.h"
#include "apievent.h"
#include "clock.h"
#include "scopestats.h"
#include "stackedcounts.h"

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <optional>
#include <unordered_map>

namespace hd {

class Aggregator
{
public:
    explicit Aggregator(const Clock &clock, AggregatorConfig config = {});

    // credential: the name of the credential the request used. ApiEvent does not carry it;
    // the scheduler knows it from the workspace endpoint. Empty means "none".
    void add(const ApiEvent &event, const QString &credential = {});

    const AggregatorConfig &config() const { return m_config; }
    QStringList scopeNames(ScopeKind kind) const;
    // The name events get once maxScopesPerKind names exist.
    static QString overflowScopeName();

    // Events in [fromMs, toMs) at a given resolution (bucket granularity: a bucket that
    // overlaps the range counts whole).
    WindowSummary summary(ScopeKind kind, const QString &name, Resolution resolution, qint64 fromMs,
                          qint64 toMs) const;
    // The last windowMs up to now, from the finest ring that still covers the window.
    WindowSummary summary(ScopeKind kind, const QString &name, qint64 windowMs) const;

    SloStatus slo(ScopeKind kind, const QString &name) const;
    // Percentiles over the last windowMs from the finest ring with histograms that covers it.
    LatencyPercentiles latency(ScopeKind kind, const QString &name, qint64 windowMs) const;
    // remaining / limit from the newest response that carried rate-limit headers.
    std::optional<double> headroom(ScopeKind kind, const QString &name) const;
    // Time left until the newest known token expires (negative once expired).
    std::optional<qint64> tokenExpiresInMs(ScopeKind kind, const QString &name) const;

    // Governor state (paused, lockout until, breaker) as the engine last reported it for a
    // scope. The engine calls setGovernorState about once a second per endpoint and credential
    // (and ScopeKind::All for the worst over everything); it creates the scope if needed.
    void setGovernorState(ScopeKind kind, const QString &name, const GovernorState &state);
    std::optional<GovernorState> governorState(ScopeKind kind, const QString &name) const;

    // Stream health (docs/streams.md) of the stream monitor with this endpoint id, as the
    // engine last reported it; the endpoint scope is created if needed.
    void setStreamHealth(const QString &endpoint, const StreamHealth &health);
    std::optional<StreamHealth> streamHealth(const QString &endpoint) const;
    // Endpoint ids that have stream health.
    QStringList streamNames() const;

    // A chart series over [fromMs, toMs): x is UTC ms since the epoch, one point per bucket,
    // decimated to pixelWidth columns (pixelWidth <= 0: no decimation). Count metrics fill
    // empty buckets with 0; latency and headroom metrics leave gaps where nothing happened.
    QVector<QPointF> series(ScopeKind kind, const QString &name, SeriesMetric metric,
                            Resolution resolution, qint64 fromMs, qint64 toMs,
                            int pixelWidth) const;

    // Responses per ResponseClass (connection errors, 5xx, 4xx, rate limited, business, ok)
    // over [fromMs, toMs) on one x axis for a stacked chart; see SeriesBuilder::stacked.
    StackedCounts stackedSeries(ScopeKind kind, const QString &name, Resolution resolution,
                                qint64 fromMs, qint64 toMs, int pixelWidth) const;

    // The ring behind a scope and resolution (null when the scope never saw an event), for
    // SeriesBuilder. Valid while the aggregator lives (scopes are never removed); main thread.
    const BucketRing *ring(ScopeKind kind, const QString &name, Resolution resolution) const;

    // The finest resolution whose ring covers spanMs (the coarsest if none does).
    Resolution resolutionFor(qint64 spanMs) const;

    std::size_t bytesHeld() const;

private:
    using ScopeMap = std::unordered_map<QString, std::unique_ptr<ScopeStats>>;

    ScopeStats *scopeFor(ScopeKind kind, const QString &name);
    const ScopeStats *find(ScopeKind kind, const QString &name) const;

    const Clock &m_clock;
    AggregatorConfig m_config;
    ScopeStats m_all;
    std::array<ScopeMap, 3> m_scopes; // Endpoint, Environment, Credential
};

} // namespace hd
