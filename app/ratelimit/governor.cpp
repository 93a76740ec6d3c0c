#include "governor.h"

#include "resourcelimits.h"
#include "saturating.h"

#include <cmath>

namespace hd {

namespace {

// The pause reason names the clamp when the server asked for more than we honour, so the
// endpoint tree and the CLI say "Retry-After of 315360000 s clamped to 3600 s", not just
// "Retry-After".
QString reasonWithNote(const QString &reason, const ApiEvent &e, QStringView noteStart)
{
    if (!e.rateLimit || !e.rateLimit->clamped)
        return reason;
    for (const QString &note : e.notes)
        if (note.startsWith(noteStart))
            return reason + QStringLiteral(": ") + note;
    return reason;
}

} // namespace

Governor::Governor(const Clock &clock, GovernorConfig config)
    : m_clock(clock)
    , m_config(config)
{}

QString Governor::keyFor(const QString &host, const QString &credential)
{
    return credential.isEmpty() ? host : host + u'|' + credential;
}

void Governor::pause(State &s, qint64 untilMs, PauseCause cause, const QString &reason)
{
    if (untilMs > s.pausedUntilMs) {
        s.pausedUntilMs = untilMs;
        s.pauseCause = cause;
        s.pauseReason = reason;
    }
}

Governor::Permit Governor::permit(const QString &key, double quotaShare)
{
    State &s = m_states[key];
    const qint64 now = m_clock.nowMs();

    if (now < s.pausedUntilMs)
        return {false, s.pausedUntilMs, s.pauseReason, s.pauseCause};

    switch (s.breaker) {
    case BreakerState::Open:
        if (now < s.openUntilMs)
            return {
                false, s.openUntilMs,
                QStringLiteral("circuit breaker open after %1 failures in a row").arg(s.failures)};
        s.breaker = BreakerState::HalfOpen;
        s.probeInFlight = false;
        [[fallthrough]];
    case BreakerState::HalfOpen:
        if (s.probeInFlight)
            return {false, now + 1000,
                    QStringLiteral("circuit breaker half-open: one probe at a time")};
        s.probeInFlight = true;
        break;
    case BreakerState::Closed:
        break;
    }

    // Quota share: our own sends inside the window stay under share × limit.
    const qint64 window = s.windowMs > 0 ? s.windowMs : m_config.defaultWindowMs;
    while (!s.sent.empty() && s.sent.front() <= now - window)
        s.sent.pop_front();
    if (s.limit && *s.limit > 0) {
        const int budget = std::max(1, int(std::floor(double(*s.limit) * quotaShare)));
        if (int(s.sent.size()) >= budget) {
            if (s.breaker == BreakerState::HalfOpen)
                s.probeInFlight = false;
            return {false, s.sent.front() + window,
                    QStringLiteral("quota share reached: %1 of %2 requests per %3 s")
                        .arg(budget)
                        .arg(*s.limit)
                        .arg(window / 1000)};
        }
    }
    s.sent.push_back(now);
    return {true, now, QString()};
}

void Governor::observe(const QString &key, const ApiEvent &e)
{
    State &s = m_states[key];
    const qint64 now = m_clock.nowMs();

    if (e.rateLimit) {
        const RateLimitInfo &r = *e.rateLimit;
        if (r.limit)
            s.limit = r.limit;
        if (r.remaining)
            s.remaining = r.remaining;
        // Headers are clamped when parsed (resourcelimits.h); the conversions saturate anyway, so
        // an event built elsewhere (a file, a test) cannot overflow the arithmetic either.
        const qint64 resetMs
            = r.resetS ? secondsToMs(*r.resetS, limits::MaxRateLimitResetS * 1000) : 0;
        if (r.resetS) {
            s.resetAtMs = saturatingAdd(now, resetMs);
            // The longest reset we have seen approximates the quota window.
            s.windowMs = std::max(s.windowMs, resetMs);
        }
        const qsizetype w = r.policy.indexOf(QStringLiteral(";w="));
        if (w >= 0) {
            bool ok = false;
            const qint64 seconds = r.policy.mid(w + 3).toLongLong(&ok);
            if (ok && seconds > 0) // a day is the longest quota window worth tracking
                s.windowMs = secondsToMs(std::min<qint64>(seconds, 86400));
        }
        if (r.remaining && *r.remaining <= 0 && r.resetS)
            pause(s, saturatingAdd(now, resetMs), PauseCause::QuotaExhausted,
                  reasonWithNote(QStringLiteral("quota exhausted until the reset"), e,
                                 u"rate-limit reset"));
    }

    switch (e.retry.action) {
    case RetryAction::StopLockout:
        pause(s, saturatingAdd(now, e.retry.delayMs.value_or(m_config.lockoutMs)),
              PauseCause::Lockout,
              QStringLiteral("locked out: every request during the window extends it"));
        break;
    case RetryAction::SlowDown:
        s.slowUntilMs = now + m_config.slowDownMs;
        break;
    case RetryAction::RetryAfter:
        if (e.retry.delayMs)
            pause(s, saturatingAdd(now, *e.retry.delayMs), PauseCause::RetryAfter,
                  reasonWithNote(QStringLiteral("Retry-After"), e, u"Retry-After"));
        break;
    default:
        break;
    }
    if (e.rateLimit && e.rateLimit->retryAfterS && e.category != Category::Ok)
        pause(s,
              saturatingAdd(now,
                            secondsToMs(*e.rateLimit->retryAfterS, limits::MaxRetryAfterS * 1000)),
              PauseCause::RetryAfter,
              reasonWithNote(QStringLiteral("Retry-After"), e, u"Retry-After"));

    // Circuit breaker: only failures that say "the host is not there" count.
    const bool hostFailure
        = e.outcome == Outcome::ConnectionError || e.outcome == Outcome::ServerError;
    if (hostFailure) {
        ++s.failures;
        if (s.breaker == BreakerState::HalfOpen) {
            s.openMs = std::min(s.openMs * 2, m_config.breakerMaxOpenMs);
            s.breaker = BreakerState::Open;
            s.openUntilMs = now + s.openMs;
        } else if (s.breaker == BreakerState::Closed && s.failures >= m_config.breakerThreshold) {
            s.openMs = m_config.breakerOpenMs;
            s.breaker = BreakerState::Open;
            s.openUntilMs = now + s.openMs;
        }
    } else {
        s.failures = 0;
        if (s.breaker != BreakerState::Closed) {
            s.breaker = BreakerState::Closed;
            s.openMs = 0;
        }
    }
    s.probeInFlight = false;
}

double Governor::spacingFactor(const QString &key) const
{
    auto it = m_states.constFind(key);
    if (it == m_states.constEnd())
        return 1.0;
    return m_clock.nowMs() < it->slowUntilMs ? m_config.slowDownFactor : 1.0;
}

GovernorSnapshot Governor::snapshot(const QString &key) const
{
    GovernorSnapshot g;
    g.key = key;
    auto it = m_states.constFind(key);
    if (it == m_states.constEnd())
        return g;
    const State &s = *it;
    const qint64 now = m_clock.nowMs();
    g.limit = s.limit;
    g.remaining = s.remaining;
    if (s.limit && s.remaining && *s.limit > 0)
        g.headroom = double(*s.remaining) / double(*s.limit);
    if (now < s.pausedUntilMs) {
        g.pausedUntilMs = s.pausedUntilMs;
        g.pauseCause = s.pauseCause;
        g.pauseReason = s.pauseReason;
    }
    g.slowedDown = now < s.slowUntilMs;
    g.breaker = s.breaker;
    g.consecutiveFailures = s.failures;
    g.sentInWindow = int(s.sent.size());
    return g;
}

QList<GovernorSnapshot> Governor::snapshots() const
{
    QList<GovernorSnapshot> out;
    for (auto it = m_states.constBegin(); it != m_states.constEnd(); ++it)
        out.append(snapshot(it.key()));
    return out;
}

} // namespace hd
