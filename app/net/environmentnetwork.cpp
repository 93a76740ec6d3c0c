#include "environmentnetwork.h"

#include "redactor.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslKey>

namespace hd {
namespace {

// Certificate files are small; a bigger file is not what the user meant.
constexpr qint64 MaxCertificateFileBytes = 4 * 1024 * 1024;

std::optional<QByteArray> readSmallFile(const QString &path, const QString &what, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 \"%2\" cannot be read: %3").arg(what, path, f.errorString());
        return std::nullopt;
    }
    if (f.size() > MaxCertificateFileBytes) {
        *error = QStringLiteral("%1 \"%2\" is larger than 4 MiB").arg(what, path);
        return std::nullopt;
    }
    return f.read(MaxCertificateFileBytes);
}

// The system proxy settings for everything but loopback: a proxy never carries a request to
// this machine (the simulator, tests, a local gateway).
class SystemProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        const QString host = query.peerHostName();
        if (host == u"localhost" || QHostAddress(host).isLoopback())
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        return systemProxyForQuery(query);
    }
};

} // namespace

std::shared_ptr<const EnvironmentNetwork>
EnvironmentNetwork::build(const Environment &env, const SecretLookup &secrets, QString *error)
{
    QString local;
    QString &err = error ? *error : local;
    auto fail = [&](const QString &msg) -> std::shared_ptr<const EnvironmentNetwork> {
        err = QStringLiteral("environment %1: %2").arg(env.id, msg);
        return nullptr;
    };
    auto net = std::make_shared<EnvironmentNetwork>();
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();

    if (!env.caFile.isEmpty()) {
        const auto pem = readSmallFile(env.caFile, QStringLiteral("CA file"), &err);
        if (!pem)
            return fail(err);
        QList<QSslCertificate> cas = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (cas.isEmpty())
            cas = QSslCertificate::fromData(*pem, QSsl::Der);
        if (cas.isEmpty())
            return fail(
                QStringLiteral("CA file \"%1\" holds no certificate (PEM or DER)").arg(env.caFile));
        if (env.caMode == Environment::CaMode::Replace) {
            ssl.setCaCertificates(cas);
            net->m_trust = QStringLiteral("only %1").arg(QFileInfo(env.caFile).fileName());
        } else {
            ssl.addCaCertificates(cas);
            net->m_trust
                = QStringLiteral("system store + %1").arg(QFileInfo(env.caFile).fileName());
        }
    }

    if (!env.clientCertFile.isEmpty()) {
        QByteArray passphrase;
        if (!env.clientKeySecret.isEmpty()) {
            const auto secret = secrets ? secrets(env.clientKeySecret) : std::nullopt;
            if (!secret)
                return fail(QStringLiteral("the passphrase \"%1\" of the client certificate is not "
                                           "available (keychain or HDECK_SECRET_*)")
                                .arg(env.clientKeySecret));
            Redactor::shared().addSecretValue(*secret);
            passphrase = secret->toUtf8();
        }
        const QString suffix = QFileInfo(env.clientCertFile).suffix().toLower();
        if (suffix == u"p12" || suffix == u"pfx") {
            QFile f(env.clientCertFile);
            if (!f.open(QIODevice::ReadOnly))
                return fail(QStringLiteral("client certificate \"%1\" cannot be read: %2")
                                .arg(env.clientCertFile, f.errorString()));
            if (f.size() > MaxCertificateFileBytes)
                return fail(QStringLiteral("client certificate \"%1\" is larger than 4 MiB")
                                .arg(env.clientCertFile));
            QSslKey key;
            QSslCertificate cert;
            QList<QSslCertificate> chain;
            if (!QSslCertificate::importPkcs12(&f, &key, &cert, &chain, passphrase))
                return fail(QStringLiteral("client certificate \"%1\" is not a PKCS#12 bundle "
                                           "this passphrase opens")
                                .arg(env.clientCertFile));
            ssl.setPrivateKey(key);
            ssl.setLocalCertificate(cert);
            if (!chain.isEmpty())
                ssl.setLocalCertificateChain(QList<QSslCertificate>{cert} + chain);
        } else {
            const auto pem
                = readSmallFile(env.clientCertFile, QStringLiteral("client certificate"), &err);
            if (!pem)
                return fail(err);
            const QList<QSslCertificate> certs = QSslCertificate::fromData(*pem, QSsl::Pem);
            if (certs.isEmpty())
                return fail(QStringLiteral("client certificate \"%1\" holds no PEM certificate")
                                .arg(env.clientCertFile));
            const QString keyPath
                = env.clientKeyFile.isEmpty() ? env.clientCertFile : env.clientKeyFile;
            const auto keyPem = readSmallFile(keyPath, QStringLiteral("client key"), &err);
            if (!keyPem)
                return fail(err);
            QSslKey key;
            for (QSsl::KeyAlgorithm alg : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
                key = QSslKey(*keyPem, alg, QSsl::Pem, QSsl::PrivateKey, passphrase);
                if (!key.isNull())
                    break;
            }
            if (key.isNull())
                return fail(QStringLiteral("client key \"%1\" is not a PEM private key this "
                                           "passphrase opens")
                                .arg(keyPath));
            ssl.setPrivateKey(key);
            ssl.setLocalCertificateChain(certs);
        }
    } else if (!env.clientKeyFile.isEmpty()) {
        return fail(QStringLiteral("a client key without a client certificate"));
    }

    if (env.minTls == u"1.3")
        ssl.setProtocol(QSsl::TlsV1_3OrLater);
    else if (env.minTls == u"1.2")
        ssl.setProtocol(QSsl::TlsV1_2OrLater);

    net->m_http2 = env.http2;
    if (env.http2)
        ssl.setAllowedNextProtocols(
            {QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
    else
        ssl.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    net->m_ssl = ssl;
    net->m_pins = env.pins;

    switch (env.proxy.mode) {
    case ProxySettings::Mode::System:
        break;
    case ProxySettings::Mode::None:
        net->m_proxy = QNetworkProxy(QNetworkProxy::NoProxy);
        net->m_proxyLabel = QStringLiteral("none");
        break;
    case ProxySettings::Mode::Http:
    case ProxySettings::Mode::Socks5: {
        const bool http = env.proxy.mode == ProxySettings::Mode::Http;
        QNetworkProxy proxy(http ? QNetworkProxy::HttpProxy : QNetworkProxy::Socks5Proxy,
                            env.proxy.host, quint16(env.proxy.port));
        if (!env.proxy.username.isEmpty())
            proxy.setUser(env.proxy.username);
        if (!env.proxy.passwordSecret.isEmpty()) {
            const auto secret = secrets ? secrets(env.proxy.passwordSecret) : std::nullopt;
            if (!secret)
                return fail(QStringLiteral("the proxy password \"%1\" is not available "
                                           "(keychain or HDECK_SECRET_*)")
                                .arg(env.proxy.passwordSecret));
            Redactor::shared().addSecretValue(*secret);
            proxy.setPassword(*secret);
        }
        net->m_proxy = proxy;
        net->m_proxyLabel
            = QStringLiteral("%1://%2:%3")
                  .arg(http ? QStringLiteral("http") : QStringLiteral("socks5"), env.proxy.host)
                  .arg(env.proxy.port);
        break;
    }
    }
    return net;
}

void EnvironmentNetwork::applyTo(QNetworkRequest &request) const
{
    request.setSslConfiguration(m_ssl);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, m_http2);
}

void EnvironmentNetwork::applyTo(QNetworkAccessManager &nam) const
{
    if (m_proxy)
        nam.setProxy(*m_proxy);
    else
        nam.setProxyFactory(new SystemProxyFactory); // the manager takes ownership
}

QString EnvironmentNetwork::labelOf(const QNetworkProxy &proxy)
{
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy:
        return QStringLiteral("http://%1:%2").arg(proxy.hostName()).arg(proxy.port());
    case QNetworkProxy::Socks5Proxy:
        return QStringLiteral("socks5://%1:%2").arg(proxy.hostName()).arg(proxy.port());
    case QNetworkProxy::FtpCachingProxy:
        return QStringLiteral("ftp://%1:%2").arg(proxy.hostName()).arg(proxy.port());
    case QNetworkProxy::NoProxy:
    case QNetworkProxy::DefaultProxy:
        break;
    }
    return {};
}

QString EnvironmentNetwork::proxyFor(const QUrl &url) const
{
    if (m_proxy)
        return labelOf(*m_proxy);
    // The same answer the manager's SystemProxyFactory gives for this URL.
    SystemProxyFactory factory;
    const QList<QNetworkProxy> proxies = factory.queryProxy(QNetworkProxyQuery(url));
    return proxies.isEmpty() ? QString() : labelOf(proxies.first());
}

QString EnvironmentNetwork::spkiPin(const QSslCertificate &certificate)
{
    // QSslKey::toDer() of a public key is the SubjectPublicKeyInfo structure.
    const QByteArray spki = certificate.publicKey().toDer();
    return QString::fromLatin1(
        QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toBase64());
}

QString EnvironmentNetwork::checkPins(const QList<QSslCertificate> &chain) const
{
    if (m_pins.isEmpty())
        return {};
    QStringList seen;
    for (const QSslCertificate &c : chain) {
        const QString pin = spkiPin(c);
        if (m_pins.contains(pin))
            return {};
        seen.append(pin);
    }
    return QStringLiteral("certificate pin mismatch: no certificate of the server's chain has a "
                          "public key pinned for this environment (server's leaf pin %1)")
        .arg(seen.value(0, QStringLiteral("none")));
}

} // namespace hd
