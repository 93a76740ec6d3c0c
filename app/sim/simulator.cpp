#include "simulator.h"

#include "simpki.h"
#include "simrouter.h"
#include "simserver.h"
#include "simtlsserver.h"
#include "simwebsocketsession.h"

#include <QDir>
#include <QFile>
#include <QSslKey>
#include <QTcpServer>
#include <QTemporaryDir>
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
    qDeleteAll(m_tlsServers);
    m_tlsServers.clear();
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
    if (m_config.tls && !startTls()) {
        m_server->close();
        return 0;
    }
    return m_server->serverPort();
}

void Simulator::stop()
{
    if (m_server && m_server->isListening())
        m_server->close();
    for (SimTlsServer *s : std::as_const(m_tlsServers))
        s->close();
}

const QStringList &Simulator::tlsRoutes()
{
    static const QStringList routes{QString(),
                                    QStringLiteral("short"),
                                    QStringLiteral("expired"),
                                    QStringLiteral("wronghost"),
                                    QStringLiteral("mtls"),
                                    QStringLiteral("h2")};
    return routes;
}

bool Simulator::startTls()
{
    if (!m_tlsServers.isEmpty())
        return true;
    SimPki pki;
    if (!pki.create()) {
        m_error = pki.error();
        return false;
    }
    m_tlsDir = std::make_unique<QTemporaryDir>(QDir::tempPath()
                                               + QStringLiteral("/healthdeck-sim-XXXXXX"));
    const QStringList local{QStringLiteral("IP:127.0.0.1"), QStringLiteral("DNS:localhost")};
    const qint64 day = 86400;
    struct Route
    {
        QString name;
        SimCertificate cert;
        bool requireClient = false;
        bool http2 = false; // offers h2 through ALPN (the others: HTTP/1.1 only)
    };
    const auto shortLived = qint64(m_config.tlsShortLivedDays * double(day));
    QList<Route> routes{
        {QString(), pki.issue(QStringLiteral("127.0.0.1"), local, -3600, 90 * day, false), false},
        {QStringLiteral("short"),
         pki.issue(QStringLiteral("short-lived.sim"), local, -3600,
                   std::max<qint64>(60, shortLived), false),
         false},
        {QStringLiteral("expired"),
         pki.issue(QStringLiteral("expired.sim"), local, -30 * day, -day, false), false},
        {QStringLiteral("wronghost"),
         pki.issue(QStringLiteral("api.wrong-host.test"),
                   {QStringLiteral("DNS:api.wrong-host.test")}, -3600, 90 * day, false),
         false},
        {QStringLiteral("mtls"),
         pki.issue(QStringLiteral("127.0.0.1"), local, -3600, 90 * day, false), true},
        {QStringLiteral("h2"),
         pki.issue(QStringLiteral("127.0.0.1"), local, -3600, 90 * day, false), false, true}};
    const SimCertificate client
        = pki.issue(QStringLiteral("healthdeck-sim-client"), {}, -3600, 90 * day, true);
    auto write = [this](const QString &name, const QByteArray &data) {
        QFile f(m_tlsDir->filePath(name));
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    };
    if (!m_tlsDir->isValid() || client.certificatePem.isEmpty()
        || !write(QStringLiteral("ca.pem"), pki.ca().certificatePem)
        || !write(QStringLiteral("client.pem"), client.certificatePem)
        || !write(QStringLiteral("client.key"), client.keyPem)) {
        m_error = pki.error().isEmpty() ? QStringLiteral("cannot write the simulator's TLS files")
                                        : pki.error();
        return false;
    }
    QFile::setPermissions(m_tlsDir->filePath(QStringLiteral("client.key")),
                          QFile::ReadOwner | QFile::WriteOwner);
    const QSslCertificate ca(pki.ca().certificatePem, QSsl::Pem);
    for (const Route &r : std::as_const(routes)) {
        if (r.cert.certificatePem.isEmpty()) {
            m_error = pki.error();
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain({QSslCertificate(r.cert.certificatePem, QSsl::Pem), ca});
        tls.setPrivateKey(QSslKey(r.cert.keyPem, QSsl::Ec, QSsl::Pem));
        if (r.http2)
            tls.setAllowedNextProtocols(
                {QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
        else
            tls.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
        if (r.requireClient) {
            tls.setCaCertificates({ca});
            tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        } else {
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
        auto *server = new SimTlsServer(m_router.get(), tls, m_config.maxConnections, this);
        server->setListenBacklogSize(1024);
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            m_error = QStringLiteral("cannot listen for HTTPS on 127.0.0.1: %1")
                          .arg(server->errorString());
            delete server;
            return false;
        }
        m_tlsServers.insert(r.name, server);
    }
    return true;
}

QUrl Simulator::tlsBaseUrl(const QString &route) const
{
    const SimTlsServer *s = m_tlsServers.value(route);
    if (!s || !s->isListening())
        return {};
    return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(s->serverPort()));
}

QString Simulator::caFile() const
{
    return m_tlsDir ? m_tlsDir->filePath(QStringLiteral("ca.pem")) : QString();
}

QString Simulator::clientCertificateFile() const
{
    return m_tlsDir ? m_tlsDir->filePath(QStringLiteral("client.pem")) : QString();
}

QString Simulator::clientKeyFile() const
{
    return m_tlsDir ? m_tlsDir->filePath(QStringLiteral("client.key")) : QString();
}

QHash<QString, QString> Simulator::placeholders() const
{
    QHash<QString, QString> out;
    if (m_tlsServers.isEmpty())
        return out;
    for (const QString &route : tlsRoutes())
        out.insert(route.isEmpty() ? QStringLiteral("sim+tls:")
                                   : QStringLiteral("sim+tls-%1:").arg(route),
                   tlsBaseUrl(route).toString());
    out.insert(QStringLiteral("sim:ca.pem"), caFile());
    out.insert(QStringLiteral("sim:client.pem"), clientCertificateFile());
    out.insert(QStringLiteral("sim:client.key"), clientKeyFile());
    return out;
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
