#pragma once

// Runs a PollScheduler on a ManualClock for tests: moves the clock forward in steps, ticks the
// scheduler at each step, and lets every request that step sent come back (real sockets on
// 127.0.0.1) before the next. What the engine does then depends on the clock alone, so a test
// can assert exact request counts instead of "3 to 5 in 2.5 s of sleeping".

#include "clock.h"

namespace hd {
class PollScheduler;
}

namespace hd::test {

// Returns false when a step's requests did not settle within settleTimeoutMs (real time).
[[nodiscard]] bool stepClock(ManualClock &clock, PollScheduler &scheduler, qint64 totalMs,
                             qint64 stepMs, int settleTimeoutMs = 10000);
// Waits (real time) until the scheduler has nothing out and nothing parked for a token.
[[nodiscard]] bool settle(PollScheduler &scheduler, int timeoutMs = 10000);

} // namespace hd::test
