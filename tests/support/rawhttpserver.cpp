#include "rawhttpserver.h"

#include <sys/socket.h>

namespace hd::test {

RawHttpServer::RawHttpServer(QObject *parent)
    : QTcpServer(parent)
{}

bool RawHttpServer::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

QString RawHttpServer::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path);
}

void RawHttpServer::setResponses(QList<QByteArray> rawResponses)
{
    m_responses = std::move(rawResponses);
}

QByteArray RawHttpServer::response(int status, const QByteArray &body,
                                   const QList<std::pair<QByteArray, QByteArray>> &headers,
                                   const QByteArray &contentType)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " Status\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    for (const auto &[k, v] : headers)
        out += k + ": " + v + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size())
           + "\r\nConnection: keep-alive\r\n\r\n" + body;
    return out;
}

void RawHttpServer::setStream(const QByteArray &head, const QByteArray &chunk, qint64 repeat)
{
    m_mode = Mode::Stream;
    m_streamHead = head;
    m_streamChunk = chunk;
    m_streamRepeat = repeat;
}

void RawHttpServer::pump(QTcpSocket *socket)
{
    qint64 left = socket->property("chunksLeft").toLongLong();
    while (left > 0 && socket->bytesToWrite() < 4 * 1024 * 1024
           && socket->state() == QAbstractSocket::ConnectedState) {
        socket->write(m_streamChunk);
        m_streamed += m_streamChunk.size();
        --left;
    }
    socket->setProperty("chunksLeft", left);
}

void RawHttpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void RawHttpServer::onReadyRead(QTcpSocket *socket)
{
    const QByteArray data = socket->readAll();
    QByteArray pending = socket->property("pending").toByteArray() + data;
    const qsizetype end = pending.indexOf("\r\n\r\n");
    if (end < 0) {
        socket->setProperty("pending", pending);
        return;
    }
    // Wait for the whole body when there is one.
    const QByteArray head = pending.left(end);
    qsizetype contentLength = 0;
    for (const QByteArray &line : head.split('\n'))
        if (line.toLower().startsWith("content-length:"))
            contentLength = line.mid(15).trimmed().toLongLong();
    if (pending.size() < end + 4 + contentLength) {
        socket->setProperty("pending", pending);
        return;
    }
    socket->setProperty("pending", pending.mid(end + 4 + contentLength));
    m_received.append(pending.left(end + 4 + contentLength));
    ++m_requests;

    switch (m_mode) {
    case Mode::Reset: {
        // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        struct linger lg
        {
            1, 0
        };
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        socket->abort();
        return;
    }
    case Mode::CloseWithoutAnswer:
        socket->disconnectFromHost();
        return;
    case Mode::Hang:
        return;
    case Mode::CutMidBody: {
        const QByteArray body(1000, 'x');
        socket->write(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
            + body);
        socket->flush();
        socket->disconnectFromHost();
        return;
    }
    case Mode::Stream:
        socket->setProperty("chunksLeft", m_streamRepeat);
        socket->write(m_streamHead);
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { pump(socket); });
        pump(socket);
        return;
    case Mode::Respond:
        break;
    }
    const QByteArray reply
        = m_responses.isEmpty()
              ? response(200, QByteArrayLiteral("{}"))
              : m_responses.value(std::min<qsizetype>(m_requests - 1, m_responses.size() - 1));
    socket->write(reply);
}

} // namespace hd::test
