#pragma once

// Everything the aggregators know about one scope (one endpoint, one environment, one
// credential, or all events): a BucketRing per resolution plus the latest rate-limit headroom
// and token expiry. Fixed size once constructed.

#include "aggregatortypes.h"
#include "bucketring.h"

#include <optional>
#include <vector>

namespace hd {

class ScopeStats
{
public:
    explicit ScopeStats(const AggregatorConfig &config);

    void add(const EventSample &sample);

    const BucketRing &ring(Resolution r) const { return m_rings[std::size_t(r)]; }
    std::optional<double> headroom() const { return m_headroom; }
    std::optional<qint64> tokenExpiresAtMs() const { return m_tokenExpiresAtMs; }
    qint64 lastEventMs() const { return m_lastEventMs; }
    const std::optional<GovernorState> &governor() const { return m_governor; }
    void setGovernor(const GovernorState &state) { m_governor = state; }
    const std::optional<StreamHealth> &stream() const { return m_stream; }
    void setStream(const StreamHealth &health) { m_stream = health; }
    std::size_t bytesHeld() const;

private:
    std::vector<BucketRing> m_rings;
    std::optional<double> m_headroom;
    qint64 m_headroomTimeMs = 0;
    std::optional<qint64> m_tokenExpiresAtMs;
    qint64 m_tokenTimeMs = 0;
    qint64 m_lastEventMs = 0;
    std::optional<GovernorState> m_governor;
    std::optional<StreamHealth> m_stream;
};

} // namespace hd
