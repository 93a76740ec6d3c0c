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
{}

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
