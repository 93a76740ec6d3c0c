#pragma once

// A blocking HTTP/1.x client on a plain QTcpSocket for tests: sends exactly the bytes given
// (so malformed and split requests can be sent), reads until the server closes, and splits
// the answer into status, headers and body. Runs a local event loop while waiting.

#include <QByteArray>
#include <QHash>
#include <QList>

namespace hd::test {

class RawHttpClient
{
public:
    struct Response
    {
        bool ok = false; // connected and got a status line
        int status = 0;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
        QByteArray raw;
        QByteArray error;
    };

    // chunks are written one after another with pauseMs between them.
    static Response exchange(quint16 port, const QList<QByteArray> &chunks, int pauseMs = 0,
                             int timeoutMs = 10000);
    static Response get(quint16 port, const QByteArray &path);
};

} // namespace hd::test
