// The in-memory session store (used when there is no keychain) and the HDECK_SECRET_<NAME>
// environment source: asynchronous answers, redactor registration, nothing written anywhere.
#include "environmentsecretstore.h"
#include "redactor.h"
#include "sessionsecretstore.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestSecretStores : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void session_roundTripAnswersAsynchronously();
    void session_saysSecretsAreForThisSessionOnly();
    void session_writesNoFileAndNoSetting();
    void session_readManyReportsFoundAndMissing();
    void environment_readsHdeckSecretVariables();
    void environment_isReadOnly();
    void secretsRead_areMaskedByTheSharedRedactor();

private:
    QTemporaryDir m_home;
};

void TestSecretStores::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/config")).toUtf8());
    QStandardPaths::setTestModeEnabled(true);
}

void TestSecretStores::session_roundTripAnswersAsynchronously()
{
    SessionSecretStore store;
    bool written = false;
    store.write(QStringLiteral("API_KEY"), QStringLiteral("k-123"), this, [&](const QString &err) {
        QVERIFY(err.isEmpty());
        written = true;
    });
    QVERIFY(!written); // never answers inside the call: one code path for every store
    QTRY_VERIFY(written);
    std::optional<QString> value;
    bool answered = false;
    store.read(QStringLiteral("API_KEY"), this, [&](std::optional<QString> v, const QString &) {
        value = v;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QCOMPARE(value, QStringLiteral("k-123"));
    bool removed = false;
    store.remove(QStringLiteral("API_KEY"), this,
                 [&](const QString &err) { removed = err.isEmpty(); });
    QTRY_VERIFY(removed);
    answered = false;
    store.read(QStringLiteral("API_KEY"), this, [&](std::optional<QString> v, const QString &err) {
        value = v;
        answered = !err.isEmpty();
    });
    QTRY_VERIFY(answered);
    QCOMPARE(value, std::nullopt);
}

void TestSecretStores::session_saysSecretsAreForThisSessionOnly()
{
    SessionSecretStore store;
    QVERIFY(!store.persistent());
    QCOMPARE(store.description(),
             QStringLiteral("no keychain: secrets are kept for this session only"));
    QVERIFY(store.kind() == SecretStore::Kind::Session);
}

void TestSecretStores::session_writesNoFileAndNoSetting()
{
    {
        SessionSecretStore store;
        bool done = false;
        store.write(QStringLiteral("PW"), QStringLiteral("plaintext-must-not-land-on-disk"), this,
                    [&](const QString &) { done = true; });
        QTRY_VERIFY(done);
    }
    QSettings settings;
    QVERIFY(settings.allKeys().isEmpty());
    QDir home(m_home.path());
    const QStringList files = home.entryList(QDir::Files | QDir::NoDotAndDotDot);
    QVERIFY2(files.isEmpty(), qPrintable(files.join(u',')));
}

void TestSecretStores::session_readManyReportsFoundAndMissing()
{
    SessionSecretStore store;
    bool written = false;
    store.write(QStringLiteral("A"), QStringLiteral("va"), this,
                [&](const QString &) { written = true; });
    QTRY_VERIFY(written);
    QHash<QString, QString> found;
    QStringList missing;
    bool done = false;
    store.readMany({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("A")}, this,
                   [&](QHash<QString, QString> f, QStringList m) {
                       found = f;
                       missing = m;
                       done = true;
                   });
    QTRY_VERIFY(done);
    QCOMPARE(found.value(QStringLiteral("A")), QStringLiteral("va"));
    QCOMPARE(missing, QStringList{QStringLiteral("B")});
}

void TestSecretStores::environment_readsHdeckSecretVariables()
{
    QCOMPARE(EnvironmentSecretStore::variableName(QStringLiteral("orders-api.key")),
             QStringLiteral("HDECK_SECRET_ORDERS_API_KEY"));
    qputenv("HDECK_SECRET_ORDERS_API_KEY", "env-value-1");
    EnvironmentSecretStore store;
    std::optional<QString> value;
    bool answered = false;
    store.read(QStringLiteral("orders-api.key"), this,
               [&](std::optional<QString> v, const QString &) {
                   value = v;
                   answered = true;
               });
    QTRY_VERIFY(answered);
    QCOMPARE(value, QStringLiteral("env-value-1"));
    qunsetenv("HDECK_SECRET_ORDERS_API_KEY");
    QCOMPARE(EnvironmentSecretStore::lookup(QStringLiteral("orders-api.key")), std::nullopt);
}

void TestSecretStores::environment_isReadOnly()
{
    EnvironmentSecretStore store;
    QString error;
    bool answered = false;
    store.write(QStringLiteral("X"), QStringLiteral("v"), this, [&](const QString &err) {
        error = err;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(error.contains(QStringLiteral("read-only")));
    QVERIFY(!error.contains(QStringLiteral("v ")));
    QVERIFY(qgetenv("HDECK_SECRET_X").isEmpty());
}

void TestSecretStores::secretsRead_areMaskedByTheSharedRedactor()
{
    qputenv("HDECK_SECRET_MASKME", "value-from-env-778");
    QVERIFY(EnvironmentSecretStore::lookup(QStringLiteral("MASKME")));
    QVERIFY(!Redactor::shared()
                 .redactBody(QStringLiteral("x value-from-env-778 y"))
                 .contains(QStringLiteral("778")));
    SessionSecretStore store;
    bool done = false;
    store.write(QStringLiteral("S"), QStringLiteral("session-value-991"), this,
                [&](const QString &) { done = true; });
    QTRY_VERIFY(done);
    QVERIFY(!Redactor::shared()
                 .redactBody(QStringLiteral("session-value-991"))
                 .contains(QStringLiteral("991")));
}

QTEST_GUILESS_MAIN(TestSecretStores)
#include "tst_secretstores.moc"
