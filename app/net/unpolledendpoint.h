#pragma once

// An endpoint of the workspace the engine does not poll, and why: filled by MonitorEngine::load()
// for every endpoint whose request cannot be resolved. The status bar counts these and the
// tooltip lists them; nobody searches warning text for them. The same words also go out as
// MonitorEngine::warning() (the CLI prints them, the console collects them).

#include <QList>
#include <QString>

namespace hd {

struct UnpolledEndpoint
{
    enum class Reason {
        NoEnvironment,       // the endpoint names an environment the workspace lacks
        SimulatorNotRunning, // a "sim:" environment while the built-in simulator is off
        InvalidUrl,          // base URL + path is not an http(s) URL
        NetworkSettings,     // the environment's TLS or proxy settings cannot be built
        IdempotencyKey,      // the declared idempotency key cannot be stamped into the body
        NoCredential,        // the endpoint names a credential the workspace lacks
        HostNotTrusted,      // a stored secret would go to a host not trusted with it
        SecretMissing,       // a secret the credential names is in no store
        TokenUrl,            // the credential's token URL cannot be resolved
    };
    QString endpointId;
    Reason reason = Reason::InvalidUrl;
    QString message; // one line for people, the same as the warning

    bool operator==(const UnpolledEndpoint &) const = default;
};

using UnpolledEndpoints = QList<UnpolledEndpoint>;

} // namespace hd
