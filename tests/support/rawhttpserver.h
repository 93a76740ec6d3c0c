#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 (port 0) whose misbehaviour is chosen per test: canned
// responses, a reset (RST), an orderly close before answering, a hang, a cut mid-body. Real
// sockets, so Qt Network is exercised exactly as in production.

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

namespace hd::test {

class RawHttpServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Mode { Respond, Reset, CloseWithoutAnswer, Hang, CutMidBody, Stream };

    explicit RawHttpServer(QObject *parent = nullptr);
    bool start(); // listens on 127.0.0.1:0
    QString url(const QString &path = QStringLiteral("/")) const;

    // Responses are served in order; the last one repeats.
    void setResponses(QList<QByteArray> rawResponses);
    void setMode(Mode mode) { m_mode = mode; }
    // Mode::Stream: answers every request with `head` (status line and headers, ending in a
    // blank line) and then `chunk` repeated `repeat` times, written only as fast as the client
    // reads (at most a few MiB queued), so a test can serve 100 MiB without holding it.
    void setStream(const QByteArray &head, const QByteArray &chunk, qint64 repeat);
    qint64 streamedBytes() const { return m_streamed; }
    int requestCount() const { return m_requests; }
    QList<QByteArray> requests() const { return m_received; }

    static QByteArray response(int status, const QByteArray &body = {},
                               const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                               const QByteArray &contentType
                               = QByteArrayLiteral("application/json"));

protected:
    void incomingConnection(qintptr handle) override;

private:
    void onReadyRead(QTcpSocket *socket);
    void pump(QTcpSocket *socket);

    Mode m_mode = Mode::Respond;
    QList<QByteArray> m_responses;
    QList<QByteArray> m_received;
    int m_requests = 0;
    QByteArray m_streamHead;
    QByteArray m_streamChunk;
    qint64 m_streamRepeat = 0;
    qint64 m_streamed = 0;
};

} // namespace hd::test
