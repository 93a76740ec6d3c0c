#pragma once

// The few facts of an ApiEvent that aggregation needs, taken once per event so that the
// per-scope updates (endpoint, environment, credential, all) touch no strings.

#include "apievent.h"
#include "saturating.h"

#include <optional>

namespace hd {

struct EventSample
{
    qint64 timeMs = 0;
    double durationMs = 0;
    Outcome outcome = Outcome::Success;
    Category category = Category::Ok;
    // remaining / limit from the response's rate-limit headers, when it had any.
    std::optional<double> headroom;
    // Absolute UTC time at which the token expires, when the event knew.
    std::optional<qint64> tokenExpiresAtMs;

    static EventSample fromEvent(const ApiEvent &event)
    {
        EventSample s;
        s.timeMs = event.timeMs;
        s.durationMs = event.durationMs;
        s.outcome = event.outcome;
        s.category = event.category;
        if (event.rateLimit && event.rateLimit->limit && *event.rateLimit->limit > 0
            && event.rateLimit->remaining) {
            s.headroom = double(*event.rateLimit->remaining) / double(*event.rateLimit->limit);
        }
        if (event.token && event.token->expiresInS)
            s.tokenExpiresAtMs
                = saturatingAdd(event.timeMs, saturatingMul(*event.token->expiresInS, 1000));
        return s;
    }
};

} // namespace hd
