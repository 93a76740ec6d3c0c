// MonitorSession's secret chain and status without a keychain, and what the session feeds the
// aggregators and alert rules (issues 5 and 6), on the built-in simulator:
//  - no keychain (no D-Bus session at all): the status says so with the backend's reason, a
//    keychain write is refused with a sentence that offers "this session only", a session-only
//    secret is used by the engine and written nowhere;
//  - the lookup order session → keychain → HDECK_SECRET_<NAME> → simulator demo;
//  - the simulator's token endpoint switched to fail: the refresh failure is a token:<id>
//    event and fires the refresh_failed alert; events land in per-credential scopes (the
//    workspace maps endpoint → credential) and the governor's state is in the aggregates.
#include "keychainsecretstore.h"
#include "monitorsession.h"
#include "sessionsecretstore.h"
#include "simulator.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestSessionSecrets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noKeychain_statusSaysWhyAndOffersSessionOnly();
    void keychainProbe_givesTheReasonAsData();
    void lookupOrder_sessionBeforeEnvironmentBeforeDemo();
    void refreshFailure_firesTheAlertAndScopesArePerCredential();

private:
    static Workspace simWorkspace(const QString &secretName, int tokenFailureStatus);
    QTemporaryDir m_home;
};

void TestSessionSecrets::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (m_home.path() + QStringLiteral("/data")).toUtf8());
    QStandardPaths::setTestModeEnabled(true);
    // No session bus and no display: no Secret Service, no KWallet can answer.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
}

Workspace TestSessionSecrets::simWorkspace(const QString &secretName, int tokenFailureStatus)
{
    Workspace ws;
    ws.name = QStringLiteral("session secrets");
    ws.simulator = true;
    if (tokenFailureStatus)
        ws.simulatorExtra["tokenFailureStatus"] = tokenFailureStatus;
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("sim:/dev"), {}});
    Credential oauth;
    oauth.id = QStringLiteral("trading");
    oauth.method = Credential::Method::OAuth2ClientCredentials;
    oauth.tokenUrl = QStringLiteral("sim:/s000/oauth/token");
    oauth.clientId = QStringLiteral("sim-client");
    oauth.audience = QStringLiteral("s000");
    oauth.scope = QStringLiteral("orders:read");
    oauth.secretName = secretName;
    ws.credentials = {oauth};
    for (const char *id : {"orders.a", "orders.b"}) {
        Endpoint e;
        e.id = QLatin1String(id);
        e.environment = QStringLiteral("dev");
        e.path = QStringLiteral("/s000/v1/orders");
        e.intervalMs = 300;
        e.timeoutMs = 2000;
        e.credential = oauth.id;
        ws.endpoints.append(e);
    }
    return ws;
}

void TestSessionSecrets::noKeychain_statusSaysWhyAndOffersSessionOnly()
{
    MonitorSession session;
    QCOMPARE(session.secretStoreStatus().state, SecretStoreStatus::State::NotChecked);
    QSignalSpy changed(&session, &MonitorSession::secretStoreChanged);
    session.detectKeychain(10000);
    QCOMPARE(session.secretStoreStatus().state, SecretStoreStatus::State::Detecting);
    QTRY_COMPARE_WITH_TIMEOUT(session.secretStoreStatus().state,
                              SecretStoreStatus::State::NoKeychain, 15000);
    const SecretStoreStatus status = session.secretStoreStatus();
    QVERIFY(!status.keychainAvailable());
    QCOMPARE(status.message, QStringLiteral("no keychain: secrets are kept for this session only"));
    QVERIFY2(!status.reason.isEmpty(), "the status says why there is no keychain");
    QCOMPARE(changed.count(), 2); // Detecting, then NoKeychain

    // A keychain write is refused, and the message offers the alternative.
    QString error = QStringLiteral("pending");
    session.storeSecret(QStringLiteral("CLIENT"), QStringLiteral("sess-val-91b7"),
                        SecretPersistence::Keychain, [&](const QString &e) { error = e; });
    QTRY_VERIFY(error != u"pending");
    QVERIFY2(error.contains(QStringLiteral("this session only")), qPrintable(error));
    QVERIFY(!session.secret(QStringLiteral("CLIENT")));

    // Session only: held in memory and used, never written.
    error = QStringLiteral("pending");
    session.storeSecret(QStringLiteral("CLIENT"), QStringLiteral("sess-val-91b7"),
                        SecretPersistence::SessionOnly, [&](const QString &e) { error = e; });
    QTRY_VERIFY(error != u"pending");
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(session.secret(QStringLiteral("CLIENT")), QStringLiteral("sess-val-91b7"));
    QCOMPARE(session.secretSource(QStringLiteral("CLIENT")), QStringLiteral("session"));
    QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("sess-val-91b7"), qPrintable(f.fileName()));
    }
}

void TestSessionSecrets::keychainProbe_givesTheReasonAsData()
{
    bool answered = false;
    KeychainProbe probe;
    KeychainSecretStore::probe(this, [&](KeychainProbe result) {
        probe = std::move(result);
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 15000);
    QVERIFY(!probe.available);
    QVERIFY(probe.store);
    QCOMPARE(probe.store->kind(), SecretStore::Kind::Session);
    QVERIFY2(!probe.reason.isEmpty(), "the backend's reason comes as a field");
    // The reason is the backend's own words, not a message to take apart again.
    QVERIFY(!probe.reason.startsWith(SessionSecretStore::noKeychainMessage()));
    QCOMPARE(probe.message(),
             SessionSecretStore::noKeychainMessage() + QStringLiteral(" (%1)").arg(probe.reason));

    // The session's status carries exactly that reason.
    MonitorSession session;
    session.detectKeychain(10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.secretStoreStatus().state,
                              SecretStoreStatus::State::NoKeychain, 15000);
    QCOMPARE(session.secretStoreStatus().reason, probe.reason);

    // The message-only form still says the same thing.
    answered = false;
    QString message;
    KeychainSecretStore::detect(this, [&](std::unique_ptr<SecretStore> store, QString m) {
        QVERIFY(store && store->kind() == SecretStore::Kind::Session);
        message = m;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 15000);
    QCOMPARE(message, probe.message());
}

void TestSessionSecrets::lookupOrder_sessionBeforeEnvironmentBeforeDemo()
{
    MonitorSession session;
    const Workspace ws = simWorkspace(QStringLiteral("HDECK_SIM_CLIENT_SECRET"), 0);
    // The demo secret answers for the simulator's own names only while a workspace uses it.
    QVERIFY(!session.secret(QStringLiteral("HDECK_SIM_CLIENT_SECRET")));
    bool opened = false;
    QString openError;
    session.openWithSecrets(ws, {}, {}, [&](const QString &e) {
        openError = e;
        opened = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 15000);
    QVERIFY2(openError.isEmpty(), qPrintable(openError));
    QCOMPARE(session.secretStoreStatus().state, SecretStoreStatus::State::NoKeychain);
    QVERIFY(session.missingSecrets().isEmpty());
    QCOMPARE(session.secretSource(QStringLiteral("HDECK_SIM_CLIENT_SECRET")),
             QStringLiteral("simulator demo"));
    qputenv("HDECK_SECRET_HDECK_SIM_CLIENT_SECRET", "from-env-3c1");
    QCOMPARE(session.secretSource(QStringLiteral("HDECK_SIM_CLIENT_SECRET")),
             QStringLiteral("environment"));
    bool stored = false;
    session.storeSecret(QStringLiteral("HDECK_SIM_CLIENT_SECRET"), QStringLiteral("sim-secret"),
                        SecretPersistence::SessionOnly, [&](const QString &) { stored = true; });
    QTRY_VERIFY(stored);
    QCOMPARE(session.secretSource(QStringLiteral("HDECK_SIM_CLIENT_SECRET")),
             QStringLiteral("session"));
    QCOMPARE(session.secret(QStringLiteral("HDECK_SIM_CLIENT_SECRET")),
             QStringLiteral("sim-secret"));
    qunsetenv("HDECK_SECRET_HDECK_SIM_CLIENT_SECRET");
    // Names no store knows are reported, for the secret dialog to ask for.
    MonitorSession other;
    QSignalSpy missing(&other, &MonitorSession::secretsMissing);
    opened = false;
    other.openWithSecrets(simWorkspace(QStringLiteral("NOT_ANYWHERE"), 0), {}, {},
                          [&](const QString &) { opened = true; });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 15000);
    QCOMPARE(other.missingSecrets(), QStringList{QStringLiteral("NOT_ANYWHERE")});
    QCOMPARE(missing.count(), 1);
}

void TestSessionSecrets::refreshFailure_firesTheAlertAndScopesArePerCredential()
{
    MonitorSession session;
    QSignalSpy fired(&session, &MonitorSession::alertFired);
    QList<ApiEvent> events;
    connect(&session, &MonitorSession::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    // The token endpoint fails from the start (workspace simulator option).
    const QString error
        = session.open(simWorkspace(QStringLiteral("HDECK_SIM_CLIENT_SECRET"), 503));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(!fired.isEmpty(), 10000);
    const auto alert = fired.first().first().value<AlertState>();
    QCOMPARE(alert.kind, QStringLiteral("refresh_failed"));
    QCOMPARE(alert.subject, QStringLiteral("token:trading"));
    QVERIFY(std::any_of(events.cbegin(), events.cend(), [](const ApiEvent &e) {
        return e.endpoint == u"token:trading" && e.httpStatus == 503 && e.isFailure();
    }));
    // No 401s while there is no token: the endpoints wait instead.
    QVERIFY(std::none_of(events.cbegin(), events.cend(),
                         [](const ApiEvent &e) { return e.httpStatus == 401; }));
    // The token event counts in the credential's scope, the governor state is aggregated.
    const Aggregator *agg = session.aggregator();
    QVERIFY(agg);
    QVERIFY(agg->summary(ScopeKind::Credential, QStringLiteral("trading"), 60000).total >= 1);
    QTRY_VERIFY_WITH_TIMEOUT(agg->governorState(ScopeKind::All, {}).has_value(), 5000);
    QCOMPARE(session.credentialOf(QStringLiteral("orders.a")), QStringLiteral("trading"));
    QCOMPARE(session.credentialOf(QStringLiteral("token:trading")), QStringLiteral("trading"));
}

QTEST_GUILESS_MAIN(TestSessionSecrets)
#include "tst_sessionsecrets.moc"
