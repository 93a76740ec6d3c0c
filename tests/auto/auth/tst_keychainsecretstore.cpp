// The keychain store against a REAL Secret Service (gnome-keyring under dbus-run-session,
// tests/support/with-keyring.sh): write, read back, delete, a missing entry, and detection.
// Every call must return at once and answer later — the UI thread never waits for D-Bus.
#include "keychainsecretstore.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace hd;

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void detect_findsTheSecretService();
    void writeReadDelete_roundTripThroughTheRealKeychain();
    void missingEntry_isReportedNotInvented();
};

void TestKeychainSecretStore::initTestCase()
{
    HD_REQUIRE_KEYRING_SESSION();
}

void TestKeychainSecretStore::detect_findsTheSecretService()
{
    std::unique_ptr<SecretStore> store;
    QString message;
    bool done = false;
    KeychainSecretStore::detect(this, [&](std::unique_ptr<SecretStore> s, QString m) {
        store = std::move(s);
        message = m;
        done = true;
    });
    QVERIFY(!done);
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QVERIFY2(store && store->kind() == SecretStore::Kind::Keychain, qPrintable(message));
    QVERIFY(store->persistent());
}

void TestKeychainSecretStore::writeReadDelete_roundTripThroughTheRealKeychain()
{
    KeychainSecretStore store;
    const QString name = QStringLiteral("HD_TEST_CLIENT_SECRET");
    const QString value
        = QStringLiteral("kc-secret-ä€-%1").arg(QDateTime::currentMSecsSinceEpoch());

    QString writeError = QStringLiteral("pending");
    QElapsedTimer call;
    call.start();
    store.write(name, value, this, [&](const QString &err) { writeError = err; });
    QVERIFY2(call.elapsed() < 50, "write() must not block on the keychain");
    QTRY_VERIFY_WITH_TIMEOUT(writeError != u"pending", 20000);
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));

    std::optional<QString> read;
    bool answered = false;
    store.read(name, this, [&](std::optional<QString> v, const QString &err) {
        QVERIFY2(v, qPrintable(err));
        read = v;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(read, value);

    QString removeError = QStringLiteral("pending");
    store.remove(name, this, [&](const QString &err) { removeError = err; });
    QTRY_VERIFY_WITH_TIMEOUT(removeError != u"pending", 20000);
    QVERIFY2(removeError.isEmpty(), qPrintable(removeError));

    answered = false;
    store.read(name, this, [&](std::optional<QString> v, const QString &) {
        read = v;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(read, std::nullopt);
}

void TestKeychainSecretStore::missingEntry_isReportedNotInvented()
{
    KeychainSecretStore store;
    bool answered = false;
    std::optional<QString> value = QStringLiteral("x");
    QString error;
    store.read(QStringLiteral("HD_TEST_NEVER_WRITTEN"), this,
               [&](std::optional<QString> v, const QString &err) {
                   value = v;
                   error = err;
                   answered = true;
               });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(value, std::nullopt);
    QVERIFY(error.contains(QStringLiteral("HD_TEST_NEVER_WRITTEN")));
}

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"
