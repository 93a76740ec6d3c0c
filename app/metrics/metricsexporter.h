#pragma once

// MetricsExporter: the Prometheus endpoint as one object for `hdeck watch --metrics` and the
// console's opt-in. It follows a MonitorSession (every event it emits; its engine's governor and
// scheduler and its alert engine's rules at scrape time) and serves them at
// http://HOST:PORT/metrics. POST /pagerduty takes PagerDuty's V3 webhooks for the session
// (MonitorSession::receivePagerDutyWebhook): acknowledgements made in PagerDuty.
//
//   hd::MetricsExporter exporter;
//   exporter.setSession(session);             // again after each workspace switch
//   QString error = exporter.start(QHostAddress(QHostAddress::LocalHost), 9464);
//   if (error.isEmpty()) show(exporter.url()); // e.g. http://127.0.0.1:9464/metrics
//
// Main thread only.

#include "metricscollector.h"
#include "metricsserver.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace hd {

class AlertEngine;
class MonitorSession;

class MetricsExporter : public QObject
{
    Q_OBJECT
public:
    explicit MetricsExporter(QObject *parent = nullptr);
    explicit MetricsExporter(const Clock &clock, QObject *parent = nullptr);
    ~MetricsExporter() override;

    // Follows this session (null: none) and starts the counters afresh: call it again after
    // the session opens another workspace.
    void setSession(MonitorSession *session);
    // Reports this alert engine's rules instead of the session's own (null: the session's).
    void setAlertEngine(const AlertEngine *alerts);

    // Listens on host:port (port 0: any free one). Returns an error message, or empty.
    QString start(const QHostAddress &host, quint16 port);
    void stop();
    bool isRunning() const { return m_server.isListening(); }
    // http://HOST:PORT/metrics with the real port, or empty while stopped.
    QUrl url() const { return m_server.url(); }

    // The exposition as a scrape would see it now.
    QByteArray render() const;
    const MetricsCollector &collector() const { return m_collector; }
    // Events can also be fed directly (a session-less engine, tests).
    void observe(const ApiEvent &event) { m_collector.observe(event); }

private:
    MetricsCollector m_collector;
    MetricsServer m_server;
    QPointer<MonitorSession> m_session;
    QPointer<const AlertEngine> m_alerts;
    QMetaObject::Connection m_eventConnection;
};

} // namespace hd
