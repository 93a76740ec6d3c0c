#include "clock.h"

#include <QDateTime>

#include <chrono>

namespace hd {

Clock &Clock::system()
{
    static SystemClock clock;
    return clock;
}

qint64 SystemClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 SystemClock::monotonicMs() const
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

ManualClock::ManualClock(qint64 startMs)
    : m_now(startMs)
{}

qint64 ManualClock::nowMs() const
{
    return m_now.load();
}
qint64 ManualClock::monotonicMs() const
{
    return m_mono.load();
}

void ManualClock::advance(qint64 ms)
{
    m_now += ms;
    m_mono += ms;
}

void ManualClock::setNow(qint64 ms)
{
    const qint64 delta = ms - m_now.load();
    m_now = ms;
    if (delta > 0)
        m_mono += delta;
}

} // namespace hd
