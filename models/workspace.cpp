#include "workspace.h"

namespace hd {

template<typename T>
static const T *findById(const QList<T> &list, const QString &id)
{
    for (const T &item : list)
        if (item.id == id)
            return &item;
    return nullptr;
}

const Environment *Workspace::environment(const QString &id) const
{
    return findById(environments, id);
}
const Credential *Workspace::credential(const QString &id) const
{
    return findById(credentials, id);
}
const Endpoint *Workspace::endpoint(const QString &id) const
{
    return findById(endpoints, id);
}
const StreamEndpoint *Workspace::stream(const QString &id) const
{
    return findById(streams, id);
}

namespace {
struct MethodName
{
    Credential::Method method;
    const char *name;
};
constexpr MethodName kMethods[] = {
    {Credential::Method::None, "none"},
    {Credential::Method::Bearer, "bearer"},
    {Credential::Method::ApiKeyHeader, "api_key_header"},
    {Credential::Method::ApiKeyQuery, "api_key_query"},
    {Credential::Method::Basic, "basic"},
    {Credential::Method::OAuth2ClientCredentials, "oauth2_client_credentials"},
    {Credential::Method::TradovateToken, "tradovate_token"},
};
} // namespace

QString toString(Credential::Method m)
{
    for (const auto &mn : kMethods)
        if (mn.method == m)
            return QString::fromLatin1(mn.name);
    return QStringLiteral("none");
}

std::optional<Credential::Method> credentialMethodFromString(const QString &s)
{
    for (const auto &mn : kMethods)
        if (s == QLatin1String(mn.name))
            return mn.method;
    return std::nullopt;
}

QString toString(Environment::CaMode m)
{
    return m == Environment::CaMode::Replace ? QStringLiteral("replace") : QStringLiteral("add");
}

namespace {
struct ProxyModeName
{
    ProxySettings::Mode mode;
    const char *name;
};
constexpr ProxyModeName kProxyModes[] = {{ProxySettings::Mode::System, "system"},
                                         {ProxySettings::Mode::None, "none"},
                                         {ProxySettings::Mode::Http, "http"},
                                         {ProxySettings::Mode::Socks5, "socks5"}};
} // namespace

QString toString(ProxySettings::Mode m)
{
    for (const auto &pm : kProxyModes)
        if (pm.mode == m)
            return QString::fromLatin1(pm.name);
    return QStringLiteral("system");
}

std::optional<ProxySettings::Mode> proxyModeFromString(const QString &s)
{
    for (const auto &pm : kProxyModes)
        if (s == QLatin1String(pm.name))
            return pm.mode;
    return std::nullopt;
}

} // namespace hd
