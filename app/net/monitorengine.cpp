#include "monitorengine.h"

#include "urljoin.h"

#include "bundlesecrets.h"
#include "environmentsecretstore.h"
#include "redactor.h"
#include "retrysafety.h"

#include <QUrlQuery>

namespace hd {

MonitorEngine::MonitorEngine(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_classifier(std::make_shared<Classifier>())
{}

MonitorEngine::~MonitorEngine()
{
    stop();
    qDeleteAll(m_streams);
    m_streams.clear();
    m_scheduler.reset();
    m_pool.reset();
    qDeleteAll(m_tokens);
    m_tokens.clear();
}

std::shared_ptr<const EnvironmentNetwork> MonitorEngine::networkFor(const Environment &env,
                                                                    QString *error) const
{
    if (const auto cached = m_networks.value(env.id))
        return cached;
    const auto lookup = m_options.secretLookup
                            ? m_options.secretLookup
                            : EnvironmentNetwork::SecretLookup([](const QString &name) {
                                  return EnvironmentSecretStore::lookup(name);
                              });
    return EnvironmentNetwork::build(env, lookup, error);
}

StreamMonitor *MonitorEngine::streamMonitor(const QString &id) const
{
    for (StreamMonitor *m : m_streams)
        if (m->definition().id == id)
            return m;
    return nullptr;
}

std::optional<StreamMonitorSpec> MonitorEngine::resolveStream(const StreamEndpoint &st,
                                                              QString *error) const
{
    auto fail = [&](const QString &msg) -> std::optional<StreamMonitorSpec> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    const Environment *env = m_workspace.environment(st.environment);
    if (!env)
        return fail(QStringLiteral("stream %1: no environment \"%2\"").arg(st.id, st.environment));
    QString urlText = st.path;
    const bool absolute = urlText.startsWith(QStringLiteral("ws://"))
                          || urlText.startsWith(QStringLiteral("wss://"));
    if (!absolute) {
        const QString base = withSimulatorBase(env->baseUrl, m_options.simulatorBaseUrl);
        if (base.isEmpty())
            return fail(QStringLiteral("stream %1: environment %2 uses the built-in "
                                       "simulator, which is not running")
                            .arg(st.id, env->id));
        urlText = joinUrl(base, urlText);
        // The stream lives beside the HTTP API: same host, WebSocket scheme.
        if (urlText.startsWith(QStringLiteral("http://")))
            urlText = QStringLiteral("ws://") + urlText.mid(7);
        else if (urlText.startsWith(QStringLiteral("https://")))
            urlText = QStringLiteral("wss://") + urlText.mid(8);
    }
    const QUrl url(urlText, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss"))
        return fail(QStringLiteral("stream %1: \"%2\" is not a ws(s):// URL").arg(st.id, urlText));
    StreamMonitorSpec spec;
    spec.def = st;
    spec.url = url;
    QString networkError;
    spec.network = networkFor(*env, &networkError);
    if (!spec.network)
        return fail(QStringLiteral("stream %1: %2").arg(st.id, networkError));
    if (!st.credential.isEmpty()) {
        const Credential *cred = m_workspace.credential(st.credential);
        if (!cred)
            return fail(
                QStringLiteral("stream %1: no credential \"%2\"").arg(st.id, st.credential));
        if (cred->method != Credential::Method::None) {
            const QString refused
                = m_options.secretTrust.refusal(url, env, QStringLiteral("stream %1").arg(st.id));
            if (!refused.isEmpty())
                return fail(refused);
        }
        switch (cred->method) {
        case Credential::Method::None:
            break;
        case Credential::Method::Bearer: {
            const auto secret = m_options.secretLookup(cred->secretName);
            if (!secret)
                return fail(QStringLiteral("stream %1: secret \"%2\" of credential %3 is not "
                                           "available (keychain or %4)")
                                .arg(st.id, cred->secretName, cred->id,
                                     secretEnvironmentVariable(cred->secretName)));
            Redactor::shared().addSecretValue(*secret);
            spec.staticToken = *secret;
            spec.authorize = true;
            break;
        }
        case Credential::Method::OAuth2ClientCredentials:
        case Credential::Method::TradovateToken: {
            QString urlError;
            if (!tokenUrlFor(*cred, *env, &urlError))
                return fail(QStringLiteral("stream %1: %2").arg(st.id, urlError));
            spec.authorize = true; // the token service is attached by load()
            break;
        }
        case Credential::Method::ApiKeyHeader:
        case Credential::Method::ApiKeyQuery:
        case Credential::Method::Basic:
            return fail(QStringLiteral("stream %1: credential %2 (%3) cannot authorize a stream; "
                                       "use a token credential (tradovate_token, "
                                       "oauth2_client_credentials or bearer)")
                            .arg(st.id, cred->id, toString(cred->method)));
        }
    }
    return spec;
}

QString MonitorEngine::secretEnvironmentVariable(const QString &secretName)
{
    return EnvironmentSecretStore::variableName(secretName);
}

std::optional<QUrl> MonitorEngine::tokenUrlFor(const Credential &cred,
                                               const Environment &endpointEnv, QString *error) const
{
    auto fail = [&](const QString &msg) -> std::optional<QUrl> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    if (cred.tokenUrl.isEmpty())
        return fail(QStringLiteral("credential %1 (%2) has no tokenUrl")
                        .arg(cred.id, toString(cred.method)));
    QString text = cred.tokenUrl;
    const Environment *secretEnv
        = cred.environment.isEmpty() ? &endpointEnv : m_workspace.environment(cred.environment);
    if (text.startsWith(QStringLiteral("sim:"))) {
        text = withSimulatorBase(text, m_options.simulatorBaseUrl);
        if (text.isEmpty())
            return fail(
                QStringLiteral(
                    "credential %1: token URL uses the built-in simulator, which is not running")
                    .arg(cred.id));
    } else if (!text.startsWith(QStringLiteral("http://"))
               && !text.startsWith(QStringLiteral("https://"))) {
        // Relative: against the credential's own environment, else the endpoint's.
        const Environment *env
            = cred.environment.isEmpty() ? &endpointEnv : m_workspace.environment(cred.environment);
        if (!env)
            return fail(QStringLiteral("credential %1: no environment \"%2\"")
                            .arg(cred.id, cred.environment));
        text = joinUrl(withSimulatorBase(env->baseUrl, m_options.simulatorBaseUrl), text);
    }
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return fail(QStringLiteral("credential %1: token URL \"%2\" is not an http(s) URL")
                        .arg(cred.id, text));
    // The token request carries the client secret (or password): same rules as any request.
    const QString refused = m_options.secretTrust.refusal(
        url, secretEnv, QStringLiteral("credential %1").arg(cred.id));
    if (!refused.isEmpty())
        return fail(refused);
    return url;
}

TokenService *MonitorEngine::tokenServiceFor(const Credential &cred, const Environment &endpointEnv)
{
    if (TokenService *existing = m_tokens.value(cred.id))
        return existing;
    const auto url = tokenUrlFor(cred, endpointEnv, nullptr);
    if (!url)
        return nullptr;
    TokenServiceOptions opts;
    opts.tokenUrl = *url;
    opts.environment = cred.environment.isEmpty() ? endpointEnv.id : cred.environment;
    opts.secrets = m_options.secretLookup;
    opts.timeoutMs = m_options.tokenTimeoutMs;
    if (const Environment *env
        = cred.environment.isEmpty() ? &endpointEnv : m_workspace.environment(cred.environment))
        opts.network = networkFor(*env);
    opts.churnPerHour = m_options.tokenChurnPerHour;
    auto *service = new TokenService(cred, opts, m_clock, this);
    connect(service, &TokenService::eventReady, this, &MonitorEngine::eventReady);
    connect(service, &TokenService::churnWarning, this, &MonitorEngine::warning);
    m_tokens.insert(cred.id, service);
    if (auto origin = tokenOriginFor(cred, endpointEnv))
        m_tokenOrigins.insert(cred.id, std::move(*origin));
    return service;
}

std::optional<HttpRequestSpec> MonitorEngine::resolve(const Endpoint &ep, QString *error,
                                                      UnpolledEndpoint::Reason *reason) const
{
    using Reason = UnpolledEndpoint::Reason;
    auto fail = [&](Reason why, const QString &msg) -> std::optional<HttpRequestSpec> {
        if (error)
            *error = msg;
        if (reason)
            *reason = why;
        return std::nullopt;
    };
    const Environment *env = m_workspace.environment(ep.environment);
    if (!env)
        return fail(
            Reason::NoEnvironment,
            QStringLiteral("endpoint %1: no environment \"%2\"").arg(ep.id, ep.environment));
    const QString base = withSimulatorBase(env->baseUrl, m_options.simulatorBaseUrl);
    if (base.isEmpty())
        return fail(
            Reason::SimulatorNotRunning,
            QStringLiteral(
                "endpoint %1: environment %2 uses the built-in simulator, which is not running")
                .arg(ep.id, env->id));
    const bool absolute = ep.path.startsWith(QStringLiteral("http://"))
                          || ep.path.startsWith(QStringLiteral("https://"));
    const QString urlText = absolute ? ep.path : joinUrl(base, ep.path);
    QUrl url(urlText, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return fail(
            Reason::InvalidUrl,
            QStringLiteral("endpoint %1: \"%2\" is not an http(s) URL").arg(ep.id, urlText));

    HttpRequestSpec spec;
    spec.method = ep.method;
    spec.headers = ep.headers;
    spec.body = ep.body.toUtf8();
    spec.timeoutMs = ep.timeoutMs;
    spec.profile = ep.profile;
    spec.environment = ep.environment;
    spec.endpoint = ep.id;
    spec.degradedLatencyMs = ep.degradedLatencyMs;
    spec.freshConnectionEvery = ep.freshConnectionEvery;
    QString networkError;
    spec.network = networkFor(*env, &networkError);
    if (!spec.network)
        return fail(Reason::NetworkSettings,
                    QStringLiteral("endpoint %1: %2").arg(ep.id, networkError));
    spec.idempotent = ep.idempotent;
    spec.idempotencyHeader = ep.idempotency.header;
    spec.idempotencyBodyField = ep.idempotency.bodyField;
    if (ep.idempotency.isDeclared()) {
        // Try the stamp now so a body that cannot carry the key is a load-time warning.
        HttpRequestSpec probe = spec;
        probe.idempotencyKey = QStringLiteral("check");
        QString stampError;
        if (!RetrySafety::stampKey(probe, &stampError))
            return fail(Reason::IdempotencyKey,
                        QStringLiteral("endpoint %1: %2").arg(ep.id, stampError));
    }

    if (!ep.credential.isEmpty()) {
        const Credential *cred = m_workspace.credential(ep.credential);
        if (!cred)
            return fail(
                Reason::NoCredential,
                QStringLiteral("endpoint %1: no credential \"%2\"").arg(ep.id, ep.credential));
        // Checked before the secret is even looked up: a refused host never sees it, and the
        // composer shows this message instead of sending.
        if (cred->method != Credential::Method::None) {
            const QString refused
                = m_options.secretTrust.refusal(url, env, QStringLiteral("endpoint %1").arg(ep.id));
            if (!refused.isEmpty())
                return fail(Reason::HostNotTrusted, refused);
        }
        const auto secret = cred->secretName.isEmpty() ? std::optional<QString>()
                                                       : m_options.secretLookup(cred->secretName);
        if (cred->method != Credential::Method::None && !secret)
            return fail(
                Reason::SecretMissing,
                QStringLiteral(
                    "endpoint %1: secret \"%2\" of credential %3 is not available (keychain or %4)")
                    .arg(ep.id, cred->secretName, cred->id,
                         secretEnvironmentVariable(cred->secretName)));
        if (secret)
            Redactor::shared().addSecretValue(*secret);
        switch (cred->method) {
        case Credential::Method::None:
            break;
        case Credential::Method::Bearer:
            spec.headers.append(
                {QStringLiteral("Authorization"), QStringLiteral("Bearer ") + *secret});
            break;
        case Credential::Method::ApiKeyHeader:
            spec.headers.append({cred->headerName, *secret});
            break;
        case Credential::Method::ApiKeyQuery: {
            QUrlQuery query(url);
            query.addQueryItem(cred->queryName, *secret);
            url.setQuery(query);
            break;
        }
        case Credential::Method::Basic:
            spec.headers.append(
                {QStringLiteral("Authorization"),
                 QStringLiteral("Basic ")
                     + QString::fromLatin1((cred->username + u':' + *secret).toUtf8().toBase64())});
            break;
        case Credential::Method::OAuth2ClientCredentials:
        case Credential::Method::TradovateToken: {
            if (cred->method == Credential::Method::TradovateToken
                && !cred->secondSecretName.isEmpty()) {
                const auto sec = m_options.secretLookup(cred->secondSecretName);
                if (!sec)
                    return fail(Reason::SecretMissing,
                                QStringLiteral("endpoint %1: secret \"%2\" of credential %3 is not "
                                               "available (keychain or %4)")
                                    .arg(ep.id, cred->secondSecretName, cred->id,
                                         secretEnvironmentVariable(cred->secondSecretName)));
                Redactor::shared().addSecretValue(*sec);
            }
            QString urlError;
            if (!tokenUrlFor(*cred, *env, &urlError))
                return fail(Reason::TokenUrl,
                            QStringLiteral("endpoint %1: %2").arg(ep.id, urlError));
            break; // Authorization: Bearer <token> is added per request by the scheduler
        }
        }
    }
    spec.url = url;
    return spec;
}

void MonitorEngine::applySimulatorPlaceholders(Workspace &ws,
                                               const QHash<QString, QString> &placeholders)
{
    for (Environment &env : ws.environments) {
        for (auto it = placeholders.cbegin(); it != placeholders.cend(); ++it) {
            if (it.key().endsWith(u':') && env.baseUrl.startsWith(it.key()))
                env.baseUrl = *it + env.baseUrl.mid(it.key().size());
            for (QString *file : {&env.caFile, &env.clientCertFile, &env.clientKeyFile})
                if (*file == it.key())
                    *file = *it;
        }
    }
}

QString MonitorEngine::load(const Workspace &workspace, EngineOptions options)
{
    stop();
    qDeleteAll(m_streams);
    m_streams.clear();
    m_workspace = workspace;
    m_options = std::move(options);
    applySimulatorPlaceholders(m_workspace, m_options.simulatorPlaceholders);
    // The user's own secret field names ("redactFields") mask live events too, not only
    // bundles. The redactor's rules are immutable snapshots, so this is safe while network
    // threads redact; names only accumulate for the session (masking more, never less).
    for (const QString &field : BundleSecrets::extraFields(workspace))
        Redactor::shared().addSecretFieldName(field);
    if (!m_options.secretLookup) {
        m_options.secretLookup = [](const QString &name) {
            return EnvironmentSecretStore::lookup(name);
        };
    }
    m_scheduler.reset();
    m_pool.reset();
    qDeleteAll(m_tokens);
    m_tokens.clear();
    m_tokenOrigins.clear();
    m_governor = std::make_unique<Governor>(m_clock, m_options.governor);
    m_pool = std::make_unique<WorkerPool>(m_options.workerThreads, m_classifier, nullptr, m_clock);
    m_scheduler = std::make_unique<PollScheduler>(m_clock, m_pool.get(), m_governor.get(),
                                                  RetryPolicy(m_options.backoff));
    connect(m_scheduler.get(), &PollScheduler::eventReady, this, &MonitorEngine::eventReady);

    QList<ScheduledEndpoint> scheduled;
    m_governorKeys.clear();
    m_networks.clear();
    for (const Environment &env : std::as_const(m_workspace.environments)) {
        QString error;
        if (auto net = networkFor(env, &error))
            m_networks.insert(env.id, std::move(net));
        else
            emit warning(error); // its endpoints fail to resolve with the same reason
    }
    m_unpolled.clear();
    for (const Endpoint &ep : std::as_const(m_workspace.endpoints)) {
        QString error;
        UnpolledEndpoint::Reason why = UnpolledEndpoint::Reason::InvalidUrl;
        auto spec = resolve(ep, &error, &why);
        if (!spec) {
            m_unpolled.append({ep.id, why, error});
            emit warning(error);
            continue;
        }
        const QString key = Governor::keyFor(
            spec->url.host() + u':'
                + QString::number(spec->url.port(spec->url.scheme() == u"https" ? 443 : 80)),
            ep.credential);
        m_governorKeys.insert(ep.id, key);
        TokenService *tokens = nullptr;
        if (const Credential *cred = m_workspace.credential(ep.credential);
            cred && TokenService::handles(cred->method))
            tokens = tokenServiceFor(*cred, *m_workspace.environment(ep.environment));
        scheduled.append({ep, *spec, key, tokens});
    }
    for (const StreamEndpoint &st : std::as_const(m_workspace.streams)) {
        QString error;
        auto spec = resolveStream(st, &error);
        if (!spec) {
            emit warning(error);
            continue;
        }
        if (const Credential *cred = m_workspace.credential(st.credential);
            cred && TokenService::handles(cred->method)) {
            spec->tokens = tokenServiceFor(*cred, *m_workspace.environment(st.environment));
            if (!spec->tokens) {
                emit warning(QStringLiteral("stream %1: no token service for credential %2")
                                 .arg(st.id, cred->id));
                continue;
            }
        }
        auto *monitor = new StreamMonitor(std::move(*spec), m_classifier, m_clock,
                                          m_options.streamRandom, this);
        connect(monitor, &StreamMonitor::eventReady, this, &MonitorEngine::eventReady);
        connect(monitor, &StreamMonitor::healthChanged, this,
                [this, id = st.id] { emit streamHealthChanged(id); });
        m_streams.append(monitor);
    }
    if (scheduled.isEmpty() && m_streams.isEmpty()
        && !(m_workspace.endpoints.isEmpty() && m_workspace.streams.isEmpty()))
        return QStringLiteral("no endpoint of workspace \"%1\" can be polled")
            .arg(m_workspace.name);
    m_scheduler->setEndpoints(std::move(scheduled));
    return {};
}

QString MonitorEngine::governorKeyFor(const QString &endpointId) const
{
    return m_governorKeys.value(endpointId);
}

void MonitorEngine::start()
{
    if (m_scheduler)
        m_scheduler->start();
    for (StreamMonitor *m : std::as_const(m_streams))
        if (!m->definition().paused)
            m->start();
}

void MonitorEngine::stop()
{
    if (m_scheduler)
        m_scheduler->stop();
    for (StreamMonitor *m : std::as_const(m_streams))
        m->stop();
}

} // namespace hd
