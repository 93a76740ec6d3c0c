#pragma once

// PagerDuty's V3 webhooks, the way an acknowledgement made in PagerDuty comes back to
// HealthDeck (docs/incidents.md). PagerDuty signs each delivery: X-PagerDuty-Signature holds
// one or more "v1=<hex HMAC-SHA256 of the raw body>" separated by commas (several during a
// secret's rotation); a delivery is trusted when one of them matches. The body is untrusted
// input: bounded in size and depth, never throws, and only the few members HealthDeck uses are
// read — the event type, who did it (agent.summary) and the incident's incident_key, which is
// the dedup_key HealthDeck sent with the trigger.

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

struct PagerDutyWebhookEvent
{
    QString eventType;   // "incident.acknowledged", "incident.resolved", …
    QString incidentKey; // event.data.incident_key: our dedup_key
    QString incidentId;  // event.data.id (PagerDuty's, for the message)
    QString agent;       // event.agent.summary: who ("Tenex Engineer"); empty when none
};

namespace pagerdutywebhook {

constexpr qsizetype MaxBodyBytes = 256 * 1024;
constexpr qsizetype MaxSignatureHeaderBytes = 4096;

// True when one v1 signature in header is HMAC-SHA256(secret, body) (compared in constant time).
bool verifySignature(const QByteArray &body, const QByteArray &header, const QByteArray &secret);

// The event, or nothing with a one-line reason in *error ("not valid JSON …", "event.event_type
// is missing"). Texts are bounded (200 characters) and stripped of control characters.
std::optional<PagerDutyWebhookEvent> parse(const QByteArray &body, QString *error = nullptr);

} // namespace pagerdutywebhook
} // namespace hd
