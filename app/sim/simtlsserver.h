#pragma once

// One HTTPS listener of the simulator: QTcpServer + QSslSocket (Qt 6.4 has QSslServer, but the
// accepted socket must reach SimConnection, which serves HTTP/1.1 on any QTcpSocket, and the
// handshake must be bounded in time). Each listener presents one certificate — good, expired,
// for a wrong host name, short-lived — and may require a client certificate signed by the
// simulator's CA. HTTP/1.1 only (ALPN offers "http/1.1"). Same caps as SimServer.

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpServer>

namespace hd {

class SimRouter;

class SimTlsServer : public QTcpServer
{
    Q_OBJECT
public:
    SimTlsServer(SimRouter *router, QSslConfiguration tls, int maxConnections,
                 QObject *parent = nullptr);

    int connectionCount() const { return m_connections; }
    qint64 handshakesFailed() const { return m_handshakesFailed; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    SimRouter *m_router;
    QSslConfiguration m_tls;
    int m_maxConnections;
    int m_connections = 0;
    qint64 m_handshakesFailed = 0;
};

} // namespace hd
