#pragma once

// The console's status bar (issue 22: out of MainWindow). Left: what is polling ("demo ·
// polling 24 of 25 endpoints · 1 paused"), with the session's warnings as its tooltip. Right,
// permanent: the opt-in /metrics address, the bundle basket, events and events/s, the history
// size and the keychain's state. It reads the session; it never changes it. Every label has an
// object name (statusPolling, statusRate, …) for tests.

#include "eventratemeter.h"

#include <QObject>
#include <QPointer>

class QLabel;
class QStatusBar;

namespace hd {

class BundleBasket;
class Clock;
class MetricsOptIn;
class MonitorSession;
class WorkspaceController;
struct SecretStoreStatus;

class ConsoleStatusBar : public QObject
{
    Q_OBJECT
public:
    ConsoleStatusBar(QStatusBar *bar, MetricsOptIn *metrics, const Clock &clock);

    // The running session (nullptr: none); resets the counts and the rate.
    void setSession(MonitorSession *session);
    // While a workspace opens (or waits for secrets), and nothing else is running.
    void setPollingText(const QString &text);
    void eventArrived() { m_rate.add(); }
    // The scheduler's paused set changed: counted again at the next refresh.
    void pausedChanged() { m_pausedCount = -1; }
    // Events and rate, and what is polling; opening says a workspace is still being opened.
    void refresh(const QStringList &warnings, bool opening);
    // The history's size now, its row count once the store's reader thread has counted it.
    void refreshHistory();
    void setKeychain(const SecretStoreStatus &status);
    void setBundleCount(int events);
    // A transient message (QStatusBar::showMessage).
    void showMessage(const QString &text, int timeoutMs);
    // Shows what the workspace controller says while opening (and its messages and keychain
    // state), and the basket's size.
    void follow(WorkspaceController *workspaces, BundleBasket *basket);

private:
    QStatusBar *m_bar;
    QPointer<MonitorSession> m_session;
    EventRateMeter m_rate;
    QLabel *m_polling = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_history = nullptr;
    QLabel *m_keychain = nullptr;
    QLabel *m_bundle = nullptr;
    QLabel *m_metrics = nullptr;
    qint64 m_historyRows = -1;
    bool m_countingHistory = false;
    int m_pausedCount = -1;
};

} // namespace hd
