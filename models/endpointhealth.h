#pragma once

// Endpoint health (DESIGN §2): up, degraded or down, derived from one event and the endpoint's
// degraded-latency threshold. Degraded: a success slower than the threshold, or the API asking
// to slow down (rate_limited 429, a lockout warning or a locked 423) — the API answered, so the
// endpoint is not down. Every other failure is down. Events keep their outcome; health is
// what the tree, the alerts and /metrics show.

#include "apievent.h"

#include <optional>
#include <string_view>

namespace hd {

Health healthOf(const ApiEvent &event, std::optional<int> degradedLatencyMs);
// The event's stamped health when it has one, else derived without a latency threshold.
Health healthOf(const ApiEvent &event);

std::string_view toString(Health health);
std::optional<Health> healthFromString(std::string_view s);

} // namespace hd
