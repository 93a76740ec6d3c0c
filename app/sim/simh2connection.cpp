#include "simh2connection.h"

#include "simrouter.h"

#include <QTcpSocket>

namespace hd {
namespace {
constexpr qint64 ReadBufferBytes = 64 * 1024;
} // namespace

SimH2Connection::SimH2Connection(QTcpSocket *socket, SimRouter *router, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_session(
          router->context().config().maxBodyBytes,
          [this](qint32 id, SimRequest request) { onRequest(id, std::move(request)); },
          [router] { return router->context().nowMs(); })
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(ReadBufferBytes);
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        // No stream open for keepAliveIdleMs (or a client that never sent its preface).
        m_socket->abort();
        finish();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &SimH2Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &SimH2Connection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            finish();
    });
    m_idle.start(m_router->context().config().headerTimeoutMs);
    flush(); // the server's SETTINGS
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &SimH2Connection::onReadyRead, Qt::QueuedConnection);
}

SimH2Connection::~SimH2Connection() = default;

void SimH2Connection::onReadyRead()
{
    if (m_closedEmitted)
        return;
    const bool ok = m_session.receive(m_socket->readAll());
    flush();
    if (!ok) {
        // A protocol error: nghttp2 queued a GOAWAY, flush() wrote it; now close.
        m_socket->disconnectFromHost();
        return;
    }
}

void SimH2Connection::onRequest(qint32 streamId, SimRequest request)
{
    const SimResponse response = m_router->handle(request);
    m_router->log(request, response);
    if (response.delayMs > 0) {
        QTimer::singleShot(response.delayMs, this, [this, streamId, response] {
            m_session.respond(streamId, response, m_router->context().nowMs());
            flush();
        });
        return;
    }
    // Inside the session's receive(): onReadyRead() flushes when it returns.
    m_session.respond(streamId, response, m_router->context().nowMs());
}

void SimH2Connection::flush()
{
    if (m_closedEmitted)
        return;
    const QByteArray out = m_session.takeOutput();
    if (!out.isEmpty())
        m_socket->write(out);
    if (!m_session.isAlive()) {
        m_socket->disconnectFromHost();
        return;
    }
    if (m_session.openStreams() == 0)
        m_idle.start(m_router->context().config().keepAliveIdleMs);
    else
        m_idle.stop();
}

void SimH2Connection::finish()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_idle.stop();
    emit closed();
    deleteLater();
}

} // namespace hd
