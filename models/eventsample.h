#pragma once

// The few facts of an ApiEvent that aggregation needs, taken once per event so that the
// per-scope updates (endpoint, environment, credential, all) touch no strings.

#include "apievent.h"
#include "saturating.h"
#include "timebucket.h"

#include <algorithm>
#include <array>
#include <iterator>
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
    // Per-phase milliseconds (TimeBucket's Phase order) when the event carried timings.
    std::optional<std::array<float, PhaseCount>> phasesMs;

    static std::optional<std::array<float, PhaseCount>> phasesOf(const TimingInfo &t)
    {
        const std::optional<double> in[PhaseCount]{t.dnsMs,  t.connectMs,   t.tlsMs,
                                                   t.sentMs, t.firstByteMs, t.transferMs};
        if (std::none_of(std::begin(in), std::end(in), [](const auto &v) { return bool(v); }))
            return std::nullopt;
        std::array<float, PhaseCount> out{};
        for (std::size_t i = 0; i < PhaseCount; ++i)
            // A negative or non-finite phase is another tool's mistake: it adds nothing.
            out[i] = in[i] && *in[i] > 0 && *in[i] < 1e9 ? float(*in[i]) : 0.0f;
        return out;
    }

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
        if (event.timing)
            s.phasesMs = phasesOf(*event.timing);
        if (event.token && event.token->expiresInS)
            s.tokenExpiresAtMs
                = saturatingAdd(event.timeMs, saturatingMul(*event.token->expiresInS, 1000));
        return s;
    }
};

} // namespace hd
