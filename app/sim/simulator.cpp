#include "simulator.h"

#include "simrouter.h"
#include "simserver.h"
#include "simwebsocketsession.h"

#include <QTcpServer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace hd {

Simulator::Simulator(const SimConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_router(std::make_unique<SimRouter>(config))
{
    m_webSockets = new QWebSocketServer(QStringLiteral("healthdeck-sim"),
                                        QWebSocketServer::NonSecureMode, this);
    m_webSockets->setHandshakeTimeout(10000);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *ws = m_webSockets->nextPendingConnection())
            new SimWebSocketSession(ws, &m_router->context(), this);
    });
    m_server = new SimServer(m_router.get(), m_webSockets, config.maxConnections, this);
}

Simulator::~Simulator()
{
    stop();
    // Connections and sessions are children of m_server / this and go with them; they hold a
    // pointer to the router, so delete them before it.
    delete m_server;
    m_server = nullptr;
    const auto children = findChildren<SimWebSocketSession *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(children);
}

quint16 Simulator::start(quint16 port)
{
    if (m_server->isListening())
        return m_server->serverPort();
    // A burst of connects (1,000 at once in the robustness test, many pollers starting
    // together) must not overflow the default backlog of 50 and stall in SYN retransmits.
    m_server->setListenBacklogSize(1024);
    // Loopback only: the simulator serves test credentials and must never face a network.
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        m_error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2")
                      .arg(port)
                      .arg(m_server->errorString());
        return 0;
    }
    // A port that is certainly closed, for the "connection refused" scenario: bind a free one
    // and release it at once.
    quint16 refused = 0;
    {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, 0))
            refused = probe.serverPort();
    }
    m_router->setPorts(m_server->serverPort(), refused);
    m_error.clear();
    return m_server->serverPort();
}

void Simulator::stop()
{
    if (m_server && m_server->isListening())
        m_server->close();
}

bool Simulator::isRunning() const
{
    return m_server && m_server->isListening();
}

quint16 Simulator::port() const
{
    return isRunning() ? m_server->serverPort() : 0;
}

QUrl Simulator::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QJsonArray Simulator::scenarios()
{
    return m_router->scenarios();
}

void Simulator::reset()
{
    m_router->reset();
}

int Simulator::connectionCount() const
{
    return m_server ? m_server->connectionCount() : 0;
}

QString Simulator::resolveUrl(const QString &url, quint16 port)
{
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    // "sim:", "sim:/prod", "sim://prod" and "sim:///prod" all mean the same thing.
    if (url.startsWith(u"sim:")) {
        QString rest = url.mid(4);
        while (rest.startsWith(u'/'))
            rest.remove(0, 1);
        return rest.isEmpty() ? base : base + u'/' + rest;
    }
    const QString placeholder = QStringLiteral("http://127.0.0.1:0");
    if (url == placeholder || url.startsWith(placeholder + u'/')
        || url.startsWith(placeholder + u'?'))
        return base + url.mid(placeholder.size());
    return url;
}

} // namespace hd
