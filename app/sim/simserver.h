#pragma once

// The simulator's TCP listener: our own HTTP/1.1 handling on QTcpServer, because fault
// injection (RST, half-open, byte-by-byte, malformed HTTP, idle cut) needs the raw socket that
// QHttpServer hides. Caps concurrent connections so bad clients cannot exhaust descriptors.

#include <QTcpServer>

class QWebSocketServer;

namespace hd {

class SimRouter;

class SimServer : public QTcpServer
{
    Q_OBJECT
public:
    SimServer(SimRouter *router, QWebSocketServer *webSockets, int maxConnections,
              QObject *parent = nullptr);

    int connectionCount() const { return m_connections; }
    qint64 rejectedConnections() const { return m_rejected; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    SimRouter *m_router;
    QWebSocketServer *m_webSockets;
    int m_maxConnections;
    int m_connections = 0;
    qint64 m_rejected = 0;
};

} // namespace hd
