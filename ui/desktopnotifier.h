#pragma once

// Desktop notifications through the freedesktop notification service
// (org.freedesktop.Notifications on the session bus, docs/notifications.md): an alert shows as
// a notification with an "Open in HealthDeck" action; invoking it emits openEventRequested with
// the event the console should open. Nothing blocks: Notify is an asynchronous call, and when
// no service answers (no session bus, no notification daemon) unavailable() hands the text back
// so the caller can use the tray instead. Lives in the GUI layer: the headless hdeck never
// needs a session bus.

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QString>

namespace hd {

class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *Service = "org.freedesktop.Notifications";
    static constexpr const char *Path = "/org/freedesktop/Notifications";
    static constexpr const char *Interface = "org.freedesktop.Notifications";
    static constexpr const char *OpenAction = "open";

    explicit DesktopNotifier(const QDBusConnection &bus = QDBusConnection::sessionBus(),
                             QObject *parent = nullptr);

    // Shows one notification; eventId (empty: none) is what "open" asks the console to show.
    // urgent: critical urgency (stays until dismissed on most desktops).
    void show(const QString &summary, const QString &body, const QString &eventId, bool urgent);

    int shown() const { return m_shown; }

signals:
    void openEventRequested(const QString &eventId);
    // The service did not answer: show it some other way (the tray).
    void unavailable(const QString &summary, const QString &body);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onClosed(uint id, uint reason);

private:
    QDBusConnection m_bus;
    QHash<uint, QString> m_eventById; // open notifications with an action, by server id
    int m_shown = 0;
};

} // namespace hd
