#include "secrethosttrust.h"

#include "urljoin.h"

#include <QHostAddress>

#include <set>

namespace hd {
namespace {

bool isSimulator(const QString &base)
{
    return isSimulatorUrl(base); // sim: and every sim+tls…: route: the built-in simulator
}

// Where a request of this endpoint/stream goes, without resolving "sim:" (those are skipped).
std::optional<QUrl> targetUrl(const QString &path, const Environment *env, bool stream)
{
    const bool absolute = path.startsWith(QStringLiteral("http://"))
                          || path.startsWith(QStringLiteral("https://"))
                          || (stream
                              && (path.startsWith(QStringLiteral("ws://"))
                                  || path.startsWith(QStringLiteral("wss://"))));
    if (absolute)
        return QUrl(path);
    if (!env || isSimulator(env->baseUrl))
        return std::nullopt;
    return QUrl(env->baseUrl);
}

} // namespace

SecretHostTrust::SecretHostTrust(QStringList trustedHosts)
    : m_hosts(std::move(trustedHosts))
{
    for (QString &h : m_hosts)
        h = h.trimmed().toLower();
}

SecretHostTrust SecretHostTrust::everyHost()
{
    SecretHostTrust t;
    t.m_everyHost = true;
    return t;
}

QString SecretHostTrust::hostKey(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const int defaultPort = (scheme == u"https" || scheme == u"wss") ? 443 : 80;
    QString host = url.host().toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']'; // IPv6
    return host + u':' + QString::number(url.port(defaultPort));
}

bool SecretHostTrust::isLoopback(const QUrl &url)
{
    const QString host = url.host().toLower();
    if (host == u"localhost" || host.endsWith(QStringLiteral(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool SecretHostTrust::isTrusted(const QUrl &url) const
{
    if (m_everyHost || isLoopback(url))
        return true;
    const QString key = hostKey(url);
    const QString host = url.host().toLower();
    for (const QString &h : m_hosts)
        if (h == key || h == host)
            return true;
    return false;
}

QString SecretHostTrust::refusal(const QUrl &url, const Environment *env, const QString &what) const
{
    if (!isTrusted(url))
        return QStringLiteral("%1: host %2 is not trusted to receive stored secrets from this "
                              "workspace; approve it in the console or pass --trust-hosts %2")
            .arg(what, hostKey(url));
    const QString scheme = url.scheme().toLower();
    if ((scheme == u"http" || scheme == u"ws") && !isLoopback(url)
        && !(env && env->allowInsecureSecrets))
        return QStringLiteral("%1: refused to send a stored secret over plain %2:// to %3; use "
                              "https, or set \"allowInsecureSecrets\": true on environment %4")
            .arg(what, scheme, hostKey(url),
                 env ? QStringLiteral("\"%1\"").arg(env->id) : QStringLiteral("of the request"));
    return {};
}

QStringList SecretHostTrust::secretHosts(const Workspace &ws)
{
    std::set<QString> out;
    auto add = [&out](const std::optional<QUrl> &url) {
        if (url && url->isValid() && !url->host().isEmpty() && !isLoopback(*url))
            out.insert(hostKey(*url));
    };
    auto sendsSecret = [&ws](const QString &credentialId) -> const Credential * {
        const Credential *c = credentialId.isEmpty() ? nullptr : ws.credential(credentialId);
        return c && c->method != Credential::Method::None ? c : nullptr;
    };
    auto tokenUrl = [&ws](const Credential &c, const Environment *endpointEnv) {
        if (c.tokenUrl.isEmpty() || isSimulator(c.tokenUrl))
            return std::optional<QUrl>();
        if (c.tokenUrl.startsWith(QStringLiteral("http://"))
            || c.tokenUrl.startsWith(QStringLiteral("https://")))
            return std::optional<QUrl>(QUrl(c.tokenUrl));
        const Environment *env
            = c.environment.isEmpty() ? endpointEnv : ws.environment(c.environment);
        return targetUrl(QString(), env, false);
    };
    for (const Endpoint &e : ws.endpoints)
        if (const Credential *c = sendsSecret(e.credential)) {
            const Environment *env = ws.environment(e.environment);
            add(targetUrl(e.path, env, false));
            add(tokenUrl(*c, env));
        }
    for (const StreamEndpoint &s : ws.streams)
        if (const Credential *c = sendsSecret(s.credential)) {
            const Environment *env = ws.environment(s.environment);
            add(targetUrl(s.path, env, true));
            add(tokenUrl(*c, env));
        }
    return QStringList(out.begin(), out.end());
}

QStringList SecretHostTrust::untrustedHosts(const Workspace &ws) const
{
    QStringList out;
    for (const QString &key : secretHosts(ws)) {
        // hostKey → a URL again to reuse isTrusted's host/port matching.
        if (!isTrusted(QUrl(QStringLiteral("x://") + key)))
            out.append(key);
    }
    return out;
}

QStringList SecretHostTrust::parseList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        if (const QString t = part.trimmed().toLower(); !t.isEmpty())
            out.append(t);
    return out;
}

} // namespace hd
