#pragma once

// Alert rules over the live aggregators and the event stream (issue 6): error rate above the
// SLO for a window, a lockout warning (tradovate 423), a lockout (tradovate 429), a token close
// to expiry, a server certificate close to expiry (cert_expiry: warning, then critical), a failed
// token refresh, rate-limit headroom under a threshold, an endpoint down N
// times in a row, a stream monitor that gave up reconnecting. Firing and resolved transitions are
// signals. Hysteresis keeps them from flapping: a rule resolves only when its condition has been
// clear for `clearHoldMs` and, for threshold rules, the value is back past the threshold by a
// margin. Main thread only.
//
// Maintenance windows and trading calendars (docs/calendars.md): while a scope is in a window,
// its alerts are held — a condition that becomes true is not fired (held() says which window
// holds it and until when) and fires only if it is still true once the window ends. Requests
// inside a window count neither toward the down/degraded streaks nor toward SLOs, and an
// error_rate rule looks only at the time since the scope's last window ended. An alert that
// was already firing when a window began stays as it is.
//
// SLOs (docs/slo.md): the engine keeps the SloTracker; a burn_rate rule fires on the usual
// multi-window pairs — fast (critical): the 1 h and the 5 min burn rate both at least 14.4;
// slow (warning): the 6 h and the 30 min burn rate both at least 6.

#include "aggregator.h"
#include "apievent.h"
#include "clock.h"
#include "slotracker.h"
#include "windowschedule.h"
#include "workspace.h"

#include <QHash>
#include <QObject>

namespace hd {

struct AlertState
{
    QString ruleId;
    QString kind;
    QString subject; // the endpoint, environment or credential the alert is about ("*" = all)
    QString message; // one sentence for the banner and the notification
    // "warning" or "critical" where the kind has levels (cert_expiry); empty otherwise.
    QString severity;
    double value = 0;
    qint64 firedAtMs = 0;
    qint64 resolvedAtMs = 0;
    bool acknowledged = false;
    // held(): why the alert is held instead of firing ("maintenance window \"db-upgrade\"",
    // "CME Globex daily halt") and when that window ends (UTC ms).
    QString heldReason;
    QString heldName; // the window's name alone, for a column ("db-upgrade")
    qint64 heldUntilMs = 0;
    bool firing() const { return resolvedAtMs == 0; }
};

class AlertEngine : public QObject
{
    Q_OBJECT
public:
    AlertEngine(const Clock &clock, const Aggregator *aggregator, QObject *parent = nullptr);

    void setRules(QList<AlertRule> rules);
    // Maintenance windows and trading calendars (WindowSchedule::fromWorkspace).
    void setWindows(WindowSchedule windows) { m_windows = std::move(windows); }
    const WindowSchedule &windows() const { return m_windows; }
    // The workspace's SLOs (the built-in seed 002 objective is added unless one is on "*").
    void setSlos(const QList<Slo> &slos) { m_slos.setSlos(slos); }
    const SloTracker &slos() const { return m_slos; }
    // The history's counts from before this run (SloTracker::restore); an hour or minute whose
    // middle was inside a window (as the windows are now) is left out, like live requests.
    void restoreSlos(const QList<SloCount> &hours, const QList<SloCount> &minutes);
    // The window an endpoint (with its environment), an environment or "*" is in now.
    std::optional<ActiveWindow> windowNow(const QString &scope) const;
    const QList<AlertRule> &rules() const { return m_rules; }

    // Hysteresis: a condition must be clear this long before the alert resolves.
    void setClearHoldMs(qint64 ms) { m_clearHoldMs = ms; }
    // Threshold rules resolve only once the value is this fraction past the threshold.
    void setMargin(double fraction) { m_margin = fraction; }

    // Feed every event (streaks, lockouts and refresh failures come from events).
    void observe(const ApiEvent &event);
    // Re-evaluates every rule; call on a timer (the UI's replot tick, once a second headless).
    void evaluate();

    QList<AlertState> active() const;
    QList<AlertState> history() const { return m_history; }
    // Conditions that hold but are held by a window (heldReason, heldUntilMs set).
    QList<AlertState> held() const;
    // True when it fires and nobody had acknowledged it yet.
    bool acknowledge(const QString &ruleId, const QString &subject);

signals:
    void fired(const hd::AlertState &alert);
    void resolved(const hd::AlertState &alert);

private:
    struct Tracked
    {
        AlertState state;
        bool active = false;
        qint64 clearSinceMs = 0;
        std::optional<AlertState> held; // the condition holds, but a window holds the alert
    };
    // A change of severity while active is announced as fired() again (warning → critical).
    void update(const AlertRule &rule, const QString &subject, bool condition, bool clearPastMargin,
                double value, const QString &message, const QString &severity = {});
    void evaluateCertExpiry(const AlertRule &rule);
    void evaluateBurnRate(const AlertRule &rule);
    std::optional<ActiveWindow> holdFor(const AlertRule &rule, const QString &subject,
                                        qint64 now) const;
    // (endpoint, environment) of a scope: an endpoint seen in events, else an environment.
    std::pair<QString, QString> scopeOf(const QString &scope) const;
    bool inScope(const AlertRule &rule, const ApiEvent &e) const;

    const Clock &m_clock;
    const Aggregator *m_aggregator;
    QList<AlertRule> m_rules;
    qint64 m_clearHoldMs = 60000;
    double m_margin = 0.2;
    QHash<QString, Tracked> m_tracked;         // ruleId|subject
    QHash<QString, int> m_downStreak;          // endpoint → consecutive failures
    QHash<QString, int> m_degradedStreak;      // endpoint → consecutive degraded answers
    QHash<QString, qint64> m_lockoutUntil;     // endpoint → wall time the lockout ends
    QHash<QString, qint64> m_lockoutWarningAt; // endpoint → last 423 warning
    QHash<QString, qint64> m_refreshFailedAt;  // endpoint (token:<credential>) → time
    QHash<QString, qint64> m_streamGaveUpAt;   // stream endpoint → time it gave up
    QHash<QString, QString> m_endpointEnv;
    struct CertSeen
    {
        qint64 notAfterMs = 0;
        QString subject;
    };
    QHash<QString, CertSeen> m_certs; // endpoint → leaf certificate of its newest TLS answer
    QList<AlertState> m_history;
    WindowSchedule m_windows;
    SloTracker m_slos;
};

} // namespace hd
