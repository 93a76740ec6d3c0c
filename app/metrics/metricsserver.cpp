#include "metricsserver.h"

#include "metricsaddress.h"
#include "metricsrequest.h"
#include "promtextwriter.h"

#include <QTcpSocket>
#include <QTimer>

namespace hd {
namespace {

constexpr char BufferProperty[] = "hd_metrics_buffer";

} // namespace

MetricsServer::MetricsServer(RenderFunction render, QObject *parent)
    : QObject(parent)
    , m_render(std::move(render))
{
    m_server.setMaxPendingConnections(MaxConnections);
    connect(&m_server, &QTcpServer::newConnection, this, &MetricsServer::onNewConnection);
}

MetricsServer::~MetricsServer()
{
    close();
}

QString MetricsServer::listen(const QHostAddress &host, quint16 port)
{
    close();
    if (!m_server.listen(host, port))
        return QStringLiteral("cannot listen on %1: %2")
            .arg(MetricsAddress::format(host, port), m_server.errorString());
    return {};
}

void MetricsServer::close()
{
    m_server.close();
}

QUrl MetricsServer::url() const
{
    if (!m_server.isListening())
        return {};
    QHostAddress host = m_server.serverAddress();
    // A wildcard address is not something a browser can open; name the loopback instead.
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    return QUrl(QStringLiteral("http://%1/metrics").arg(MetricsAddress::format(host, port())));
}

void MetricsServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        if (m_open >= MaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_open;
        socket->setParent(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        auto *timeout = new QTimer(socket);
        timeout->setSingleShot(true);
        connect(timeout, &QTimer::timeout, socket, &QTcpSocket::abort);
        timeout->start(RequestTimeoutMs);
        if (socket->bytesAvailable())
            onReadyRead(socket);
    }
}

void MetricsServer::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("hd_metrics_answered").toBool()) {
        socket->readAll(); // one request per connection; ignore anything after it
        return;
    }
    const QByteArray buffer = socket->property(BufferProperty).toByteArray() + socket->readAll();
    const MetricsRequest request = MetricsRequest::parse(buffer, bool(m_post));
    if (request.state == MetricsRequest::State::Incomplete) {
        socket->setProperty(BufferProperty, buffer);
        return;
    }
    socket->setProperty(BufferProperty, QVariant());
    if (request.state == MetricsRequest::State::Refused) {
        respond(socket, request.status, request.reason, "text/plain; charset=utf-8",
                request.message, false);
        return;
    }
    const QByteArray &method = request.method;
    const QByteArray &path = request.path;
    const bool head = method == "HEAD";
    if (method == "POST" && m_post && path != "/metrics" && path != "/") {
        const Reply reply = m_post(path, request.headers, request.body);
        respond(socket, reply.status, reply.reason, "text/plain; charset=utf-8", reply.body, false);
        return;
    }
    if (method != "GET" && !head) {
        respond(socket, 405, "Method Not Allowed", "text/plain; charset=utf-8",
                "only GET and HEAD\n", false, "Allow: GET, HEAD\r\n");
        return;
    }
    if (path == "/metrics") {
        ++m_scrapes;
        respond(socket, 200, "OK", PromTextWriter::contentType(), m_render(), head);
    } else if (path == "/") {
        respond(socket, 200, "OK", "text/plain; charset=utf-8",
                "HealthDeck: Prometheus metrics are at /metrics\n", head);
    } else {
        respond(socket, 404, "Not Found", "text/plain; charset=utf-8",
                "not found; metrics are at /metrics\n", head);
    }
}

void MetricsServer::respond(QTcpSocket *socket, int status, const QByteArray &reason,
                            const QByteArray &contentType, const QByteArray &body, bool headOnly,
                            const QByteArray &extraHeaders)
{
    socket->setProperty("hd_metrics_answered", true);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n"
                          + "Content-Type: " + contentType + "\r\n" + "Content-Length: "
                          + QByteArray::number(body.size()) + "\r\n" + "Cache-Control: no-store\r\n"
                          + "Connection: close\r\n" + extraHeaders + "\r\n";
    if (!headOnly)
        response += body;
    socket->write(response);
    socket->disconnectFromHost(); // after the bytes are written
}

} // namespace hd
