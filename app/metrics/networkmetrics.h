#pragma once

// The network families of /metrics (docs/metrics.md): seconds until each endpoint's server
// certificate expires (from the newest TLS answer), a per-phase latency histogram (the event's
// "timing": dns, connect, tls, sent, first_byte, transfer) and the endpoint's health state
// (up, degraded, down). Fed by MetricsCollector with the series labels it chose, so the
// collector's cap on series applies here too. Main thread only.

#include "apievent.h"
#include "promtextwriter.h"

#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <vector>

namespace hd {

class NetworkMetrics
{
public:
    static constexpr int PhaseCount = 6;
    static const std::array<const char *, PhaseCount> &phaseNames();
    // Upper bounds of the phase histogram, in seconds: phases are shorter than whole requests.
    static const QList<double> &phaseBucketsS();

    void observe(const QString &endpoint, const QString &environment, const ApiEvent &event);
    void render(PromTextWriter &w, qint64 nowMs) const;
    void clear() { m_slots.clear(); }

private:
    struct Phase
    {
        std::vector<quint64> buckets; // not cumulative
        quint64 count = 0;
        double sumS = 0;
    };
    struct Slot
    {
        QString endpoint;
        QString environment;
        qint64 certNotAfterMs = 0;
        qint64 lastEventMs = 0;
        Health health = Health::Up;
        bool healthKnown = false;
        std::array<Phase, PhaseCount> phases;
    };
    QHash<QString, Slot> m_slots;
};

} // namespace hd
