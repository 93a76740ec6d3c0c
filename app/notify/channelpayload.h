#pragma once

// The body each kind of channel expects (docs/notifications.md), as the vendors document them:
//   webhook    HealthDeck's own JSON, schema "healthdeck.notification/1"
//   slack      an incoming-webhook message: fallback "text" and Block Kit "blocks"
//   teams      a Workflows webhook message carrying one Adaptive Card (1.4) attachment
//   pagerduty  an Events API v2 event: trigger or resolve with a stable dedup_key
// A test (AlertNotification::Action::Test, Notifier::sendTest) takes the same shape in every
// kind: title "TEST: …", severity info, the advice that nothing is wrong; PagerDuty gets a
// trigger (the Notifier resolves it right after).
//   email      a plain-text RFC 5322 message (sent over SMTP by smtpsender)
// Pure functions: no network, no secrets other than PagerDuty's routing key, which the caller
// passes in and which goes nowhere but that body.

#include "alertnotification.h"

#include <QByteArray>
#include <QStringList>

namespace hd::channelpayload {

QByteArray webhook(const AlertNotification &n);
QByteArray slack(const AlertNotification &n);
QByteArray teams(const AlertNotification &n);
// Empty for a reminder: PagerDuty escalates on its own, and a repeated trigger with the same
// dedup_key would only be merged into the open incident.
QByteArray pagerDuty(const AlertNotification &n, const QString &routingKey);

// An RFC 5322 message (headers and a plain-text UTF-8 body, CRLF line ends) for the e-mail
// channel: the subject is the title; the body says what failed, since when, the verdict, the
// advice and the identifiers. Header values are single lines: no value can add a header.
QByteArray email(const AlertNotification &n, const QString &from, const QStringList &to);

// The title line every channel shows: "FIRING: …", "STILL FIRING: …", "RESOLVED: …",
// "FLAPPING: …", "TEST: …".
QString title(const AlertNotification &n);

} // namespace hd::channelpayload
