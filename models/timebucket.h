#pragma once

// One time bucket of one scope: counters only, so it costs the same whether it saw one event
// or a million. The latency histogram lives beside it in BucketRing (only rings that chart
// percentiles pay for one).

#include "eventtypes.h"

#include <QtGlobal>

#include <array>
#include <limits>

namespace hd {

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

    quint32 failures() const { return total - outcomes[std::size_t(Outcome::Success)]; }
    double errorRate() const { return total ? double(failures()) / double(total) : 0.0; }
    double meanLatencyMs() const { return total ? latencySumMs / double(total) : 0.0; }
};

} // namespace hd
