#pragma once

// One accepted TCP connection: parses HTTP/1.1 requests (keep-alive, pipelining), asks the
// router for answers and acts out faults on the real socket. Bounded in time (head and idle
// timeouts) and memory (limited read buffer, parser limits, output back-pressure).

#include "simhttpparser.h"
#include "simresponse.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

class QWebSocketServer;

namespace hd {

class SimRouter;

class SimConnection : public QObject
{
    Q_OBJECT
public:
    SimConnection(QTcpSocket *socket, SimRouter *router, QWebSocketServer *webSockets,
                  QObject *parent = nullptr);
    ~SimConnection() override;

signals:
    void closed();

private:
    void onReadyRead();
    void process();
    void answer(SimRequest req, SimResponse resp);
    void send(const SimResponse &resp, bool keepAlive);
    void act(const SimResponse &resp);
    void dribble();
    bool tryWebSocketUpgrade();
    void armIdle(int ms);
    void resetSocket();
    void finish();

    QTcpSocket *m_socket;
    SimRouter *m_router;
    QPointer<QWebSocketServer> m_webSockets;
    SimHttpParser m_parser;
    QTimer m_idle;
    QTimer m_slow;
    QByteArray m_slowData;
    qsizetype m_slowPos = 0;
    bool m_busy = false; // a response is pending (delay, fault in progress)
    bool m_done = false; // no more requests on this connection
    bool m_firstRequest = true;
    bool m_closedEmitted = false;
};

} // namespace hd
