#include "simtlsserver.h"

#include "simconnection.h"
#include "simh2connection.h"

#include <QSslSocket>
#include <QTimer>

#include <unistd.h>

namespace hd {
namespace {
constexpr int HandshakeTimeoutMs = 10000;
} // namespace

SimTlsServer::SimTlsServer(SimRouter *router, QSslConfiguration tls, int maxConnections,
                           QObject *parent)
    : QTcpServer(parent)
    , m_router(router)
    , m_tls(std::move(tls))
    , m_maxConnections(maxConnections)
{}

void SimTlsServer::incomingConnection(qintptr handle)
{
    if (m_connections >= m_maxConnections) {
        ++m_handshakesFailed;
        ::close(int(handle));
        return;
    }
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        ::close(int(handle));
        return;
    }
    ++m_connections;
    socket->setSslConfiguration(m_tls);
    // A client that never finishes the handshake must not hold a descriptor for ever.
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, [this, socket] {
        ++m_handshakesFailed;
        socket->abort();
    });
    deadline->start(HandshakeTimeoutMs);
    auto handedOver = std::make_shared<bool>(false);
    connect(socket, &QSslSocket::encrypted, this, [this, socket, deadline, handedOver] {
        deadline->stop();
        deadline->deleteLater();
        *handedOver = true;
        disconnect(socket, nullptr, this, nullptr);
        if (socket->sslConfiguration().nextNegotiatedProtocol()
            == QSslConfiguration::ALPNProtocolHTTP2) {
            auto *connection = new SimH2Connection(socket, m_router, this);
            connect(connection, &SimH2Connection::closed, this, [this] { --m_connections; });
            return;
        }
        auto *connection = new SimConnection(socket, m_router, nullptr, this);
        connect(connection, &SimConnection::closed, this, [this] { --m_connections; });
    });
    // Refused handshakes (no client certificate where one is required, a client that does
    // not trust the CA and sends an alert) end here.
    auto drop = [this, socket, handedOver] {
        if (*handedOver)
            return;
        *handedOver = true; // count once
        ++m_handshakesFailed;
        --m_connections;
        socket->deleteLater();
    };
    connect(socket, &QSslSocket::disconnected, this, drop);
    connect(socket, &QSslSocket::errorOccurred, this, [socket, drop](QAbstractSocket::SocketError) {
        if (socket->state() != QAbstractSocket::ConnectedState)
            drop();
        else
            socket->abort();
    });
    socket->startServerEncryption();
}

} // namespace hd
