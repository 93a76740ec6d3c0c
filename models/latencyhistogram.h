#pragma once

// A log-linear latency histogram (the HdrHistogram idea, fixed size): every power of two is
// split into SubBuckets linear slots, so recording is one bit-scan and one increment and a
// percentile is one pass over a few hundred counters — never a sort. Values are recorded in
// microseconds; a reported percentile is the middle of its slot, so it is within
// relativeError() of the true value.

#include <QtGlobal>

#include <array>

namespace hd {

class LatencyHistogram
{
public:
    static constexpr int SubBucketBits = 3;
    static constexpr int SubBuckets = 1 << SubBucketBits;
    // 2^30 µs ≈ 18 minutes; anything slower is clamped into the last slot.
    static constexpr int MaxExponent = 30;
    static constexpr int SlotCount = SubBuckets + (MaxExponent - SubBucketBits) * SubBuckets;

    // Worst-case relative error of a reported percentile (half a slot width).
    static constexpr double relativeError() { return 0.5 / SubBuckets; }

    void record(double ms);
    void merge(const LatencyHistogram &other);
    void clear();

    quint64 count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    double maxMs() const { return m_maxUs / 1000.0; }
    // q in [0, 1]; 0 for an empty histogram.
    double percentileMs(double q) const;

    static int slotOf(quint64 us);
    static quint64 slotLowUs(int slot);
    static quint64 slotHighUs(int slot); // exclusive

private:
    std::array<quint32, SlotCount> m_slots{};
    quint64 m_count = 0;
    quint64 m_maxUs = 0;
};

} // namespace hd
