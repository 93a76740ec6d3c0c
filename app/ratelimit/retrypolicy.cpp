#include "retrypolicy.h"

#include "resourcelimits.h"

#include <QRandomGenerator>

#include <cmath>

namespace hd {

RetryPolicy::RetryPolicy(BackoffConfig config, std::function<double()> random)
    : m_config(config)
    , m_random(random ? std::move(random)
                      : [] { return QRandomGenerator::global()->generateDouble(); })
{}

qint64 RetryPolicy::backoffCeiling(int attempt) const
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double ceiling = double(m_config.baseMs) * std::pow(2.0, exponent);
    return qint64(std::min(ceiling, double(m_config.capMs)));
}

qint64 RetryPolicy::backoffDelay(int attempt) const
{
    return qint64(m_random() * double(backoffCeiling(attempt) + 1));
}

RetryStep RetryPolicy::next(const ApiEvent &e, int attempt, bool canRefreshToken) const
{
    const auto stop = [](QString reason) {
        return RetryStep{false, 0, std::move(reason)};
    };
    if (e.outcome == Outcome::Success)
        return stop(QStringLiteral("succeeded"));
    if (attempt >= m_config.maxAttempts)
        return stop(QStringLiteral("gave up after %1 attempts").arg(attempt));

    switch (e.retry.action) {
    case RetryAction::StopLockout:
        return stop(QStringLiteral("locked out: any request during the window extends it"));
    case RetryAction::SlowDown:
        return stop(
            QStringLiteral("lockout warning: not retrying, a retry could trigger the lockout"));
    case RetryAction::RefreshToken:
        if (!canRefreshToken)
            return stop(QStringLiteral(
                "401: no credential to refresh, a plain retry would fail the same way"));
        if (attempt > 1)
            return stop(QStringLiteral("401 again after a token refresh: not retrying twice"));
        return {true, 0, QStringLiteral("token refreshed, retrying once")};
    case RetryAction::RetryAfter:
        if (e.retry.delayMs) {
            // A Retry-After clamped to the hour (docs/limits.md) asked for longer still: the
            // poller sits the hour out, but a probe retrying in the foreground stops here.
            if (e.rateLimit && e.rateLimit->clamped && e.rateLimit->retryAfterS)
                return stop(QStringLiteral("the server asked to wait longer than %1 s (Retry-After "
                                           "clamped, see the event's notes): not retrying")
                                .arg(limits::MaxRetryAfterS));
            if (*e.retry.delayMs > m_config.maxWaitMs)
                return stop(QStringLiteral("Retry-After of %1 s is longer than the %2 s we wait")
                                .arg(*e.retry.delayMs / 1000)
                                .arg(m_config.maxWaitMs / 1000));
            return {true, *e.retry.delayMs,
                    QStringLiteral("waiting exactly as long as the server asked")};
        }
        [[fallthrough]]; // 429 without timing: seed 000 says always retry with backoff
    case RetryAction::RetryBackoff: {
        if (!e.retry.retryable)
            return stop(QStringLiteral("not retryable"));
        if (e.retry.delayMs && e.retry.action == RetryAction::RetryBackoff)
            return {true, *e.retry.delayMs, QStringLiteral("server asked for this delay")};
        const qint64 d = backoffDelay(attempt);
        return {true, d,
                QStringLiteral("exponential backoff with full jitter (ceiling %1 ms)")
                    .arg(backoffCeiling(attempt))};
    }
    case RetryAction::None:
    case RetryAction::RequestScope:
    case RetryAction::FixRequest:
    case RetryAction::ResolveConflict:
    case RetryAction::ReducePayload:
        break;
    }
    return stop(
        QStringLiteral("%1: retrying cannot help").arg(toQString(toString(e.retry.action))));
}

} // namespace hd
