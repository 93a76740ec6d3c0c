#include "simconnection.h"

#include "simrouter.h"

#include <QWebSocketServer>

#include <sys/socket.h>

namespace hd {
namespace {
constexpr qint64 ReadBufferBytes = 64 * 1024;
constexpr qint64 MaxPendingOutput = 1024 * 1024;
} // namespace

SimConnection::SimConnection(QTcpSocket *socket, SimRouter *router, QWebSocketServer *webSockets,
                             QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_webSockets(webSockets)
    , m_parser(router->context().config().maxHeaderBytes, router->context().config().maxBodyBytes)
{
    m_socket->setParent(this);
    // Qt stops reading from the kernel when this fills: a client that floods us is throttled
    // by TCP instead of growing our memory.
    m_socket->setReadBufferSize(ReadBufferBytes);
    m_idle.setSingleShot(true);
    m_slow.setTimerType(Qt::PreciseTimer);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        // Slowloris, an idle keep-alive, a hang past maxHangMs, an idle cut: close.
        m_socket->abort();
        finish();
    });
    connect(&m_slow, &QTimer::timeout, this, &SimConnection::dribble);
    connect(m_socket, &QTcpSocket::readyRead, this, &SimConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_busy && !m_done)
            process();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &SimConnection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            finish();
    });
    armIdle(m_router->context().config().headerTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &SimConnection::onReadyRead, Qt::QueuedConnection);
}

SimConnection::~SimConnection() = default;

void SimConnection::finish()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_done = true;
    m_idle.stop();
    m_slow.stop();
    emit closed();
    deleteLater();
}

void SimConnection::armIdle(int ms)
{
    if (ms > 0)
        m_idle.start(ms);
    else
        m_idle.stop();
}

bool SimConnection::tryWebSocketUpgrade()
{
    const QByteArray head = m_socket->peek(m_router->context().config().maxHeaderBytes);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray lower = head.left(end).toLower();
    if (!lower.startsWith("get ") || !lower.contains("upgrade: websocket"))
        return false;
    const qsizetype pathEnd = lower.indexOf(' ', 4);
    QByteArray path = lower.mid(4, pathEnd - 4);
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path.truncate(q);
    for (const char *env : {"/dev/", "/preprod/", "/prod/"})
        if (path.startsWith(env))
            path = path.mid(qstrlen(env) - 1);
    if (path != "/s003/v1/websocket" || !m_webSockets)
        return false;
    // Test control ?refuse_handshake=STATUS: answer the upgrade with that status and close.
    if (const qsizetype r = lower.indexOf("refuse_handshake="); r >= 0 && r < pathEnd) {
        const int status = lower.mid(r + 17, 3).toInt();
        if (status >= 200 && status <= 599 && status != 101) {
            m_socket->readAll();
            const QByteArray body
                = "{\"s\":" + QByteArray::number(status) + ",\"d\":\"WebSocket upgrade refused\"}";
            m_socket->write("HTTP/1.1 " + QByteArray::number(status)
                            + " Refused\r\n"
                              "Content-Type: application/json\r\nConnection: close\r\n"
                              "Content-Length: "
                            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            m_socket->disconnectFromHost();
            m_done = true;
            return true;
        }
    }
    // Hand the untouched socket (the handshake is only peeked) to QWebSocketServer.
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->setReadBufferSize(0);
    m_socket->setParent(m_webSockets);
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    m_webSockets->handleConnection(socket);
    m_done = true;
    finish();
    return true;
}

void SimConnection::onReadyRead()
{
    if (m_done || !m_socket)
        return;
    if (m_firstRequest) {
        // Only a complete GET head can be an upgrade; wait for it without consuming anything.
        const QByteArray start = m_socket->peek(4);
        if (start == "GET ") {
            const QByteArray head = m_socket->peek(m_router->context().config().maxHeaderBytes);
            if (!head.contains("\r\n\r\n")
                && head.size() < m_router->context().config().maxHeaderBytes)
                return;
            if (tryWebSocketUpgrade())
                return;
        } else if (start.size() < 4 && start == QByteArray("GET ").left(start.size())) {
            return;
        }
        m_firstRequest = false;
    }
    if (m_busy) {
        // Requests behind a pending answer wait in the (bounded) socket buffer. A hanging or
        // faulted connection discards whatever the client sends.
        if (m_done)
            m_socket->readAll();
        return;
    }
    process();
}

void SimConnection::process()
{
    while (!m_done && !m_busy && m_socket) {
        if (m_socket->bytesToWrite() > MaxPendingOutput)
            return; // the client is not reading its answers; resume on bytesWritten
        const QByteArray data = m_socket->read(ReadBufferBytes);
        SimHttpParser::State state = data.isEmpty() ? m_parser.advance() : m_parser.feed(data);
        if (state == SimHttpParser::State::NeedMore) {
            if (m_parser.buffered() > 0 && !m_parser.headDone())
                armIdle(m_router->context().config().headerTimeoutMs);
            if (m_socket->bytesAvailable() > 0)
                continue;
            return;
        }
        if (state == SimHttpParser::State::Error) {
            SimResponse r = SimResponse::json(m_parser.errorStatus(),
                                              "{\"error\":\"" + m_parser.errorText() + "\"}");
            r.close = true;
            SimRequest bad;
            bad.method = "?";
            bad.target = "(unparseable request)";
            m_router->log(bad, r);
            send(r, false);
            return;
        }
        if (state == SimHttpParser::State::HeadComplete) {
            if (auto early = m_router->onHead(m_parser.request())) {
                early->close = true;
                SimRequest req = m_parser.takeRequest();
                answer(std::move(req), *early);
                return;
            }
            continue;
        }
        // Complete
        SimRequest req = m_parser.takeRequest();
        SimResponse resp = m_router->handle(req);
        answer(std::move(req), std::move(resp));
    }
}

void SimConnection::answer(SimRequest req, SimResponse resp)
{
    m_idle.stop();
    m_router->log(req, resp);
    const bool keepAlive = req.keepAlive && !resp.close;
    if (resp.delayMs > 0) {
        m_busy = true;
        QTimer::singleShot(resp.delayMs, this, [this, resp, keepAlive] {
            m_busy = false;
            if (resp.fault != SimFault::None)
                act(resp);
            else
                send(resp, keepAlive);
            if (!m_done && !m_busy)
                process();
        });
        return;
    }
    if (resp.fault != SimFault::None)
        act(resp);
    else
        send(resp, keepAlive);
}

void SimConnection::send(const SimResponse &resp, bool keepAlive)
{
    if (!m_socket)
        return;
    m_socket->write(resp.serialize(keepAlive, m_router->context().nowMs()));
    if (!keepAlive) {
        m_done = true;
        m_socket->disconnectFromHost(); // after the answer has been written
        return;
    }
    armIdle(m_router->context().config().keepAliveIdleMs);
}

void SimConnection::resetSocket()
{
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    struct linger lg
    {
        1, 0
    };
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    m_socket->abort();
    finish();
}

void SimConnection::act(const SimResponse &resp)
{
    const SimConfig &cfg = m_router->context().config();
    m_done = true; // a faulted connection serves nothing more
    switch (resp.fault) {
    case SimFault::None:
        break;
    case SimFault::Reset:
        resetSocket();
        return;
    case SimFault::CloseNoAnswer:
        m_socket->disconnectFromHost();
        return;
    case SimFault::Hang:
        m_busy = true;
        armIdle(cfg.maxHangMs);
        return;
    case SimFault::IdleCut:
        m_busy = true;
        QTimer::singleShot(cfg.idleCutMs, this, [this] {
            if (m_socket)
                m_socket->disconnectFromHost();
        });
        return;
    case SimFault::Slow: {
        m_busy = true;
        SimResponse r = SimResponse::json(
            200,
            QByteArrayLiteral(
                R"({"quotes":[{"symbol":"ES","bid":5321.25,"ask":5321.5},{"symbol":"NQ","bid":18650.0,"ask":18650.75}],)"
                R"("note":"this answer arrives one byte at a time"})"));
        m_slowData = r.serialize(false, m_router->context().nowMs());
        m_slowPos = 0;
        m_slow.start(std::max(1, cfg.slowByteMs));
        return;
    }
    case SimFault::Truncate: {
        const QByteArray body(1000, 'x');
        m_socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                        "5000\r\n\r\n{\"rows\":\""
                        + body);
        m_socket->disconnectFromHost();
        return;
    }
    case SimFault::Malformed:
        // A status code outside 100-599 is not HTTP; Qt 6.4 accepts the bytes and HealthDeck
        // classifies it, while garbage status lines only look like a closed connection to Qt.
        m_socket->write("HTTP/1.1 999 Malformed\r\nContent-Type: text/plain\r\nContent-Length: "
                        "11\r\n\r\n\x01\x02\xff\xfegarbage");
        m_socket->disconnectFromHost();
        return;
    }
}

void SimConnection::dribble()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState
        || m_slowPos >= m_slowData.size()) {
        m_slow.stop();
        if (m_socket)
            m_socket->disconnectFromHost();
        return;
    }
    m_socket->write(m_slowData.constData() + m_slowPos, 1);
    ++m_slowPos;
}

} // namespace hd
