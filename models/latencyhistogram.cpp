#include "latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hd {

int LatencyHistogram::slotOf(quint64 us)
{
    if (us < quint64(SubBuckets))
        return int(us);
    const int exponent = std::min(int(std::bit_width(us)) - 1, MaxExponent - 1);
    if (exponent == MaxExponent - 1 && us >= (quint64(1) << MaxExponent))
        return SlotCount - 1;
    const int sub = int((us >> (exponent - SubBucketBits)) & (SubBuckets - 1));
    return SubBuckets + (exponent - SubBucketBits) * SubBuckets + sub;
}

quint64 LatencyHistogram::slotLowUs(int slot)
{
    if (slot < SubBuckets)
        return quint64(slot);
    const int exponent = (slot - SubBuckets) / SubBuckets + SubBucketBits;
    const int sub = (slot - SubBuckets) % SubBuckets;
    return (quint64(1) << exponent) + (quint64(sub) << (exponent - SubBucketBits));
}

quint64 LatencyHistogram::slotHighUs(int slot)
{
    if (slot < SubBuckets)
        return quint64(slot) + 1;
    const int exponent = (slot - SubBuckets) / SubBuckets + SubBucketBits;
    return slotLowUs(slot) + (quint64(1) << (exponent - SubBucketBits));
}

void LatencyHistogram::record(double ms)
{
    const double us = std::isfinite(ms) && ms > 0 ? ms * 1000.0 : 0.0;
    const quint64 v = us >= double(quint64(1) << 62) ? (quint64(1) << 62) : quint64(us);
    ++m_slots[std::size_t(slotOf(v))];
    ++m_count;
    m_maxUs = std::max(m_maxUs, v);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    for (int i = 0; i < SlotCount; ++i)
        m_slots[std::size_t(i)] += other.m_slots[std::size_t(i)];
    m_count += other.m_count;
    m_maxUs = std::max(m_maxUs, other.m_maxUs);
}

void LatencyHistogram::clear()
{
    if (m_count == 0)
        return;
    m_slots.fill(0);
    m_count = 0;
    m_maxUs = 0;
}

double LatencyHistogram::percentileMs(double q) const
{
    if (m_count == 0)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The rank of the q-th value, 1-based, as "nearest rank" defines it.
    const quint64 rank = std::max<quint64>(1, quint64(std::ceil(q * double(m_count))));
    quint64 seen = 0;
    for (int i = 0; i < SlotCount; ++i) {
        seen += m_slots[std::size_t(i)];
        if (seen >= rank) {
            const double low = double(slotLowUs(i));
            const double high = double(slotHighUs(i));
            // The slot's middle, but never beyond the largest value actually seen.
            return std::min((low + high) / 2.0, double(m_maxUs)) / 1000.0;
        }
    }
    return maxMs();
}

} // namespace hd
