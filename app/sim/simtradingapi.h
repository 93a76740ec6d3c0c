#pragma once

// Seed 000's trading API under /s000: OAuth2 client credentials, orders with ClOrdID (409 on a
// duplicate), 422 position limits, 413 oversized bulk, 504 on a slow report, and the
// connection-level faults of its error guide (RST, broken pipe, truncated body, gateway HTML,
// gRPC 14 UNAVAILABLE).

#include "simcontext.h"

#include <optional>

namespace hd {

class SimTradingApi
{
public:
    static constexpr int MaxBulkBytes = 64 * 1024;
    static constexpr int MaxBulkItems = 100;
    static constexpr int PositionLimit = 1000;

    // Called when the request head has arrived, before its body: may answer early.
    static std::optional<SimResponse> onHead(const SimRequest &req, const QString &sub,
                                             SimContext &ctx);
    static SimResponse handle(const SimRequest &req, const QString &sub, SimContext &ctx);
    static SimResponse error(SimContext &ctx, int status, const QString &code,
                             const QString &message);
    static QStringList scopes();
};

} // namespace hd
