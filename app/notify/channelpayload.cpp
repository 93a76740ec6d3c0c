#include "channelpayload.h"

#include "apievent.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace hd::channelpayload {
namespace {

using Json = nlohmann::ordered_json;

std::string s(const QString &v)
{
    return v.toStdString();
}

QByteArray bytes(const Json &j)
{
    // Replace, not throw, should any text carry invalid UTF-16 (it comes from our own strings).
    return QByteArray::fromStdString(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

QString isoTime(qint64 ms)
{
    return ms > 0 ? formatEventTime(ms) : QString();
}

Json members(const AlertNotification &n)
{
    Json list = Json::array();
    for (const QString &m : n.members)
        list.push_back(s(m));
    return list;
}

// One header line: line breaks and other controls become spaces, so no value adds a header.
QString headerText(QString v)
{
    for (QChar &c : v)
        if (c.unicode() < 32 || c.unicode() == 127)
            c = u' ';
    return v.simplified();
}

// RFC 2047 for a header that is not plain ASCII: UTF-8, base64, in words of at most 75 chars.
QByteArray encodedHeader(const QString &v)
{
    const QString text = headerText(v);
    bool ascii = true;
    for (const QChar c : text)
        ascii = ascii && c.unicode() < 127;
    if (ascii)
        return text.toLatin1();
    QByteArray out;
    QByteArray chunk;
    const auto flush = [&] {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + chunk.toBase64() + "?=";
        chunk.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        // Keep surrogate pairs together: a word must hold whole characters.
        const qsizetype len = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const QByteArray ch = text.mid(i, len).toUtf8();
        i += len - 1;
        if (chunk.size() + ch.size() > 45)
            flush();
        chunk += ch;
    }
    flush();
    return out;
}

// Wraps a paragraph at about 76 columns (SMTP lines must stay under 998 bytes).
QStringList wrapped(const QString &text, int width = 76)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word.left(900);
    }
    if (!line.isEmpty())
        lines << line;
    return lines;
}

bool isTest(const AlertNotification &n)
{
    return n.action == AlertNotification::Action::Test;
}

// "prod-down (down)"; a test belongs to no rule: "test".
QString alertLabel(const AlertNotification &n)
{
    return n.ruleId.isEmpty() ? n.kind : QStringLiteral("%1 (%2)").arg(n.ruleId, n.kind);
}

} // namespace

QString title(const AlertNotification &n)
{
    switch (n.action) {
    case AlertNotification::Action::Trigger:
        return QStringLiteral("FIRING: %1").arg(n.summary);
    case AlertNotification::Action::Remind:
        return QStringLiteral("STILL FIRING: %1").arg(n.summary);
    case AlertNotification::Action::Resolve:
        return QStringLiteral("RESOLVED: %1").arg(n.summary);
    case AlertNotification::Action::Flapping:
        return QStringLiteral("FLAPPING: %1").arg(n.summary);
    case AlertNotification::Action::Acknowledge:
        return QStringLiteral("ACKNOWLEDGED by %1: %2").arg(n.acknowledgedBy, n.summary);
    case AlertNotification::Action::Test:
        return QStringLiteral("TEST: %1").arg(n.summary);
    }
    return n.summary;
}

QByteArray webhook(const AlertNotification &n)
{
    Json j = {{"schema", "healthdeck.notification/1"},
              {"action", s(AlertNotification::actionName(n.action))},
              {"title", s(title(n))},
              {"dedupKey", s(n.dedupKey)},
              {"workspace", s(n.workspace)},
              {"rule", s(n.ruleId)},
              {"kind", s(n.kind)},
              {"subject", s(n.subject)},
              {"summary", s(n.summary)},
              {"severity", s(n.severity)},
              {"advice", s(n.advice)},
              {"value", n.value},
              {"firedAt", s(isoTime(n.firedAtMs))},
              {"sentAt", s(isoTime(n.sentAtMs))}};
    if (n.resolvedAtMs > 0)
        j["resolvedAt"] = s(isoTime(n.resolvedAtMs));
    if (!n.acknowledgedBy.isEmpty())
        j["acknowledgedBy"] = s(n.acknowledgedBy);
    if (!n.members.isEmpty())
        j["members"] = members(n);
    return bytes(j);
}

QByteArray slack(const AlertNotification &n)
{
    const QString since
        = isTest(n) ? QStringLiteral("sent %1").arg(isoTime(n.sentAtMs))
          : n.action == AlertNotification::Action::Resolve
              ? QStringLiteral("%1 (fired %2)").arg(n.durationText(), isoTime(n.firedAtMs))
              : QStringLiteral("%1 (since %2)").arg(n.durationText(), isoTime(n.firedAtMs));
    Json fields = Json::array();
    const auto field = [&fields](const QString &label, const QString &value) {
        fields.push_back(
            {{"type", "mrkdwn"}, {"text", s(QStringLiteral("*%1*\n%2").arg(label, value))}});
    };
    field(QStringLiteral("Severity"), n.severity);
    field(QStringLiteral("Alert"), alertLabel(n));
    field(QStringLiteral("Subject"), n.subject);
    field(QStringLiteral("When"), since);
    Json blocks = Json::array();
    blocks.push_back(
        {{"type", "header"},
         {"text", {{"type", "plain_text"}, {"text", s(title(n).left(150))}, {"emoji", false}}}});
    blocks.push_back({{"type", "section"}, {"fields", fields}});
    if (n.action != AlertNotification::Action::Resolve)
        blocks.push_back({{"type", "section"},
                          {"text", {{"type", "mrkdwn"}, {"text", s(n.advice.left(3000))}}}});
    blocks.push_back(
        {{"type", "context"},
         {"elements", Json::array({{{"type", "mrkdwn"},
                                    {"text", s(QStringLiteral("HealthDeck · workspace %1 · %2")
                                                   .arg(n.workspace, n.dedupKey))}}})}});
    return bytes({{"text", s(title(n))}, {"blocks", blocks}});
}

QByteArray teams(const AlertNotification &n)
{
    const bool resolved = n.action == AlertNotification::Action::Resolve;
    Json facts = Json::array({{{"title", "Severity"}, {"value", s(n.severity)}},
                              {{"title", "Alert"}, {"value", s(alertLabel(n))}},
                              {{"title", "Subject"}, {"value", s(n.subject)}}});
    if (isTest(n)) {
        facts.push_back({{"title", "Sent"}, {"value", s(isoTime(n.sentAtMs))}});
    } else {
        facts.push_back({{"title", "Fired"}, {"value", s(isoTime(n.firedAtMs))}});
        facts.push_back({{"title", "Duration"}, {"value", s(n.durationText())}});
    }
    Json body = Json::array();
    body.push_back({{"type", "TextBlock"},
                    {"text", s(title(n))},
                    {"weight", "Bolder"},
                    {"size", "Medium"},
                    {"wrap", true},
                    {"color", resolved                   ? "Good"
                              : isTest(n)                ? "Accent"
                              : n.severity == u"warning" ? "Warning"
                                                         : "Attention"}});
    body.push_back({{"type", "FactSet"}, {"facts", facts}});
    if (!resolved)
        body.push_back({{"type", "TextBlock"}, {"text", s(n.advice)}, {"wrap", true}});
    body.push_back({{"type", "TextBlock"},
                    {"text", s(QStringLiteral("HealthDeck · workspace %1").arg(n.workspace))},
                    {"isSubtle", true},
                    {"size", "Small"},
                    {"wrap", true}});
    const Json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                       {"type", "AdaptiveCard"},
                       {"version", "1.4"},
                       {"body", body}};
    return bytes(
        {{"type", "message"},
         {"attachments", Json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                       {"contentUrl", nullptr},
                                       {"content", card}}})}});
}

QByteArray pagerDuty(const AlertNotification &n, const QString &routingKey)
{
    if (n.action == AlertNotification::Action::Remind)
        return {};
    const char *action = n.action == AlertNotification::Action::Resolve       ? "resolve"
                         : n.action == AlertNotification::Action::Acknowledge ? "acknowledge"
                                                                              : "trigger";
    Json j
        = {{"routing_key", s(routingKey)}, {"event_action", action}, {"dedup_key", s(n.dedupKey)}};
    // Events API v2: resolve and acknowledge carry only the key of the incident they close.
    if (n.action != AlertNotification::Action::Resolve
        && n.action != AlertNotification::Action::Acknowledge) {
        j["payload"] = {{"summary", s(n.summary.left(1024))},
                        {"source", s(n.subject.isEmpty() ? n.workspace : n.subject)},
                        {"severity", s(n.severity)},
                        {"timestamp", s(isoTime(n.firedAtMs))},
                        {"component", s(n.subject)},
                        {"group", s(n.workspace)},
                        {"class", s(n.kind)},
                        {"custom_details",
                         {{"rule", s(n.ruleId)}, {"value", n.value}, {"advice", s(n.advice)}}}};
        if (!n.members.isEmpty())
            j["payload"]["custom_details"]["endpoints"] = members(n);
        j["client"] = "HealthDeck";
    }
    return bytes(j);
}

QByteArray email(const AlertNotification &n, const QString &from, const QStringList &to)
{
    const bool resolved = n.action == AlertNotification::Action::Resolve;
    QStringList body;
    body << title(n) << QString();
    const auto field = [&body](const QString &label, const QString &value) {
        const QStringList lines = wrapped(value, 60);
        for (qsizetype i = 0; i < lines.size(); ++i)
            body << (i == 0 ? QString(label + u':').leftJustified(16) : QString(16, u' '))
                        + lines.at(i);
    };
    if (isTest(n)) {
        field(QStringLiteral("Test"), n.summary);
    } else {
        field(QStringLiteral("What failed"), n.summary);
        field(QStringLiteral("Since"),
              QStringLiteral("%1 (%2)").arg(isoTime(n.firedAtMs), n.durationText()));
        if (resolved)
            field(QStringLiteral("Resolved"), isoTime(n.resolvedAtMs));
        field(QStringLiteral("Verdict"),
              QStringLiteral("%1 — %2 alert of rule %3").arg(n.severity, n.kind, n.ruleId));
    }
    if (!n.members.isEmpty())
        field(QStringLiteral("Endpoints"), n.members.join(QStringLiteral(", ")));
    body << QString();
    if (!resolved) {
        body << QStringLiteral("What to do:");
        body << wrapped(n.advice);
        body << QString();
    }
    body << QStringLiteral("Identifiers:");
    field(QStringLiteral("  Workspace"), n.workspace);
    if (!n.ruleId.isEmpty())
        field(QStringLiteral("  Rule"), n.ruleId);
    field(QStringLiteral("  Subject"), n.subject);
    field(QStringLiteral("  Dedup key"), n.dedupKey);
    field(QStringLiteral("  Sent"), isoTime(n.sentAtMs));
    body << QString() << QStringLiteral("-- ") << QStringLiteral("HealthDeck");

    const QDateTime sent = QDateTime::fromMSecsSinceEpoch(n.sentAtMs, Qt::UTC);
    QByteArray m;
    m += "From: " + headerText(from).toLatin1() + "\r\n";
    m += "To: " + headerText(to.join(QStringLiteral(", "))).toLatin1() + "\r\n";
    // A grouped incident's title lists its endpoints: the subject stays short, the body has all.
    QString subject = QStringLiteral("[HealthDeck] ") + title(n);
    if (subject.size() > 200)
        subject = subject.left(199) + u'…';
    m += "Subject: " + encodedHeader(subject) + "\r\n";
    m += "Date: " + sent.toString(Qt::RFC2822Date).toLatin1() + "\r\n";
    m += "Message-ID: <" + n.dedupKey.toLatin1() + '.'
         + AlertNotification::actionName(n.action).toLatin1() + '.' + QByteArray::number(n.sentAtMs)
         + "@healthdeck>\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    // base64 keeps any UTF-8 in the body safe on servers without 8BITMIME.
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "X-HealthDeck-Dedup-Key: " + n.dedupKey.toLatin1() + "\r\n";
    m += "X-HealthDeck-Action: " + AlertNotification::actionName(n.action).toLatin1() + "\r\n";
    m += "\r\n";
    const QByteArray encoded = body.join(QStringLiteral("\r\n")).toUtf8().toBase64();
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        m += encoded.mid(i, 76) + "\r\n";
    return m;
}

} // namespace hd::channelpayload
