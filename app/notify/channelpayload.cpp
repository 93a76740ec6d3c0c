#include "channelpayload.h"

#include "apievent.h"

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
    return bytes(j);
}

QByteArray slack(const AlertNotification &n)
{
    const QString since
        = n.action == AlertNotification::Action::Resolve
              ? QStringLiteral("%1 (fired %2)").arg(n.durationText(), isoTime(n.firedAtMs))
              : QStringLiteral("%1 (since %2)").arg(n.durationText(), isoTime(n.firedAtMs));
    Json fields = Json::array();
    const auto field = [&fields](const QString &label, const QString &value) {
        fields.push_back(
            {{"type", "mrkdwn"}, {"text", s(QStringLiteral("*%1*\n%2").arg(label, value))}});
    };
    field(QStringLiteral("Severity"), n.severity);
    field(QStringLiteral("Alert"), QStringLiteral("%1 (%2)").arg(n.ruleId, n.kind));
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
    Json facts = Json::array(
        {{{"title", "Severity"}, {"value", s(n.severity)}},
         {{"title", "Alert"}, {"value", s(n.ruleId + QStringLiteral(" (") + n.kind + u')')}},
         {{"title", "Subject"}, {"value", s(n.subject)}},
         {{"title", "Fired"}, {"value", s(isoTime(n.firedAtMs))}},
         {{"title", "Duration"}, {"value", s(n.durationText())}}});
    Json body = Json::array();
    body.push_back(
        {{"type", "TextBlock"},
         {"text", s(title(n))},
         {"weight", "Bolder"},
         {"size", "Medium"},
         {"wrap", true},
         {"color", resolved ? "Good" : (n.severity == u"warning" ? "Warning" : "Attention")}});
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
    Json j
        = {{"routing_key", s(routingKey)},
           {"event_action", n.action == AlertNotification::Action::Resolve ? "resolve" : "trigger"},
           {"dedup_key", s(n.dedupKey)}};
    if (n.action == AlertNotification::Action::Trigger) {
        j["payload"] = {{"summary", s(n.summary.left(1024))},
                        {"source", s(n.subject.isEmpty() ? n.workspace : n.subject)},
                        {"severity", s(n.severity)},
                        {"timestamp", s(isoTime(n.firedAtMs))},
                        {"component", s(n.subject)},
                        {"group", s(n.workspace)},
                        {"class", s(n.kind)},
                        {"custom_details",
                         {{"rule", s(n.ruleId)}, {"value", n.value}, {"advice", s(n.advice)}}}};
        j["client"] = "HealthDeck";
    }
    return bytes(j);
}

} // namespace hd::channelpayload
