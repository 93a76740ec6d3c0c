#include "reconnectbackoff.h"

namespace hd {

namespace {
BackoffConfig backoffOf(const StreamReconnect &c)
{
    BackoffConfig b;
    b.baseMs = std::max(1, c.baseMs);
    b.capMs = std::max(b.baseMs, qint64(c.capMs));
    b.maxAttempts = std::max(0, c.maxAttempts);
    return b;
}
} // namespace

ReconnectBackoff::ReconnectBackoff(StreamReconnect config, std::function<double()> random)
    : m_config(config)
    , m_policy(backoffOf(config), std::move(random))
{}

std::optional<qint64> ReconnectBackoff::next()
{
    ++m_failures;
    if (m_failures > m_config.maxAttempts)
        return std::nullopt;
    m_lastCeiling = m_policy.backoffCeiling(m_failures);
    return std::min(m_policy.backoffDelay(m_failures), m_lastCeiling);
}

void ReconnectBackoff::reset()
{
    m_failures = 0;
    m_lastCeiling = 0;
}

} // namespace hd
