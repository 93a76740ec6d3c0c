#pragma once

// Alerts → Notifications… (docs/notifications.md, docs/console.md): a non-modal window with
//  - "Channels": each channel of the running workspace — id, kind and where it posts, without
//    any secret (the secret's name and whether it is stored, the simulator's inbox, or the SMTP
//    server) — with the alert rules that route to it and their reminder, grouping and flapping
//    settings, and a "Send test" button per channel (Notifier::sendTest);
//  - "Deliveries": the Notifier's recent deliveries (time, channel, action, attempts, result;
//    failures in the error colour), live from its delivered/deliveryFailed signals;
//  - "Inbox": what the built-in simulator's /_sim/webhook inbox received (GET when the tab is
//    shown, on Refresh and after a delivery to a "sim:" channel; Clear sends DELETE), so the
//    demo shows notifications arriving without any account anywhere.
// Secret values are never read here: only MonitorSession::secretSource() (where a name is
// stored, not its value).
//
// Object names: "notificationsDialog", "notificationsTabs", "notificationChannels",
// "sendTest:<channel id>", "notificationsStatus", "notificationDeliveries", "webhookInbox",
// "inboxRefresh", "inboxClear", "inboxStatus".

#include "notifier.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QNetworkAccessManager;
class QNetworkReply;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace hd {

class MonitorSession;

class NotificationsDialog : public QDialog
{
    Q_OBJECT
public:
    enum ChannelColumn {
        ChannelName,
        ChannelKind,
        Destination,
        Secret,
        Reminders,
        Grouping,
        Flapping,
        Test
    };
    enum DeliveryColumn {
        DeliveryTime,
        DeliveryChannel,
        DeliveryAction,
        DeliveryTitle,
        Attempts,
        Result
    };
    enum InboxColumn { InboxTime, InboxAction, InboxSeverity, InboxTitle, InboxShape };
    enum Tab { ChannelsTab, DeliveriesTab, InboxTab };

    explicit NotificationsDialog(QWidget *parent = nullptr);
    ~NotificationsDialog() override;

    // The running session (null: none); rebuilds every tab. Call again after a reload.
    void setSession(MonitorSession *session);
    // GET <simulator>/_sim/webhook now (also done when the Inbox tab is shown).
    void refreshInbox();
    void clearInbox();
    // Inbox replies answered so far (tests wait on it).
    int inboxFetches() const { return m_inboxFetches; }

protected:
    // A theme change: the error and muted colours are the palette's.
    void changeEvent(QEvent *event) override;

private:
    void rebuildChannels();
    void rebuildDeliveries();
    void addDelivery(const Notifier::Delivery &d, bool live);
    void sendTest(const QString &channelId);
    void showStatus(const QString &text, bool error);
    void inboxReplied(QNetworkReply *reply);
    QString inboxUrl() const;

    QPointer<MonitorSession> m_session;
    QPointer<Notifier> m_notifier;
    QTabWidget *m_tabs = nullptr;
    QTreeWidget *m_channels = nullptr;
    QLabel *m_status = nullptr;
    QTreeWidget *m_deliveries = nullptr;
    QTreeWidget *m_inbox = nullptr;
    QLabel *m_inboxStatus = nullptr;
    QPushButton *m_inboxRefresh = nullptr;
    QPushButton *m_inboxClear = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_inboxReply;
    QString m_testing; // the channel whose test result the status line waits for
    int m_inboxFetches = 0;
};

} // namespace hd
