#pragma once

// The reconnect schedule of one stream monitor: exponential backoff with full jitter (the
// RetryPolicy's own helper, so HTTP retries and stream reconnects share one formula), a limit
// on reconnects in a row, and a reset once a session has proved stable.

#include "retrypolicy.h"
#include "workspace.h"

#include <functional>
#include <optional>

namespace hd {

class ReconnectBackoff
{
public:
    // random() returns a uniform double in [0, 1); injectable for deterministic tests.
    explicit ReconnectBackoff(StreamReconnect config = {}, std::function<double()> random = {});

    // A connection attempt failed or a session was lost. Returns the delay before the next
    // attempt, uniform in [0, min(cap, base * 2^(n-1))] for the n-th failure in a row, or
    // nullopt once maxAttempts reconnects in a row have failed (give up).
    std::optional<qint64> next();
    // The ceiling the last next() drew from (0 before the first).
    qint64 lastCeiling() const { return m_lastCeiling; }
    // Failures since the last reset.
    int failuresInRow() const { return m_failures; }
    // A session stayed up for stableMs: the next failure starts from the base delay again.
    void reset();

    const StreamReconnect &config() const { return m_config; }

private:
    StreamReconnect m_config;
    RetryPolicy m_policy;
    int m_failures = 0;
    qint64 m_lastCeiling = 0;
};

} // namespace hd
