#pragma once

// Turns an event's retry decision (DESIGN §2) into "retry after N ms" or "stop": exponential
// backoff with full jitter and a cap for 5xx and connection errors, Retry-After obeyed to the
// millisecond, one retry after a token refresh, never a retry into a lockout.

#include "apievent.h"

#include <QString>

#include <functional>

namespace hd {

struct BackoffConfig
{
    qint64 baseMs = 1000; // seed 000: retry 5xx after a short delay (1-2 s)
    qint64 capMs = 30000;
    int maxAttempts = 5;        // seed 000: retry 5xx up to 3-5 times
    qint64 maxWaitMs = 3600000; // longest Retry-After we are willing to sit out
};

struct RetryStep
{
    bool retry = false;
    qint64 delayMs = 0;
    QString reason; // why (not): shown in the UI and written to stderr by probe
};

class RetryPolicy
{
public:
    // random() returns a uniform double in [0, 1); injectable for deterministic tests.
    explicit RetryPolicy(BackoffConfig config = {}, std::function<double()> random = {});

    // attempt: the attempt number of `event` (1-based). canRefreshToken: the caller holds a
    // credential it can refresh before the retry.
    RetryStep next(const ApiEvent &event, int attempt, bool canRefreshToken = false) const;

    // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
    qint64 backoffDelay(int attempt) const;
    qint64 backoffCeiling(int attempt) const;

    const BackoffConfig &config() const { return m_config; }

private:
    BackoffConfig m_config;
    std::function<double()> m_random;
};

} // namespace hd
