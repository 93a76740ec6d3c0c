#pragma once

// Which hosts a workspace may send stored secrets to. A workspace is a file someone can mail
// you: opened blindly, it would send the keychain's secrets to whatever hosts it names. So
//  - the built-in simulator ("sim:" base URLs) and loopback hosts are trusted implicitly: a
//    secret sent there does not leave this machine;
//  - every other host must be approved: in the console by a dialog that lists the hosts, in
//    `hdeck watch` by --trust-hosts (or --trust-workspace-hosts);
//  - independently of trust, a secret never goes over plain http:// to a host that is not
//    loopback unless that environment says "allowInsecureSecrets": true.
// MonitorEngine checks both rules where credentials are attached (endpoint requests, the
// composer, stream authorization, token requests), so no path sends a secret around them.

#include "workspace.h"

#include <QStringList>
#include <QUrl>

#include <optional>

namespace hd {

class SecretHostTrust
{
public:
    SecretHostTrust() = default;
    // Trust exactly these hosts ("host" for any port, or "host:port"), beyond the implicit ones.
    explicit SecretHostTrust(QStringList trustedHosts);
    // Trust every host (for callers that asked the user in their own way).
    static SecretHostTrust everyHost();

    // "host:port", lower case, port filled in from the scheme (http 80, https/wss 443, ws 80).
    static QString hostKey(const QUrl &url);
    static bool isLoopback(const QUrl &url);

    bool isTrusted(const QUrl &url) const;
    // Why a stored secret may not be sent to url for a request of environment env (null env:
    // no environment override), or empty when it may. what: "endpoint x", "credential c", ….
    QString refusal(const QUrl &url, const Environment *env, const QString &what) const;

    // The hosts (hostKey) the workspace would send stored secrets to that are not implicitly
    // trusted, sorted and unique. simulatorBaseUrl resolves "sim:" (empty: sim: is skipped).
    static QStringList secretHosts(const Workspace &ws);
    // The subset of secretHosts(ws) this trust does not cover.
    QStringList untrustedHosts(const Workspace &ws) const;

    // "--trust-hosts a.example,b.example:8443" → entries; empty entries dropped.
    static QStringList parseList(const QString &text);

private:
    QStringList m_hosts;
    bool m_everyHost = false;
};

} // namespace hd
