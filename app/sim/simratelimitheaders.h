#pragma once

// Writes a quota's state in each rate-limit header family of DESIGN §4, so every parser path
// of HealthDeck meets real headers: one family per simulated API.

#include "simquota.h"
#include "simresponse.h"

namespace hd {

class SimRateLimitHeaders
{
public:
    // X-RateLimit-Limit / -Remaining / -Reset (delta seconds)
    static void xRateLimit(SimResponse &r, const SimQuota::Result &q);
    // RateLimit-Limit / -Remaining / -Reset (IETF draft ≤ 06)
    static void draft(SimResponse &r, const SimQuota::Result &q);
    // RateLimit: limit=100, remaining=50, reset=5
    static void oneHeader(SimResponse &r, const SimQuota::Result &q);
    // RateLimit-Policy: "minute";q=100;w=60 + RateLimit: "minute";r=42;t=17
    static void structured(SimResponse &r, const SimQuota::Result &q, int windowS);
    // Retry-After in whole seconds, at least 1.
    static void retryAfter(SimResponse &r, qint64 ms);
    static qint64 ceilSeconds(qint64 ms) { return std::max<qint64>(1, (ms + 999) / 1000); }
};

} // namespace hd
