#pragma once

// Incidents (docs/incidents.md): one per firing of an alert rule on a subject, from the moment
// it fires until it resolves, with everything that happened in between as a timeline — fired,
// escalated (warning → critical), who was told and whether that worked, acknowledged (by whom
// and from where: the console, PagerDuty, hdeck), notes, resolved — and the ids of the failed
// events on its subject, so the incident can be opened with its evidence. Kept in the history
// database (HistoryStore::saveIncident) and exported in the support bundle (incidents.json).
//
// Everything said here is built from the alert engine's sentences and counts, except notes,
// which people type: a note goes through the redactor like a response body (a token pasted into
// a note is masked before it is kept), is stripped of control characters and bounded in size.
// Main thread only; time from the injected clock.

#include "apievent.h"
#include "clock.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace hd {

class Redactor;
struct AlertState;

struct IncidentEntry
{
    enum class Kind { Fired, Escalated, Notified, NotifyFailed, Acknowledged, Note, Resolved };
    qint64 atMs = 0;
    Kind kind = Kind::Fired;
    QString author; // Acknowledged and Note: who
    QString text;   // one line (a note may have several)
    bool operator==(const IncidentEntry &) const = default;

    static QString kindName(Kind kind); // fired, escalated, notified, notify_failed, …
    static std::optional<Kind> kindFromName(QStringView name);
};

struct Incident
{
    QString id; // "inc-" + 16 hex digits, stable for one firing of a rule on a subject
    QString ruleId;
    QString kind; // the rule's kind: down, error_rate, burn_rate, …
    QString subject;
    QString summary;  // the alert engine's sentence when it fired (updated on escalation)
    QString severity; // critical, error, warning
    qint64 firedAtMs = 0;
    qint64 acknowledgedAtMs = 0;
    QString acknowledgedBy;
    QString acknowledgedVia; // "console", "pagerduty", "hdeck"
    qint64 resolvedAtMs = 0;
    QList<IncidentEntry> timeline; // oldest first, at most MaxTimeline (the first entry is kept)
    QStringList eventIds;          // failed events on the subject while it was open
    int eventCount = 0;            // all of them, also those past MaxEventIds
    bool operator==(const Incident &) const = default;

    static constexpr int MaxTimeline = 500;
    static constexpr int MaxEventIds = 200;

    bool open() const { return resolvedAtMs == 0; }
    bool acknowledged() const { return acknowledgedAtMs != 0; }
    // "firing", "acknowledged" or "resolved".
    QString state() const;
    static QString idFor(const QString &ruleId, const QString &subject, qint64 firedAtMs);

    // healthdeck.incident/1 (docs/incidents.md).
    nlohmann::json toJson() const;
    QByteArray toJsonBytes() const;
    // Bounded and never throws; error says what was wrong ("timeline[3].kind: unknown").
    static std::optional<Incident> fromJson(const QByteArray &text, QString *error = nullptr);
};

class IncidentLog : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxNoteChars = 4000;
    static constexpr int MaxAuthorChars = 80;
    static constexpr int KeptIncidents = 500; // in memory; history keeps them all

    explicit IncidentLog(const Clock &clock, const Redactor &redactor, QObject *parent = nullptr);

    // Incidents read back from history (the newest KeptIncidents are kept). An open one whose
    // alert does not fire again in this session is closed by closeStale().
    void restore(const QList<Incident> &incidents);
    // After the alert engine's first evaluation: open incidents whose alert is not among the
    // firing ones were resolved while nobody watched ("resolved while HealthDeck was not
    // running"); they are closed now, with that said.
    void closeStale(const QList<AlertState> &firing);

    // The alert engine's transitions. A fire while an incident for the same rule and subject is
    // open is an escalation (a new severity or sentence), not a new incident.
    void alertFired(const AlertState &alert);
    void alertResolved(const AlertState &alert);
    // A failed event: added to every open incident about its endpoint, environment or "*".
    void observe(const ApiEvent &event);
    // What the notifier did, on the newest incident of that alert (a resolve is delivered after
    // it closed): "told desk-slack (trigger)" or "desk-slack: trigger failed …".
    void notified(const QString &ruleId, const QString &subject, const QString &text, bool failed);

    // Returns the incident that was acknowledged, or nothing (none open for that alert, or it
    // was already acknowledged — the first acknowledgement counts, later ones are notes).
    std::optional<Incident> acknowledge(const QString &ruleId, const QString &subject,
                                        const QString &who, const QString &via);
    // Returns an error ("no incident inc-…", "the note is empty") or empty.
    QString addNote(const QString &incidentId, const QString &who, const QString &text);

    // Newest first.
    const QList<Incident> &incidents() const { return m_incidents; }
    std::optional<Incident> incident(const QString &id) const;
    // The open incident of an alert, if any.
    std::optional<Incident> openIncident(const QString &ruleId, const QString &subject) const;
    // Incidents that were open at some time in [fromMs, toMs] (the support bundle's range).
    QList<Incident> overlapping(qint64 fromMs, qint64 toMs) const;

    static QString cleanAuthor(const QString &who);

signals:
    // Every change, with the incident as it is now (the session saves it, the console shows it).
    void changed(const hd::Incident &incident);

private:
    Incident *find(const QString &id);
    Incident *findOpen(const QString &ruleId, const QString &subject);
    void add(Incident &incident, IncidentEntry::Kind kind, const QString &text,
             const QString &author = {});
    void trim();

    const Clock &m_clock;
    const Redactor &m_redactor;
    QList<Incident> m_incidents; // newest first
};

} // namespace hd

Q_DECLARE_METATYPE(hd::Incident)
