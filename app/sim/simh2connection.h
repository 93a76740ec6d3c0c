#pragma once

// One accepted HTTP/2 connection on the simulator's "h2" TLS route: socket, timers and the
// router around a SimH2Session (the protocol). Bounded like SimConnection: a limited read
// buffer, an idle timeout when no stream is open, at most SimH2Session::MaxStreams streams.

#include "simh2session.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace hd {

class SimRouter;

class SimH2Connection : public QObject
{
    Q_OBJECT
public:
    SimH2Connection(QTcpSocket *socket, SimRouter *router, QObject *parent = nullptr);
    ~SimH2Connection() override;

signals:
    void closed();

private:
    void onReadyRead();
    void onRequest(qint32 streamId, SimRequest request);
    void flush();
    void finish();

    QTcpSocket *m_socket;
    SimRouter *m_router;
    SimH2Session m_session;
    QTimer m_idle;
    bool m_closedEmitted = false;
};

} // namespace hd
