#pragma once

// One Tradovate-style WebSocket (seed 003): the server sends "o" on open and "h" heartbeats;
// requests are "endpoint\nid\nquery\nbody"; answers are a[{"s":status,"i":id,"d":…}]; a request
// before a successful "authorize" gets a[{"s":401,"i":id}]; "logout" ends with a c[…] frame.
// ?drop_after_ms=N drops the TCP connection without a close frame (stream dropped).

#include <QJsonValue>
#include <QObject>
#include <QTimer>

class QWebSocket;

namespace hd {

class SimContext;

class SimWebSocketSession : public QObject
{
    Q_OBJECT
public:
    SimWebSocketSession(QWebSocket *socket, SimContext *ctx, QObject *parent = nullptr);

private:
    void onText(const QString &message);
    void reply(int status, const QString &id, const QJsonValue &data = QJsonValue());

    QWebSocket *m_socket;
    SimContext *m_ctx;
    QTimer m_heartbeat;
    QTimer m_quotes;
    bool m_authorized = false;
    qint64 m_tick = 0;
};

} // namespace hd
