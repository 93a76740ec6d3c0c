#include "alertnotification.h"

#include <QCryptographicHash>

namespace hd {

AlertNotification AlertNotification::from(const AlertState &alert, Action action,
                                          const QString &workspace, qint64 nowMs)
{
    AlertNotification n;
    n.action = action;
    n.workspace = workspace;
    n.ruleId = alert.ruleId;
    n.kind = alert.kind;
    n.subject = alert.subject;
    n.summary = alert.message.isEmpty() ? QStringLiteral("%1: %2").arg(alert.subject, alert.kind)
                                        : alert.message;
    // An alert that knows its level (cert_expiry: warning, then critical) says it; PagerDuty
    // accepts critical, error, warning and info.
    n.severity = alert.severity == u"critical" || alert.severity == u"warning"
                     ? alert.severity
                     : severityFor(alert.kind);
    n.advice = adviceFor(alert.kind);
    n.value = alert.value;
    n.firedAtMs = alert.firedAtMs;
    n.resolvedAtMs = action == Action::Resolve ? alert.resolvedAtMs : 0;
    n.sentAtMs = nowMs;
    // One incident per rule and subject: the same key from trigger to resolve, and a new
    // firing of the same alert later is the same incident in PagerDuty's eyes only while open.
    const QByteArray identity = (workspace + u'\x1f' + alert.ruleId + u'\x1f' + alert.subject
                                 + u'\x1f' + QString::number(alert.firedAtMs))
                                    .toUtf8();
    n.dedupKey
        = QStringLiteral("healthdeck-")
          + QString::fromLatin1(
              QCryptographicHash::hash(identity, QCryptographicHash::Sha256).toHex().left(32));
    return n;
}

AlertNotification AlertNotification::test(const QString &channelId, const QString &channelName,
                                          const QString &workspace, qint64 nowMs)
{
    AlertNotification n;
    n.action = Action::Test;
    n.workspace = workspace;
    n.kind = QStringLiteral("test");
    n.subject = QStringLiteral("channel ") + channelId;
    n.summary = channelName.isEmpty() || channelName == channelId
                    ? QStringLiteral("HealthDeck test notification to channel %1").arg(channelId)
                    : QStringLiteral("HealthDeck test notification to channel %1 (%2)")
                          .arg(channelId, channelName);
    n.severity = QStringLiteral("info");
    n.advice = QStringLiteral("Nothing is wrong: this message was sent from HealthDeck's "
                              "Notifications window to check that this channel reaches you.");
    n.firedAtMs = nowMs;
    n.sentAtMs = nowMs;
    const QByteArray identity
        = (workspace + u'\x1f' + channelId + u'\x1f' + QString::number(nowMs)).toUtf8();
    n.dedupKey
        = QStringLiteral("healthdeck-test-")
          + QString::fromLatin1(
              QCryptographicHash::hash(identity, QCryptographicHash::Sha256).toHex().left(24));
    return n;
}

QString AlertNotification::severityFor(const QString &kind)
{
    if (kind == u"down" || kind == u"lockout" || kind == u"refresh_failed"
        || kind == u"stream_gave_up")
        return QStringLiteral("critical");
    if (kind == u"error_rate")
        return QStringLiteral("error");
    if (kind == u"lockout_warning" || kind == u"token_expiry" || kind == u"headroom"
        || kind == u"cert_expiry" || kind == u"degraded")
        return QStringLiteral("warning");
    return QStringLiteral("info");
}

QString AlertNotification::adviceFor(const QString &kind)
{
    if (kind == u"down")
        return QStringLiteral("Requests to this endpoint fail one after another. Check the "
                              "vendor's status page and whether other endpoints on the same host "
                              "fail too; open the latest event in HealthDeck for the exact error "
                              "and the identifiers to quote to the vendor.");
    if (kind == u"error_rate")
        return QStringLiteral("More requests fail than the SLO allows. Look at which category "
                              "dominates in HealthDeck (server errors, rate limiting, rejections) "
                              "before acting; a burst of 5xx is the vendor's side, rejections are "
                              "ours.");
    if (kind == u"lockout_warning")
        return QStringLiteral("The API warns that the account is close to a lockout. Stop "
                              "repeating failing logins or requests now; the next failures may "
                              "lock the account.");
    if (kind == u"lockout")
        return QStringLiteral("The account is locked out. HealthDeck has paused requests to this "
                              "host; do not retry until the lockout period is over, and contact "
                              "the vendor with the penalty ticket if one was given.");
    if (kind == u"token_expiry")
        return QStringLiteral("An access token is about to expire and has not been renewed. "
                              "Check the credential's refresh settings and the token endpoint.");
    if (kind == u"refresh_failed")
        return QStringLiteral("Renewing a token failed. Requests that need it will fail once it "
                              "expires: check the client credentials and the token endpoint's "
                              "answer in HealthDeck.");
    if (kind == u"headroom")
        return QStringLiteral("Rate-limit headroom is low. Slow down polling or other traffic on "
                              "this key before the API starts refusing requests.");
    if (kind == u"cert_expiry")
        return QStringLiteral("A server certificate expires soon. Tell the vendor (or your own "
                              "team, for a gateway you run) the host and the date; when it "
                              "expires, every request to that host fails the TLS handshake.");
    if (kind == u"degraded")
        return QStringLiteral("The endpoint answers, but slowly or with rate limiting. Check an "
                              "event's timings (DNS, connect, TLS, first byte) and the rate-limit "
                              "headroom in HealthDeck before it turns into failures.");
    if (kind == u"stream_gave_up")
        return QStringLiteral("A streaming connection stopped reconnecting after repeated "
                              "failures. Check the stream's last error in HealthDeck and "
                              "restart it when the cause is fixed.");
    if (kind == u"burn_rate")
        return QStringLiteral("The SLO's error budget is being spent faster than the period "
                              "allows. Find the endpoints and categories behind the failures in "
                              "HealthDeck; if the cause is planned work, put it in a maintenance "
                              "window so it does not count.");
    return QStringLiteral("Open HealthDeck for the events behind this alert.");
}

QString AlertNotification::actionName(Action action)
{
    switch (action) {
    case Action::Trigger:
        return QStringLiteral("trigger");
    case Action::Remind:
        return QStringLiteral("remind");
    case Action::Resolve:
        return QStringLiteral("resolve");
    case Action::Flapping:
        return QStringLiteral("flapping");
    case Action::Acknowledge:
        return QStringLiteral("acknowledge");
    case Action::Test:
        return QStringLiteral("test");
    }
    return {};
}

QString AlertNotification::durationText() const
{
    const qint64 end = resolvedAtMs > 0 ? resolvedAtMs : sentAtMs;
    const qint64 minutes = std::max<qint64>(0, end - firedAtMs) / 60000;
    QString span;
    if (minutes < 1)
        span = QStringLiteral("less than a minute");
    else if (minutes < 60)
        span = QStringLiteral("%1 min").arg(minutes);
    else if (minutes % 60 == 0)
        span = QStringLiteral("%1 h").arg(minutes / 60);
    else
        span = QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
    return resolvedAtMs > 0 ? QStringLiteral("resolved after %1").arg(span)
                            : QStringLiteral("firing for %1").arg(span);
}

} // namespace hd
