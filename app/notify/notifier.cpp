// Why this file is long: routing, grouping, flap suppression, reminders, acknowledgements and
// delivery retries for every channel kind meet here (payloads are in channelpayload, e-mail in
// smtpsender). The next split, when it grows: delivery (queue, retries) apart from policy
// (routing, grouping, reminders).

#include "notifier.h"

#include "urljoin.h"

#include "channelpayload.h"
#include "smtpsender.h"

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
    smtpsender::initialize();
    m_mailPool.setMaxThreadCount(2);
}

Notifier::~Notifier()
{
    // A mail in flight is cut short (curl's progress callback sees the flag) and waited for:
    // its result is posted to this object, which must outlive the worker.
    m_abort->store(true);
    m_mailPool.waitForDone();
}

void Notifier::setWorkspace(const Workspace &ws, const QString &workspaceName)
{
    m_rules = ws.alerts;
    m_channels = ws.channels;
    m_workspace = workspaceName;
    m_ws = ws;
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

QString Notifier::groupOf(const AlertRule &r, const QString &subject) const
{
    if (r.groupWindowS <= 0 || r.groupBy == u"none")
        return {};
    const Endpoint *e = m_ws.endpoint(subject);
    if (!e)
        return {}; // an environment, a credential, "*": one subject per rule, nothing to group
    const Environment *env = m_ws.environment(e->environment);
    if (r.groupBy == u"host") {
        // The endpoint's own full URL, else its environment's base; the simulator ("sim:") has
        // no host of its own, so its endpoints group by environment.
        QString host = QUrl(e->path).host();
        if (host.isEmpty() && env)
            host = QUrl(env->baseUrl).host();
        if (!host.isEmpty())
            return QStringLiteral("host ") + host.toLower();
    }
    return e->environment.isEmpty() ? QString() : QStringLiteral("environment ") + e->environment;
}

Notifier::Incident *Notifier::incidentOf(const QString &ruleId, const QString &subject)
{
    for (auto it = m_incidents.begin(); it != m_incidents.end(); ++it)
        if (it->ruleId == ruleId && it->now.contains(subject))
            return &*it;
    return nullptr;
}

QStringList Notifier::flapping() const
{
    QStringList out;
    for (auto it = m_flaps.cbegin(); it != m_flaps.cend(); ++it)
        if (it->flapping)
            out << it->last.ruleId + u'|' + it->last.subject;
    out.sort();
    return out;
}

void Notifier::alertFired(const AlertState &alert)
{
    const AlertRule *r = rule(alert.ruleId);
    if (!r)
        return;
    const qint64 now = m_clock.nowMs();
    if (r->flapCount > 0) {
        Flap &f = m_flaps[key(alert.ruleId, alert.subject)];
        const bool again = f.firing; // a new level of an alert that fires: not a new firing
        f.firing = true;
        f.last = alert;
        if (!again) {
            f.lastChangeMs = now;
            const qint64 horizon = now - qint64(r->flapWindowS) * 1000;
            f.firings.removeIf([horizon](qint64 t) { return t < horizon; });
            f.firings.append(now);
        }
        if (f.flapping)
            return;
        if (f.firings.size() > r->flapCount) {
            f.flapping = true;
            AlertState held = alert;
            held.message = QStringLiteral("%1 — flapping: fired %2 times in %3 min; no more "
                                          "messages until it is stable for %3 min")
                               .arg(alert.message)
                               .arg(f.firings.size())
                               .arg(r->flapWindowS / 60);
            held.firedAtMs = now;
            const AlertNotification n = AlertNotification::from(
                held, AlertNotification::Action::Flapping, m_workspace, now);
            f.dedupKey = n.dedupKey;
            tell(held, AlertNotification::Action::Flapping, f.dedupKey);
            return;
        }
    }
    open(*r, alert);
}

void Notifier::open(const AlertRule &r, const AlertState &alert)
{
    const qint64 now = m_clock.nowMs();
    if (Incident *inc = incidentOf(alert.ruleId, alert.subject)) {
        // Already part of an incident: a new level (cert_expiry warning → critical) is told.
        inc->now[alert.subject] = alert;
        if (inc->told && inc->toldSubject == alert.subject) {
            inc->acknowledged = false;
            tellIncident(*inc, AlertNotification::Action::Trigger);
        }
        return;
    }
    const QString group = groupOf(r, alert.subject);
    const QString k = key(alert.ruleId, group.isEmpty() ? alert.subject : group);
    Incident &inc = m_incidents[k];
    if (inc.ruleId.isEmpty()) {
        inc.ruleId = alert.ruleId;
        inc.label = group.isEmpty() ? alert.subject : group;
        inc.openedMs = now;
        inc.firedAtMs = alert.firedAtMs > 0 ? alert.firedAtMs : now;
        inc.grouped = !group.isEmpty();
    }
    inc.now.insert(alert.subject, alert);
    if (!inc.members.contains(alert.subject))
        inc.members.append(alert.subject);
    // A grouped incident waits for its window (tick()); a member that joins after the message
    // went out is part of the same cause: listed in reminders and the resolve, not told alone.
    if (!inc.grouped)
        tellIncident(inc, AlertNotification::Action::Trigger);
}

void Notifier::alertResolved(const AlertState &alert)
{
    const AlertRule *r = rule(alert.ruleId);
    if (!r)
        return;
    if (r->flapCount > 0) {
        Flap &f = m_flaps[key(alert.ruleId, alert.subject)];
        f.firing = false;
        f.last = alert;
        f.lastChangeMs = m_clock.nowMs();
        if (f.flapping)
            return;
    }
    close(*r, alert);
}

void Notifier::close(const AlertRule &, const AlertState &alert)
{
    const qint64 now = m_clock.nowMs();
    AlertState resolved = alert;
    if (resolved.resolvedAtMs == 0)
        resolved.resolvedAtMs = now;
    for (auto it = m_incidents.begin(); it != m_incidents.end(); ++it) {
        if (it->ruleId != alert.ruleId || !it->now.contains(alert.subject))
            continue;
        it->now.remove(alert.subject);
        if (!it->now.isEmpty())
            return; // the incident holds while any of its endpoints still fails
        if (it->told) {
            Incident inc = *it;
            m_incidents.erase(it);
            AlertState last = resolved;
            last.subject = inc.toldSubject;
            last.firedAtMs = inc.firedAtMs;
            if (inc.members.size() > 1)
                last.message = QStringLiteral("%1: %2 on %3 endpoints")
                                   .arg(inc.label, alert.kind)
                                   .arg(inc.members.size());
            tell(last, AlertNotification::Action::Resolve, inc.dedupKey,
                 inc.members.size() > 1 ? inc.members : QStringList());
        } else {
            m_incidents.erase(it); // fired and resolved inside the grouping window: not told
        }
        return;
    }
    // Not known here (fired before this notifier saw the workspace): still say it resolved.
    tell(resolved, AlertNotification::Action::Resolve);
}

QList<std::pair<QString, QString>> Notifier::alertsWithDedupKey(const QString &dedupKey) const
{
    QList<std::pair<QString, QString>> out;
    if (dedupKey.isEmpty())
        return out;
    for (const Incident &inc : m_incidents)
        if (inc.told && inc.dedupKey == dedupKey)
            for (auto it = inc.now.cbegin(); it != inc.now.cend(); ++it)
                out.append({inc.ruleId, it.key()});
    return out;
}

void Notifier::acknowledge(const QString &ruleId, const QString &subject, const QString &who,
                           const QString &quietKind)
{
    Incident *inc = incidentOf(ruleId, subject);
    if (!inc || inc->acknowledged)
        return;
    inc->acknowledged = true;
    if (!inc->told || who.isEmpty())
        return; // nobody was told it fired: nothing to take back
    tellIncident(*inc, AlertNotification::Action::Acknowledge, {who, quietKind});
}

void Notifier::tellIncident(Incident &inc, AlertNotification::Action action, const Ack &ack)
{
    const qint64 now = m_clock.nowMs();
    inc.lastToldMs = now;
    if (inc.now.isEmpty())
        return;
    QStringList subjects = inc.now.keys();
    subjects.sort();
    // The form of the first message holds for the incident's life: a reminder of a grouped
    // message is grouped even when one endpoint is left, and the other way round.
    const bool asGroup
        = inc.grouped && (inc.told ? inc.toldSubject == inc.label : inc.now.size() > 1);
    if (!asGroup) {
        const AlertState a = inc.now.value(subjects.constFirst());
        if (!inc.told) {
            inc.toldSubject = a.subject;
            AlertState first = a;
            first.firedAtMs = inc.firedAtMs;
            inc.dedupKey = AlertNotification::from(first, action, m_workspace, now).dedupKey;
        }
        inc.told = true;
        AlertState told = a;
        told.firedAtMs = inc.firedAtMs;
        tell(told, action, inc.dedupKey, {}, ack);
        return;
    }
    // Several endpoints, one cause: one message that lists them, at the level of the worst.
    AlertState group = inc.now.value(subjects.constFirst());
    for (const AlertState &a : std::as_const(inc.now))
        if (a.severity == u"critical")
            group.severity = a.severity;
    group.subject = inc.label;
    group.firedAtMs = inc.firedAtMs;
    group.value = double(inc.now.size());
    group.message
        = QStringLiteral("%1: %2 on %3 %4 (%5)")
              .arg(inc.label, group.kind)
              .arg(inc.now.size())
              .arg(inc.now.size() == 1 ? QStringLiteral("endpoint") : QStringLiteral("endpoints"),
                   subjects.join(QStringLiteral(", ")));
    if (!inc.told) {
        inc.toldSubject = inc.label;
        inc.dedupKey = AlertNotification::from(group, action, m_workspace, now).dedupKey;
    }
    inc.told = true;
    tell(group, action, inc.dedupKey, inc.members, ack);
}

void Notifier::tick()
{
    const qint64 now = m_clock.nowMs();
    for (auto it = m_incidents.begin(); it != m_incidents.end(); ++it) {
        const AlertRule *r = rule(it->ruleId);
        if (!r)
            continue;
        if (!it->told) {
            if (now - it->openedMs >= qint64(r->groupWindowS) * 1000)
                tellIncident(*it, AlertNotification::Action::Trigger);
            continue;
        }
        if (r->remindEveryS <= 0 || it->acknowledged)
            continue;
        if (now - it->lastToldMs < qint64(r->remindEveryS) * 1000)
            continue;
        // Silence when silence is right: a reminder due inside a maintenance window or outside
        // trading hours waits for the window's end (then goes at the next check).
        if (m_inWindow
            && std::any_of(it->now.keyBegin(), it->now.keyEnd(),
                           [this](const QString &subject) { return m_inWindow(subject); }))
            continue;
        tellIncident(*it, AlertNotification::Action::Remind);
    }
    for (auto it = m_flaps.begin(); it != m_flaps.end();) {
        const AlertRule *r = rule(it->last.ruleId);
        const qint64 window = r ? qint64(r->flapWindowS) * 1000 : 0;
        if (!r || now - it->lastChangeMs < window) {
            ++it;
            continue;
        }
        if (!it->flapping) {
            // Quiet for a whole window: nothing left to count.
            if (!it->firing)
                it = m_flaps.erase(it);
            else {
                it->firings.clear();
                ++it;
            }
            continue;
        }
        // Stable again: one message with the state it settled in, under the flapping notice's
        // dedup key (PagerDuty resolves the incident the notice opened).
        it->flapping = false;
        it->firings.clear();
        AlertState a = it->last;
        const QString dedupKey = it->dedupKey;
        if (it->firing) {
            a.message += QStringLiteral(" — stopped flapping and still fires");
            Incident &inc = m_incidents[key(a.ruleId, QStringLiteral("flap ") + a.subject)];
            inc.ruleId = a.ruleId;
            inc.label = a.subject;
            inc.now.insert(a.subject, it->last);
            inc.members = {a.subject};
            inc.openedMs = now;
            inc.firedAtMs = a.firedAtMs;
            inc.told = true;
            inc.toldSubject = a.subject;
            inc.dedupKey = dedupKey;
            inc.lastToldMs = now;
            tell(a, AlertNotification::Action::Trigger, dedupKey);
            ++it;
        } else {
            a.message += QStringLiteral(" — stopped flapping and stays resolved");
            if (a.resolvedAtMs == 0)
                a.resolvedAtMs = it->lastChangeMs;
            tell(a, AlertNotification::Action::Resolve, dedupKey);
            it = m_flaps.erase(it);
        }
    }
}

void Notifier::tell(const AlertState &alert, AlertNotification::Action action,
                    const QString &dedupKey, const QStringList &members, const Ack &ack)
{
    const AlertRule *r = rule(alert.ruleId);
    if (!r)
        return;
    AlertNotification n = AlertNotification::from(alert, action, m_workspace, m_clock.nowMs());
    if (!dedupKey.isEmpty())
        n.dedupKey = dedupKey;
    n.members = members;
    n.acknowledgedBy = ack.by;
    if (members.size() > 1)
        n.advice = QStringLiteral("Several endpoints on the same %1 fail together: the cause is "
                                  "most likely there (the host, the network, the vendor), not "
                                  "in one endpoint. ")
                       .arg(alert.subject.section(u' ', 0, 0))
                   + n.advice;
    for (const QString &id : r->channels)
        if (const NotificationChannel *c = channel(id))
            if (ack.quietKind.isEmpty() || c->kind != ack.quietKind)
                send(*c, n);
}

QString Notifier::sendTest(const QString &channelId)
{
    const NotificationChannel *c = channel(channelId);
    if (!c)
        return QStringLiteral("no channel %1 in this workspace").arg(channelId);
    send(*c, AlertNotification::test(c->id, c->name, m_workspace, m_clock.nowMs()));
    return {};
}

QUrl Notifier::resolve(const QString &url) const
{
    // "sim:/_sim/webhook": the running simulator's inbox; empty when it is not running.
    const QString resolved = withSimulatorBase(url, m_simulatorBase);
    return resolved.isEmpty() ? QUrl() : QUrl(resolved);
}

void Notifier::send(const NotificationChannel &c, const AlertNotification &n)
{
    Delivery d;
    d.channel = c.id;
    d.channelKind = c.kind;
    d.notification = n;
    if (c.kind == u"email") {
        QString password;
        if (!c.secretName.isEmpty()) {
            const std::optional<QString> value = m_secrets ? m_secrets(c.secretName) : std::nullopt;
            if (!value || value->isEmpty()) {
                d.error = QStringLiteral("secret %1 is not stored (keychain or HDECK_SECRET_%1)")
                              .arg(c.secretName);
                finish(d);
                return;
            }
            password = *value;
        }
        mail(d, c, password);
        return;
    }
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
            delivery.error = isSimulatorUrl(c.url)
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

void Notifier::mail(Delivery delivery, const NotificationChannel &c, const QString &password)
{
    const QUrl url(c.url);
    const QString host = url.host();
    const bool loopback = host == u"localhost" || host == u"127.0.0.1" || host == u"::1";
    if (!password.isEmpty() && url.scheme() == u"smtp" && !c.requireTls && !loopback) {
        // The loader allows requireTls false for relays that speak no TLS; a password must not
        // cross the network in the clear to get there.
        delivery.error = QStringLiteral("SMTP: refusing to send the password without TLS "
                                        "(requireTls is false)");
        finish(delivery);
        return;
    }
    SmtpMessage m;
    m.url = c.url;
    m.username = c.username;
    m.password = password;
    m.requireTls = c.requireTls;
    m.caFile = c.caFile;
    m.from = c.from;
    m.to = c.to;
    m.data = channelpayload::email(delivery.notification, c.from, c.to);
    ++delivery.attempts;
    ++m_inFlight;
    const std::shared_ptr<std::atomic<bool>> abort = m_abort;
    m_mailPool.start([this, delivery, m, abort, c]() mutable {
        const SmtpResult r = smtpsender::send(m, abort.get());
        m.password.fill(u'\0');
        QMetaObject::invokeMethod(
            this,
            [this, delivery, r, c]() mutable {
                --m_inFlight;
                delivery.status = r.replyCode;
                if (r.ok) {
                    delivery.error.clear();
                    finish(delivery);
                    return;
                }
                delivery.error = r.error;
                if (!r.transient || delivery.attempts >= MaxAttempts) {
                    finish(delivery);
                    return;
                }
                ++m_inFlight;
                const int delayMs = m_retryDelayMs[std::min(delivery.attempts - 1, 1)];
                QTimer::singleShot(delayMs, this, [this, delivery, c] {
                    --m_inFlight;
                    // The password is read again rather than kept in a timer's closure.
                    const std::optional<QString> value = c.secretName.isEmpty() || !m_secrets
                                                             ? std::optional<QString>()
                                                             : m_secrets(c.secretName);
                    mail(delivery, c, value.value_or(QString()));
                });
            },
            Qt::QueuedConnection);
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
    // A test must not leave a PagerDuty incident open: resolve what the test trigger opened.
    if (delivery.error.isEmpty() && delivery.channelKind == u"pagerduty"
        && delivery.notification.action == AlertNotification::Action::Test) {
        if (const NotificationChannel *c = channel(delivery.channel)) {
            AlertNotification closing = delivery.notification;
            closing.action = AlertNotification::Action::Resolve;
            closing.resolvedAtMs = delivery.finishedAtMs;
            closing.sentAtMs = delivery.finishedAtMs;
            send(*c, closing);
        }
    }
}

} // namespace hd
