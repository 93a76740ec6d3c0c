#pragma once

// Reads every rate-limit header family seen in the wild (DESIGN §4):
//  - X-RateLimit-Limit / -Remaining / -Reset   (reset as delta s, epoch s or epoch ms)
//  - RateLimit-Limit / -Remaining / -Reset     (IETF draft ≤ 06)
//  - RateLimit: limit=100, remaining=50, reset=5          (one-header draft form)
//  - RateLimit-Policy: "burst";q=100;w=60  +  RateLimit: "burst";r=42;t=17   (current IETF,
//    several policies; the most constrained one is reported)
//  - Retry-After as delay-seconds or an HTTP-date; retry-after-ms
//  - families with one header per resource: x-ratelimit-limit-requests,
//    x-ratelimit-remaining-tokens, x-ratelimit-reset-requests: 6m0s (the tightest is reported)
//  - reset values written as durations: 1s, 6m0s, 250ms, 1h2m3.5s
// Unparseable values are ignored, never guessed. Durations longer than the limits in
// resourcelimits.h (Retry-After and resets: one hour) are clamped, flagged (RateLimitInfo::clamped)
// and explained in one note each, so no server can pause a host for longer than that.

#include "apievent.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <optional>

namespace hd {

using RawHeaders = QList<std::pair<QByteArray, QByteArray>>;

class RateLimitHeaders
{
public:
    // notes, if given, receives one sentence per value that was clamped.
    static std::optional<RateLimitInfo> parse(const RawHeaders &headers, qint64 nowMs,
                                              QStringList *notes = nullptr);

    // Retry-After in seconds (≥ 0) from delay-seconds or an HTTP-date relative to nowMs.
    static std::optional<double> parseRetryAfter(const QByteArray &value, qint64 nowMs);
    // A reset value as seconds from now; values that look like epoch seconds (> 10^9) or epoch
    // milliseconds (> 10^12) are converted to a delta against nowMs.
    static std::optional<double> resetToDelta(double value, qint64 nowMs);
    // A Go-style duration ("6m0s", "1s", "250ms", "1h2m3.5s", "20us") in seconds.
    static std::optional<double> parseDuration(QByteArrayView value);
    // IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7). Returns ms since epoch.
    static std::optional<qint64> parseHttpDate(const QByteArray &value);
};

// Case-insensitive header lookup (first match).
std::optional<QByteArray> headerValue(const RawHeaders &headers, const char *name);

} // namespace hd
