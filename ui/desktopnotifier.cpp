#include "desktopnotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace hd {
namespace {

constexpr int ExpireTimeoutMs = 15000; // -1 would leave it to the server; critical ones stay
constexpr int MaxOpen = 200;           // bound on remembered notifications the server never closed

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
    if (!m_bus.isConnected())
        return;
    // Signals from whichever connection owns the name (the service may start after us).
    m_bus.connect(str(Service), str(Path), str(Interface), QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(str(Service), str(Path), str(Interface), QStringLiteral("NotificationClosed"),
                  this, SLOT(onClosed(uint, uint)));
}

void DesktopNotifier::show(const QString &summary, const QString &body, const QString &eventId,
                           bool urgent)
{
    if (!m_bus.isConnected()) {
        emit unavailable(summary, body);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(str(Service), str(Path), str(Interface),
                                                       QStringLiteral("Notify"));
    QStringList actions;
    if (!eventId.isEmpty())
        actions << str(OpenAction) << tr("Open in HealthDeck");
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(urgent ? 2 : 1)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("healthdeck"));
    hints.insert(QStringLiteral("category"), QStringLiteral("network.error"));
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    call << QStringLiteral("HealthDeck") << uint(0) << QStringLiteral("healthdeck") << summary
         << body << actions << hints << (urgent ? 0 : ExpireTimeoutMs);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, watcher, summary, body, eventId] {
                watcher->deleteLater();
                const QDBusPendingReply<uint> reply = *watcher;
                if (reply.isError()) {
                    emit unavailable(summary, body);
                    return;
                }
                ++m_shown;
                if (eventId.isEmpty())
                    return;
                if (m_eventById.size() >= MaxOpen)
                    m_eventById.erase(m_eventById.begin());
                m_eventById.insert(reply.value(), eventId);
            });
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const auto it = m_eventById.constFind(id);
    if (it == m_eventById.cend())
        return; // another application's notification, or one we forgot
    if (actionKey == str(OpenAction) || actionKey == u"default")
        emit openEventRequested(*it);
}

void DesktopNotifier::onClosed(uint id, uint)
{
    m_eventById.remove(id);
}

} // namespace hd
