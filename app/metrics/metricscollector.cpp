#include "metricscollector.h"

#include "alertengine.h"
#include "governor.h"
#include "healthdeck/version.h"
#include "monitorengine.h"
#include "promtextwriter.h"
#include "saturating.h"

#include <QSet>

#include <algorithm>
#include <functional>
#include <tuple>

namespace hd {
namespace {

using Type = PromTextWriter::Type;

QString seriesKey(const QString &endpoint, const QString &environment)
{
    return endpoint + QChar(0x1f) + environment;
}

MetricLabels endpointLabels(const QString &endpoint, const QString &environment)
{
    return {{QByteArrayLiteral("endpoint"), endpoint},
            {QByteArrayLiteral("environment"), environment}};
}

double seconds(qint64 ms)
{
    return double(ms) / 1000.0;
}

} // namespace

MetricsCollector::MetricsCollector(const Clock &clock, int maxSeries)
    : m_clock(clock)
    , m_maxSeries(std::max(1, maxSeries))
    , m_startMs(clock.nowMs())
{}

MetricsCollector::~MetricsCollector() = default;

const QList<double> &MetricsCollector::latencyBucketsS()
{
    // Prometheus client defaults, from 5 ms (a loopback call) to 10 s (beyond any timeout
    // a health check should have).
    static const QList<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                       0.5,   1.0,  2.5,   5.0,  10.0};
    return buckets;
}

void MetricsCollector::clear()
{
    m_index.clear();
    m_series.clear();
    m_overflowEvents = 0;
    m_network.clear();
    m_startMs = m_clock.nowMs();
}

MetricsCollector::Series &MetricsCollector::seriesFor(const ApiEvent &e)
{
    const QString key = seriesKey(e.endpoint, e.environment);
    auto it = m_index.constFind(key);
    if (it != m_index.constEnd())
        return *m_series[std::size_t(*it)];
    QString endpoint = e.endpoint;
    QString environment = e.environment;
    if (qsizetype(m_series.size()) >= m_maxSeries) {
        ++m_overflowEvents;
        endpoint = environment = overflowLabel();
        const QString overflowKey = seriesKey(endpoint, environment);
        auto o = m_index.constFind(overflowKey);
        if (o != m_index.constEnd())
            return *m_series[std::size_t(*o)];
        // The overflow series itself is the one allowed beyond the cap.
        m_index.insert(overflowKey, qsizetype(m_series.size()));
    } else {
        m_index.insert(key, qsizetype(m_series.size()));
    }
    auto s = std::make_unique<Series>();
    s->endpoint = endpoint;
    s->environment = environment;
    s->latencyBuckets.assign(std::size_t(latencyBucketsS().size()), 0);
    m_series.push_back(std::move(s));
    return *m_series.back();
}

void MetricsCollector::observe(const ApiEvent &e)
{
    Series &s = seriesFor(e);
    m_network.observe(s.endpoint, s.environment, e);
    ++s.requests[std::size_t(e.outcome)][std::size_t(e.category)];

    const double durationS = std::max(0.0, e.durationMs) / 1000.0;
    const QList<double> &bounds = latencyBucketsS();
    const auto slot = std::lower_bound(bounds.cbegin(), bounds.cend(), durationS) - bounds.cbegin();
    if (slot < bounds.size())
        ++s.latencyBuckets[std::size_t(slot)];
    ++s.latencyCount;
    s.latencySumS += durationS;

    if (e.timeMs >= s.lastEventMs) {
        s.lastEventMs = e.timeMs;
        s.lastSuccess = !e.isFailure();
    }
    if (e.rateLimit && e.rateLimit->limit && e.rateLimit->remaining) {
        s.limit = e.rateLimit->limit;
        s.remaining = e.rateLimit->remaining;
    }
    if (e.token && e.token->expiresInS)
        s.tokenExpiresAtMs = saturatingAdd(e.timeMs, saturatingMul(*e.token->expiresInS, 1000));
    if (e.retry.action == RetryAction::StopLockout) {
        ++s.lockouts;
        s.lockoutUntilMs = std::max(
            s.lockoutUntilMs, e.timeMs + e.retry.delayMs.value_or(GovernorConfig{}.lockoutMs));
    }
}

QByteArray MetricsCollector::render(const MonitorEngine *engine, const AlertEngine *alerts) const
{
    const qint64 now = m_clock.nowMs();
    std::vector<const Series *> series;
    series.reserve(m_series.size());
    for (const auto &s : m_series)
        series.push_back(s.get());
    std::sort(series.begin(), series.end(), [](const Series *a, const Series *b) {
        return std::tie(a->endpoint, a->environment) < std::tie(b->endpoint, b->environment);
    });

    PromTextWriter w;
    w.family("healthdeck_build_info", Type::Gauge,
             "HealthDeck version and the Qt runtime it runs on; always 1.");
    w.sample("healthdeck_build_info",
             {{QByteArrayLiteral("version"), QStringLiteral(HEALTHDECK_VERSION)},
              {QByteArrayLiteral("qt_version"), QString::fromLatin1(qVersion())}},
             1);
    w.family("healthdeck_start_time_seconds", Type::Gauge,
             "When these counters started (process start or workspace opened), Unix seconds.");
    w.sample("healthdeck_start_time_seconds", {}, seconds(m_startMs));

    w.family("healthdeck_requests_total", Type::Counter,
             "Request attempts by endpoint, environment, outcome and category "
             "(healthdeck.event/1 vocabularies).");
    for (const Series *s : series) {
        for (int o = 0; o < 5; ++o) {
            for (int c = 0; c < CategoryCount; ++c) {
                const quint64 n = s->requests[std::size_t(o)][std::size_t(c)];
                if (!n)
                    continue;
                MetricLabels labels = endpointLabels(s->endpoint, s->environment);
                labels.append({QByteArrayLiteral("outcome"), toQString(toString(Outcome(o)))});
                labels.append({QByteArrayLiteral("category"), toQString(toString(Category(c)))});
                w.sample("healthdeck_requests_total", labels, double(n));
            }
        }
    }

    if (!series.empty()) {
        w.family("healthdeck_request_duration_seconds", Type::Histogram,
                 "Request attempt duration (connect to last byte, or to the failure), seconds.");
        for (const Series *s : series) {
            QList<quint64> cumulative;
            quint64 running = 0;
            for (quint64 n : s->latencyBuckets)
                cumulative.append(running += n);
            w.histogram("healthdeck_request_duration_seconds",
                        endpointLabels(s->endpoint, s->environment), latencyBucketsS(), cumulative,
                        s->latencyCount, s->latencySumS);
        }

        w.family("healthdeck_endpoint_up", Type::Gauge,
                 "1 when the newest attempt of the endpoint succeeded, else 0.");
        for (const Series *s : series)
            w.sample("healthdeck_endpoint_up", endpointLabels(s->endpoint, s->environment),
                     s->lastSuccess ? 1 : 0);
        w.family("healthdeck_last_request_timestamp_seconds", Type::Gauge,
                 "Time of the newest attempt of the endpoint, Unix seconds.");
        for (const Series *s : series)
            w.sample("healthdeck_last_request_timestamp_seconds",
                     endpointLabels(s->endpoint, s->environment), seconds(s->lastEventMs));
    }

    const bool anyQuota = std::any_of(series.cbegin(), series.cend(),
                                      [](const Series *s) { return s->limit.has_value(); });
    if (anyQuota) {
        w.family("healthdeck_rate_limit_headroom_ratio", Type::Gauge,
                 "remaining / limit from the newest response with rate-limit headers (0..1).");
        for (const Series *s : series)
            if (s->limit)
                w.sample("healthdeck_rate_limit_headroom_ratio",
                         endpointLabels(s->endpoint, s->environment),
                         *s->limit > 0 ? double(*s->remaining) / double(*s->limit) : 0.0);
        w.family("healthdeck_rate_limit_remaining", Type::Gauge,
                 "Requests left in the quota window, from the newest rate-limit headers.");
        for (const Series *s : series)
            if (s->limit)
                w.sample("healthdeck_rate_limit_remaining",
                         endpointLabels(s->endpoint, s->environment), double(*s->remaining));
        w.family("healthdeck_rate_limit_limit", Type::Gauge,
                 "Quota size per window, from the newest rate-limit headers.");
        for (const Series *s : series)
            if (s->limit)
                w.sample("healthdeck_rate_limit_limit", endpointLabels(s->endpoint, s->environment),
                         double(*s->limit));
    }

    if (std::any_of(series.cbegin(), series.cend(),
                    [](const Series *s) { return s->tokenExpiresAtMs.has_value(); })) {
        w.family("healthdeck_token_expiry_seconds", Type::Gauge,
                 "Seconds until the newest access token the endpoint used (or fetched, for "
                 "token:<credential>) expires; negative once expired.");
        for (const Series *s : series)
            if (s->tokenExpiresAtMs)
                w.sample("healthdeck_token_expiry_seconds",
                         endpointLabels(s->endpoint, s->environment),
                         seconds(*s->tokenExpiresAtMs - now));
    }

    if (std::any_of(series.cbegin(), series.cend(), [](const Series *s) { return s->lockouts; })) {
        w.family("healthdeck_lockouts_total", Type::Counter,
                 "Lockout answers (tradovate 429: send nothing until the window ends).");
        for (const Series *s : series)
            if (s->lockouts)
                w.sample("healthdeck_lockouts_total", endpointLabels(s->endpoint, s->environment),
                         double(s->lockouts));
        w.family("healthdeck_lockout_active", Type::Gauge,
                 "1 while the endpoint's newest lockout window lasts, else 0.");
        for (const Series *s : series)
            if (s->lockouts)
                w.sample("healthdeck_lockout_active", endpointLabels(s->endpoint, s->environment),
                         now < s->lockoutUntilMs ? 1 : 0);
    }

    if (engine && engine->governor()) {
        struct Row
        {
            MetricLabels labels;
            GovernorSnapshot snap;
        };
        QList<Row> rows;
        QSet<QString> seen;
        for (const Endpoint &ep : engine->workspace().endpoints) {
            const QString key = engine->governorKeyFor(ep.id);
            if (key.isEmpty() || seen.contains(ep.id))
                continue; // not pollable (its URL did not resolve)
            seen.insert(ep.id);
            rows.append({endpointLabels(ep.id, ep.environment), engine->governor()->snapshot(key)});
        }
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
            return std::tie(a.labels[0].second, a.labels[1].second)
                   < std::tie(b.labels[0].second, b.labels[1].second);
        });
        if (!rows.isEmpty()) {
            w.family("healthdeck_governor_paused", Type::Gauge,
                     "1 while the governor sends nothing to the endpoint's host and credential "
                     "(Retry-After, exhausted quota, lockout), else 0.");
            for (const Row &r : rows)
                w.sample("healthdeck_governor_paused", r.labels,
                         r.snap.pausedUntilMs > now ? 1 : 0);
            w.family("healthdeck_governor_pause_remaining_seconds", Type::Gauge,
                     "Seconds until the governor's pause ends; 0 when not paused.");
            for (const Row &r : rows)
                w.sample("healthdeck_governor_pause_remaining_seconds", r.labels,
                         seconds(std::max<qint64>(0, r.snap.pausedUntilMs - now)));
            w.family("healthdeck_governor_breaker_open", Type::Gauge,
                     "1 while the circuit breaker is open or half-open (probing), else 0.");
            for (const Row &r : rows)
                w.sample("healthdeck_governor_breaker_open", r.labels,
                         r.snap.breaker == BreakerState::Closed ? 0 : 1);
            w.family("healthdeck_governor_slowed_down", Type::Gauge,
                     "1 while the governor spaces requests out after a lockout warning, else 0.");
            for (const Row &r : rows)
                w.sample("healthdeck_governor_slowed_down", r.labels, r.snap.slowedDown ? 1 : 0);
        }
        if (const PollScheduler *scheduler = engine->scheduler()) {
            w.family("healthdeck_governor_deferred_total", Type::Counter,
                     "Requests the governor held back (pause, lockout, quota share, breaker).");
            w.sample("healthdeck_governor_deferred_total", {},
                     double(scheduler->deferredByGovernor()));
            w.family("healthdeck_token_deferred_total", Type::Counter,
                     "Requests held back because no access token could be had.");
            w.sample("healthdeck_token_deferred_total", {}, double(scheduler->deferredForToken()));
        }
    }

    if (engine && !engine->streamMonitors().isEmpty()) {
        // Stream monitors (docs/streams.md): one series per workspace stream, no more.
        struct Row
        {
            MetricLabels labels;
            StreamHealth health;
        };
        QList<Row> rows;
        for (const StreamMonitor *m : engine->streamMonitors())
            rows.append(
                {endpointLabels(m->definition().id, m->definition().environment), m->health()});
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
            return a.labels[0].second < b.labels[0].second;
        });
        auto family = [&](const char *name, Type type, const char *help,
                          const std::function<double(const StreamHealth &)> &value) {
            w.family(name, type, help);
            for (const Row &r : std::as_const(rows))
                w.sample(name, r.labels, value(r.health));
        };
        family("healthdeck_stream_connected", Type::Gauge,
               "1 while the stream is open and authorized, else 0.", [](const StreamHealth &h) {
                   return h.state == StreamHealth::State::Connected ? 1 : 0;
               });
        family(
            "healthdeck_stream_gave_up", Type::Gauge,
            "1 once the stream reached its reconnect limit and stopped trying, else 0.",
            [](const StreamHealth &h) { return h.state == StreamHealth::State::GaveUp ? 1 : 0; });
        family("healthdeck_stream_reconnects_total", Type::Counter,
               "Connection attempts after the first.",
               [](const StreamHealth &h) { return double(h.reconnects); });
        family("healthdeck_stream_drops_total", Type::Counter,
               "Sessions lost: dropped, closed by the server, or heartbeat missed.",
               [](const StreamHealth &h) { return double(h.drops); });
        family("healthdeck_stream_heartbeat_misses_total", Type::Counter,
               "Sessions closed because the server's heartbeat stopped.",
               [](const StreamHealth &h) { return double(h.heartbeatMisses); });
        family("healthdeck_stream_connected_seconds_total", Type::Counter,
               "Time the stream has been open and authorized, in seconds.",
               [](const StreamHealth &h) { return seconds(h.connectedTotalMs); });
        family("healthdeck_stream_messages_per_second", Type::Gauge,
               "Frames received per second over the last 10 s.",
               [](const StreamHealth &h) { return h.messagesPerSecond; });
        family("healthdeck_stream_last_frame_timestamp_seconds", Type::Gauge,
               "When the newest frame arrived, Unix seconds; 0 before the first.",
               [](const StreamHealth &h) { return seconds(h.lastFrameMs); });
    }

    if (alerts && !alerts->rules().isEmpty()) {
        QList<AlertRule> rules; // one series per rule id, even if a workspace repeats one
        QSet<QString> ruleIds;
        for (const AlertRule &r : alerts->rules())
            if (!ruleIds.contains(r.id)) {
                ruleIds.insert(r.id);
                rules.append(r);
            }
        QHash<QString, int> firing;
        for (const AlertState &a : alerts->active())
            if (a.firing())
                ++firing[a.ruleId];
        w.family("healthdeck_alert_firing", Type::Gauge,
                 "1 while the workspace alert rule fires for at least one subject, else 0.");
        for (const AlertRule &r : std::as_const(rules))
            w.sample("healthdeck_alert_firing",
                     {{QByteArrayLiteral("rule"), r.id}, {QByteArrayLiteral("kind"), r.kind}},
                     firing.value(r.id) ? 1 : 0);
        w.family("healthdeck_alert_firing_subjects", Type::Gauge,
                 "How many endpoints, environments or credentials the rule fires for.");
        for (const AlertRule &r : std::as_const(rules))
            w.sample("healthdeck_alert_firing_subjects",
                     {{QByteArrayLiteral("rule"), r.id}, {QByteArrayLiteral("kind"), r.kind}},
                     firing.value(r.id));
    }

    if (alerts)
        renderSlos(w, *alerts);

    m_network.render(w, now);

    w.family("healthdeck_metrics_overflow_events_total", Type::Counter,
             "Events counted under endpoint=\"_other\" because the series cap was reached.");
    w.sample("healthdeck_metrics_overflow_events_total", {}, double(m_overflowEvents));
    return w.take();
}

void MetricsCollector::renderSlos(PromTextWriter &w, const AlertEngine &alerts) const
{
    // SLOs (docs/slo.md): requests inside maintenance windows and outside trading hours are
    // left out, which Prometheus cannot do from healthdeck_requests_total alone.
    const QList<SloReport> slos = alerts.slos().reports();
    auto labels = [](const SloReport &r) {
        return MetricLabels{{QByteArrayLiteral("slo"), r.slo.id},
                            {QByteArrayLiteral("scope"), r.slo.scope}};
    };
    w.family("healthdeck_slo_objective_ratio", Type::Gauge,
             "Share of the requests in scope that must succeed over the SLO's period.");
    for (const SloReport &r : slos)
        w.sample("healthdeck_slo_objective_ratio", labels(r), r.slo.objective / 100.0);
    w.family("healthdeck_slo_error_budget_remaining_ratio", Type::Gauge,
             "Share of the period's error budget still unspent (1 untouched, 0 spent, negative "
             "overspent), over what this process saw; time in maintenance windows left out.");
    for (const SloReport &r : slos)
        w.sample("healthdeck_slo_error_budget_remaining_ratio", labels(r), r.budgetRemaining);
    w.family("healthdeck_slo_burn_rate", Type::Gauge,
             "Error rate over the window divided by the rate the objective allows (1 spends the "
             "budget in exactly the period).");
    for (const SloReport &r : slos) {
        const std::pair<const char *, double> windows[]
            = {{"5m", r.burn5m}, {"30m", r.burn30m}, {"1h", r.burn1h}, {"6h", r.burn6h}};
        for (const auto &[window, burn] : windows) {
            MetricLabels l = labels(r);
            l.append({QByteArrayLiteral("window"), QString::fromLatin1(window)});
            w.sample("healthdeck_slo_burn_rate", l, burn);
        }
    }
    // Per environment seen in events: 1 while it is in a window (the Prometheus rules in
    // installer/prometheus/ hold their burn-rate alerts on it).
    QStringList environments;
    for (const auto &series : m_series)
        if (!series->environment.isEmpty() && !environments.contains(series->environment)
            && series->environment != overflowLabel())
            environments.append(series->environment);
    std::sort(environments.begin(), environments.end());
    w.family("healthdeck_maintenance_active", Type::Gauge,
             "1 while the environment is in a maintenance window or outside its trading "
             "calendar's hours, else 0.");
    for (const QString &env : std::as_const(environments))
        w.sample("healthdeck_maintenance_active", {{QByteArrayLiteral("environment"), env}},
                 alerts.windowNow(env) ? 1 : 0);
}

} // namespace hd
