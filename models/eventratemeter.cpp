#include "eventratemeter.h"

#include <algorithm>

namespace hd {

EventRateMeter::EventRateMeter(const Clock &clock, int windowS)
    : m_clock(clock)
    , m_windowS(std::clamp(windowS, 1, MaxWindowS))
{}

void EventRateMeter::advance(qint64 second) const
{
    if (m_second < 0) {
        m_second = second;
        return;
    }
    if (second <= m_second)
        return;
    // Clear the seconds that passed without events (at most the whole ring).
    const qint64 gap = std::min<qint64>(second - m_second, m_windowS);
    for (qint64 s = 1; s <= gap; ++s)
        m_counts[std::size_t((m_second + s) % m_windowS)] = 0;
    m_second = second;
}

void EventRateMeter::add(int events)
{
    const qint64 now = m_clock.monotonicMs();
    if (m_firstMs < 0)
        m_firstMs = now;
    advance(now / 1000);
    m_counts[std::size_t(m_second % m_windowS)] += events;
    m_total += events;
}

double EventRateMeter::rate() const
{
    if (m_firstMs < 0)
        return 0;
    const qint64 now = m_clock.monotonicMs();
    advance(now / 1000);
    qint64 sum = 0;
    for (int i = 0; i < m_windowS; ++i)
        sum += m_counts[std::size_t(i)];
    // The window is m_windowS whole seconds once it is full; before that, the time elapsed
    // since the first event (at least one second, so a first event is not "1000/s").
    const double elapsedS = std::max(1.0, double(now - m_firstMs) / 1000.0);
    return double(sum) / std::min(double(m_windowS), elapsedS);
}

void EventRateMeter::reset()
{
    m_counts.fill(0);
    m_second = -1;
    m_firstMs = -1;
    m_total = 0;
}

} // namespace hd
