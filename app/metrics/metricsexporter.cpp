#include "metricsexporter.h"

#include "alertengine.h"
#include "monitorsession.h"

namespace hd {

MetricsExporter::MetricsExporter(QObject *parent)
    : MetricsExporter(Clock::system(), parent)
{}

MetricsExporter::MetricsExporter(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_collector(clock)
    , m_server([this] { return render(); })
{
    // PagerDuty's V3 webhooks: acknowledgements made in PagerDuty (docs/incidents.md).
    m_server.setPostHandler([this](const QByteArray &path,
                                   const QHash<QByteArray, QByteArray> &headers,
                                   const QByteArray &body) {
        MetricsServer::Reply reply;
        if (path != "/pagerduty") {
            reply.status = 404;
            reply.reason = "Not Found";
            reply.body = "not found; PagerDuty webhooks go to /pagerduty\n";
            return reply;
        }
        const MonitorSession::WebhookReply r
            = m_session
                  ? m_session->receivePagerDutyWebhook(headers.value("x-pagerduty-signature"), body)
                  : MonitorSession::WebhookReply{503, QStringLiteral("no workspace is open")};
        reply.status = r.status;
        reply.reason = r.status == 200   ? "OK"
                       : r.status == 400 ? "Bad Request"
                       : r.status == 401 ? "Unauthorized"
                       : r.status == 404 ? "Not Found"
                                         : "Service Unavailable";
        reply.body = r.message.toUtf8() + '\n';
        return reply;
    });
}

MetricsExporter::~MetricsExporter()
{
    stop();
}

void MetricsExporter::setSession(MonitorSession *session)
{
    disconnect(m_eventConnection);
    m_collector.clear();
    m_session = session;
    if (session)
        m_eventConnection = connect(session, &MonitorSession::eventReady, this,
                                    [this](const ApiEvent &e) { m_collector.observe(e); });
}

void MetricsExporter::setAlertEngine(const AlertEngine *alerts)
{
    m_alerts = alerts;
}

QString MetricsExporter::start(const QHostAddress &host, quint16 port)
{
    return m_server.listen(host, port);
}

void MetricsExporter::stop()
{
    m_server.close();
}

QByteArray MetricsExporter::render() const
{
    const MonitorEngine *engine = m_session ? m_session->engine() : nullptr;
    const AlertEngine *alerts
        = m_alerts ? m_alerts.data() : (m_session ? m_session->alerts() : nullptr);
    return m_collector.render(engine, alerts);
}

} // namespace hd
