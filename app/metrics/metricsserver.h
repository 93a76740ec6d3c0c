#pragma once

// MetricsServer: a deliberately small HTTP/1.1 server for Prometheus scrapes on a QTcpServer.
// GET or HEAD /metrics answers 200 with the body the render function returns and the text
// exposition's Content-Type; / answers a one-line pointer to /metrics; other paths 404, other
// methods 405. One request per connection (Connection: close). Requests with headers over
// 16 KiB, or that stay incomplete for 10 s, are dropped. Lives on the thread that created it.
// With a POST handler (PagerDuty's webhooks, docs/incidents.md), a POST with a Content-Length
// of at most MaxBodyBytes goes to it once its body is complete (411 without a length, 413
// over it); chunked bodies are refused (411).

#include "metricsrequest.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>

class QTcpSocket;

namespace hd {

class MetricsServer : public QObject
{
    Q_OBJECT
public:
    using RenderFunction = std::function<QByteArray()>;
    struct Reply
    {
        int status = 200;
        QByteArray reason = "OK";
        QByteArray body; // text/plain
    };
    // path without the query; header names lower-case.
    using PostHandler
        = std::function<Reply(const QByteArray &path, const QHash<QByteArray, QByteArray> &headers,
                              const QByteArray &body)>;

    explicit MetricsServer(RenderFunction render, QObject *parent = nullptr);
    ~MetricsServer() override;

    // Listens on host:port (port 0: a free one). Returns an error message, or empty.
    QString listen(const QHostAddress &host, quint16 port);
    void close();
    bool isListening() const { return m_server.isListening(); }
    QHostAddress address() const { return m_server.serverAddress(); }
    quint16 port() const { return m_server.serverPort(); }
    // http://HOST:PORT/metrics, or empty when not listening.
    QUrl url() const;

    qint64 scrapes() const { return m_scrapes; }
    void setPostHandler(PostHandler handler) { m_post = std::move(handler); }

    static constexpr qsizetype MaxHeaderBytes = MetricsRequest::MaxHeaderBytes;
    static constexpr int RequestTimeoutMs = 10000;
    static constexpr int MaxConnections = 32;
    static constexpr qsizetype MaxBodyBytes = MetricsRequest::MaxBodyBytes;

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, const QByteArray &reason,
                 const QByteArray &contentType, const QByteArray &body, bool headOnly,
                 const QByteArray &extraHeaders = {});

    RenderFunction m_render;
    PostHandler m_post;
    QTcpServer m_server;
    int m_open = 0;
    qint64 m_scrapes = 0;
};

} // namespace hd
