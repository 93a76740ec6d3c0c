#pragma once

// Sends alert notifications to the channels each alert rule names (docs/notifications.md):
// when it fires, every remindEveryS until acknowledged or resolved, and when it resolves.
// Channel addresses and keys are read from the secret store when needed and never logged: a
// delivery failure names the channel and the HTTP status or network error, never the address.
// A failed delivery is retried (network errors, 5xx, 429 with its Retry-After clamped) a few
// times with backoff, then reported. Reminders are due on the injected clock; tick() checks
// them (a timer calls it in the product, tests call it directly).

#include "alertnotification.h"
#include "clock.h"
#include "workspace.h"

#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>

#include <functional>
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

    void setWorkspace(const Workspace &ws, const QString &workspaceName);
    // Replaces "sim:" in channel URLs (the built-in simulator's address).
    void setSimulatorBaseUrl(const QString &base) { m_simulatorBase = base; }
    // Delays before the 2nd and 3rd attempt (tests shorten them).
    void setRetryDelaysMs(int first, int second);
    // Checks reminders every intervalMs on a timer (0: never; tests call tick()).
    void setReminderCheckIntervalMs(int intervalMs);

    void alertFired(const AlertState &alert);
    void alertResolved(const AlertState &alert);
    // Stops reminders for this alert until it resolves and fires again.
    void acknowledge(const QString &ruleId, const QString &subject);
    void tick();

    const QList<Delivery> &recentDeliveries() const { return m_recent; }
    int pending() const { return m_inFlight; }

signals:
    void delivered(const hd::Notifier::Delivery &delivery);
    void deliveryFailed(const hd::Notifier::Delivery &delivery);

private:
    struct Firing
    {
        AlertState alert;
        qint64 lastToldMs = 0;
        bool acknowledged = false;
    };

    void tell(const AlertState &alert, AlertNotification::Action action);
    void send(const NotificationChannel &channel, const AlertNotification &n);
    void post(Delivery delivery, const QUrl &url, const QByteArray &body);
    void finish(Delivery delivery);
    const AlertRule *rule(const QString &id) const;
    const NotificationChannel *channel(const QString &id) const;
    QUrl resolve(const QString &url) const;
    static QString key(const QString &ruleId, const QString &subject);

    const Clock &m_clock;
    SecretLookup m_secrets;
    QNetworkAccessManager m_network;
    QTimer m_reminders;
    QList<AlertRule> m_rules;
    QList<NotificationChannel> m_channels;
    QString m_workspace;
    QString m_simulatorBase;
    QHash<QString, Firing> m_firing; // by rule and subject
    QList<Delivery> m_recent;
    int m_retryDelayMs[2] = {2000, 10000};
    int m_inFlight = 0;
};

} // namespace hd

Q_DECLARE_METATYPE(hd::Notifier::Delivery)
