#pragma once

// Seed 004's API under /s004: the error envelope {error_code, error_type, message,
// details[{field, description}], trace_id}, 423 resource_locked for concurrent operations,
// IETF structured rate-limit headers, and a quota that is refused with 403 (not 429).

#include "simcontext.h"

#include <QJsonArray>

namespace hd {

class SimEnvelopeApi
{
public:
    static SimResponse handle(const SimRequest &req, const QString &sub, SimContext &ctx);
    static SimResponse error(SimContext &ctx, int status, const QString &code,
                             const QString &message);
    static SimResponse envelope(SimContext &ctx, int status, const QString &code,
                                const QString &type, const QString &message,
                                const QJsonArray &details = {});
    static QStringList scopes();
};

} // namespace hd
