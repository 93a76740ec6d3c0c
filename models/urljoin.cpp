#include "urljoin.h"

#include "workspace.h"

#include <algorithm>

namespace hd {

QString joinUrl(const QString &base, const QString &path)
{
    if (path.isEmpty())
        return base;
    const bool baseSlash = base.endsWith(u'/');
    const bool pathSlash = path.startsWith(u'/');
    if (baseSlash && pathSlash)
        return base.chopped(1) + path;
    if (!baseSlash && !pathSlash)
        return base + u'/' + path;
    return base + path;
}

bool isSimulatorUrl(const QString &url)
{
    return url.startsWith(QStringLiteral("sim:")) || url.startsWith(QStringLiteral("sim+tls"));
}

QString withSimulatorBase(const QString &url, const QString &simulatorBaseUrl)
{
    if (!url.startsWith(QStringLiteral("sim:")))
        return url;
    if (simulatorBaseUrl.isEmpty())
        return {};
    return joinUrl(simulatorBaseUrl, url.mid(4));
}

bool usesSimulator(const Workspace &ws)
{
    return ws.simulator
           || std::any_of(ws.environments.cbegin(), ws.environments.cend(),
                          [](const Environment &e) { return isSimulatorUrl(e.baseUrl); });
}

} // namespace hd
