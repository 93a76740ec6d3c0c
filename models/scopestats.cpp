#include "scopestats.h"

namespace hd {

ScopeStats::ScopeStats(const AggregatorConfig &config)
{
    m_rings.reserve(ResolutionCount);
    for (int r = 0; r < ResolutionCount; ++r) {
        m_rings.emplace_back(resolutionMs(Resolution(r)), config.buckets[std::size_t(r)],
                             config.histograms[std::size_t(r)]);
    }
}

void ScopeStats::add(const EventSample &sample)
{
    for (BucketRing &ring : m_rings)
        ring.add(sample);
    m_lastEventMs = std::max(m_lastEventMs, sample.timeMs);
    // Events may arrive slightly out of order from several workers; the newest one wins.
    if (sample.headroom && sample.timeMs >= m_headroomTimeMs) {
        m_headroom = sample.headroom;
        m_headroomTimeMs = sample.timeMs;
    }
    if (sample.tokenExpiresAtMs && sample.timeMs >= m_tokenTimeMs) {
        m_tokenExpiresAtMs = sample.tokenExpiresAtMs;
        m_tokenTimeMs = sample.timeMs;
    }
}

std::size_t ScopeStats::bytesHeld() const
{
    std::size_t bytes = sizeof(*this);
    for (const BucketRing &ring : m_rings)
        bytes += ring.bytesHeld();
    return bytes;
}

} // namespace hd
