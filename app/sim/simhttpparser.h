#pragma once

// Incremental HTTP/1.1 request parser for the simulator. Bounded: a head larger than
// maxHeaderBytes or a body larger than maxBodyBytes is an error, never buffered without end.
// Content-Length bodies only; chunked request bodies are refused (501) — HealthDeck never
// sends them.

#include "simrequest.h"

#include <QByteArray>

namespace hd {

class SimHttpParser
{
public:
    enum class State { NeedMore, HeadComplete, Complete, Error };

    SimHttpParser(int maxHeaderBytes, int maxBodyBytes);

    // Appends bytes; returns the new state. HeadComplete is reported once per request, before
    // its body has arrived, so a route can act early (refuse a large upload, reset).
    State feed(const QByteArray &data);
    // Continue after HeadComplete or Complete (the next pipelined request).
    State advance();

    const SimRequest &request() const { return m_request; }
    SimRequest takeRequest();
    int errorStatus() const { return m_errorStatus; } // 400, 413, 431, 501
    QByteArray errorText() const { return m_errorText; }
    qsizetype buffered() const { return m_buffer.size(); }
    bool headDone() const { return m_headDone; }
    // Fills path, query and environment from target ("/prod/s000/v1/orders?x=1"): shared with
    // the HTTP/2 session, whose requests arrive as a :path pseudo-header.
    static void splitTarget(SimRequest &r);

private:
    State parseHead();
    State fail(int status, const char *text);

    int m_maxHeaderBytes;
    int m_maxBodyBytes;
    QByteArray m_buffer;
    SimRequest m_request;
    bool m_headDone = false;
    bool m_headReported = false;
    int m_errorStatus = 0;
    QByteArray m_errorText;
};

} // namespace hd
