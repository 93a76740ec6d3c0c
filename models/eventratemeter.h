#pragma once

// Events per second as a moving average over the last few seconds, for the status bar. A
// plain "events in the last second" reads 0/s between sparse polls (25 endpoints every 10-15 s
// arrive in clumps); the average over a window says what the engine really does. Counts are
// kept per whole second of the injected clock in a small ring. Main thread only.

#include "clock.h"

#include <array>

namespace hd {

class EventRateMeter
{
public:
    static constexpr int MaxWindowS = 60;

    explicit EventRateMeter(const Clock &clock, int windowS = 10);

    void add(int events = 1);
    // Average events per second over the window (or over the time since the first add, when
    // that is shorter — so the figure is right from the first seconds).
    double rate() const;
    qint64 total() const { return m_total; }
    void reset();

private:
    void advance(qint64 second) const;

    const Clock &m_clock;
    int m_windowS;
    mutable std::array<qint64, MaxWindowS> m_counts{};
    mutable qint64 m_second = -1; // the second m_counts[m_second % window] belongs to
    qint64 m_firstMs = -1;
    qint64 m_total = 0;
};

} // namespace hd
