#pragma once

// A fixed ring of TimeBuckets at one resolution (1 s, 10 s, 1 min …). A slot remembers which
// bucket index it holds, so moving forward in time never has to clear the slots in between:
// a stale slot is recognised and reset when it is next written, and skipped when read.
// Adding an event is O(1); memory is fixed at construction.

#include "eventsample.h"
#include "latencyhistogram.h"
#include "timebucket.h"

#include <QList>

#include <algorithm>
#include <functional>
#include <vector>

namespace hd {

class BucketRing
{
public:
    BucketRing(qint64 resolutionMs, int capacity, bool withHistograms);

    qint64 resolutionMs() const { return m_resolutionMs; }
    int capacity() const { return int(m_buckets.size()); }
    qint64 spanMs() const { return m_resolutionMs * capacity(); }
    bool hasHistograms() const { return !m_histograms.empty(); }

    // False when the event is older than the ring's window (relative to the newest event
    // seen); such late events are counted in droppedLate().
    bool add(const EventSample &sample);

    // Calls visit for every live bucket overlapping [fromMs, toMs), oldest first.
    // The histogram pointer is null for rings without histograms.
    void
    forEach(qint64 fromMs, qint64 toMs,
            const std::function<void(const TimeBucket &, const LatencyHistogram *)> &visit) const;

    // The same walk without a std::function per bucket, for the chart series that visit tens
    // of thousands of buckets per replot.
    template<typename Visit>
    void visit(qint64 fromMs, qint64 toMs, Visit &&visit) const
    {
        if (m_newestIndex < 0 || toMs <= fromMs)
            return;
        const qint64 oldestLive = m_newestIndex - capacity() + 1;
        const qint64 first = std::max(oldestLive, floorDiv(fromMs, m_resolutionMs));
        const qint64 last = std::min(m_newestIndex, floorDiv(toMs - 1, m_resolutionMs));
        const qint64 c = capacity();
        std::size_t slot = slotOf(first);
        for (qint64 index = first; index <= last; ++index) {
            const TimeBucket &b = m_buckets[slot];
            if (b.index == index)
                visit(b, m_histograms.empty() ? nullptr : &m_histograms[slot]);
            if (qint64(++slot) == c)
                slot = 0;
        }
    }

    static qint64 floorDiv(qint64 a, qint64 b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

    qint64 newestIndex() const { return m_newestIndex; }
    quint64 droppedLate() const { return m_droppedLate; }
    std::size_t bytesHeld() const;

private:
    std::size_t slotOf(qint64 index) const;

    qint64 m_resolutionMs;
    std::vector<TimeBucket> m_buckets;
    std::vector<LatencyHistogram> m_histograms;
    qint64 m_newestIndex = -1;
    quint64 m_droppedLate = 0;
};

} // namespace hd
