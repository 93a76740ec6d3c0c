#pragma once

// Reads what the simulator's inbox (GET /_sim/webhook, SimWebhookInbox) lists, for the console's
// Notifications window: per message its time, action, title and severity, whichever channel
// shape it came in (HealthDeck's webhook schema, Slack, Teams, PagerDuty, anything else). The
// inbox keeps whatever anyone on loopback posted, so the listing is untrusted input: parsed
// with the bounded JSON reader (size, depth), every text cut to one line of at most
// MaxTextChars, at most MaxEntries entries; a problem comes back as one line.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hd {

struct SimWebhookMessage
{
    qint64 timeMs = 0; // when the inbox received it
    QString shape;     // webhook, slack, teams, pagerduty, json (another JSON body), text
    QString action;    // trigger, remind, resolve, flapping, test; empty when the body says none
    QString title;     // "FIRING: …", PagerDuty's summary, or the start of another body
    QString severity;  // critical, error, warning, info; empty when the body says none
    qint64 bytes = 0;
};

struct SimWebhookListing
{
    static constexpr qsizetype MaxBytes = 32 * 1024 * 1024;
    static constexpr std::size_t MaxDepth = 128;
    static constexpr qsizetype MaxEntries = 1000;
    static constexpr qsizetype MaxTextChars = 400;

    qint64 received = 0; // posts the inbox accepted since it started (some may be dropped)
    QList<SimWebhookMessage> messages; // oldest first, as listed

    // The listing, or nothing with *error set to one line.
    static std::optional<SimWebhookListing> parse(const QByteArray &body, QString *error);
};

} // namespace hd
