#include "alertpresenter.h"

#include "alertbanner.h"
#include "alertlist.h"
#include "alertnotification.h"
#include "clock.h"
#include "desktopnotifier.h"
#include "endpointtree.h"
#include "monitorsession.h"
#include "notificationsdialog.h"

#include <QDBusConnection>
#include <QDockWidget>
#include <QSystemTrayIcon>

namespace hd {

AlertPresenter::AlertPresenter(QWidget *window, AlertBanner *banner, AlertList *list,
                               QDockWidget *listDock, const Clock &clock)
    : QObject(window)
    , m_banner(banner)
    , m_list(list)
    , m_dock(listDock)
    , m_clock(clock)
{
    m_banner->setAdviceProvider([this](const AlertState &a) { return adviceFor(a); });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        m_tray->setObjectName(QStringLiteral("trayIcon"));
        const QIcon icon = QIcon::fromTheme(QStringLiteral("healthdeck"));
        m_tray->setIcon(icon.isNull() ? EndpointTree::light(Outcome::Success) : icon);
        m_tray->setToolTip(QStringLiteral("HealthDeck"));
        connect(m_tray, &QSystemTrayIcon::activated, this, &AlertPresenter::showWindowRequested);
        m_tray->show();
    }
}

void AlertPresenter::setSession(MonitorSession *session)
{
    if (m_session && m_session != session)
        disconnect(m_session, nullptr, this, nullptr);
    if (session && m_session != session) {
        connect(session, &MonitorSession::alertFired, this,
                [this](const AlertState &a) { onAlert(a, true); });
        connect(session, &MonitorSession::alertResolved, this,
                [this](const AlertState &a) { onAlert(a, false); });
    }
    m_session = session;
    if (m_notificationsDialog)
        m_notificationsDialog->setSession(session);
    refresh();
}

void AlertPresenter::showNotifications(QWidget *parent)
{
    if (!m_notificationsDialog) {
        m_notificationsDialog = new NotificationsDialog(parent);
        m_notificationsDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_notificationsDialog->setSession(m_session);
    m_notificationsDialog->show();
    m_notificationsDialog->raise();
    m_notificationsDialog->activateWindow();
}

void AlertPresenter::clear()
{
    m_lastFailureAdvice.clear();
    m_lastFailureEvent.clear();
}

void AlertPresenter::record(const ApiEvent &event)
{
    if (!event.isFailure())
        return;
    if (!event.retry.advice.isEmpty())
        m_lastFailureAdvice.insert(event.endpoint, event.retry.advice);
    m_lastFailureEvent.insert(event.endpoint, event.id);
}

QString AlertPresenter::adviceFor(const AlertState &alert) const
{
    QString advice = AlertBanner::kindAdvice(alert.kind);
    const QString last = m_lastFailureAdvice.value(alert.subject);
    if (!last.isEmpty())
        advice += u' ' + tr("Its last failure says: %1").arg(last);
    return advice;
}

void AlertPresenter::onAlert(const AlertState &alert, bool fired)
{
    const QString title
        = fired ? tr("Alert: %1").arg(alert.kind) : tr("Resolved: %1").arg(alert.kind);
    m_notifications.append((fired ? QStringLiteral("fired: ") : QStringLiteral("resolved: "))
                           + alert.message);
    // The desktop's notification service first (with an action that opens the event); the
    // tray only when no service answers.
    if (!m_desktop) {
        m_desktop = new DesktopNotifier(QDBusConnection::sessionBus(), this);
        m_desktop->setObjectName(QStringLiteral("desktopNotifier"));
        connect(m_desktop, &DesktopNotifier::openEventRequested, this,
                &AlertPresenter::openEventRequested);
        connect(m_desktop, &DesktopNotifier::unavailable, this,
                [this](const QString &summary, const QString &body) {
                    if (m_tray && m_tray->isVisible())
                        m_tray->showMessage(summary, body, QSystemTrayIcon::Warning, 8000);
                });
    }
    m_desktop->show(title, alert.message,
                    fired ? m_lastFailureEvent.value(alert.subject) : QString(),
                    fired && AlertNotification::severityFor(alert.kind) == u"critical");
    refresh();
}

void AlertPresenter::refresh()
{
    AlertEngine *alerts = m_session ? m_session->alerts() : nullptr;
    if (!alerts) {
        m_banner->update({}, 0);
        m_list->setAlerts({}, {});
        return;
    }
    const QList<AlertState> active = alerts->active();
    m_banner->update(active, m_clock.nowMs());
    m_list->setAlerts(active, alerts->history(), alerts->held());
    if (m_tray)
        m_tray->setToolTip(
            active.isEmpty() ? QStringLiteral("HealthDeck — no alerts")
                             : tr("HealthDeck — %n alert(s) firing", nullptr, int(active.size())));
    m_dock->setWindowTitle(active.isEmpty() ? tr("Alerts")
                                            : tr("Alerts (%1 firing)").arg(active.size()));
}

bool AlertPresenter::acknowledge(const QString &ruleId, const QString &subject, const QString &who)
{
    // The alert, its notifications (reminders stop, channels told) and its incident.
    const bool done
        = m_session && m_session->acknowledge(ruleId, subject, who, QStringLiteral("console"));
    refresh();
    return done;
}

} // namespace hd
