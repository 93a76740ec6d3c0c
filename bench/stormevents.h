#pragma once

// Events as the engine produces them in a storm, shared by the benchmarks: 200 endpoints over
// three environments, 70 % successes, a realistic spread of failures with vendor codes, unique
// ids and trace ids, a rate-limit sample on every fifth event.

#include "apievent.h"

#include <vector>

namespace hd::bench {

// n events from startMs on, perSecond of them per second.
std::vector<ApiEvent> makeStormEvents(int n, qint64 startMs, int perSecond);

} // namespace hd::bench
