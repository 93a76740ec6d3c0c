#include "networkmetrics.h"

#include "endpointhealth.h"

#include <algorithm>
#include <tuple>

namespace hd {
namespace {

using Type = PromTextWriter::Type;

MetricLabels labelsOf(const QString &endpoint, const QString &environment)
{
    return {{QByteArrayLiteral("endpoint"), endpoint},
            {QByteArrayLiteral("environment"), environment}};
}

} // namespace

const std::array<const char *, NetworkMetrics::PhaseCount> &NetworkMetrics::phaseNames()
{
    // The members of the event's "timing" without "_ms" (DESIGN §2).
    static const std::array<const char *, PhaseCount> names{"dns",  "connect",    "tls",
                                                            "sent", "first_byte", "transfer"};
    return names;
}

const QList<double> &NetworkMetrics::phaseBucketsS()
{
    // From 0.1 ms (a loopback connect) to 5 s.
    static const QList<double> buckets{0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                       0.05,   0.1,    0.25,  0.5,    1.0,   2.5,  5.0};
    return buckets;
}

void NetworkMetrics::observe(const QString &endpoint, const QString &environment, const ApiEvent &e)
{
    const QString key = endpoint + QChar(0x1f) + environment;
    auto it = m_slots.find(key);
    if (it == m_slots.end()) {
        Slot s;
        s.endpoint = endpoint;
        s.environment = environment;
        for (Phase &p : s.phases)
            p.buckets.assign(std::size_t(phaseBucketsS().size()), 0);
        it = m_slots.insert(key, std::move(s));
    }
    Slot &s = *it;
    if (e.tls && e.tls->notAfterMs > 0)
        s.certNotAfterMs = e.tls->notAfterMs;
    if (e.timeMs >= s.lastEventMs) {
        s.lastEventMs = e.timeMs;
        s.health = healthOf(e);
        s.healthKnown = true;
    }
    if (!e.timing)
        return;
    const TimingInfo &t = *e.timing;
    const std::array<std::optional<double>, PhaseCount> values{
        t.dnsMs, t.connectMs, t.tlsMs, t.sentMs, t.firstByteMs, t.transferMs};
    const QList<double> &bounds = phaseBucketsS();
    for (int i = 0; i < PhaseCount; ++i) {
        if (!values[std::size_t(i)])
            continue;
        const double v = std::max(0.0, *values[std::size_t(i)]) / 1000.0;
        Phase &p = s.phases[std::size_t(i)];
        const auto slot = std::lower_bound(bounds.cbegin(), bounds.cend(), v) - bounds.cbegin();
        if (slot < bounds.size())
            ++p.buckets[std::size_t(slot)];
        ++p.count;
        p.sumS += v;
    }
}

void NetworkMetrics::render(PromTextWriter &w, qint64 nowMs) const
{
    std::vector<const Slot *> rows;
    for (const Slot &s : m_slots)
        rows.push_back(&s);
    std::sort(rows.begin(), rows.end(), [](const Slot *a, const Slot *b) {
        return std::tie(a->endpoint, a->environment) < std::tie(b->endpoint, b->environment);
    });

    if (std::any_of(rows.cbegin(), rows.cend(), [](const Slot *s) { return s->healthKnown; })) {
        w.family("healthdeck_endpoint_health", Type::Gauge,
                 "1 for the endpoint's current health state (up, degraded, down), 0 for the "
                 "others: degraded is slower than the endpoint's threshold or rate limited.");
        for (const Slot *s : rows) {
            if (!s->healthKnown)
                continue;
            for (Health h : {Health::Up, Health::Degraded, Health::Down}) {
                MetricLabels labels = labelsOf(s->endpoint, s->environment);
                labels.append({QByteArrayLiteral("state"), toQString(toString(h))});
                w.sample("healthdeck_endpoint_health", labels, s->health == h ? 1 : 0);
            }
        }
    }

    if (std::any_of(rows.cbegin(), rows.cend(),
                    [](const Slot *s) { return s->certNotAfterMs > 0; })) {
        w.family("healthdeck_tls_cert_expiry_seconds", Type::Gauge,
                 "Seconds until the leaf certificate of the endpoint's newest TLS answer expires; "
                 "negative once expired.");
        for (const Slot *s : rows)
            if (s->certNotAfterMs > 0)
                w.sample("healthdeck_tls_cert_expiry_seconds",
                         labelsOf(s->endpoint, s->environment),
                         double(s->certNotAfterMs - nowMs) / 1000.0);
    }

    const bool anyPhase = std::any_of(rows.cbegin(), rows.cend(), [](const Slot *s) {
        return std::any_of(s->phases.cbegin(), s->phases.cend(),
                           [](const Phase &p) { return p.count > 0; });
    });
    if (!anyPhase)
        return;
    w.family("healthdeck_request_phase_duration_seconds", Type::Histogram,
             "Duration of each observed phase of a request attempt (docs/network.md, Timings): "
             "dns, connect, tls (connect + handshake), sent, first_byte, transfer.");
    for (const Slot *s : rows) {
        for (int i = 0; i < PhaseCount; ++i) {
            const Phase &p = s->phases[std::size_t(i)];
            if (!p.count)
                continue;
            QList<quint64> cumulative;
            quint64 running = 0;
            for (quint64 n : p.buckets)
                cumulative.append(running += n);
            MetricLabels labels = labelsOf(s->endpoint, s->environment);
            labels.append(
                {QByteArrayLiteral("phase"), QString::fromLatin1(phaseNames()[std::size_t(i)])});
            w.histogram("healthdeck_request_phase_duration_seconds", labels, phaseBucketsS(),
                        cumulative, p.count, p.sumS);
        }
    }
}

} // namespace hd
