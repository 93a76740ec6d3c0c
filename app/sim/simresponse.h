#pragma once

// What a route answers: an HTTP response, or a fault that the connection acts out on the real
// socket (reset, hang, dribble, cut, …).

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>

#include <utility>

namespace hd {

enum class SimFault {
    None,
    Reset,         // RST: SO_LINGER 0, then close
    CloseNoAnswer, // orderly close (FIN) after reading the request
    Hang,          // accept, read, never answer
    Slow,          // answer one byte at a time
    IdleCut,       // say nothing, then close after SimConfig::idleCutMs ("other side closed")
    Truncate,      // announce a Content-Length, send part of the body, close
    Malformed,     // a response that is not valid HTTP (status 999, binary body)
};

struct SimResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    SimFault fault = SimFault::None;
    int delayMs = 0;    // latency before the answer starts
    bool close = false; // close the connection after answering

    void setHeader(const QByteArray &name, const QByteArray &value);

    static SimResponse json(int status, const QJsonDocument &doc);
    static SimResponse json(int status, const QByteArray &body);
    static SimResponse html(int status, const QByteArray &body);
    static SimResponse faulted(SimFault fault);

    // Serialises status line, headers (with Content-Length and Date) and body.
    // nowMs: the Date header's time (the simulator's clock).
    QByteArray serialize(bool keepAlive, qint64 nowMs) const;

    static QByteArray reasonPhrase(int status);
    // The Date header's value for nowMs (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT").
    static QByteArray httpDate(qint64 nowMs);
    static const char *faultName(SimFault fault);
    static SimFault faultFromName(const QString &name, bool *ok = nullptr);
};

} // namespace hd
