#pragma once

// MetricsCollector: what /metrics reports, kept since the process (or the workspace) started.
// observe() is fed every ApiEvent; render() writes the Prometheus text exposition from those
// cumulative counters and histograms plus live state read at scrape time: the governor's
// snapshot per endpoint, the scheduler's deferral counters and the alert engine's rules.
//
// Cardinality is bounded by construction: labels are endpoint ids and environment ids (as the
// workspace names them; token requests are endpoint "token:<credential id>"), outcome and
// category (closed vocabularies), alert rule ids and kinds, and SLO ids, their scopes and the four
// burn-rate windows. Never URLs, event ids, trace or other identifiers. Beyond maxSeries distinct
// endpoint/environment pairs, further events are counted under endpoint="_other",
// environment="_other". Main thread only (the engine emits events there; the server renders there).

#include "apievent.h"
#include "clock.h"
#include "eventtypes.h"
#include "networkmetrics.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace hd {

class AlertEngine;
class PromTextWriter;
class MonitorEngine;

class MetricsCollector
{
public:
    explicit MetricsCollector(const Clock &clock = Clock::system(), int maxSeries = 2000);
    ~MetricsCollector();

    void observe(const ApiEvent &event);
    // Forgets every series (a different workspace was opened).
    void clear();

    // The exposition. engine and alerts may be null (their families are then left out, except
    // alert rules, which are always listed when an alert engine is given).
    QByteArray render(const MonitorEngine *engine = nullptr,
                      const AlertEngine *alerts = nullptr) const;

    // Upper bounds of the latency histogram, in seconds.
    static const QList<double> &latencyBucketsS();
    static QString overflowLabel() { return QStringLiteral("_other"); }

    qsizetype seriesCount() const { return qsizetype(m_series.size()); }
    quint64 overflowEvents() const { return m_overflowEvents; }

private:
    struct Series
    {
        QString endpoint;
        QString environment;
        std::array<std::array<quint64, CategoryCount>, 5> requests{}; // [outcome][category]
        std::vector<quint64> latencyBuckets;                          // not cumulative
        quint64 latencyCount = 0;
        double latencySumS = 0;
        qint64 lastEventMs = 0;
        bool lastSuccess = false;
        std::optional<qint64> limit;
        std::optional<qint64> remaining;
        std::optional<qint64> tokenExpiresAtMs;
        quint64 lockouts = 0;
        qint64 lockoutUntilMs = 0;
    };
    Series &seriesFor(const ApiEvent &event);
    void renderSlos(PromTextWriter &w, const AlertEngine &alerts) const;

    const Clock &m_clock;
    int m_maxSeries;
    qint64 m_startMs;
    QHash<QString, qsizetype> m_index; // endpoint '\x1f' environment → m_series index
    std::vector<std::unique_ptr<Series>> m_series;
    quint64 m_overflowEvents = 0;
    NetworkMetrics m_network; // certificate expiry, phase histogram, health state
};

} // namespace hd
