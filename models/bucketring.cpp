#include "bucketring.h"

#include <algorithm>

namespace hd {

std::size_t BucketRing::slotOf(qint64 index) const
{
    const qint64 c = capacity();
    return std::size_t(((index % c) + c) % c);
}

BucketRing::BucketRing(qint64 resolutionMs, int capacity, bool withHistograms)
    : m_resolutionMs(std::max<qint64>(1, resolutionMs))
    , m_buckets(std::size_t(std::max(1, capacity)))
{
    if (withHistograms)
        m_histograms.resize(m_buckets.size());
}

bool BucketRing::add(const EventSample &sample)
{
    const qint64 index = floorDiv(sample.timeMs, m_resolutionMs);
    if (m_newestIndex >= 0 && index <= m_newestIndex - capacity()) {
        ++m_droppedLate;
        return false;
    }
    m_newestIndex = std::max(m_newestIndex, index);

    const std::size_t slot = slotOf(index);
    TimeBucket &b = m_buckets[slot];
    if (b.index != index) {
        b = TimeBucket{};
        b.index = index;
        if (!m_histograms.empty())
            m_histograms[slot].clear();
    }
    ++b.total;
    ++b.outcomes[std::size_t(sample.outcome)];
    ++b.categories[std::size_t(sample.category)];
    b.latencySumMs += sample.durationMs;
    b.latencyMaxMs = std::max(b.latencyMaxMs, float(sample.durationMs));
    if (sample.headroom) {
        const float h = float(*sample.headroom);
        b.minHeadroom = b.minHeadroom < 0 ? h : std::min(b.minHeadroom, h);
    }
    if (sample.tokenExpiresAtMs)
        b.tokenExpiresAtMs = std::max(b.tokenExpiresAtMs, *sample.tokenExpiresAtMs);
    if (sample.phasesMs) {
        ++b.timed;
        for (std::size_t i = 0; i < PhaseCount; ++i)
            b.phaseSumMs[i] += double((*sample.phasesMs)[i]);
    }
    if (!m_histograms.empty())
        m_histograms[slot].record(sample.durationMs);
    return true;
}

void BucketRing::forEach(
    qint64 fromMs, qint64 toMs,
    const std::function<void(const TimeBucket &, const LatencyHistogram *)> &visit) const
{
    this->visit(fromMs, toMs, visit);
}

std::size_t BucketRing::bytesHeld() const
{
    return sizeof(*this) + m_buckets.capacity() * sizeof(TimeBucket)
           + m_histograms.capacity() * sizeof(LatencyHistogram);
}

} // namespace hd
