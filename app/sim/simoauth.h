#pragma once

// OAuth2 client-credentials token endpoint (RFC 6749 §4.4) issuing HS256 JWTs, and the bearer
// check the protected routes share: 401 for a missing, invalid or expired token, 403 for a
// token without the route's scope.

#include "simcontext.h"

#include <optional>

namespace hd {

class SimOAuth
{
public:
    // Known clients, all with secret "sim-secret":
    //   sim-client   every scope of the API
    //   sim-readonly read scopes only (403 on writes)
    //   sim-metered  every scope, a quota of 1 request per window (quota scenarios)
    //   sim-busy     every scope, a quota of 1 request per window
    static SimResponse token(const SimRequest &req, SimContext &ctx, const QString &audience,
                             const QStringList &allScopes);

    // Empty when authorised; claims then hold the token payload. Error bodies come from
    // errorBody(status, code, message) so each API answers in its own dialect.
    using ErrorBody
        = SimResponse (*)(SimContext &ctx, int status, const QString &code, const QString &message);
    static std::optional<SimResponse> authorize(const SimRequest &req, SimContext &ctx,
                                                const QString &audience, const QString &scope,
                                                ErrorBody errorBody, QJsonObject *claims);

    // While SimConfig::tokenFailureStatus is set: the answer every token endpoint gives
    // instead of a token (an OAuth2 error body, 503 adds Retry-After-free "temporarily
    // unavailable"). Shared by the OAuth2 and the Tradovate token routes.
    static std::optional<SimResponse> switchedOff(SimContext &ctx, bool oauth2Body);

    // The quota a credential gets by name (sim-metered / sim-busy are tiny on purpose).
    static qint64 quotaFor(const QString &subject, const SimConfig &config);
};

} // namespace hd
