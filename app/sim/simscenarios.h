#pragma once

// The catalogue behind GET /_sim/scenarios: for each route, the exact request to send (method,
// URL, headers, body, timeout, how many times) and the healthdeck `category` HealthDeck must
// assign to the outcome. Tokens in the headers are minted on the spot with a one-hour life.

#include "simcontext.h"

#include <QJsonArray>

namespace hd {

class SimScenarios
{
public:
    static QJsonArray build(SimContext &ctx, quint16 port, quint16 refusedPort);
};

} // namespace hd
