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

void PhaseTimer::start(bool https)
{
    m_https = https;
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
    t.firstByteMs = span(m_sent, m_head);
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
    if (!m_sent)
        return QStringLiteral("before the request was completely sent, %1").arg(connection);
    if (!m_head)
        return QStringLiteral("after the request was sent, before any response byte, %1")
            .arg(connection);
    if (!m_firstBody)
        return QStringLiteral("after the response head, before any body byte, %1").arg(connection);
    return QStringLiteral("in the middle of the response body, %1").arg(connection);
}

} // namespace hd
