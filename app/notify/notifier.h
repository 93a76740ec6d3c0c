#pragma once

// Sends alert notifications to the channels each alert rule names (docs/notifications.md):
// when it fires, every remindEveryS until acknowledged or resolved, and when it resolves.
// Channel addresses and keys are read from the secret store when needed and never logged: a
// delivery failure names the channel and the HTTP status or network error, never the address.
// A failed delivery is retried (network errors, 5xx, 429 with its Retry-After clamped) a few
// times with backoff, then reported. Reminders are due on the injected clock; tick() checks
// them (a timer calls it in the product, tests call it directly).
//
// Noise control, per rule (docs/notifications.md): alerts on endpoints of one host (or one
// environment) that fire within the rule's grouping window make one incident — one message
// listing them, reminders for the incident, one resolve when the last of them resolves. An
// alert that fires more than flapCount times within flapWindowS is held as flapping: one
// message says so, then nothing until it has been stable for flapWindowS, then one message
// with its state. E-mail goes through libcurl on a worker thread; everything else is Qt Network.

#include "alertnotification.h"
#include "clock.h"
#include "workspace.h"

#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>

#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace hd {

class Notifier : public QObject
{
    Q_OBJECT
public:
    struct Delivery
    {
        QString channel;
        QString channelKind;
        AlertNotification notification;
        int attempts = 0;
        int status = 0; // HTTP status of the last attempt, 0 when none came
        QString error;  // empty: delivered
        qint64 finishedAtMs = 0;
    };

    static constexpr int MaxAttempts = 3;
    static constexpr int MaxRetryAfterMs = 60000;
    static constexpr int KeptDeliveries = 200;

    // A secret's value by name (the session's keychain cache, HDECK_SECRET_<NAME>), or nothing.
    using SecretLookup = std::function<std::optional<QString>(const QString &name)>;

    Notifier(const Clock &clock, SecretLookup secrets, QObject *parent = nullptr);
    ~Notifier() override;

    void setWorkspace(const Workspace &ws, const QString &workspaceName);
    // Replaces "sim:" in channel URLs (the built-in simulator's address).
    void setSimulatorBaseUrl(const QString &base) { m_simulatorBase = base; }
    // Delays before the 2nd and 3rd attempt (tests shorten them).
    void setRetryDelaysMs(int first, int second);
    // Whether a subject (an endpoint, an environment) is in a maintenance window or outside its
    // trading hours now (AlertEngine::windowNow): reminders for it wait until the window ends.
    using WindowCheck = std::function<bool(const QString &subject)>;
    void setWindowCheck(WindowCheck check) { m_inWindow = std::move(check); }
    // Checks reminders every intervalMs on a timer (0: never; tests call tick()).
    void setReminderCheckIntervalMs(int intervalMs);

    void alertFired(const AlertState &alert);
    void alertResolved(const AlertState &alert);
    // Stops reminders for this alert (its group, when grouped) until it resolves and fires
    // again, and — when its trigger went out — tells the rule's channels who took it
    // (PagerDuty: an acknowledge event with the trigger's dedup key). who: "alice (console)".
    // quietKind: channels of this kind are not told (the acknowledgement came from there:
    // PagerDuty's own webhook).
    void acknowledge(const QString &ruleId, const QString &subject, const QString &who = {},
                     const QString &quietKind = {});
    // The alerts (rule, subject) of the incident whose trigger went out with this dedup key
    // (PagerDuty's incident_key): what an acknowledgement made in PagerDuty is about.
    QList<std::pair<QString, QString>> alertsWithDedupKey(const QString &dedupKey) const;
    void tick();
    // Sends a test message (AlertNotification::test, action "test") to one channel, whatever
    // the rules say: the result arrives as delivered()/deliveryFailed() like any other and is
    // kept in recentDeliveries(). PagerDuty gets a trigger of severity info and, once it is
    // accepted, the resolve for it, so no incident stays open. Returns the reason when nothing
    // could be sent (no such channel), else empty.
    QString sendTest(const QString &channelId);

    const QList<Delivery> &recentDeliveries() const { return m_recent; }
    int pending() const { return m_inFlight; }
    // Alerts held as flapping, as "rule|subject" (tests, the console).
    QStringList flapping() const;

signals:
    void delivered(const hd::Notifier::Delivery &delivery);
    void deliveryFailed(const hd::Notifier::Delivery &delivery);

private:
    // One cause: the alerts of one rule on one host or environment (or one alert alone).
    struct Incident
    {
        QString ruleId;
        QString label;                  // "host api.example.com", or the alert's subject
        QHash<QString, AlertState> now; // the members firing now, by subject
        QStringList members;            // every subject that was part of it, in order
        qint64 openedMs = 0;
        qint64 firedAtMs = 0;
        bool grouped = false; // waits for its window before the first message
        bool told = false;    // the trigger went out
        QString toldSubject;  // the subject the trigger named (resolve names the same)
        QString dedupKey;     // fixed by the trigger, reused by reminders and the resolve
        qint64 lastToldMs = 0;
        bool acknowledged = false;
    };
    struct Flap
    {
        QList<qint64> firings; // within the flap window
        bool firing = false;
        bool flapping = false;
        AlertState last;
        qint64 lastChangeMs = 0;
        QString dedupKey; // the flapping notice's, reused by the message that ends it
    };

    void open(const AlertRule &r, const AlertState &alert);
    void close(const AlertRule &r, const AlertState &alert);
    // An acknowledgement says who took it, and is not told back to where it came from.
    struct Ack
    {
        QString by;
        QString quietKind;
    };
    void tellIncident(Incident &inc, AlertNotification::Action action, const Ack &ack = {});
    void tell(const AlertState &alert, AlertNotification::Action action,
              const QString &dedupKey = {}, const QStringList &members = {}, const Ack &ack = {});
    void send(const NotificationChannel &channel, const AlertNotification &n);
    void post(Delivery delivery, const QUrl &url, const QByteArray &body);
    void mail(Delivery delivery, const NotificationChannel &c, const QString &password);
    void finish(Delivery delivery);
    const AlertRule *rule(const QString &id) const;
    const NotificationChannel *channel(const QString &id) const;
    QUrl resolve(const QString &url) const;
    // "host api.example.com" / "environment prod" for an endpoint, empty: not grouped.
    QString groupOf(const AlertRule &r, const QString &subject) const;
    Incident *incidentOf(const QString &ruleId, const QString &subject);
    static QString key(const QString &ruleId, const QString &subject);

    const Clock &m_clock;
    SecretLookup m_secrets;
    QNetworkAccessManager m_network;
    QTimer m_reminders;
    QList<AlertRule> m_rules;
    QList<NotificationChannel> m_channels;
    Workspace m_ws; // endpoints and environments, for grouping by host
    QString m_workspace;
    QString m_simulatorBase;
    QHash<QString, Incident> m_incidents; // by rule and group (or subject)
    QHash<QString, Flap> m_flaps;         // by rule and subject
    QList<Delivery> m_recent;
    WindowCheck m_inWindow;
    int m_retryDelayMs[2] = {2000, 10000};
    int m_inFlight = 0;
    // E-mail: curl blocks, so it runs here; the flag cuts a transfer short on destruction.
    std::shared_ptr<std::atomic<bool>> m_abort = std::make_shared<std::atomic<bool>>(false);
    QThreadPool m_mailPool;
};

} // namespace hd

Q_DECLARE_METATYPE(hd::Notifier::Delivery)
