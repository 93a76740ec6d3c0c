#pragma once

// One Tradovate-style WebSocket (seed 003): the server sends "o" on open and "h" heartbeats;
// requests are "endpoint\nid\nquery\nbody"; answers are a[{"s":status,"i":id,"d":…}]; a request
// before a successful "authorize" gets a[{"s":401,"i":id}]; "logout" ends with a c[…] frame.
// Test controls, per connection, as query parameters of the WebSocket URL (docs/simulator.md):
//   ?drop_after_ms=N           drops the TCP connection without a close frame (stream dropped)
//   ?heartbeat_stop_after_ms=N stops the "h" heartbeats after N ms (heartbeat missed)
//   ?unauthorize_after=N       once, after N answered requests of an authorized session, answers
//                              the next one 401 and forgets the authorization (re-authorize)
//   ?malformed_after_ms=N      N ms after authorization sends two frames outside the protocol
//   ?refuse_handshake=STATUS   (SimConnection) answers the upgrade with that HTTP status

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
    int m_unauthorizeAfter = -1; // answered requests before the one-time 401; -1: never
    int m_answered = 0;
    int m_malformedAfterMs = -1;
};

} // namespace hd
