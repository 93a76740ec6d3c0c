#pragma once

// The server side of one HTTP/2 connection for the simulator's "h2" TLS route (docs/simulator.md,
// "TLS"): Qt HttpServer 6.4 has no HTTP/2, so the frames, HPACK and flow control are Debian's
// libnghttp2 (the library curl uses), and this class turns its callbacks into SimRequests and
// SimResponses. It touches no socket: bytes go in through receive() and come out of
// takeOutput(), so the fuzz target (tests/fuzz/fuzz_simh2.cpp) drives exactly the code the
// listener runs. Bounded: at most MaxStreams open streams, MaxHeaders headers and maxBodyBytes
// of body per request; anything beyond resets that stream.

#include "simrequest.h"
#include "simresponse.h"

#include <QByteArray>
#include <QHash>

#include <functional>
#include <memory>

struct nghttp2_session;

namespace hd {

class SimH2Session
{
public:
    static constexpr int MaxStreams = 100;
    static constexpr int MaxHeaders = 100;

    // onRequest is called once per complete request, with the stream to answer on.
    using RequestHandler = std::function<void(qint32 streamId, SimRequest request)>;

    // nowMs: the simulator's clock, for the Date header of the answers the session gives by
    // itself (413, 400).
    SimH2Session(int maxBodyBytes, RequestHandler onRequest, std::function<qint64()> nowMs);
    ~SimH2Session();
    SimH2Session(const SimH2Session &) = delete;
    SimH2Session &operator=(const SimH2Session &) = delete;

    // Feeds bytes read from the connection. False when the peer broke the protocol (the
    // connection should be closed after takeOutput() has been written: it holds a GOAWAY).
    bool receive(const QByteArray &bytes);
    // Answers a request: headers, then the body as DATA frames. A faulted response resets the
    // stream (RST_STREAM INTERNAL_ERROR), HTTP/2's way of "the connection broke" for one
    // request; Hang never answers.
    void respond(qint32 streamId, const SimResponse &response, qint64 nowMs);
    // Frames to write to the connection now.
    QByteArray takeOutput();
    // False once both sides are done (GOAWAY sent or received and nothing left to send).
    bool isAlive() const;
    QString error() const { return m_error; }
    int openStreams() const { return int(m_streams.size()); }

private:
    struct Stream
    {
        SimRequest request;
        QByteArray responseBody;
        qsizetype sent = 0;
        bool tooLarge = false;
    };
    struct Callbacks;

    Stream *stream(qint32 id);
    void reset(qint32 id, quint32 errorCode);

    nghttp2_session *m_session = nullptr;
    int m_maxBodyBytes;
    RequestHandler m_onRequest;
    std::function<qint64()> m_nowMs;
    QHash<qint32, std::shared_ptr<Stream>> m_streams;
    QString m_error;
};

} // namespace hd
