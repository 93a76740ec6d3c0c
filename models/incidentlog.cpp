#include "incidentlog.h"

#include "alertengine.h"
#include "cleantext.h"
#include "redactor.h"
#include "safejson.h"

#include <QCryptographicHash>
#include <QDateTime>

#include <nlohmann/json.hpp>

namespace hd {

namespace {

using json = nlohmann::json;

constexpr std::pair<IncidentEntry::Kind, const char *> KindNames[] = {
    {IncidentEntry::Kind::Fired, "fired"},
    {IncidentEntry::Kind::Escalated, "escalated"},
    {IncidentEntry::Kind::Notified, "notified"},
    {IncidentEntry::Kind::NotifyFailed, "notify_failed"},
    {IncidentEntry::Kind::Acknowledged, "acknowledged"},
    {IncidentEntry::Kind::Note, "note"},
    {IncidentEntry::Kind::Resolved, "resolved"},
};

QString iso(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

std::string s(const QString &text)
{
    return text.toStdString();
}

// Reads a member of an object of known shape; false with a message when it has another type.
struct Reader
{
    const json &object;
    QString &error;

    bool text(const char *key, QString &out, bool required = false) const
    {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) {
            if (required)
                error = QStringLiteral("%1: missing").arg(QLatin1String(key));
            return !required;
        }
        if (!it->is_string()) {
            error = QStringLiteral("%1: not a string").arg(QLatin1String(key));
            return false;
        }
        out = boundedText(QString::fromStdString(it->get<std::string>()),
                          IncidentLog::MaxNoteChars);
        return true;
    }
    bool integer(const char *key, qint64 &out) const
    {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null())
            return true;
        if (!it->is_number_integer()) {
            error = QStringLiteral("%1: not an integer").arg(QLatin1String(key));
            return false;
        }
        out = it->get<qint64>();
        return true;
    }
};

} // namespace

QString IncidentEntry::kindName(Kind kind)
{
    for (const auto &[k, name] : KindNames)
        if (k == kind)
            return QLatin1String(name);
    return {};
}

std::optional<IncidentEntry::Kind> IncidentEntry::kindFromName(QStringView name)
{
    for (const auto &[k, n] : KindNames)
        if (name == QLatin1String(n))
            return k;
    return std::nullopt;
}

QString Incident::state() const
{
    if (!open())
        return QStringLiteral("resolved");
    return acknowledged() ? QStringLiteral("acknowledged") : QStringLiteral("firing");
}

QString Incident::idFor(const QString &ruleId, const QString &subject, qint64 firedAtMs)
{
    const QByteArray key
        = ruleId.toUtf8() + '\x1f' + subject.toUtf8() + '\x1f' + QByteArray::number(firedAtMs);
    return QStringLiteral("inc-")
           + QString::fromLatin1(
               QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
}

json Incident::toJson() const
{
    json timelineJson = json::array();
    for (const IncidentEntry &e : timeline) {
        json entry{{"atMs", e.atMs},
                   {"at", s(iso(e.atMs))},
                   {"kind", s(IncidentEntry::kindName(e.kind))},
                   {"text", s(e.text)}};
        if (!e.author.isEmpty())
            entry["author"] = s(e.author);
        timelineJson.push_back(std::move(entry));
    }
    json ids = json::array();
    for (const QString &id : eventIds)
        ids.push_back(s(id));
    json out{{"schema", "healthdeck.incident/1"},
             {"id", s(id)},
             {"rule", s(ruleId)},
             {"kind", s(kind)},
             {"subject", s(subject)},
             {"summary", s(summary)},
             {"severity", s(severity)},
             {"state", s(state())},
             {"firedAtMs", firedAtMs},
             {"firedAt", s(iso(firedAtMs))},
             {"timeline", std::move(timelineJson)},
             {"eventIds", std::move(ids)},
             {"eventCount", eventCount}};
    if (acknowledged()) {
        out["acknowledgedAtMs"] = acknowledgedAtMs;
        out["acknowledgedAt"] = s(iso(acknowledgedAtMs));
        out["acknowledgedBy"] = s(acknowledgedBy);
        out["acknowledgedVia"] = s(acknowledgedVia);
    }
    if (!open()) {
        out["resolvedAtMs"] = resolvedAtMs;
        out["resolvedAt"] = s(iso(resolvedAtMs));
    }
    return out;
}

QByteArray Incident::toJsonBytes() const
{
    return QByteArray::fromStdString(toJson().dump(-1, ' ', false, json::error_handler_t::replace));
}

std::optional<Incident> Incident::fromJson(const QByteArray &text, QString *errorOut)
{
    QString error;
    const auto fail = [&](const QString &why) -> std::optional<Incident> {
        if (errorOut)
            *errorOut = why;
        return std::nullopt;
    };
    json doc;
    SafeJsonError parseError;
    SafeJsonLimits limits;
    limits.maxDepth = 8;
    limits.maxBytes = 4 * 1024 * 1024;
    if (!safeJsonParse(text, doc, parseError, limits))
        return fail(safeJsonMessage(QStringLiteral("incident"), text, parseError));
    if (!doc.is_object())
        return fail(QStringLiteral("not an object"));
    if (doc.value("schema", std::string()) != "healthdeck.incident/1")
        return fail(QStringLiteral("schema: not healthdeck.incident/1"));
    Incident inc;
    const Reader r{doc, error};
    if (!r.text("id", inc.id, true) || !r.text("rule", inc.ruleId, true)
        || !r.text("kind", inc.kind) || !r.text("subject", inc.subject, true)
        || !r.text("summary", inc.summary) || !r.text("severity", inc.severity)
        || !r.integer("firedAtMs", inc.firedAtMs)
        || !r.integer("acknowledgedAtMs", inc.acknowledgedAtMs)
        || !r.text("acknowledgedBy", inc.acknowledgedBy)
        || !r.text("acknowledgedVia", inc.acknowledgedVia)
        || !r.integer("resolvedAtMs", inc.resolvedAtMs))
        return fail(error);
    if (inc.acknowledgedAtMs == 0) { // not acknowledged: no one took it
        inc.acknowledgedBy.clear();
        inc.acknowledgedVia.clear();
    }
    qint64 count = 0;
    if (!r.integer("eventCount", count))
        return fail(error);
    inc.eventCount = int(std::clamp<qint64>(count, 0, std::numeric_limits<int>::max()));
    if (const auto it = doc.find("timeline"); it != doc.end()) {
        if (!it->is_array())
            return fail(QStringLiteral("timeline: not an array"));
        int index = 0;
        for (const json &e : *it) {
            if (inc.timeline.size() >= Incident::MaxTimeline)
                break;
            const QString where = QStringLiteral("timeline[%1].").arg(index++);
            if (!e.is_object())
                return fail(where.chopped(1) + QStringLiteral(": not an object"));
            IncidentEntry entry;
            QString kindName;
            const Reader er{e, error};
            if (!er.integer("atMs", entry.atMs) || !er.text("kind", kindName, true)
                || !er.text("author", entry.author) || !er.text("text", entry.text))
                return fail(where + error);
            const auto kind = IncidentEntry::kindFromName(kindName);
            if (!kind)
                return fail(where
                            + QStringLiteral("kind: unknown (%1)").arg(cleanText(kindName, 40)));
            entry.kind = *kind;
            inc.timeline.append(std::move(entry));
        }
    }
    if (const auto it = doc.find("eventIds"); it != doc.end()) {
        if (!it->is_array())
            return fail(QStringLiteral("eventIds: not an array"));
        for (const json &id : *it) {
            if (!id.is_string())
                return fail(QStringLiteral("eventIds: not a list of strings"));
            if (inc.eventIds.size() < Incident::MaxEventIds)
                inc.eventIds.append(boundedText(QString::fromStdString(id.get<std::string>()), 64));
        }
    }
    return inc;
}

// ---- IncidentLog --------------------------------------------------------------------------

IncidentLog::IncidentLog(const Clock &clock, const Redactor &redactor, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_redactor(redactor)
{
    qRegisterMetaType<hd::Incident>();
}

QString IncidentLog::cleanAuthor(const QString &who)
{
    const QString name = cleanText(who, MaxAuthorChars);
    return name.isEmpty() ? QStringLiteral("someone") : name;
}

void IncidentLog::restore(const QList<Incident> &incidents)
{
    m_incidents = incidents;
    std::sort(m_incidents.begin(), m_incidents.end(),
              [](const Incident &a, const Incident &b) { return a.firedAtMs > b.firedAtMs; });
    trim();
    // Nobody watched the alert between the last run and this one: whether it still fires is
    // decided anew (a new incident if it does), and the old one says so.
    for (Incident &inc : m_incidents) {
        if (!inc.open())
            continue;
        inc.resolvedAtMs = m_clock.nowMs();
        add(inc, IncidentEntry::Kind::Resolved,
            QStringLiteral("closed when HealthDeck started again: it was still open when it "
                           "stopped; if the alert still holds, it fires as a new incident"));
    }
}

void IncidentLog::alertFired(const AlertState &alert)
{
    if (Incident *open = findOpen(alert.ruleId, alert.subject)) {
        open->severity = alert.severity.isEmpty() ? open->severity : alert.severity;
        open->summary = alert.message;
        add(*open, IncidentEntry::Kind::Escalated, alert.message);
        return;
    }
    Incident inc;
    inc.firedAtMs = alert.firedAtMs ? alert.firedAtMs : m_clock.nowMs();
    inc.id = Incident::idFor(alert.ruleId, alert.subject, inc.firedAtMs);
    inc.ruleId = alert.ruleId;
    inc.kind = alert.kind;
    inc.subject = alert.subject;
    inc.summary = alert.message;
    inc.severity = alert.severity;
    inc.timeline.append({inc.firedAtMs, IncidentEntry::Kind::Fired, {}, alert.message});
    m_incidents.prepend(std::move(inc));
    trim();
    emit changed(m_incidents.first());
}

void IncidentLog::alertResolved(const AlertState &alert)
{
    Incident *open = findOpen(alert.ruleId, alert.subject);
    if (!open)
        return;
    open->resolvedAtMs = alert.resolvedAtMs ? alert.resolvedAtMs : m_clock.nowMs();
    add(*open, IncidentEntry::Kind::Resolved, alert.message);
}

void IncidentLog::observe(const ApiEvent &event)
{
    if (!event.isFailure())
        return;
    const QString credential
        = event.endpoint.startsWith(QStringLiteral("token:")) ? event.endpoint.mid(6) : QString();
    for (Incident &inc : m_incidents) {
        if (!inc.open())
            continue;
        if (inc.subject != QStringLiteral("*") && inc.subject != event.endpoint
            && inc.subject != event.environment
            && (credential.isEmpty() || inc.subject != credential))
            continue;
        ++inc.eventCount;
        if (inc.eventIds.size() < Incident::MaxEventIds) {
            inc.eventIds.append(event.id);
            emit changed(inc);
        }
    }
}

void IncidentLog::notified(const QString &ruleId, const QString &subject, const QString &text,
                           bool failed)
{
    // The newest incident of the alert: a resolve message is delivered after it closed. (A
    // grouped message names a host; the caller passes each member's subject.)
    for (Incident &inc : m_incidents) {
        if (inc.ruleId == ruleId && inc.subject == subject) {
            add(inc, failed ? IncidentEntry::Kind::NotifyFailed : IncidentEntry::Kind::Notified,
                cleanText(text, 400));
            return;
        }
    }
}

std::optional<Incident> IncidentLog::acknowledge(const QString &ruleId, const QString &subject,
                                                 const QString &who, const QString &via)
{
    Incident *open = findOpen(ruleId, subject);
    if (!open || open->acknowledged())
        return std::nullopt;
    open->acknowledgedAtMs = m_clock.nowMs();
    open->acknowledgedBy = cleanAuthor(who);
    open->acknowledgedVia = cleanText(via, 20);
    add(*open, IncidentEntry::Kind::Acknowledged,
        QStringLiteral("acknowledged from %1").arg(open->acknowledgedVia), open->acknowledgedBy);
    return *open;
}

QString IncidentLog::addNote(const QString &incidentId, const QString &who, const QString &text)
{
    Incident *inc = find(incidentId);
    if (!inc)
        return QStringLiteral("no incident %1").arg(incidentId.left(40));
    const QString cleaned = cleanText(text, MaxNoteChars, TextLines::Keep);
    if (cleaned.isEmpty())
        return QStringLiteral("the note is empty");
    // People paste things: a note is redacted like a response body before it is kept.
    add(*inc, IncidentEntry::Kind::Note, m_redactor.redactBody(cleaned), cleanAuthor(who));
    return {};
}

std::optional<Incident> IncidentLog::incident(const QString &id) const
{
    for (const Incident &inc : m_incidents)
        if (inc.id == id)
            return inc;
    return std::nullopt;
}

std::optional<Incident> IncidentLog::openIncident(const QString &ruleId,
                                                  const QString &subject) const
{
    for (const Incident &inc : m_incidents)
        if (inc.open() && inc.ruleId == ruleId && inc.subject == subject)
            return inc;
    return std::nullopt;
}

QList<Incident> IncidentLog::overlapping(qint64 fromMs, qint64 toMs) const
{
    QList<Incident> out;
    for (const Incident &inc : m_incidents)
        if (inc.firedAtMs <= toMs && (inc.open() || inc.resolvedAtMs >= fromMs))
            out.append(inc);
    return out;
}

Incident *IncidentLog::find(const QString &id)
{
    for (Incident &inc : m_incidents)
        if (inc.id == id)
            return &inc;
    return nullptr;
}

Incident *IncidentLog::findOpen(const QString &ruleId, const QString &subject)
{
    for (Incident &inc : m_incidents)
        if (inc.open() && inc.ruleId == ruleId && inc.subject == subject)
            return &inc;
    return nullptr;
}

void IncidentLog::add(Incident &incident, IncidentEntry::Kind kind, const QString &text,
                      const QString &author)
{
    // The first entry (fired) is kept; the oldest after it make room.
    if (incident.timeline.size() >= Incident::MaxTimeline)
        incident.timeline.removeAt(1);
    incident.timeline.append({m_clock.nowMs(), kind, author, text});
    emit changed(incident);
}

void IncidentLog::trim()
{
    // Open incidents are never dropped from memory; the oldest resolved ones are.
    for (qsizetype i = m_incidents.size() - 1; i >= 0 && m_incidents.size() > KeptIncidents; --i)
        if (!m_incidents.at(i).open())
            m_incidents.removeAt(i);
}

} // namespace hd
