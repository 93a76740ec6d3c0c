#pragma once

// MetricsOptIn: the console's opt-in for the Prometheus endpoint (issue 10). Off unless the
// user turns it on (View → Serve Prometheus /metrics, or `healthdeck --metrics HOST:PORT`);
// the choice and the address are remembered in QSettings. It runs the same hd::MetricsExporter
// as `hdeck watch --metrics`, follows the window's current MonitorSession, and listens on
// loopback unless another address is given. Main thread only.

#include "metricsexporter.h"

#include <QObject>

class QAction;
class QWidget;

namespace hd {

class MonitorSession;

class MetricsOptIn : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *DefaultAddress = "127.0.0.1:9464";

    // dialogParent: where the address dialog and error messages appear.
    explicit MetricsOptIn(QWidget *dialogParent);

    // Checkable "Serve Prometheus /metrics" (objectName actionServeMetrics).
    QAction *toggleAction() const { return m_toggle; }
    // "Metrics Address…" (objectName actionMetricsAddress): asks for HOST:PORT.
    QAction *addressAction() const { return m_address; }

    // Follows this session (null: none); call again after every workspace switch.
    void setSession(MonitorSession *session);

    // The remembered address ("127.0.0.1:9464" unless changed) and whether it is on.
    QString address() const;
    // Validates and remembers the address; restarts the server when it runs. Empty return:
    // accepted; otherwise the reason.
    QString setAddress(const QString &text);
    // Turns serving on or off and remembers the choice. Returns an error message (and stays
    // off) when the address cannot be bound.
    QString setEnabled(bool on);
    bool isEnabled() const { return m_exporter.isRunning(); }
    // Restores the remembered choice (called once at start-up).
    void restore();

    // http://HOST:PORT/metrics while serving, else empty.
    QUrl url() const { return m_exporter.url(); }

signals:
    // One line for the status bar: where /metrics is served, or that it is off, or why not.
    void stateChanged(const QString &text);

private:
    QString start();
    void askAddress();
    void announce(const QString &error = {});

    QWidget *m_dialogParent;
    MetricsExporter m_exporter;
    QAction *m_toggle;
    QAction *m_address;
};

} // namespace hd
