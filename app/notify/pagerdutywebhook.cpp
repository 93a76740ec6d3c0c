#include "pagerdutywebhook.h"

#include "cleantext.h"
#include "safejson.h"

#include <QList>
#include <QMessageAuthenticationCode>

#include <nlohmann/json.hpp>

namespace hd::pagerdutywebhook {
namespace {

using Json = nlohmann::json;

// A short, single-line text from an untrusted string member (empty when it is not a string).
QString text(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return cleanText(QString::fromStdString(it->get<std::string>()), 200);
}

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace

bool verifySignature(const QByteArray &body, const QByteArray &header, const QByteArray &secret)
{
    if (secret.isEmpty() || header.isEmpty() || header.size() > MaxSignatureHeaderBytes)
        return false;
    const QByteArray expected
        = QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
    bool match = false;
    for (const QByteArray &part : header.split(',')) {
        const QByteArray item = part.trimmed();
        if (!item.startsWith("v1="))
            continue;
        // Every candidate is compared, so the time taken says nothing about which one matched.
        match = constantTimeEqual(item.mid(3).toLower(), expected) || match;
    }
    return match;
}

std::optional<PagerDutyWebhookEvent> parse(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<PagerDutyWebhookEvent> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    SafeJsonLimits limits;
    limits.maxBytes = MaxBodyBytes;
    limits.maxDepth = 16;
    Json doc;
    SafeJsonError parseError;
    if (!safeJsonParse(body, doc, parseError, limits))
        return fail(safeJsonMessage(QStringLiteral("PagerDuty webhook"), body, parseError));
    if (!doc.is_object() || !doc.contains("event") || !doc["event"].is_object())
        return fail(QStringLiteral("PagerDuty webhook: no event object"));
    const Json &event = doc["event"];
    PagerDutyWebhookEvent out;
    out.eventType = text(event, "event_type");
    if (out.eventType.isEmpty())
        return fail(QStringLiteral("PagerDuty webhook: event.event_type is missing"));
    if (const auto agent = event.find("agent"); agent != event.end())
        out.agent = text(*agent, "summary");
    if (const auto data = event.find("data"); data != event.end()) {
        out.incidentKey = text(*data, "incident_key");
        out.incidentId = text(*data, "id");
    }
    return out;
}

} // namespace hd::pagerdutywebhook
