#pragma once

// Every piece of code that asks "what time is it" asks a Clock, so expiry, backoff and retention
// can be tested by moving a ManualClock instead of sleeping.

#include <QtGlobal>

#include <atomic>

namespace hd {

class Clock
{
public:
    virtual ~Clock() = default;
    // Wall-clock time, UTC milliseconds since the epoch.
    virtual qint64 nowMs() const = 0;
    // Monotonic milliseconds for measuring intervals; never jumps backwards.
    virtual qint64 monotonicMs() const = 0;

    // The process-wide system clock.
    static Clock &system();
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override;
    qint64 monotonicMs() const override;
};

// A clock that only moves when told to. Safe to share across threads.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1795298400000 /* 2026-11-21T22:00:00Z */);
    qint64 nowMs() const override;
    qint64 monotonicMs() const override;
    void advance(qint64 ms);
    void setNow(qint64 ms);

private:
    std::atomic<qint64> m_now;
    std::atomic<qint64> m_mono{0};
};

} // namespace hd
