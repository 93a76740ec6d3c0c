#pragma once

// Seed 001's signal API under /s001: API keys, 201 executed / 202 scheduled, and every error
// code of its table with the documented `details` (path arrays, conflictingSignalId,
// conflictingTradeId, exceedsBy + conflictingTradeIds).

#include "simcontext.h"

#include <QJsonValue>

namespace hd {

class SimSignalApi
{
public:
    // Keys: sim-key (read and write), sim-key-readonly (403 on writes), sim-key-tiny (quota 1).
    static SimResponse handle(const SimRequest &req, const QString &sub, SimContext &ctx);
    static SimResponse error(SimContext &ctx, int status, const QString &code,
                             const QString &message, const QJsonValue &details = QJsonValue());
};

} // namespace hd
