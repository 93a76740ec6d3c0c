#pragma once

// How the console shows alerts (issue 22: out of MainWindow): the banner, the alert list and
// its dock title, the tray icon and desktop notifications, all from the session's AlertEngine
// read at each refresh — one source, so they never disagree. It remembers, per endpoint, the
// latest failure's event (a notification's "Open in HealthDeck" shows it) and advice (appended
// to the alert's own advice, marked as the failure's words). Main thread only.

#include "apievent.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QDockWidget;
class QSystemTrayIcon;
class QWidget;

namespace hd {

class AlertBanner;
class AlertList;
class Clock;
class DesktopNotifier;
class MonitorSession;
class NotificationsDialog;
struct AlertState;

class AlertPresenter : public QObject
{
    Q_OBJECT
public:
    // window: the tray icon's and the notifier's owner; the tray icon exists only where the
    // platform has a system tray.
    AlertPresenter(QWidget *window, AlertBanner *banner, AlertList *list, QDockWidget *listDock,
                   const Clock &clock);

    // The session whose alerts are shown (its alertFired/alertResolved notify); nullptr: none.
    void setSession(MonitorSession *session);
    // Every event: failures update the endpoint's latest failure.
    void record(const ApiEvent &event);
    void onAlert(const AlertState &alert, bool fired);
    // The banner, the list and the tray from the engine's state now.
    void refresh();
    // Acknowledges the alert for who (its notifications and incident follow); false when no
    // session runs or the engine does not know the alert.
    bool acknowledge(const QString &ruleId, const QString &subject, const QString &who);
    // The banner's advice for an alert: what the kind of alert calls for, then what the
    // endpoint's latest failure said.
    QString adviceFor(const AlertState &alert) const;
    // Every notification of this window, newest last: "fired: …", "resolved: …".
    QStringList notifications() const { return m_notifications; }
    // Forgets the per-endpoint failures (a new session).
    void clear();
    // Alerts → Notifications…: channels, deliveries, the simulator's inbox; non-modal, made
    // once, and following the session from then on.
    void showNotifications(QWidget *parent);

signals:
    // A desktop notification's "Open in HealthDeck".
    void openEventRequested(const QString &eventId);
    // The tray icon was clicked.
    void showWindowRequested();

private:
    AlertBanner *m_banner;
    AlertList *m_list;
    QDockWidget *m_dock;
    const Clock &m_clock;
    QPointer<MonitorSession> m_session;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_desktop = nullptr;        // made on the first alert
    QHash<QString, QString> m_lastFailureAdvice; // endpoint → advice of its latest failure
    QHash<QString, QString> m_lastFailureEvent;  // endpoint → id of its latest failure
    QStringList m_notifications;
    QPointer<NotificationsDialog> m_notificationsDialog;
};

} // namespace hd
