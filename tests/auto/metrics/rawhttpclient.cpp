#include "rawhttpclient.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace hd::test {

RawHttpClient::Response RawHttpClient::exchange(quint16 port, const QList<QByteArray> &chunks,
                                                int pauseMs, int timeoutMs)
{
    // Event-driven, so a server in the same thread (the console's exporter) keeps serving.
    Response r;
    QTcpSocket socket;
    QEventLoop loop;
    bool failed = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] { r.raw += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop,
                     [&](QAbstractSocket::SocketError e) {
                         if (e != QAbstractSocket::RemoteHostClosedError) {
                             failed = true;
                             r.error = socket.errorString().toUtf8();
                         }
                         loop.quit();
                     });
    qsizetype next = 0;
    QTimer pacer;
    pacer.setSingleShot(true);
    auto writeNext = [&] {
        if (next < chunks.size()) {
            socket.write(chunks[next++]);
            if (next < chunks.size())
                pacer.start(pauseMs);
        }
    };
    QObject::connect(&pacer, &QTimer::timeout, &loop, writeNext);
    QObject::connect(&socket, &QTcpSocket::connected, &loop, writeNext);
    QTimer::singleShot(timeoutMs, &loop, [&] {
        r.error = "timed out";
        failed = true;
        loop.quit();
    });
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    loop.exec();
    r.raw += socket.readAll();
    if (failed && r.raw.isEmpty())
        return r;
    const qsizetype end = r.raw.indexOf("\r\n\r\n");
    if (end < 0) {
        r.error = "no complete response header";
        return r;
    }
    const QList<QByteArray> lines = r.raw.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                             lines[i].mid(colon + 1).trimmed());
    }
    r.body = r.raw.mid(end + 4);
    r.ok = r.status > 0;
    return r;
}

RawHttpClient::Response RawHttpClient::get(quint16 port, const QByteArray &path)
{
    return exchange(port, {"GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"});
}

} // namespace hd::test
