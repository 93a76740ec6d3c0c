#pragma once

// The simulator's own demo credentials, by the secret names the demo workspace uses
// (docs/simulator.md). They open nothing but the simulator, so a fresh install can show live
// data without anyone typing a secret; real secrets never come from here.

#include <QString>

#include <optional>

namespace hd {

class SimDemoSecrets
{
public:
    // HDECK_SIM_CLIENT_SECRET, HDECK_SIM_API_KEY, HDECK_SIM_TRADOVATE_PASSWORD,
    // HDECK_SIM_TRADOVATE_SEC.
    static std::optional<QString> lookup(const QString &secretName);
};

} // namespace hd
