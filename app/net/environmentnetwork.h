#pragma once

// What an environment says about the wire (docs/network.md): the TLS configuration (CA file
// added to or replacing the system store, client certificate, minimum version, HTTP/2 through
// ALPN), SPKI pins, and the proxy. Built once per environment when a workspace is loaded and
// shared, read-only, by the polling workers, the token service and the stream monitors, so the
// three always talk to a server the same way.

#include "workspace.h"

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkRequest;
class QSslCertificate;

namespace hd {

class EnvironmentNetwork
{
public:
    using SecretLookup = std::function<std::optional<QString>(const QString &name)>;

    // Reads the CA file, client certificate and key (its passphrase from the keychain by
    // name). Null and *error when a file is missing or unreadable, a passphrase is not
    // available, or the settings contradict each other.
    static std::shared_ptr<const EnvironmentNetwork>
    build(const Environment &env, const SecretLookup &secrets, QString *error);

    // TLS configuration and HTTP/2 for one request.
    void applyTo(QNetworkRequest &request) const;
    // The proxy of the manager that carries this environment's requests.
    void applyTo(QNetworkAccessManager &nam) const;
    const QSslConfiguration &sslConfiguration() const { return m_ssl; }
    bool http2() const { return m_http2; }

    // Empty when no pins are set or one pin matches a certificate of the chain; otherwise the
    // message of a tls_failure.
    QString checkPins(const QList<QSslCertificate> &chain) const;
    bool hasPins() const { return !m_pins.isEmpty(); }
    // base64(SHA-256(SubjectPublicKeyInfo)), the form HPKP and curl's --pinnedpubkey use.
    static QString spkiPin(const QSslCertificate &certificate);

    // "system", "none", "http://host:port", "socks5://host:port" — never credentials.
    QString proxyLabel() const { return m_proxyLabel; }
    std::optional<QNetworkProxy> explicitProxy() const { return m_proxy; }
    // The proxy that carries a request to url, as the event names it ("http://proxy:3128",
    // "socks5://127.0.0.1:1080"; the system's choice for that URL in "system" mode); empty
    // when the request goes direct. Never credentials.
    QString proxyFor(const QUrl &url) const;
    static QString labelOf(const QNetworkProxy &proxy);
    // "replace": only the environment's CA file is trusted; "add": it joins the system store.
    QString trustDescription() const { return m_trust; }

private:
    QSslConfiguration m_ssl;
    bool m_http2 = true;
    QStringList m_pins;
    std::optional<QNetworkProxy> m_proxy; // nullopt: the system's settings
    QString m_proxyLabel = QStringLiteral("system");
    QString m_trust = QStringLiteral("system store");
};

} // namespace hd
