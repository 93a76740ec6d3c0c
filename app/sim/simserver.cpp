#include "simserver.h"

#include "simconnection.h"

#include <QTcpSocket>

#include <unistd.h>

namespace hd {

SimServer::SimServer(SimRouter *router, QWebSocketServer *webSockets, int maxConnections,
                     QObject *parent)
    : QTcpServer(parent)
    , m_router(router)
    , m_webSockets(webSockets)
    , m_maxConnections(maxConnections)
{}

void SimServer::incomingConnection(qintptr handle)
{
    if (m_connections >= m_maxConnections) {
        // Over the cap: close at once rather than queue without bound.
        ++m_rejected;
        ::close(int(handle));
        return;
    }
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        ::close(int(handle));
        return;
    }
    ++m_connections;
    auto *connection = new SimConnection(socket, m_router, m_webSockets, this);
    connect(connection, &SimConnection::closed, this, [this] { --m_connections; });
}

} // namespace hd
