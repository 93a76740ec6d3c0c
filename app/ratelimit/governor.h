#pragma once

// The governor keeps HealthDeck from becoming the cause of an incident. Per host and credential
// it tracks headroom from rate-limit headers, keeps our own traffic under the endpoint's quota
// share, honours Retry-After, slows down on a lockout warning (tradovate 423), sends nothing
// during a lockout window (tradovate 429), and opens a circuit breaker on a dead host, probing
// it gently with one request at a time.
//
// Not thread-safe: lives on the scheduler's (main) thread. All time comes from a Clock.

#include "apievent.h"
#include "clock.h"

#include <QHash>
#include <QString>

#include <deque>

namespace hd {

struct GovernorConfig
{
    int breakerThreshold = 5;     // consecutive connection errors / 5xx that open the breaker
    qint64 breakerOpenMs = 10000; // first open period; doubles on each failed probe
    qint64 breakerMaxOpenMs = 300000;
    qint64 defaultWindowMs = 60000; // quota window when the headers do not say
    qint64 slowDownMs = 300000;     // how long a lockout warning slows us down
    double slowDownFactor = 4.0;    // spacing multiplier while slowed down
    qint64 lockoutMs = 3600000;     // seed 003: rolling one-hour window
};

enum class BreakerState { Closed, Open, HalfOpen };

// Why a host is paused. Typed so the session, the alerts and /metrics tell a lockout from a
// Retry-After without reading the human reason (which may carry a clamp note).
enum class PauseCause {
    None,           // not paused
    QuotaExhausted, // rate-limit headers said remaining 0: wait for the reset
    RetryAfter,     // the server asked us to wait (Retry-After)
    Lockout,        // tradovate 429: every request during the window extends it
};

struct GovernorSnapshot
{
    QString key;
    std::optional<qint64> limit;
    std::optional<qint64> remaining;
    std::optional<double> headroom; // remaining / limit
    qint64 pausedUntilMs = 0;       // wall clock
    PauseCause pauseCause = PauseCause::None;
    QString pauseReason; // for people: the cause in words, with a clamp note when there is one
    bool slowedDown = false;
    BreakerState breaker = BreakerState::Closed;
    int consecutiveFailures = 0;
    int sentInWindow = 0;
    int budgetInWindow = -1; // -1: unknown quota
};

class Governor
{
public:
    explicit Governor(const Clock &clock, GovernorConfig config = {});

    static QString keyFor(const QString &host, const QString &credential);

    struct Permit
    {
        bool allowed = true;
        qint64 notBeforeMs = 0; // wall clock; when to ask again if not allowed
        QString reason;
        PauseCause pauseCause = PauseCause::None; // set when denied because the host is paused
    };
    // Asks to send one request now. When allowed, the send is counted against the budget.
    // minSpacingMs: the endpoint's interval, stretched while slowed down.
    Permit permit(const QString &key, double quotaShare);
    // Feeds a finished attempt back.
    void observe(const QString &key, const ApiEvent &event);

    GovernorSnapshot snapshot(const QString &key) const;
    QList<GovernorSnapshot> snapshots() const;
    // Spacing multiplier for endpoints behind this key (1.0 normally).
    double spacingFactor(const QString &key) const;

private:
    struct State
    {
        std::optional<qint64> limit;
        std::optional<qint64> remaining;
        qint64 windowMs = 0;
        qint64 resetAtMs = 0;
        qint64 pausedUntilMs = 0;
        PauseCause pauseCause = PauseCause::None;
        QString pauseReason;
        qint64 slowUntilMs = 0;
        BreakerState breaker = BreakerState::Closed;
        int failures = 0;
        qint64 openUntilMs = 0;
        qint64 openMs = 0;
        bool probeInFlight = false;
        std::deque<qint64> sent; // our send times inside the quota window
    };
    void pause(State &s, qint64 untilMs, PauseCause cause, const QString &reason);

    const Clock &m_clock;
    GovernorConfig m_config;
    QHash<QString, State> m_states;
};

} // namespace hd
