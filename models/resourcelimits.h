#pragma once

// Bounds on what a server (or a file) can make HealthDeck do. Every number a server sends that
// becomes a wait, a lifetime or an amount of memory is checked against one of these; docs/limits.md
// lists each one and what the user sees when it triggers. Values are deliberately generous for
// honest servers and small enough that a hostile or broken one cannot stop the poller for longer
// than an hour or grow the process by more than a few tens of MiB.

// (Named resourcelimits.h, not limits.h: models/ is on the include path and must not shadow
// <limits.h>.)

#include <QtGlobal>

namespace hd::limits {

// ---- durations -------------------------------------------------------------------------------

// Longest Retry-After we honour. Longer values are clamped (rate_limit.clamped, a note in the
// event), so a typo or a hostile "Retry-After: 315360000" pauses a host for an hour, not ten years.
inline constexpr qint64 MaxRetryAfterS = 3600;
// Longest rate-limit reset we honour (X-RateLimit-Reset, RateLimit t=, reset=). A daily quota that
// is exhausted is then asked again once an hour, which costs one request and cannot cause a
// lockout.
inline constexpr qint64 MaxRateLimitResetS = 3600;
// Token lifetimes (expires_in, Tradovate expirationTime, JWT exp − now) are clamped to
// [0, MaxTokenLifetimeS]: a token that claims to live for centuries is refreshed after 30 days.
inline constexpr qint64 MaxTokenLifetimeS = 30LL * 24 * 3600;
// JWT NumericDates (exp, nbf, iat) outside [0, MaxJwtNumericDateS] (year 9999, the last instant
// QDateTime and ISO 8601 can show) are ignored as if absent, and the decoder says so.
inline constexpr qint64 MaxJwtNumericDateS = 253402300799LL;
// Any other server-supplied duration turned into milliseconds saturates here: ~31,700 years,
// small enough that "now + duration" can never overflow a qint64.
inline constexpr qint64 MaxDurationMs = 1000000000000000LL;

// ---- bytes -----------------------------------------------------------------------------------

// Response bodies read into memory, counted after Content-Encoding is undone (Qt inflates gzip,
// deflate and br itself): past this the transfer is aborted, the event keeps the first 64 KiB and
// says the body was truncated and how many bytes had arrived. Equals the classifier's JSON parse
// cap.
inline constexpr qint64 MaxResponseBodyBytes = 16LL * 1024 * 1024;
// Token endpoint responses: a token response is a few KiB; past 1 MiB the request is aborted and
// fails with a token error event.
inline constexpr qint64 MaxTokenResponseBytes = 1LL * 1024 * 1024;
// WebSocket messages and frames (Qt's default is ~2 GiB): past this Qt closes the stream with
// close code 1009 and the stream monitor reports it as a message over the limit.
inline constexpr qint64 MaxWebSocketMessageBytes = 16LL * 1024 * 1024;
inline constexpr qint64 MaxWebSocketFrameBytes = 16LL * 1024 * 1024;
// Events waiting for the history database (a locked, slow or failing database): past this the
// oldest queued events are dropped, counted and reported.
inline constexpr qint64 MaxHistoryQueueBytes = 64LL * 1024 * 1024;
// Full events the console keeps in memory for the detail pane and the bundle (the log table
// itself holds compact rows): oldest dropped first.
inline constexpr qint64 MaxConsoleEventCacheBytes = 64LL * 1024 * 1024;

} // namespace hd::limits
