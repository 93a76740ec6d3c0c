#include "simcontext.h"

#include <QDateTime>

namespace hd {

SimContext::SimContext(const SimConfig &config)
    : m_config(config)
{
    reset();
}

void SimContext::setConfig(const SimConfig &config)
{
    m_config = config;
    m_lockout.configure(config.tradovateWindowMs, config.tradovateWarnAt, config.tradovateLockAt,
                        config.lockoutWindowMs);
}

void SimContext::reset()
{
    setConfig(m_config);
    // The signing key follows the seed: tokens minted by one run verify in a rerun.
    m_jwt.setSecret("healthdeck-sim-secret-" + QByteArray::number(m_config.seed));
    m_rng.seed(m_config.seed);
    m_quota.clear();
    m_lockout.clear();
    clOrdIds = {QStringLiteral("DUP-1")};
    signalSources = {QStringLiteral("src-dup")};
    nextOrderId = 1000;
}

qint64 SimContext::nowMs() const
{
    return m_config.clock ? m_config.clock->nowMs() : Clock::system().nowMs();
}

QByteArray SimContext::traceId()
{
    return "trx-"
           + QByteArray::number(m_rng.generate64() & 0xffffffffffffULL, 16).rightJustified(12, '0');
}

SimJwt::Check SimContext::bearer(const SimRequest &req, QJsonObject *claims) const
{
    const QByteArray auth = req.header("Authorization");
    if (auth.isEmpty())
        return SimJwt::Check::Missing;
    if (!auth.startsWith("Bearer ") && !auth.startsWith("bearer "))
        return SimJwt::Check::Malformed;
    return m_jwt.verify(auth.mid(7).trimmed(), nowMs() / 1000, claims);
}

} // namespace hd
