#include "simdemosecrets.h"

namespace hd {

std::optional<QString> SimDemoSecrets::lookup(const QString &secretName)
{
    if (secretName == u"HDECK_SIM_CLIENT_SECRET")
        return QStringLiteral("sim-secret");
    if (secretName == u"HDECK_SIM_API_KEY")
        return QStringLiteral("sim-key");
    if (secretName == u"HDECK_SIM_TRADOVATE_PASSWORD")
        return QStringLiteral("sim-pass");
    if (secretName == u"HDECK_SIM_TRADOVATE_SEC")
        return QStringLiteral("sim-sec");
    return std::nullopt;
}

} // namespace hd
