#include "phasetimer.h"

namespace hd {
namespace {

std::optional<double> span(const std::optional<qint64> &from, const std::optional<qint64> &to)
{
    if (!from || !to || *to < *from)
        return std::nullopt;
    return double(*to - *from) / 1e6;
}

} // namespace

void PhaseTimer::start(bool https, bool sentObservable)
{
    m_https = https;
    m_sentObservable = sentObservable;
    m_connecting.reset();
    m_encrypted.reset();
    m_sent.reset();
    m_head.reset();
    m_firstBody.reset();
    m_finished.reset();
    m_timer.start();
}

TimingInfo PhaseTimer::timing() const
{
    TimingInfo t;
    const std::optional<qint64> zero = qint64(0);
    t.reusedConnection = !m_connecting.has_value();
    if (m_connecting) {
        t.dnsMs = span(zero, m_connecting);
        if (m_https) {
            t.tlsMs = span(m_connecting, m_encrypted);
            t.sentMs = span(m_encrypted, m_sent);
        } else {
            t.connectMs = span(m_connecting, m_sent);
        }
    } else {
        t.sentMs = span(zero, m_sent);
    }
    // Without requestSent (a request without a body) the wait for the answer runs from the last
    // moment observed before it: the handshake, the connect's start, or the request's start.
    const std::optional<qint64> beforeAnswer
        = m_sent ? m_sent : (m_encrypted ? m_encrypted : (m_connecting ? m_connecting : zero));
    t.firstByteMs = span(beforeAnswer, m_head);
    t.transferMs = span(m_head, m_finished);
    return t;
}

QString PhaseTimer::failurePhase() const
{
    const QString connection = m_connecting
                                   ? QStringLiteral("on a connection opened for this request")
                                   : QStringLiteral("on a reused (kept-alive) connection");
    if (m_https && m_connecting && !m_encrypted)
        return QStringLiteral("during the TLS handshake, %1").arg(connection);
    if (m_sentObservable && !m_sent)
        return QStringLiteral("before the request was completely sent, %1").arg(connection);
    if (!m_head)
        return QStringLiteral("%1before any response byte, %2")
            .arg(m_sent ? QStringLiteral("after the request was sent, ") : QString(), connection);
    if (!m_firstBody)
        return QStringLiteral("after the response head, before any body byte, %1").arg(connection);
    return QStringLiteral("in the middle of the response body, %1").arg(connection);
}

} // namespace hd
