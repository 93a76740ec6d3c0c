#include "aggregator.h"

#include "seriesbuilder.h"

#include <algorithm>

namespace hd {

qint64 resolutionMs(Resolution r)
{
    switch (r) {
    case Resolution::Second:
        return 1000;
    case Resolution::TenSeconds:
        return 10 * 1000;
    case Resolution::Minute:
        return 60 * 1000;
    }
    return 1000;
}

namespace {

AggregatorConfig sanitised(AggregatorConfig c)
{
    for (int &n : c.buckets)
        n = std::max(1, n);
    // The SLO is answered from the minute ring, so that ring must cover the SLO window.
    const int sloMinutes = int((c.sloWindowMs + 59999) / 60000);
    c.buckets[std::size_t(Resolution::Minute)]
        = std::max(c.buckets[std::size_t(Resolution::Minute)], sloMinutes);
    c.maxScopesPerKind = std::max(1, c.maxScopesPerKind);
    return c;
}

} // namespace

Aggregator::Aggregator(const Clock &clock, AggregatorConfig config)
    : m_clock(clock)
    , m_config(sanitised(config))
    , m_all(m_config)
{}

QString Aggregator::overflowScopeName()
{
    return QStringLiteral("(other)");
}

ScopeStats *Aggregator::scopeFor(ScopeKind kind, const QString &name)
{
    ScopeMap &map = m_scopes[std::size_t(kind) - 1];
    auto it = map.find(name);
    if (it != map.end())
        return it->second.get();
    const QString key
        = qsizetype(map.size()) < m_config.maxScopesPerKind ? name : overflowScopeName();
    auto &slot = map[key];
    if (!slot)
        slot = std::make_unique<ScopeStats>(m_config);
    return slot.get();
}

const ScopeStats *Aggregator::find(ScopeKind kind, const QString &name) const
{
    if (kind == ScopeKind::All)
        return &m_all;
    const ScopeMap &map = m_scopes[std::size_t(kind) - 1];
    auto it = map.find(name);
    return it == map.end() ? nullptr : it->second.get();
}

void Aggregator::add(const ApiEvent &event, const QString &credential)
{
    const EventSample sample = EventSample::fromEvent(event);
    m_all.add(sample);
    scopeFor(ScopeKind::Endpoint, event.endpoint)->add(sample);
    scopeFor(ScopeKind::Environment, event.environment)->add(sample);
    if (!credential.isEmpty())
        scopeFor(ScopeKind::Credential, credential)->add(sample);
}

QStringList Aggregator::scopeNames(ScopeKind kind) const
{
    if (kind == ScopeKind::All)
        return {};
    QStringList names;
    for (const auto &[name, stats] : m_scopes[std::size_t(kind) - 1])
        names.append(name);
    names.sort();
    return names;
}

WindowSummary Aggregator::summary(ScopeKind kind, const QString &name, Resolution resolution,
                                  qint64 fromMs, qint64 toMs) const
{
    WindowSummary s;
    s.fromMs = fromMs;
    s.toMs = toMs;
    const ScopeStats *stats = find(kind, name);
    if (!stats)
        return s;
    stats->ring(resolution)
        .forEach(fromMs, toMs, [&s](const TimeBucket &b, const LatencyHistogram *h) {
            s.total += b.total;
            for (std::size_t i = 0; i < s.outcomes.size(); ++i)
                s.outcomes[i] += b.outcomes[i];
            for (std::size_t i = 0; i < s.categories.size(); ++i)
                s.categories[i] += b.categories[i];
            s.latencySumMs += b.latencySumMs;
            s.latencyMaxMs = std::max(s.latencyMaxMs, double(b.latencyMaxMs));
            if (h)
                s.latency.merge(*h);
        });
    return s;
}

Resolution Aggregator::resolutionFor(qint64 spanMs) const
{
    for (int r = 0; r < ResolutionCount; ++r) {
        if (resolutionMs(Resolution(r)) * m_config.buckets[std::size_t(r)] >= spanMs)
            return Resolution(r);
    }
    return Resolution::Minute;
}

WindowSummary Aggregator::summary(ScopeKind kind, const QString &name, qint64 windowMs) const
{
    const qint64 now = m_clock.nowMs();
    return summary(kind, name, resolutionFor(windowMs), now - windowMs, now + 1);
}

SloStatus Aggregator::slo(ScopeKind kind, const QString &name) const
{
    const qint64 now = m_clock.nowMs();
    const WindowSummary s
        = summary(kind, name, Resolution::Minute, now - m_config.sloWindowMs, now + 1);
    SloStatus slo;
    slo.requests = s.total;
    slo.failures = s.failures();
    slo.errorRate = s.errorRate();
    slo.objective = m_config.sloErrorRate;
    slo.windowMs = m_config.sloWindowMs;
    slo.budgetRemaining = slo.objective > 0 ? 1.0 - slo.errorRate / slo.objective : 0.0;
    return slo;
}

LatencyPercentiles Aggregator::latency(ScopeKind kind, const QString &name, qint64 windowMs) const
{
    const qint64 now = m_clock.nowMs();
    Resolution r = resolutionFor(windowMs);
    // Only rings with histograms can answer; take the finest such ring that covers the window.
    while (!(m_config.histograms[std::size_t(r)]) && r != Resolution::Minute)
        r = Resolution(int(r) + 1);
    const WindowSummary s = summary(kind, name, r, now - windowMs, now + 1);
    LatencyPercentiles p;
    p.samples = s.latency.count();
    p.p50Ms = s.latency.percentileMs(0.50);
    p.p95Ms = s.latency.percentileMs(0.95);
    p.p99Ms = s.latency.percentileMs(0.99);
    return p;
}

std::optional<double> Aggregator::headroom(ScopeKind kind, const QString &name) const
{
    const ScopeStats *stats = find(kind, name);
    return stats ? stats->headroom() : std::nullopt;
}

void GovernorState::merge(const GovernorState &o)
{
    sampledAtMs = std::max(sampledAtMs, o.sampledAtMs);
    if (o.paused && (!paused || o.pausedUntilMs > pausedUntilMs)) {
        pausedUntilMs = o.pausedUntilMs;
        pauseReason = o.pauseReason;
    }
    paused = paused || o.paused;
    if (o.lockedOut)
        lockoutUntilMs = std::max(lockoutUntilMs, o.lockoutUntilMs);
    lockedOut = lockedOut || o.lockedOut;
    slowedDown = slowedDown || o.slowedDown;
    auto severity = [](Breaker b) {
        return b == Breaker::Open ? 2 : b == Breaker::HalfOpen ? 1 : 0;
    };
    if (severity(o.breaker) > severity(breaker))
        breaker = o.breaker;
    consecutiveFailures = std::max(consecutiveFailures, o.consecutiveFailures);
    sentInWindow += o.sentInWindow;
    if (o.budgetInWindow >= 0)
        budgetInWindow = budgetInWindow < 0 ? o.budgetInWindow : budgetInWindow + o.budgetInWindow;
}

void Aggregator::setGovernorState(ScopeKind kind, const QString &name, const GovernorState &state)
{
    if (ScopeStats *stats = kind == ScopeKind::All ? &m_all : scopeFor(kind, name))
        stats->setGovernor(state);
}

std::optional<GovernorState> Aggregator::governorState(ScopeKind kind, const QString &name) const
{
    const ScopeStats *stats = find(kind, name);
    return stats ? stats->governor() : std::nullopt;
}

void Aggregator::setStreamHealth(const QString &endpoint, const StreamHealth &health)
{
    if (ScopeStats *stats = scopeFor(ScopeKind::Endpoint, endpoint))
        stats->setStream(health);
}

std::optional<StreamHealth> Aggregator::streamHealth(const QString &endpoint) const
{
    const ScopeStats *stats = find(ScopeKind::Endpoint, endpoint);
    return stats ? stats->stream() : std::nullopt;
}

QStringList Aggregator::streamNames() const
{
    QStringList out;
    for (const auto &[name, stats] : m_scopes[0])
        if (stats->stream())
            out.append(name);
    out.sort();
    return out;
}

QString toString(StreamHealth::State state)
{
    switch (state) {
    case StreamHealth::State::Idle:
        return QStringLiteral("idle");
    case StreamHealth::State::Connecting:
        return QStringLiteral("connecting");
    case StreamHealth::State::Authorizing:
        return QStringLiteral("authorizing");
    case StreamHealth::State::Connected:
        return QStringLiteral("connected");
    case StreamHealth::State::Reconnecting:
        return QStringLiteral("reconnecting");
    case StreamHealth::State::GaveUp:
        return QStringLiteral("gave_up");
    }
    return QStringLiteral("idle");
}

std::optional<qint64> Aggregator::tokenExpiresInMs(ScopeKind kind, const QString &name) const
{
    const ScopeStats *stats = find(kind, name);
    if (!stats || !stats->tokenExpiresAtMs())
        return std::nullopt;
    return *stats->tokenExpiresAtMs() - m_clock.nowMs();
}

QVector<QPointF> Aggregator::series(ScopeKind kind, const QString &name, SeriesMetric metric,
                                    Resolution resolution, qint64 fromMs, qint64 toMs,
                                    int pixelWidth) const
{
    const BucketRing *r = ring(kind, name, resolution);
    if (!r)
        return {};
    return SeriesBuilder::series(*r, metric, fromMs, toMs, m_clock.nowMs(), pixelWidth);
}

StackedCounts Aggregator::stackedSeries(ScopeKind kind, const QString &name, Resolution resolution,
                                        qint64 fromMs, qint64 toMs, int pixelWidth) const
{
    const BucketRing *r = ring(kind, name, resolution);
    if (!r) {
        StackedCounts empty;
        empty.columnMs = resolutionMs(resolution);
        return empty;
    }
    return SeriesBuilder::stacked(*r, fromMs, toMs, m_clock.nowMs(), pixelWidth);
}

const BucketRing *Aggregator::ring(ScopeKind kind, const QString &name, Resolution resolution) const
{
    const ScopeStats *stats = find(kind, name);
    return stats ? &stats->ring(resolution) : nullptr;
}

std::size_t Aggregator::bytesHeld() const
{
    std::size_t bytes = sizeof(*this) + m_all.bytesHeld();
    for (const ScopeMap &map : m_scopes) {
        for (const auto &[name, stats] : map)
            bytes += stats->bytesHeld() + sizeof(name) + std::size_t(name.size()) * 2 + 32;
    }
    return bytes;
}

} // namespace hd
