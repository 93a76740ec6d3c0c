#pragma once

// The mutable state the simulated APIs share: configuration, token issuer, quotas, the
// Tradovate lockout, stored orders and signals, and the seeded random generator that makes a
// run reproducible with --seed.

#include "simconfig.h"
#include "simjwt.h"
#include "simlockout.h"
#include "simquota.h"
#include "simrequest.h"
#include "simresponse.h"

#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>

namespace hd {

class SimContext
{
public:
    explicit SimContext(const SimConfig &config);

    // Back to the state right after start: stores, quotas, lockouts, random sequence.
    void reset();
    void setConfig(const SimConfig &config);
    const SimConfig &config() const { return m_config; }

    qint64 nowMs() const;
    QByteArray traceId();
    double random() { return m_rng.generateDouble(); }
    quint32 randomBounded(quint32 bound) { return m_rng.bounded(bound); }

    SimJwt &jwt() { return m_jwt; }
    SimQuota &quota() { return m_quota; }
    SimLockout &lockout() { return m_lockout; }

    // Bearer token from Authorization; Valid fills claims.
    SimJwt::Check bearer(const SimRequest &req, QJsonObject *claims) const;

    // Per-API stores (cleared by reset; seeded with the fixtures the scenarios rely on).
    QSet<QString> clOrdIds;      // seed 000: duplicates answer 409
    QSet<QString> signalSources; // seed 001: duplicate sourceId is SIGNAL_REJECTED
    qint64 nextOrderId = 1000;

private:
    SimConfig m_config;
    SimJwt m_jwt;
    SimQuota m_quota;
    SimLockout m_lockout;
    QRandomGenerator m_rng;
};

} // namespace hd
