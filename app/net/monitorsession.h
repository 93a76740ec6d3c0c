#pragma once

// MonitorSession: everything a workspace needs to run, started the same way by the console and
// by `hdeck watch`: the built-in simulator for "sim:" environments, the polling engine, the
// history store, the live aggregators and the alert rules. One place, so the GUI and the CLI
// can never disagree about how a workspace runs.
//
// Secrets (DESIGN §4, docs/credentials.md) are looked up through a chain, first hit wins:
//   1. values the user entered "for this session only" (memory, never written anywhere),
//   2. the OS keychain (QtKeychain), when one answers,
//   3. HDECK_SECRET_<NAME> environment variables,
//   4. the built-in simulator's demo secrets (only the HDECK_SIM_* names, only while the
//      workspace uses the simulator).
// Keychain reads are asynchronous, so the GUI calls openWithSecrets(): it detects the keychain
// (once), reads every secret the workspace names into memory, then opens. open() is the
// synchronous path (`hdeck watch`): it never touches the keychain, only 1, 3 and 4 — plus
// whatever an earlier loadSecrets() read. There is no plaintext fallback anywhere.

#include "aggregator.h"
#include "alertengine.h"
#include "monitorengine.h"
#include "sessionsecretstore.h"
#include "workspace.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

namespace hd {

class HistoryStore;
class IncidentLog;
class Notifier;
class Simulator;

// Where secrets are kept in this session, for the status bar and the secret dialogs.
struct SecretStoreStatus
{
    enum class State {
        NotChecked, // nobody asked yet (hdeck watch: environment and demo secrets only)
        Detecting,  // asking the keychain
        Keychain,   // the OS keychain answers: secrets are stored there
        NoKeychain, // no keychain: secrets can be kept for this session only (in memory)
    };
    State state = State::NotChecked;
    QString message; // one line for the status bar
    QString reason;  // NoKeychain: why (the keychain backend's own words, or a timeout)
    bool keychainAvailable() const { return state == State::Keychain; }
};

enum class SecretPersistence {
    Keychain,    // the OS keychain (fails when there is none)
    SessionOnly, // memory of this process only; forgotten on quit
};

class MonitorSession : public QObject
{
    Q_OBJECT
public:
    explicit MonitorSession(QObject *parent = nullptr);
    // clock: the engine's, the aggregator's and the alert rules' time (tests pass a
    // ManualClock); it must outlive the session.
    explicit MonitorSession(const Clock &clock, QObject *parent = nullptr);
    ~MonitorSession() override;

    // Returns an error message, or empty. dbPath empty: no history. Notices (a corrupt history
    // moved aside, the simulator's address) and unpollable endpoints arrive as warning().
    // options.secretLookup, when set, replaces the session's secret chain.
    QString open(const Workspace &workspace, const QString &dbPath = {},
                 EngineOptions options = {});
    // The GUI's way in: detectKeychain() unless done, loadSecrets(), open(). done(error) runs
    // on this object's thread once the session is open (or could not be); secrets that were
    // found nowhere are listed in missingSecrets() and secretsMissing() (ask the user).
    void openWithSecrets(const Workspace &workspace, const QString &dbPath, EngineOptions options,
                         std::function<void(QString error)> done);
    void start();
    // An edited workspace for the running session (hdeck watch on a file change or SIGHUP):
    // history, aggregators, alert state and the governor carry on; the engine keeps what did
    // not change (MonitorEngine::reload). The simulator starts when the new workspace needs
    // it and was not running; its settings apply on the next open. Returns an error and
    // leaves everything running as it was when nothing of the new workspace can be polled.
    QString reload(const Workspace &workspace, ReloadSummary *summary = nullptr);
    const Workspace &workspace() const { return m_workspace; }
    // Stops polling, commits history, stops the simulator.
    void close();

    MonitorEngine *engine() const { return m_engine.get(); }
    Simulator *simulator() const { return m_simulator.get(); }
    HistoryStore *history() const { return m_history.get(); }
    // Fed with every event (per endpoint, environment and credential — endpoints are mapped to
    // their workspace credential, token:<id> events to <id>) and, once a second, with the
    // governor's state. Valid while open.
    const Aggregator *aggregator() const { return m_aggregator.get(); }
    AlertEngine *alerts() const { return m_alerts.get(); }
    Notifier *notifier() const { return m_notifier.get(); }
    // Incidents (docs/incidents.md): one per firing of an alert, kept in the history.
    IncidentLog *incidents() const { return m_incidents.get(); }
    // Someone took the alert: the alert engine marks it (the banner hides it), the notifier
    // stops reminding and tells the channels (PagerDuty: acknowledge), the incident records
    // who and from where ("console", "hdeck", "pagerduty"). False when nothing fires there.
    bool acknowledge(const QString &ruleId, const QString &subject, const QString &who,
                     const QString &via);
    // A PagerDuty V3 webhook delivery (hdeck watch's and the console's HTTP endpoint,
    // POST /pagerduty): verified with the webhookSecretName of one of the workspace's
    // PagerDuty channels; incident.acknowledged acknowledges the alerts whose trigger carried
    // its incident_key, in the name of the PagerDuty user (via "pagerduty"; PagerDuty itself is
    // not told again). Other event types are accepted and ignored.
    struct WebhookReply
    {
        int status = 200;
        QString message;
    };
    WebhookReply receivePagerDutyWebhook(const QByteArray &signature, const QByteArray &body);
    // A note on an incident (redacted, bounded). Returns an error or empty.
    QString addIncidentNote(const QString &incidentId, const QString &who, const QString &text);
    // The workspace credential of an endpoint id ("token:<id>" → <id>); empty when none.
    QString credentialOf(const QString &endpointId) const;

    // ---- secrets --------------------------------------------------------------------------
    const SecretStoreStatus &secretStoreStatus() const { return m_secretStatus; }
    // Asks the OS keychain whether it answers (asynchronous; at most timeoutMs). The result
    // arrives as secretStoreChanged(). Safe to call again (a no-op while detecting).
    void detectKeychain(int timeoutMs = 5000);
    // Reads every secret the workspace names through the chain into memory; done(missing).
    void loadSecrets(const Workspace &workspace, std::function<void(QStringList missing)> done);
    QStringList missingSecrets() const { return m_missing; }
    // Stores a secret the user entered: in the keychain, or for this session only. The value
    // is registered with the redactor at once and used by the next token request; static
    // credentials (bearer, API key, basic) take it when the session is opened again.
    void storeSecret(const QString &name, const QString &value, SecretPersistence where,
                     std::function<void(QString error)> done);
    // The value the engine would use now, and where it came from ("session", "keychain",
    // "environment", "simulator demo"; empty when nowhere).
    std::optional<QString> secret(const QString &name) const;
    QString secretSource(const QString &name) const;
    // Every secret name the workspace's credentials refer to.
    static QStringList secretNames(const Workspace &workspace);

    // Rules used when the workspace declares none: refresh_failed, token_expiry (60 s),
    // lockout_warning, lockout, down (3 in a row), error_rate (SLO 1 % over 30 min),
    // stream_gave_up (a stream monitor reached its reconnect limit).
    static QList<AlertRule> defaultAlertRules();

signals:
    void eventReady(const hd::ApiEvent &event);
    void warning(const QString &message);
    void secretStoreChanged(const hd::SecretStoreStatus &status);
    void secretsMissing(const QStringList &names);
    void alertFired(const hd::AlertState &alert);
    void alertResolved(const hd::AlertState &alert);

private:
    struct SecretCache;
    void tick();
    void sampleGovernor();
    void sampleStreams();
    void setSecretStatus(SecretStoreStatus status);
    void applyWindowsAndSlos(const Workspace &ws);
    void openIncidents();
    void restoreSlosFromHistory();

    const Clock &m_clock;
    Workspace m_workspace;
    std::unique_ptr<Simulator> m_simulator;
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MonitorEngine> m_engine;
    std::unique_ptr<Aggregator> m_aggregator;
    std::unique_ptr<AlertEngine> m_alerts;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<IncidentLog> m_incidents;
    QTimer m_tick;

    SecretStoreStatus m_secretStatus;
    std::unique_ptr<SecretStore> m_keychain; // set when a keychain answers
    SessionSecretStore m_sessionSecrets;     // "keep for this session only"
    std::shared_ptr<SecretCache> m_secrets;  // shared with the engine's lookup
    QStringList m_missing;
    quint64 m_detectGeneration = 0;
    QList<std::function<void()>> m_afterDetect;
    QSet<QString> m_heldSeen; // rule|subject of alerts a window holds, said once
};

} // namespace hd
