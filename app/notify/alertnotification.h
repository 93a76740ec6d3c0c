#pragma once

// What a channel is told about an alert (docs/notifications.md): that it fired, that it still
// holds (a reminder), or that it resolved — what failed, since when, how bad, what to do, and the
// key that ties the three together (PagerDuty's dedup_key). Built from the alert engine's state,
// which is computed from counts and aggregates, never from a request or response: no secret can
// be in it.

#include "alertengine.h"

#include <QString>
#include <QStringList>

namespace hd {

struct AlertNotification
{
    // Flapping: fired and resolved too often; said once, then silent until stable.
    // Acknowledge: someone took it (acknowledgedBy); reminders stop, PagerDuty acknowledges.
    // Test: sent by hand (Notifier::sendTest) to check that a channel reaches people; about
    // no alert (kind "test", no rule, severity info).
    enum class Action { Trigger, Remind, Resolve, Flapping, Acknowledge, Test };

    Action action = Action::Trigger;
    QString dedupKey; // stable for one rule and subject in one workspace
    QString workspace;
    QString ruleId;
    QString kind;
    QString subject;     // the endpoint, or for a grouped incident "host X" / "environment X"
    QStringList members; // a grouped incident's endpoints (empty: one subject)
    QString summary;     // one line: "<subject>: <what>" — the alert engine's sentence
    QString severity;    // critical, error, warning, info (PagerDuty's values)
    QString advice;      // what to do, written for the alert's kind
    double value = 0;
    qint64 firedAtMs = 0;
    qint64 resolvedAtMs = 0; // 0 while firing
    qint64 sentAtMs = 0;
    QString acknowledgedBy; // Acknowledge: who ("alice (console)")

    static AlertNotification from(const AlertState &alert, Action action, const QString &workspace,
                                  qint64 nowMs);
    // A test message for a channel: says it is a test and that nothing is wrong; its own dedup
    // key (channel and time), so it never joins a real incident.
    static AlertNotification test(const QString &channelId, const QString &channelName,
                                  const QString &workspace, qint64 nowMs);
    static QString severityFor(const QString &kind);
    static QString adviceFor(const QString &kind);
    // trigger, remind, resolve, flapping, acknowledge, test
    static QString actionName(Action action);
    // "firing for 12 min", "resolved after 3 h 5 min"
    QString durationText() const;
};

} // namespace hd
