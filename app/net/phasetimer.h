#pragma once

// Marks the moments of one QNetworkReply that Qt 6.4 lets a client observe and turns them into
// the event's "timing" (DESIGN §2, docs/network.md "Timings") and into words for a connection
// that broke ("after the request was sent, before any response byte, on a reused
// connection"). All marks are nanoseconds on one QElapsedTimer started with the request.
//
// Observable: the request's start; QNetworkReply::socketStartedConnecting (Qt opens a new
// socket for this request: absent on a kept-alive connection); encrypted (TLS handshake done);
// requestSent (only for requests with a body: Qt 6.4 emits it when the upload is done); the
// first metaDataChanged (the response head is parsed); the first readyRead
// (first body bytes); finished. Not observable: DNS apart from queueing (Qt resolves inside
// the manager's thread and caches names for 60 s), the TCP connect apart from the TLS
// handshake (the reply has no "connected" signal), the server's think time apart from the
// network's round trip.

#include "apievent.h"

#include <QElapsedTimer>

#include <optional>

namespace hd {

class PhaseTimer
{
public:
    // sentObservable: the request has a body. Qt 6.4 emits requestSent only once an upload
    // (a body) has been written; for a request without one the moment is not observable.
    void start(bool https, bool sentObservable = true);
    // Each mark keeps its first occurrence (Qt may reconnect and resend once).
    void markConnecting() { mark(m_connecting); }
    void markEncrypted() { mark(m_encrypted); }
    void markSent() { mark(m_sent); }
    void markHead() { mark(m_head); }
    void markFirstBody() { mark(m_firstBody); }
    void markFinished() { mark(m_finished); }

    bool sent() const { return m_sent.has_value(); }
    bool sentObservable() const { return m_sentObservable; }
    bool gotHead() const { return m_head.has_value(); }
    bool freshConnection() const { return m_connecting.has_value(); }
    double elapsedMs() const { return double(m_timer.nsecsElapsed()) / 1e6; }

    // The observed phases; connection phases only when this request opened a connection.
    TimingInfo timing() const;
    // Where a connection-level failure happened, in words, for error.message.
    QString failurePhase() const;

private:
    void mark(std::optional<qint64> &slot)
    {
        if (!slot)
            slot = m_timer.nsecsElapsed();
    }

    QElapsedTimer m_timer;
    bool m_https = false;
    bool m_sentObservable = true;
    std::optional<qint64> m_connecting;
    std::optional<qint64> m_encrypted;
    std::optional<qint64> m_sent;
    std::optional<qint64> m_head;
    std::optional<qint64> m_firstBody;
    std::optional<qint64> m_finished;
};

} // namespace hd
