#pragma once

// One time bucket of one scope: counters only, so it costs the same whether it saw one event
// or a million. The latency histogram lives beside it in BucketRing (only rings that chart
// percentiles pay for one).

#include "eventtypes.h"

#include <QtGlobal>

#include <array>
#include <limits>

namespace hd {

// The phases of a request's time the event's "timing" records (docs/network.md, "Timings"),
// in the order they happen; they do not overlap, so their means stack to the time observed.
// Tls is the connect and the handshake of an https connection (Qt 6.4 does not split them);
// Connect is the TCP connect of a plain-http one.
enum class Phase { Dns, Connect, Tls, Sent, FirstByte, Transfer };
constexpr std::size_t PhaseCount = 6;

struct TimeBucket
{
    // Index of the bucket since the epoch (timeMs / resolution); -1 means empty.
    qint64 index = -1;
    quint32 total = 0;
    std::array<quint32, 5> outcomes{};
    std::array<quint32, CategoryCount> categories{};
    double latencySumMs = 0;
    float latencyMaxMs = 0;
    // Lowest rate-limit headroom seen in the bucket; negative when no response carried one.
    float minHeadroom = -1;
    // Latest token expiry (UTC ms) any event of the bucket reported; 0 when none did.
    qint64 tokenExpiresAtMs = 0;
    // Events that carried per-phase timings, and the sum of each phase over them (a phase an
    // event did not go through, such as the handshake on a reused connection, adds 0).
    quint32 timed = 0;
    std::array<double, PhaseCount> phaseSumMs{};

    quint32 failures() const { return total - outcomes[std::size_t(Outcome::Success)]; }
    double errorRate() const { return total ? double(failures()) / double(total) : 0.0; }
    double meanLatencyMs() const { return total ? latencySumMs / double(total) : 0.0; }
    double meanPhaseMs(Phase p) const
    {
        return timed ? phaseSumMs[std::size_t(p)] / double(timed) : 0.0;
    }
};

} // namespace hd
