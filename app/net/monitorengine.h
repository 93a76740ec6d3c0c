#pragma once

// MonitorEngine: the polling engine as one object the GUI and `hdeck watch` both use. It turns
// a Workspace into scheduled requests (URLs resolved against environments, the built-in
// simulator substituted for "sim:" base URLs, static credentials applied), owns the worker
// threads, the governor and the scheduler, and emits one ApiEvent per attempt.
// Token credentials (OAuth2 client credentials, Tradovate) get one TokenService each, shared
// by every endpoint that uses the credential; its token requests are events too
// (endpoint "token:<credential id>").

#include "governor.h"
#include "networkworker.h"
#include "pollscheduler.h"
#include "secrethosttrust.h"
#include "streammonitor.h"
#include "tokenservice.h"
#include "unpolledendpoint.h"
#include "workspace.h"

#include <QObject>

#include <functional>
#include <memory>

namespace hd {

struct EngineOptions
{
    int workerThreads = 2;
    QString simulatorBaseUrl; // replaces "sim:" in environment base URLs
    // The simulator's HTTPS routes and TLS files (Simulator::placeholders()): base URLs
    // "sim+tls…:" and the files "sim:ca.pem", "sim:client.pem", "sim:client.key" of
    // environments are replaced at load.
    QHash<QString, QString> simulatorPlaceholders;
    // Looks a secret up by name; default: HDECK_SECRET_<NAME> from the environment. The GUI
    // fills it from SecretStore::readMany() (asynchronous keychain reads done beforehand), so
    // this is only ever a lookup in memory.
    std::function<std::optional<QString>(const QString &name)> secretLookup;
    // Hosts that may receive stored secrets beyond the built-in simulator and loopback, and the
    // plain-http rule (app/auth/secrethosttrust.h). Default: only the implicit ones. A request
    // that breaks a rule is not sent; the engine emits warning() saying why.
    SecretHostTrust secretTrust;
    int tokenTimeoutMs = 10000;
    int tokenChurnPerHour = 0; // 0: derived from each token's lifetime (TokenServiceOptions)
    BackoffConfig backoff;
    GovernorConfig governor;
    // Random source of the stream monitors' reconnect jitter, uniform in [0, 1); default
    // QRandomGenerator. Tests inject a fixed one.
    std::function<double()> streamRandom;
};

// What a reload did, by endpoint and stream id.
struct ReloadSummary
{
    QStringList added;     // new ids: started
    QStringList changed;   // definition, environment, credential or token service changed:
                           // restarted
    QStringList removed;   // stopped
    QStringList unchanged; // carry on: schedule, token, governor state untouched
    QString text() const;  // "1 added (x), 1 changed (y), 0 removed, 3 unchanged"
};

class MonitorEngine : public QObject
{
    Q_OBJECT
public:
    explicit MonitorEngine(const Clock &clock = Clock::system(), QObject *parent = nullptr);
    ~MonitorEngine() override;

    // Returns an error message, or empty on success. Warnings are emitted as signals.
    QString load(const Workspace &workspace, EngineOptions options = {});
    void start();
    void stop();
    // Applies an edited workspace to a loaded engine without starting over: endpoints and
    // streams whose definition, environment, credential and token service are the same keep
    // running untouched (schedule, token, governor state — the governor itself is kept, it is
    // keyed by host and credential); changed ones restart, removed ones stop, new ones start.
    // A token service is kept when its credential, environment and token URL are the same.
    // The options stay those of load(), except the simulator's base URL and placeholders
    // (sim+tls base URLs, sim:ca.pem; empty: unchanged), for a simulator started by the reload.
    // On error (nothing of the new workspace could be polled) the engine is left as it was.
    QString reload(const Workspace &workspace, ReloadSummary *summary = nullptr,
                   const QString &simulatorBaseUrl = {},
                   const QHash<QString, QString> &simulatorPlaceholders = {});

    const Workspace &workspace() const { return m_workspace; }
    PollScheduler *scheduler() const { return m_scheduler.get(); }
    Governor *governor() const { return m_governor.get(); }
    QString governorKeyFor(const QString &endpointId) const;
    // The token service of a credential, or null (static credential, or not used).
    TokenService *tokenService(const QString &credentialId) const
    {
        return m_tokens.value(credentialId);
    }

    // The stream monitors (workspace "streams"), in workspace order; children of the engine.
    const QList<StreamMonitor *> &streamMonitors() const { return m_streams; }
    StreamMonitor *streamMonitor(const QString &id) const;

    // Resolves a stream's ws:// URL and credential; public for tests and the UI.
    std::optional<StreamMonitorSpec> resolveStream(const StreamEndpoint &stream,
                                                   QString *error = nullptr) const;

    // Resolves an endpoint's request (URL, headers with auth, body); public for the composer.
    // Token credentials are checked (secrets present, token URL valid) but their Authorization
    // header is added per request by the scheduler, from the credential's TokenService.
    // reason: why not, as data, when it cannot be resolved.
    std::optional<HttpRequestSpec> resolve(const Endpoint &endpoint, QString *error = nullptr,
                                           UnpolledEndpoint::Reason *reason = nullptr) const;
    // The workspace's endpoints load() could not schedule, in workspace order, with why.
    const UnpolledEndpoints &unpolledEndpoints() const { return m_unpolled; }

    // Environment variable name for a secret: HDECK_SECRET_<NAME>, upper case, [A-Z0-9_].
    static QString secretEnvironmentVariable(const QString &secretName);

    // The environment's TLS, HTTP/2 and proxy settings, built once per load (null and *error
    // when a certificate file or a secret is missing).
    std::shared_ptr<const EnvironmentNetwork> networkFor(const Environment &environment,
                                                         QString *error = nullptr) const;

signals:
    void eventReady(const hd::ApiEvent &event);
    void warning(const QString &message);
    // A stream monitor's health changed (connected, lost, reconnecting, gave up).
    void streamHealthChanged(const QString &streamId);

private:
    // sim+tls…: base URLs and sim:ca.pem-style file names replaced by the running simulator's.
    static void applySimulatorPlaceholders(Workspace &ws,
                                           const QHash<QString, QString> &placeholders);
    std::optional<QUrl> tokenUrlFor(const Credential &credential,
                                    const Environment &endpointEnvironment, QString *error) const;
    TokenService *tokenServiceFor(const Credential &credential,
                                  const Environment &endpointEnvironment);

    struct TokenOrigin
    {
        Credential credential;
        Environment environment; // the one its token URL and network came from
        QUrl url;
        bool operator==(const TokenOrigin &) const = default;
    };
    std::optional<TokenOrigin> tokenOriginFor(const Credential &credential,
                                              const Environment &endpointEnvironment) const;

    const Clock &m_clock;
    QHash<QString, TokenOrigin> m_tokenOrigins; // by credential id, beside m_tokens
    Workspace m_workspace;
    EngineOptions m_options;
    std::shared_ptr<const Classifier> m_classifier;
    std::unique_ptr<Governor> m_governor;
    std::unique_ptr<WorkerPool> m_pool;
    std::unique_ptr<PollScheduler> m_scheduler;
    QHash<QString, QString> m_governorKeys;
    QHash<QString, std::shared_ptr<const EnvironmentNetwork>> m_networks; // by environment id
    QHash<QString, TokenService *> m_tokens; // by credential id; children of this engine
    QList<StreamMonitor *> m_streams;
    UnpolledEndpoints m_unpolled;
};

} // namespace hd
