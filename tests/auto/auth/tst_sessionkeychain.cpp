// MonitorSession with a REAL Secret Service (gnome-keyring under dbus-run-session,
// tests/support/with-keyring.sh): the status says "keychain", a secret the user stores goes to
// the keychain, and a later session reads it from there before HDECK_SECRET_<NAME> — the
// engine's token request with it succeeds against the simulator.
#include "keychainsecretstore.h"
#include "monitorsession.h"

#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestSessionKeychain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void keychain_isDetectedStoredIntoAndReadFirst();
};

void TestSessionKeychain::initTestCase()
{
    HD_REQUIRE_KEYRING_SESSION();
}

void TestSessionKeychain::keychain_isDetectedStoredIntoAndReadFirst()
{
    const QString name = QStringLiteral("HD_SESSION_KC_%1").arg(QCoreApplication::applicationPid());
    {
        MonitorSession session;
        session.detectKeychain(20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            session.secretStoreStatus().state != SecretStoreStatus::State::Detecting, 25000);
        QVERIFY2(session.secretStoreStatus().keychainAvailable(),
                 qPrintable(session.secretStoreStatus().reason));
        QVERIFY(session.secretStoreStatus().message.contains(QStringLiteral("keychain")));
        QString error = QStringLiteral("pending");
        session.storeSecret(name, QStringLiteral("sim-secret"), SecretPersistence::Keychain,
                            [&](const QString &e) { error = e; });
        QTRY_VERIFY_WITH_TIMEOUT(error != u"pending", 20000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(session.secretSource(name), QStringLiteral("keychain"));
    }
    // A new session (as after a restart): the keychain value beats a wrong environment one.
    qputenv(qPrintable(QStringLiteral("HDECK_SECRET_") + name), "wrong-env-value");
    MonitorSession session;
    Workspace ws;
    ws.name = QStringLiteral("keychain session");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("sim:/dev"), {}});
    Credential oauth;
    oauth.id = QStringLiteral("trading");
    oauth.method = Credential::Method::OAuth2ClientCredentials;
    oauth.tokenUrl = QStringLiteral("sim:/s000/oauth/token");
    oauth.clientId = QStringLiteral("sim-client");
    oauth.audience = QStringLiteral("s000");
    oauth.scope = QStringLiteral("orders:read");
    oauth.secretName = name;
    ws.credentials = {oauth};
    Endpoint e;
    e.id = QStringLiteral("orders");
    e.environment = QStringLiteral("dev");
    e.path = QStringLiteral("/s000/v1/orders");
    e.intervalMs = 300;
    e.credential = oauth.id;
    ws.endpoints = {e};
    QList<ApiEvent> events;
    connect(&session, &MonitorSession::eventReady, this,
            [&](const ApiEvent &ev) { events.append(ev); });
    bool opened = false;
    QString openError;
    session.openWithSecrets(ws, {}, {}, [&](const QString &err) {
        openError = err;
        opened = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 25000);
    QVERIFY2(openError.isEmpty(), qPrintable(openError));
    QCOMPARE(session.secretSource(name), QStringLiteral("keychain"));
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [](const ApiEvent &ev) {
                                             return ev.endpoint == u"orders"
                                                    && ev.httpStatus == 200;
                                         }),
                             10000);
    const auto token = std::find_if(events.cbegin(), events.cend(), [](const ApiEvent &ev) {
        return ev.endpoint == u"token:trading";
    });
    QVERIFY(token != events.cend());
    HD_COMPARE_ENUM(token->outcome, Outcome::Success);
    session.close();
    // Tidy the real keychain.
    bool removed = false;
    KeychainSecretStore().remove(name, this, [&](const QString &) { removed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
}

QTEST_GUILESS_MAIN(TestSessionKeychain)
#include "tst_sessionkeychain.moc"
