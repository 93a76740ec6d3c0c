#include "notifier.h"

#include "channelpayload.h"

#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace hd {
namespace {

// PagerDuty's Events API v2 address, unless the channel names another (a proxy or a test).
const char PagerDutyEventsUrl[] = "https://events.pagerduty.com/v2/enqueue";
constexpr int TransferTimeoutMs = 15000;

QString networkErrorName(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed by the server");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return QStringLiteral("proxy error");
    default:
        return QStringLiteral("network error %1").arg(int(e));
    }
}

} // namespace

Notifier::Notifier(const Clock &clock, SecretLookup secrets, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_secrets(std::move(secrets))
{
    connect(&m_reminders, &QTimer::timeout, this, &Notifier::tick);
}

void Notifier::setWorkspace(const Workspace &ws, const QString &workspaceName)
{
    m_rules = ws.alerts;
    m_channels = ws.channels;
    m_workspace = workspaceName;
}

void Notifier::setRetryDelaysMs(int first, int second)
{
    m_retryDelayMs[0] = std::max(0, first);
    m_retryDelayMs[1] = std::max(0, second);
}

void Notifier::setReminderCheckIntervalMs(int intervalMs)
{
    if (intervalMs <= 0) {
        m_reminders.stop();
        return;
    }
    m_reminders.start(intervalMs);
}

QString Notifier::key(const QString &ruleId, const QString &subject)
{
    return ruleId + u'\x1f' + subject;
}

const AlertRule *Notifier::rule(const QString &id) const
{
    for (const AlertRule &r : m_rules)
        if (r.id == id)
            return &r;
    return nullptr;
}

const NotificationChannel *Notifier::channel(const QString &id) const
{
    for (const NotificationChannel &c : m_channels)
        if (c.id == id)
            return &c;
    return nullptr;
}

void Notifier::alertFired(const AlertState &alert)
{
    Firing &f = m_firing[key(alert.ruleId, alert.subject)];
    f.alert = alert;
    f.acknowledged = false;
    f.lastToldMs = m_clock.nowMs();
    tell(alert, AlertNotification::Action::Trigger);
}

void Notifier::alertResolved(const AlertState &alert)
{
    const auto it = m_firing.find(key(alert.ruleId, alert.subject));
    AlertState resolved = alert;
    if (it != m_firing.end()) {
        if (resolved.firedAtMs == 0)
            resolved.firedAtMs = it->alert.firedAtMs;
        m_firing.erase(it);
    }
    if (resolved.resolvedAtMs == 0)
        resolved.resolvedAtMs = m_clock.nowMs();
    tell(resolved, AlertNotification::Action::Resolve);
}

void Notifier::acknowledge(const QString &ruleId, const QString &subject)
{
    const auto it = m_firing.find(key(ruleId, subject));
    if (it != m_firing.end())
        it->acknowledged = true;
}

void Notifier::tick()
{
    const qint64 now = m_clock.nowMs();
    for (auto it = m_firing.begin(); it != m_firing.end(); ++it) {
        const AlertRule *r = rule(it->alert.ruleId);
        if (!r || r->remindEveryS <= 0 || it->acknowledged)
            continue;
        if (now - it->lastToldMs < qint64(r->remindEveryS) * 1000)
            continue;
        it->lastToldMs = now;
        tell(it->alert, AlertNotification::Action::Remind);
    }
}

void Notifier::tell(const AlertState &alert, AlertNotification::Action action)
{
    const AlertRule *r = rule(alert.ruleId);
    if (!r)
        return;
    const AlertNotification n
        = AlertNotification::from(alert, action, m_workspace, m_clock.nowMs());
    for (const QString &id : r->channels)
        if (const NotificationChannel *c = channel(id))
            send(*c, n);
}

QUrl Notifier::resolve(const QString &url) const
{
    if (url.startsWith(QStringLiteral("sim:"))) {
        if (m_simulatorBase.isEmpty())
            return {};
        QString path = url.mid(4);
        if (!path.startsWith(u'/'))
            path.prepend(u'/');
        QString base = m_simulatorBase;
        while (base.endsWith(u'/'))
            base.chop(1);
        return QUrl(base + path);
    }
    return QUrl(url);
}

void Notifier::send(const NotificationChannel &c, const AlertNotification &n)
{
    Delivery d;
    d.channel = c.id;
    d.channelKind = c.kind;
    d.notification = n;
    const auto deliver = [this, c, d](const QString &secret) {
        Delivery delivery = d;
        const AlertNotification &note = delivery.notification;
        QByteArray body;
        QUrl url;
        if (c.kind == u"pagerduty") {
            body = channelpayload::pagerDuty(note, secret);
            if (body.isEmpty())
                return; // a reminder: PagerDuty escalates by itself
            url = c.url.isEmpty() ? QUrl(QString::fromLatin1(PagerDutyEventsUrl)) : resolve(c.url);
        } else {
            body = c.kind == u"slack"   ? channelpayload::slack(note)
                   : c.kind == u"teams" ? channelpayload::teams(note)
                                        : channelpayload::webhook(note);
            url = c.url.isEmpty() ? QUrl(secret.trimmed()) : resolve(c.url);
        }
        if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http")) {
            delivery.error = c.url.startsWith(QStringLiteral("sim:"))
                                 ? QStringLiteral("the simulator is not running")
                                 : QStringLiteral("the channel's address is not an http(s) URL");
            finish(delivery);
            return;
        }
        post(delivery, url, body);
    };
    if (c.secretName.isEmpty()) {
        deliver(QString());
        return;
    }
    const std::optional<QString> value = m_secrets ? m_secrets(c.secretName) : std::nullopt;
    if (!value || value->isEmpty()) {
        d.error = QStringLiteral("secret %1 is not stored (keychain or HDECK_SECRET_%1)")
                      .arg(c.secretName);
        finish(d);
        return;
    }
    deliver(*value);
}

void Notifier::post(Delivery delivery, const QUrl &url, const QByteArray &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("HealthDeck"));
    request.setTransferTimeout(TransferTimeoutMs);
    ++delivery.attempts;
    ++m_inFlight;
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, delivery, url, body]() mutable {
        reply->deleteLater();
        --m_inFlight;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        delivery.status = status.isValid() ? status.toInt() : 0;
        const bool ok = reply->error() == QNetworkReply::NoError && delivery.status >= 200
                        && delivery.status < 300;
        if (ok) {
            delivery.error.clear();
            finish(delivery);
            return;
        }
        // Never errorString(): Qt writes the URL into it, and a webhook's URL is its secret.
        delivery.error = delivery.status > 0 ? QStringLiteral("HTTP %1").arg(delivery.status)
                                             : networkErrorName(reply->error());
        const bool transient
            = delivery.status == 0 || delivery.status == 429 || delivery.status >= 500;
        if (!transient || delivery.attempts >= MaxAttempts) {
            finish(delivery);
            return;
        }
        int delayMs = m_retryDelayMs[std::min(delivery.attempts - 1, 1)];
        if (delivery.status == 429) {
            bool parsed = false;
            const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&parsed);
            if (parsed && seconds >= 0)
                delayMs = std::max(delayMs,
                                   int(std::min<qint64>(qint64(seconds) * 1000, MaxRetryAfterMs)));
        }
        ++m_inFlight;
        QTimer::singleShot(delayMs, this, [this, delivery, url, body] {
            --m_inFlight;
            post(delivery, url, body);
        });
    });
}

void Notifier::finish(Delivery delivery)
{
    delivery.finishedAtMs = m_clock.nowMs();
    m_recent.append(delivery);
    while (m_recent.size() > KeptDeliveries)
        m_recent.removeFirst();
    if (delivery.error.isEmpty())
        emit delivered(delivery);
    else
        emit deliveryFailed(delivery);
}

} // namespace hd
