#pragma once

// Alert rules over the live aggregators and the event stream (issue 6): error rate above the
// SLO for a window, a lockout warning (tradovate 423), a lockout (tradovate 429), a token close
// to expiry, a server certificate close to expiry (cert_expiry: warning, then critical), a failed
// token refresh, rate-limit headroom under a threshold, an endpoint down N
// times in a row, a stream monitor that gave up reconnecting. Firing and resolved transitions are
// signals. Hysteresis keeps them from flapping: a rule resolves only when its condition has been
// clear for `clearHoldMs` and, for threshold rules, the value is back past the threshold by a
// margin. Main thread only.

#include "aggregator.h"
#include "apievent.h"
#include "clock.h"
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
    bool firing() const { return resolvedAtMs == 0; }
};

class AlertEngine : public QObject
{
    Q_OBJECT
public:
    AlertEngine(const Clock &clock, const Aggregator *aggregator, QObject *parent = nullptr);

    void setRules(QList<AlertRule> rules);
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
    };
    // A change of severity while active is announced as fired() again (warning → critical).
    void update(const AlertRule &rule, const QString &subject, bool condition, bool clearPastMargin,
                double value, const QString &message, const QString &severity = {});
    void evaluateCertExpiry(const AlertRule &rule);
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
};

} // namespace hd
