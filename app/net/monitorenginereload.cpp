// MonitorEngine::reload(): an edited workspace applied to a running engine (hdeck watch on a
// file change or SIGHUP). Kept apart from monitorengine.cpp: that file builds an engine, this
// one decides what of a running one may carry on.
#include "monitorengine.h"

#include "bundlesecrets.h"
#include "redactor.h"

#include <QSet>

namespace hd {

namespace {

// Same definition behind an id in both workspaces (both absent counts as the same).
template<typename T>
bool sameIn(const T *before, const T *after)
{
    return (!before && !after) || (before && after && *before == *after);
}

QString listed(const char *what, const QStringList &ids)
{
    QString s = QStringLiteral("%1 %2").arg(ids.size()).arg(QLatin1String(what));
    if (!ids.isEmpty() && ids.size() <= 5)
        s += QStringLiteral(" (%1)").arg(ids.join(QStringLiteral(", ")));
    return s;
}

} // namespace

QString ReloadSummary::text() const
{
    return QStringList{listed("added", added), listed("changed", changed),
                       listed("removed", removed),
                       QStringLiteral("%1 unchanged").arg(unchanged.size())}
        .join(QStringLiteral(", "));
}

std::optional<MonitorEngine::TokenOrigin>
MonitorEngine::tokenOriginFor(const Credential &cred, const Environment &endpointEnv) const
{
    const Environment *env
        = cred.environment.isEmpty() ? &endpointEnv : m_workspace.environment(cred.environment);
    const auto url = tokenUrlFor(cred, endpointEnv, nullptr);
    if (!env || !url)
        return std::nullopt;
    return TokenOrigin{cred, *env, *url};
}

QString MonitorEngine::reload(const Workspace &ws, ReloadSummary *summary,
                              const QString &simulatorBaseUrl,
                              const QHash<QString, QString> &simulatorPlaceholders)
{
    if (!m_scheduler) {
        if (!simulatorBaseUrl.isEmpty())
            m_options.simulatorBaseUrl = simulatorBaseUrl;
        if (!simulatorPlaceholders.isEmpty())
            m_options.simulatorPlaceholders = simulatorPlaceholders;
        return load(ws, m_options);
    }
    const Workspace old = m_workspace;
    const QString oldSimulator = m_options.simulatorBaseUrl;
    const QHash<QString, QString> oldPlaceholders = m_options.simulatorPlaceholders;
    const auto oldNetworks = m_networks;
    if (!simulatorBaseUrl.isEmpty())
        m_options.simulatorBaseUrl = simulatorBaseUrl;
    if (!simulatorPlaceholders.isEmpty())
        m_options.simulatorPlaceholders = simulatorPlaceholders;
    m_workspace = ws;
    // As load() does, before comparing with the running environments (which hold the
    // substituted addresses): a sim+tls environment the edit did not touch stays unchanged.
    applySimulatorPlaceholders(m_workspace, m_options.simulatorPlaceholders);

    // Environments: an unchanged one keeps its network (TLS, proxy); a changed one is rebuilt.
    QStringList warnings;
    m_networks.clear();
    for (const Environment &env : std::as_const(m_workspace.environments)) {
        if (sameIn(old.environment(env.id), &env) && oldNetworks.contains(env.id)) {
            m_networks.insert(env.id, oldNetworks.value(env.id));
            continue;
        }
        QString error;
        if (auto net = networkFor(env, &error))
            m_networks.insert(env.id, std::move(net));
        else
            warnings.append(error);
    }

    // Resolve everything before touching what runs: a workspace of which nothing can be
    // polled leaves the engine as it was.
    QList<ScheduledEndpoint> scheduled;
    for (const Endpoint &ep : std::as_const(m_workspace.endpoints)) {
        QString error;
        auto spec = resolve(ep, &error);
        if (!spec) {
            warnings.append(error);
            continue;
        }
        const QString key = Governor::keyFor(
            spec->url.host() + u':'
                + QString::number(spec->url.port(spec->url.scheme() == u"https" ? 443 : 80)),
            ep.credential);
        scheduled.append({ep, *spec, key, nullptr});
    }
    QList<StreamMonitorSpec> streams;
    for (const StreamEndpoint &st : std::as_const(m_workspace.streams)) {
        QString error;
        if (auto spec = resolveStream(st, &error))
            streams.append(std::move(*spec));
        else
            warnings.append(error);
    }
    if (scheduled.isEmpty() && streams.isEmpty()
        && !(m_workspace.endpoints.isEmpty() && m_workspace.streams.isEmpty())) {
        const QString error = QStringLiteral("no endpoint of workspace \"%1\" can be polled (%2)")
                                  .arg(m_workspace.name, warnings.value(0));
        m_workspace = old;
        m_networks = oldNetworks;
        m_options.simulatorBaseUrl = oldSimulator;
        m_options.simulatorPlaceholders = oldPlaceholders;
        return error;
    }
    for (const QString &w : std::as_const(warnings))
        emit warning(w);
    for (const QString &field : BundleSecrets::extraFields(ws))
        Redactor::shared().addSecretFieldName(field);

    // Token services: one whose credential, environment and token URL are the same keeps its
    // token (no new token request); the others are made afresh.
    const auto previousTokens = m_tokens;
    auto oldTokens = m_tokens;
    const auto oldOrigins = m_tokenOrigins;
    m_tokens.clear();
    m_tokenOrigins.clear();
    auto tokensFor = [&](const Credential &cred, const Environment &env) -> TokenService * {
        if (TokenService *t = m_tokens.value(cred.id))
            return t;
        auto origin = tokenOriginFor(cred, env);
        TokenService *was = oldTokens.value(cred.id);
        if (was && origin && oldOrigins.contains(cred.id) && oldOrigins.value(cred.id) == *origin) {
            m_tokens.insert(cred.id, was);
            m_tokenOrigins.insert(cred.id, std::move(*origin));
            oldTokens.remove(cred.id);
            return was;
        }
        return tokenServiceFor(cred, env);
    };
    auto unchanged = [&](const QString &envId, const QString &credId, TokenService *tokens) {
        return sameIn(old.environment(envId), m_workspace.environment(envId))
               && sameIn(old.credential(credId), m_workspace.credential(credId))
               && previousTokens.value(credId) == tokens;
    };

    ReloadSummary done;
    QSet<QString> keep;
    const auto oldKeys = m_governorKeys;
    m_governorKeys.clear();
    for (ScheduledEndpoint &s : scheduled) {
        if (const Credential *cred = m_workspace.credential(s.def.credential);
            cred && TokenService::handles(cred->method))
            s.tokens = tokensFor(*cred, *m_workspace.environment(s.def.environment));
        m_governorKeys.insert(s.def.id, s.governorKey);
        const Endpoint *was = old.endpoint(s.def.id);
        if (!oldKeys.contains(s.def.id))
            done.added.append(s.def.id);
        else if (was && *was == s.def && unchanged(s.def.environment, s.def.credential, s.tokens)) {
            keep.insert(s.def.id);
            done.unchanged.append(s.def.id);
        } else {
            done.changed.append(s.def.id);
        }
    }
    for (auto it = oldKeys.cbegin(); it != oldKeys.cend(); ++it)
        if (!m_governorKeys.contains(it.key()))
            done.removed.append(it.key());

    const bool running = m_scheduler->isRunning();
    QList<StreamMonitor *> oldStreams = m_streams;
    m_streams.clear();
    for (StreamMonitorSpec &spec : streams) {
        const StreamEndpoint st = spec.def;
        if (const Credential *cred = m_workspace.credential(st.credential);
            cred && TokenService::handles(cred->method)) {
            spec.tokens = tokensFor(*cred, *m_workspace.environment(st.environment));
            if (!spec.tokens) {
                emit warning(QStringLiteral("stream %1: no token service for credential %2")
                                 .arg(st.id, cred->id));
                continue;
            }
        }
        StreamMonitor *was = nullptr;
        for (StreamMonitor *m : std::as_const(oldStreams))
            if (m->definition().id == st.id)
                was = m;
        if (was && was->definition() == st
            && unchanged(st.environment, st.credential, spec.tokens)) {
            oldStreams.removeOne(was);
            m_streams.append(was);
            done.unchanged.append(st.id);
            continue;
        }
        (was ? done.changed : done.added).append(st.id);
        auto *monitor = new StreamMonitor(std::move(spec), m_classifier, m_clock,
                                          m_options.streamRandom, this);
        connect(monitor, &StreamMonitor::eventReady, this, &MonitorEngine::eventReady);
        connect(monitor, &StreamMonitor::healthChanged, this,
                [this, id = st.id] { emit streamHealthChanged(id); });
        m_streams.append(monitor);
        if (running && !st.paused)
            monitor->start();
    }
    for (StreamMonitor *m : std::as_const(oldStreams)) {
        if (!done.changed.contains(m->definition().id))
            done.removed.append(m->definition().id);
        m->stop();
        m->disconnect(this);
        m->deleteLater();
    }

    m_scheduler->updateEndpoints(std::move(scheduled), keep);
    // Services nobody uses any more: their late answers must not become events.
    for (TokenService *t : std::as_const(oldTokens)) {
        t->disconnect(this);
        t->deleteLater();
    }
    if (summary)
        *summary = std::move(done);
    return {};
}

} // namespace hd
