#pragma once

// One HTTP/1.1 request to the metrics endpoint, read from what has arrived on its connection so
// far (MetricsServer): untrusted bytes from the network. Pure and bounded — headers at most
// MaxHeaderBytes, a body only for a POST that goes to the POST handler and at most MaxBodyBytes,
// announced by Content-Length (chunked bodies are refused) — so tests/fuzz/fuzz_metricsrequest
// can feed it anything.

#include <QByteArray>
#include <QHash>

namespace hd {

struct MetricsRequest
{
    static constexpr qsizetype MaxHeaderBytes = 16 * 1024;
    static constexpr qsizetype MaxBodyBytes = 256 * 1024;

    enum class State {
        Incomplete, // wait for more bytes
        Refused,    // answer status/reason/message and close
        Complete,
    };
    State state = State::Incomplete;
    int status = 0;
    QByteArray reason;
    QByteArray message;
    QByteArray method;
    QByteArray path; // without the query
    // A POST with a body (acceptPost): header names lower-case, and the body.
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;

    // acceptPost: a POST to a path other than /metrics and / has a body to read (the server has
    // a POST handler); otherwise only the request line matters.
    static MetricsRequest parse(const QByteArray &buffer, bool acceptPost);
};

} // namespace hd
