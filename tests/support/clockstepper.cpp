#include "clockstepper.h"

#include "pollscheduler.h"

#include <QTest>

namespace hd::test {

bool settle(PollScheduler &scheduler, int timeoutMs)
{
    return QTest::qWaitFor([&] { return !scheduler.hasPendingRequests(); }, timeoutMs);
}

bool stepClock(ManualClock &clock, PollScheduler &scheduler, qint64 totalMs, qint64 stepMs,
               int settleTimeoutMs)
{
    for (qint64 done = 0; done < totalMs; done += stepMs) {
        clock.advance(std::min(stepMs, totalMs - done));
        scheduler.tick();
        if (!settle(scheduler, settleTimeoutMs))
            return false;
    }
    return true;
}

} // namespace hd::test
