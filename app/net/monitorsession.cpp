// Why this file is long (issue 22 names it): the session still composes secret resolution and
// keychain detection, the simulator's start-up, history, the aggregator, alerts and governor
// sampling. Secret resolution is the next part to move (into app/auth), then the simulator
// launch.

#include "monitorsession.h"

#include "urljoin.h"

#include "chainsecretstore.h"
#include "environmentsecretstore.h"
#include "historystore.h"
#include "incidentlog.h"
#include "keychainsecretstore.h"
#include "lookupsecretstore.h"
#include "notifier.h"
#include "pagerdutywebhook.h"
#include "redactor.h"
#include "simdemosecrets.h"
#include "simulator.h"

#include <QSet>

namespace hd {

namespace {

SimConfig simulatorConfigOf(const Workspace &ws)
{
    SimConfig config;
    config.seed = quint32(ws.simulatorSeed);
    config.demoSchedule = ws.simulatorDemoSchedule;
    // The simulator's HTTPS routes start only when an environment asks for one.
    config.tls
        = std::any_of(ws.environments.cbegin(), ws.environments.cend(), [](const Environment &e) {
              return e.baseUrl.startsWith(QStringLiteral("sim+tls"));
          });
    // Workspace simulator options beyond the schema's own (docs/credentials.md).
    const auto &extra = ws.simulatorExtra;
    if (extra.is_object()) {
        if (auto it = extra.find("tokenLifetimeS"); it != extra.end() && it->is_number_integer())
            config.tokenLifetimeS = int(std::clamp(it->get<double>(), 1.0, 86400.0));
        if (auto it = extra.find("tokenFailureStatus"); it != extra.end() && it->is_number_integer()
                                                        && it->get<double>() >= 400
                                                        && it->get<double>() <= 599)
            config.tokenFailureStatus = int(it->get<double>());
    }
    return config;
}

} // namespace

// The values the engine's secret lookup sees. Shared (not owned) by the lookup function, so
// a secret stored while the engine runs is used by its next token request. Main thread only.
struct MonitorSession::SecretCache
{
    QHash<QString, QString> session;  // entered "for this session only"
    QHash<QString, QString> keychain; // read from the OS keychain by loadSecrets()
    bool simulatorDemo = false;       // the workspace runs on the built-in simulator

    std::optional<QString> lookup(const QString &name, QString *source = nullptr) const
    {
        auto from = [&](const char *what, std::optional<QString> v) {
            if (v && source)
                *source = QLatin1String(what);
            return v;
        };
        if (auto it = session.constFind(name); it != session.constEnd())
            return from("session", *it);
        if (auto it = keychain.constFind(name); it != keychain.constEnd())
            return from("keychain", *it);
        if (auto v = EnvironmentSecretStore::lookup(name))
            return from("environment", v);
        if (simulatorDemo)
            if (auto v = SimDemoSecrets::lookup(name))
                return from("simulator demo", v);
        return std::nullopt;
    }
};

MonitorSession::MonitorSession(QObject *parent)
    : MonitorSession(Clock::system(), parent)
{}

MonitorSession::MonitorSession(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_secrets(std::make_shared<SecretCache>())
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MonitorSession::tick);
}

MonitorSession::~MonitorSession()
{
    close();
}

QStringList MonitorSession::secretNames(const Workspace &ws)
{
    QStringList names;
    for (const Credential &c : ws.credentials) {
        if (c.method == Credential::Method::None)
            continue;
        if (!c.secretName.isEmpty())
            names.append(c.secretName);
        if (!c.secondSecretName.isEmpty())
            names.append(c.secondSecretName);
    }
    for (const NotificationChannel &c : ws.channels) { // webhook addresses, routing keys
        if (!c.secretName.isEmpty())
            names.append(c.secretName);
        if (!c.webhookSecretName.isEmpty()) // PagerDuty's webhook signing secret
            names.append(c.webhookSecretName);
    }
    names.removeDuplicates();
    return names;
}

QList<AlertRule> MonitorSession::defaultAlertRules()
{
    auto rule = [](const char *id, const char *kind, double threshold, int windowS, int count) {
        AlertRule r;
        r.id = QLatin1String(id);
        r.kind = QLatin1String(kind);
        r.scope = QStringLiteral("*");
        r.threshold = threshold;
        r.windowS = windowS;
        r.count = count;
        return r;
    };
    return {rule("refresh-failed", "refresh_failed", 0, 1800, 1),
            rule("token-expiry", "token_expiry", 60, 1800, 1),
            rule("lockout-warning", "lockout_warning", 0, 300, 1),
            rule("lockout", "lockout", 0, 1800, 1),
            rule("down", "down", 0, 1800, 3),
            rule("error-rate", "error_rate", 0.01, 1800, 20),
            rule("stream-gave-up", "stream_gave_up", 0, 1800, 1),
            [&] {
                // Warn 30 days before a server certificate expires, critical at 7.
                AlertRule r = rule("cert-expiry", "cert_expiry", 30, 1800, 1);
                r.critical = 7;
                return r;
            }()};
}

void MonitorSession::setSecretStatus(SecretStoreStatus status)
{
    m_secretStatus = std::move(status);
    emit secretStoreChanged(m_secretStatus);
}

void MonitorSession::detectKeychain(int timeoutMs)
{
    if (m_secretStatus.state == SecretStoreStatus::State::Detecting)
        return;
    const quint64 generation = ++m_detectGeneration;
    setSecretStatus(
        {SecretStoreStatus::State::Detecting, QStringLiteral("looking for the OS keychain…"), {}});
    auto finish = [this, generation](std::unique_ptr<SecretStore> keychain, const QString &why) {
        if (generation != m_detectGeneration)
            return; // a late answer after the timeout already decided
        ++m_detectGeneration;
        SecretStoreStatus s;
        if (keychain && keychain->kind() == SecretStore::Kind::Keychain) {
            s.state = SecretStoreStatus::State::Keychain;
            s.message = keychain->description();
            m_keychain = std::move(keychain);
        } else {
            s.state = SecretStoreStatus::State::NoKeychain;
            s.message = SessionSecretStore::noKeychainMessage();
            s.reason = why;
            m_keychain.reset();
        }
        setSecretStatus(s);
        const auto waiting = std::exchange(m_afterDetect, {});
        for (const auto &fn : waiting)
            fn();
    };
    KeychainSecretStore::probe(
        this, [finish](KeychainProbe result) { finish(std::move(result.store), result.reason); });
    QTimer::singleShot(std::max(1, timeoutMs), this, [finish, timeoutMs] {
        finish(nullptr, QStringLiteral("the keychain did not answer within %1 s")
                            .arg(timeoutMs / 1000.0, 0, 'f', 1));
    });
}

void MonitorSession::loadSecrets(const Workspace &ws, std::function<void(QStringList)> done)
{
    const QStringList names = secretNames(ws);
    const bool demo = usesSimulator(ws);
    m_secrets->simulatorDemo = demo;
    // The chain the user's secrets come from; session values are already in the cache.
    auto chain = std::make_shared<ChainSecretStore>();
    if (m_keychain)
        chain->append(std::make_unique<KeychainSecretStore>());
    chain->append(std::make_unique<EnvironmentSecretStore>());
    if (demo)
        chain->append(std::make_unique<LookupSecretStore>(
            &SimDemoSecrets::lookup, QStringLiteral("the built-in simulator's demo secrets")));
    QStringList toRead;
    for (const QString &n : names)
        if (!m_secrets->session.contains(n))
            toRead.append(n);
    chain->readMany(toRead, this,
                    [this, chain, names, done = std::move(done)](
                        const QHash<QString, QString> &found, const QStringList &) {
                        for (auto it = found.cbegin(); it != found.cend(); ++it) {
                            // Values the environment or the demo give are looked up live;
                            // only what came from the keychain is kept in memory.
                            const auto env = EnvironmentSecretStore::lookup(it.key());
                            const auto sim = m_secrets->simulatorDemo
                                                 ? SimDemoSecrets::lookup(it.key())
                                                 : std::nullopt;
                            if (env != *it && sim != *it)
                                m_secrets->keychain.insert(it.key(), *it);
                        }
                        m_missing.clear();
                        for (const QString &n : names)
                            if (!m_secrets->lookup(n))
                                m_missing.append(n);
                        if (!m_missing.isEmpty())
                            emit secretsMissing(m_missing);
                        done(m_missing);
                    });
}

void MonitorSession::openWithSecrets(const Workspace &ws, const QString &dbPath,
                                     EngineOptions options, std::function<void(QString)> done)
{
    auto proceed
        = [this, ws, dbPath, options = std::move(options), done = std::move(done)]() mutable {
              loadSecrets(ws, [this, ws, dbPath, options = std::move(options),
                               done = std::move(done)](const QStringList &) mutable {
                  done(open(ws, dbPath, std::move(options)));
              });
          };
    if (m_secretStatus.state == SecretStoreStatus::State::NotChecked
        || m_secretStatus.state == SecretStoreStatus::State::Detecting) {
        m_afterDetect.append(std::move(proceed));
        detectKeychain();
        return;
    }
    proceed();
}

void MonitorSession::storeSecret(const QString &name, const QString &value, SecretPersistence where,
                                 std::function<void(QString)> done)
{
    Redactor::shared().addSecretValue(value);
    if (name.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [done = std::move(done)] { done(QStringLiteral("a secret needs a name")); },
            Qt::QueuedConnection);
        return;
    }
    if (where == SecretPersistence::SessionOnly) {
        m_sessionSecrets.write(name, value, this,
                               [this, name, value, done = std::move(done)](const QString &error) {
                                   if (error.isEmpty()) {
                                       m_secrets->session.insert(name, value);
                                       m_missing.removeAll(name);
                                   }
                                   done(error);
                               });
        return;
    }
    if (!m_keychain) {
        const QString why
            = m_secretStatus.state == SecretStoreStatus::State::NoKeychain
                  ? QStringLiteral("%1 (%2); keep it for this session only instead")
                        .arg(SessionSecretStore::noKeychainMessage(), m_secretStatus.reason)
                  : QStringLiteral("the keychain has not been checked yet (detectKeychain())");
        QMetaObject::invokeMethod(
            this, [done = std::move(done), why] { done(why); }, Qt::QueuedConnection);
        return;
    }
    m_keychain->write(name, value, this,
                      [this, name, value, done = std::move(done)](const QString &error) {
                          if (error.isEmpty()) {
                              m_secrets->keychain.insert(name, value);
                              m_secrets->session.remove(name);
                              m_missing.removeAll(name);
                          }
                          done(error);
                      });
}

std::optional<QString> MonitorSession::secret(const QString &name) const
{
    return m_secrets->lookup(name);
}

QString MonitorSession::secretSource(const QString &name) const
{
    QString source;
    m_secrets->lookup(name, &source);
    return source;
}

QString MonitorSession::credentialOf(const QString &endpointId) const
{
    if (endpointId.startsWith(QStringLiteral("token:")))
        return endpointId.mid(6);
    if (const Endpoint *ep = m_workspace.endpoint(endpointId))
        return ep->credential;
    const StreamEndpoint *st = m_workspace.stream(endpointId);
    return st ? st->credential : QString();
}

QString MonitorSession::open(const Workspace &ws, const QString &dbPath, EngineOptions options)
{
    close();
    m_workspace = ws;
    const bool wantsSimulator = usesSimulator(ws);
    m_secrets->simulatorDemo = wantsSimulator;
    if (wantsSimulator) {
        SimConfig config = simulatorConfigOf(ws);
        config.clock = &m_clock; // tokens and windows expire on the session's clock
        m_simulator = std::make_unique<Simulator>(config);
        if (m_simulator->start(0) == 0) {
            const QString error = QStringLiteral("cannot start the built-in simulator: %1")
                                      .arg(m_simulator->errorString());
            m_simulator.reset();
            return error;
        }
        options.simulatorBaseUrl = m_simulator->baseUrl().toString();
        options.simulatorPlaceholders = m_simulator->placeholders();
        emit warning(
            QStringLiteral("built-in simulator listening on %1").arg(options.simulatorBaseUrl));
    }
    if (!options.secretLookup) {
        // session → keychain (read beforehand) → HDECK_SECRET_<NAME> → simulator demo secrets.
        options.secretLookup = [cache = m_secrets](const QString &name) {
            auto v = cache->lookup(name);
            if (v)
                Redactor::shared().addSecretValue(*v);
            return v;
        };
    }
    if (!dbPath.isEmpty()) {
        m_history = std::make_unique<HistoryStore>();
        const auto opened = m_history->open(dbPath);
        if (!opened.ok) {
            m_history.reset();
            close();
            return opened.error;
        }
        if (!opened.notice.isEmpty())
            emit warning(opened.notice);
    }
    m_aggregator = std::make_unique<Aggregator>(m_clock);
    m_alerts = std::make_unique<AlertEngine>(m_clock, m_aggregator.get());
    m_alerts->setRules(ws.alerts.isEmpty() ? defaultAlertRules() : ws.alerts);
    applyWindowsAndSlos(ws);
    restoreSlosFromHistory();
    m_notifier = std::make_unique<Notifier>(
        m_clock, [secrets = m_secrets](const QString &name) { return secrets->lookup(name); });
    m_notifier->setWorkspace(ws, ws.name);
    m_notifier->setSimulatorBaseUrl(options.simulatorBaseUrl);
    m_notifier->setReminderCheckIntervalMs(15000);
    m_notifier->setWindowCheck([this](const QString &subject) {
        return m_alerts && m_alerts->windowNow(subject).has_value();
    });
    connect(m_notifier.get(), &Notifier::deliveryFailed, this, [this](const Notifier::Delivery &d) {
        emit warning(QStringLiteral("notification to %1 failed after %2 attempt(s): %3")
                         .arg(d.channel)
                         .arg(d.attempts)
                         .arg(d.error));
    });
    openIncidents();
    connect(m_alerts.get(), &AlertEngine::fired, this, [this](const AlertState &a) {
        m_incidents->alertFired(a); // first: the notifier's deliveries are written into it
        emit alertFired(a);
        emit warning(QStringLiteral("alert: ") + a.message);
        m_notifier->alertFired(a);
    });
    connect(m_alerts.get(), &AlertEngine::resolved, this, [this](const AlertState &a) {
        m_incidents->alertResolved(a);
        emit alertResolved(a);
        emit warning(QStringLiteral("resolved: ") + a.message);
        m_notifier->alertResolved(a);
    });

    m_engine = std::make_unique<MonitorEngine>(m_clock);
    connect(m_engine.get(), &MonitorEngine::warning, this, &MonitorSession::warning);
    connect(m_engine.get(), &MonitorEngine::eventReady, this, [this](const ApiEvent &e) {
        if (m_history)
            m_history->append(e);
        m_aggregator->add(e, credentialOf(e.endpoint));
        m_alerts->observe(e);
        m_incidents->observe(e);
        // A token request's outcome moves refresh_failed at once, not at the next tick.
        if (e.endpoint.startsWith(QStringLiteral("token:")))
            m_alerts->evaluate();
        emit eventReady(e);
    });
    connect(m_engine.get(), &MonitorEngine::streamHealthChanged, this, [this](const QString &id) {
        if (StreamMonitor *m = m_engine->streamMonitor(id))
            m_aggregator->setStreamHealth(id, m->health());
        // Giving up is an alert at once, not at the next tick.
        if (m_alerts)
            m_alerts->evaluate();
    });
    const QString error = m_engine->load(ws, std::move(options));
    if (!error.isEmpty()) {
        close();
        return error;
    }
    sampleStreams();
    return {};
}

QString MonitorSession::reload(const Workspace &ws, ReloadSummary *summary)
{
    if (!m_engine)
        return QStringLiteral("the session is not open");
    const bool wantsSimulator = usesSimulator(ws);
    QString simulatorUrl;
    QHash<QString, QString> simulatorPlaceholders;
    std::unique_ptr<Simulator> started;
    if (wantsSimulator && !m_simulator) {
        SimConfig config = simulatorConfigOf(ws);
        config.clock = &m_clock;
        started = std::make_unique<Simulator>(config);
        if (started->start(0) == 0)
            return QStringLiteral("cannot start the built-in simulator: %1")
                .arg(started->errorString());
        simulatorUrl = started->baseUrl().toString();
        simulatorPlaceholders = started->placeholders();
    }
    const bool demoBefore = m_secrets->simulatorDemo;
    m_secrets->simulatorDemo = wantsSimulator;
    const QString error = m_engine->reload(ws, summary, simulatorUrl, simulatorPlaceholders);
    if (!error.isEmpty()) {
        m_secrets->simulatorDemo = demoBefore;
        return error;
    }
    if (started) {
        m_simulator = std::move(started);
        emit warning(QStringLiteral("built-in simulator listening on %1").arg(simulatorUrl));
    }
    m_workspace = ws;
    // Same rules: alert state is left alone; changed rules resolve what no longer exists.
    const QList<AlertRule> rules = ws.alerts.isEmpty() ? defaultAlertRules() : ws.alerts;
    if (m_alerts->rules() != rules)
        m_alerts->setRules(rules);
    applyWindowsAndSlos(ws);
    m_notifier->setWorkspace(ws, ws.name); // channels and routing; firing alerts carry on
    if (m_simulator)
        m_notifier->setSimulatorBaseUrl(m_simulator->baseUrl().toString());
    sampleStreams();
    return {};
}

void MonitorSession::applyWindowsAndSlos(const Workspace &ws)
{
    // Maintenance windows and trading calendars (docs/calendars.md); a calendar that does not
    // load leaves its window out and says why. SLO counts carry on across a reload.
    QStringList errors;
    m_alerts->setWindows(WindowSchedule::fromWorkspace(ws, &errors));
    m_alerts->setSlos(ws.slos);
    for (const QString &e : std::as_const(errors))
        emit warning(e);
}

void MonitorSession::start()
{
    if (!m_engine)
        return;
    m_engine->start();
    m_tick.start();
}

void MonitorSession::tick()
{
    sampleGovernor();
    sampleStreams();
    if (!m_alerts)
        return;
    m_alerts->evaluate();
    // An alert a window holds is said once (hdeck watch prints it; the console lists it).
    QSet<QString> held;
    for (const AlertState &a : m_alerts->held()) {
        const QString key = a.ruleId + u'|' + a.subject;
        held.insert(key);
        if (!m_heldSeen.contains(key))
            emit warning(QStringLiteral("held: %1 (by %2 until %3)")
                             .arg(a.message, a.heldReason,
                                  a.heldUntilMs ? formatEventTime(a.heldUntilMs)
                                                : QStringLiteral("it ends")));
    }
    m_heldSeen = std::move(held);
}

void MonitorSession::sampleGovernor()
{
    if (!m_engine || !m_engine->governor() || !m_aggregator)
        return;
    const qint64 now = m_clock.nowMs();
    auto stateOf = [now](const GovernorSnapshot &g) {
        GovernorState s;
        s.sampledAtMs = now;
        s.paused = g.pausedUntilMs > now;
        s.pausedUntilMs = s.paused ? g.pausedUntilMs : 0;
        s.pauseReason = g.pauseReason;
        s.lockedOut = s.paused && g.pauseCause == PauseCause::Lockout;
        s.lockoutUntilMs = s.lockedOut ? g.pausedUntilMs : 0;
        s.slowedDown = g.slowedDown;
        s.breaker = g.breaker == BreakerState::Open       ? GovernorState::Breaker::Open
                    : g.breaker == BreakerState::HalfOpen ? GovernorState::Breaker::HalfOpen
                                                          : GovernorState::Breaker::Closed;
        s.consecutiveFailures = g.consecutiveFailures;
        s.sentInWindow = g.sentInWindow;
        s.budgetInWindow = g.budgetInWindow;
        return s;
    };
    QHash<QString, GovernorState> byKey;
    QHash<QString, QSet<QString>> keysOfCredential;
    for (const Endpoint &ep : std::as_const(m_workspace.endpoints)) {
        const QString key = m_engine->governorKeyFor(ep.id);
        if (key.isEmpty())
            continue;
        auto it = byKey.find(key);
        if (it == byKey.end())
            it = byKey.insert(key, stateOf(m_engine->governor()->snapshot(key)));
        m_aggregator->setGovernorState(ScopeKind::Endpoint, ep.id, *it);
        if (!ep.credential.isEmpty())
            keysOfCredential[ep.credential].insert(key);
    }
    // Several hosts behind one credential: the worst of them, each key counted once.
    for (auto c = keysOfCredential.cbegin(); c != keysOfCredential.cend(); ++c) {
        GovernorState merged;
        for (const QString &key : *c)
            merged.merge(byKey.value(key));
        m_aggregator->setGovernorState(ScopeKind::Credential, c.key(), merged);
    }
    GovernorState all;
    all.sampledAtMs = now;
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
        all.merge(*it);
    m_aggregator->setGovernorState(ScopeKind::All, {}, all);
}

void MonitorSession::sampleStreams()
{
    if (!m_engine || !m_aggregator)
        return;
    for (StreamMonitor *m : m_engine->streamMonitors())
        m_aggregator->setStreamHealth(m->definition().id, m->health());
}

void MonitorSession::restoreSlosFromHistory()
{
    if (!m_history)
        return;
    // The error budget goes on where the last run left it: counts from before this moment are
    // read on the history's reader thread; what is observed from now on is added live.
    int days = 1;
    for (const Slo &slo : m_alerts->slos().slos())
        days = std::max(days, slo.periodDays);
    const qint64 now = m_clock.nowMs();
    m_history->sloCountsAsync(
        now - qint64(days) * 24 * 3600 * 1000, now - 6LL * 3600 * 1000, now, this,
        [this](const HistoryStore::SloCounts &counts) {
            if (!m_alerts)
                return;
            if (!counts.error.isEmpty()) {
                emit warning(QStringLiteral("SLO budgets start afresh: the history could not be "
                                            "read (%1)")
                                 .arg(counts.error));
                return;
            }
            m_alerts->restoreSlos(counts.hours, counts.minutes);
        });
}

void MonitorSession::openIncidents()
{
    m_incidents = std::make_unique<IncidentLog>(m_clock, Redactor::shared());
    if (m_history) {
        connect(m_incidents.get(), &IncidentLog::changed, m_history.get(),
                &HistoryStore::saveIncident);
        int skipped = 0;
        m_incidents->restore(m_history->loadIncidents(IncidentLog::KeptIncidents, &skipped));
        if (skipped > 0)
            emit warning(QStringLiteral("%1 incident(s) in the history could not be read and "
                                        "are not shown")
                             .arg(skipped));
    }
    // What the notifier did goes into the incident's timeline, for each endpoint a grouped
    // message covered.
    const auto record = [this](const Notifier::Delivery &d) {
        const AlertNotification &n = d.notification;
        const QString action = AlertNotification::actionName(n.action);
        const QString text
            = d.error.isEmpty()
                  ? QStringLiteral("told %1 (%2, %3)").arg(d.channel, d.channelKind, action)
                  : QStringLiteral("%1: %2 not delivered after %3 attempt(s): %4")
                        .arg(d.channel, action)
                        .arg(d.attempts)
                        .arg(d.error);
        const QStringList subjects = n.members.isEmpty() ? QStringList{n.subject} : n.members;
        for (const QString &subject : subjects)
            m_incidents->notified(n.ruleId, subject, text, !d.error.isEmpty());
    };
    connect(m_notifier.get(), &Notifier::delivered, m_incidents.get(), record);
    connect(m_notifier.get(), &Notifier::deliveryFailed, m_incidents.get(), record);
}

bool MonitorSession::acknowledge(const QString &ruleId, const QString &subject, const QString &who,
                                 const QString &via)
{
    if (!m_alerts)
        return false;
    const bool alert = m_alerts->acknowledge(ruleId, subject);
    const QString name = IncidentLog::cleanAuthor(who);
    const bool incident = m_incidents->acknowledge(ruleId, subject, name, via).has_value();
    if (alert || incident)
        m_notifier->acknowledge(ruleId, subject, QStringLiteral("%1 (%2)").arg(name, via),
                                via == u"pagerduty" ? QStringLiteral("pagerduty") : QString());
    return alert || incident;
}

MonitorSession::WebhookReply MonitorSession::receivePagerDutyWebhook(const QByteArray &signature,
                                                                     const QByteArray &body)
{
    if (!m_notifier)
        return {503, QStringLiteral("no workspace is open")};
    // Which PagerDuty channel signed it: its webhook secret is the HMAC key.
    bool anyChannel = false;
    const NotificationChannel *from = nullptr;
    for (const NotificationChannel &c : m_workspace.channels) {
        if (c.kind != u"pagerduty" || c.webhookSecretName.isEmpty())
            continue;
        anyChannel = true;
        const std::optional<QString> secret = m_secrets->lookup(c.webhookSecretName);
        if (secret && pagerdutywebhook::verifySignature(body, signature, secret->toUtf8())) {
            from = &c;
            break;
        }
    }
    if (!anyChannel)
        return {404, QStringLiteral("no PagerDuty channel of this workspace takes webhooks "
                                    "(webhookSecretName)")};
    if (!from)
        return {401, QStringLiteral("the X-PagerDuty-Signature does not match")};
    QString error;
    const auto event = pagerdutywebhook::parse(body, &error);
    if (!event)
        return {400, error};
    if (event->eventType != u"incident.acknowledged")
        return {200, QStringLiteral("ignored: %1").arg(event->eventType)};
    const auto alerts = m_notifier->alertsWithDedupKey(event->incidentKey);
    if (alerts.isEmpty())
        return {200, QStringLiteral("no firing alert has this incident key")};
    const QString who = event->agent.isEmpty() ? QStringLiteral("a PagerDuty user") : event->agent;
    int acknowledged = 0;
    for (const auto &[rule, subject] : alerts)
        acknowledged += acknowledge(rule, subject, who, QStringLiteral("pagerduty")) ? 1 : 0;
    emit warning(QStringLiteral("PagerDuty (%1): %2 acknowledged %3 alert(s)")
                     .arg(from->id, who)
                     .arg(acknowledged));
    return {200, QStringLiteral("acknowledged %1 alert(s)").arg(acknowledged)};
}

QString MonitorSession::addIncidentNote(const QString &incidentId, const QString &who,
                                        const QString &text)
{
    if (!m_incidents)
        return QStringLiteral("the session is not open");
    return m_incidents->addNote(incidentId, who, text);
}

void MonitorSession::close()
{
    m_tick.stop();
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    m_alerts.reset();
    m_notifier.reset();  // deliveries still in flight are abandoned with their replies
    m_incidents.reset(); // after the notifier (its last word goes in), before history closes
    m_aggregator.reset();
    if (m_history)
        m_history->close();
    m_history.reset();
    if (m_simulator)
        m_simulator->stop();
    m_simulator.reset();
}

} // namespace hd
