#pragma once

// Seed 002's API under /s002: numeric `code`, `message`, `details[]`; OAuth2 tokens; 429 with
// Retry-After; 5xx at a low background rate (applied by SimRouter); and the slow-network
// faults of its timeout section (a server that never answers, one that answers byte by byte,
// a legacy endpoint that does not speak HTTP).

#include "simcontext.h"

namespace hd {

class SimCodeMessageApi
{
public:
    static SimResponse handle(const SimRequest &req, const QString &sub, SimContext &ctx);
    static SimResponse error(SimContext &ctx, int status, const QString &code,
                             const QString &message);
    // The numeric code this API uses for an HTTP status.
    static int numericCode(int status);
    static QStringList scopes();
};

} // namespace hd
