#pragma once

// Seed 003's Tradovate-style API under /s003: access-token request with expirationTime,
// business errors inside 200 (ok:false, violations[], every failureReason, errorCode), 423 as
// the warning before the 429 lockout whose rolling window every request extends. The
// WebSocket endpoint is SimWebSocketSession.

#include "simcontext.h"

namespace hd {

class SimTradovateApi
{
public:
    static SimResponse handle(const SimRequest &req, const QString &sub, SimContext &ctx);
    static SimResponse error(SimContext &ctx, int status, const QString &code,
                             const QString &message);
    // Every PlaceOrderResult failureReason of seed 003 except Success.
    static const QStringList &failureReasons();
    // The credential the lockout counts against.
    static QString credentialOf(const SimRequest &req, SimContext &ctx);
};

} // namespace hd
