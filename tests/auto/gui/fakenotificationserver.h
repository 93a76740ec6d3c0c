#pragma once

// The notification daemon's side of org.freedesktop.Notifications, as the freedesktop
// specification defines it, for tests on a private session bus (dbus-run-session): it records
// every Notify call and emits ActionInvoked / NotificationClosed as a daemon does when the user
// clicks or dismisses. It owns the service name on a connection of its own, so the code under
// test reaches it over the bus like a real daemon.

#include <QDBusConnection>
#include <QDBusMessage>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        uint id = 0;
        QString app;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Call> calls;
    uint nextId = 41;

    // Connects to the session bus under its own name and owns the service.
    bool start()
    {
        m_bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus,
                                              QStringLiteral("fake-notification-daemon"));
        return m_bus.isConnected()
               && m_bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), this,
                                       QDBusConnection::ExportAllSlots)
               && own();
    }
    bool own() { return m_bus.registerService(QStringLiteral("org.freedesktop.Notifications")); }
    bool disown()
    {
        return m_bus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
    }
    bool emitSignal(const QString &name, const QVariantList &args)
    {
        QDBusMessage signal
            = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                         QStringLiteral("org.freedesktop.Notifications"), name);
        signal.setArguments(args);
        return m_bus.send(signal);
    }
    bool click(uint id, const QString &action)
    {
        return emitSignal(QStringLiteral("ActionInvoked"), {QVariant::fromValue(id), action});
    }

public slots:
    uint Notify(const QString &app, uint, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints,
                int timeout)
    {
        calls.append({++nextId, app, summary, body, actions, hints, timeout});
        return nextId;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }

private:
    QDBusConnection m_bus{QStringLiteral("none")};
};
