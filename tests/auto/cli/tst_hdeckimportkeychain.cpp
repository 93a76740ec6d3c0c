// `hdeck import --store-secrets` against a REAL Secret Service (gnome-keyring under
// dbus-run-session, tests/support/with-keyring.sh): the values an import finds land in the
// keychain under the names the workspace uses, never in the workspace or on the terminal, and
// a session opening the imported workspace takes them from there. Without a keychain the
// option is refused with one line and the workspace is still written.
#include "keychainsecretstore.h"
#include "monitorsession.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::runHdeck;

class TestHdeckImportKeychain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void storeSecrets_putsFoundValuesInTheKeychainOnly();
    void storeSecrets_withoutKeychain_isOneLineAndStillWrites();

private:
    QString writeCurl(const QTemporaryDir &dir) const;
    std::optional<QString> readKeychain(const QString &name);
};

static const char BearerValue[] = "kc-bearer-7a1f0e93c2";
static const char BasicValue[] = "kc-pa55-w0rd-41d8";

void TestHdeckImportKeychain::initTestCase()
{
    HD_REQUIRE_KEYRING_SESSION();
}

QString TestHdeckImportKeychain::writeCurl(const QTemporaryDir &dir) const
{
    const QString path = dir.filePath(QStringLiteral("vendor.sh"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QByteArray("# From the broker's getting-started page\n"
                       "curl -sS https://api.broker.example/v1/accounts \\\n"
                       "  -H 'Authorization: Bearer ")
            + BearerValue
            + "'\n"
              "curl -u desk-7:"
            + BasicValue + " https://reports.broker.example/v1/daily\n");
    return path;
}

std::optional<QString> TestHdeckImportKeychain::readKeychain(const QString &name)
{
    KeychainSecretStore store;
    std::optional<QString> value;
    bool answered = false;
    store.read(name, this, [&](std::optional<QString> v, const QString &) {
        value = v;
        answered = true;
    });
    if (!QTest::qWaitFor([&] { return answered; }, 20000))
        return std::nullopt;
    return value;
}

void TestHdeckImportKeychain::storeSecrets_putsFoundValuesInTheKeychainOnly()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("desk.json"));
    const auto r = runHdeck({QStringLiteral("import"), QStringLiteral("curl"), writeCurl(dir),
                             QStringLiteral("--into"), target, QStringLiteral("--store-secrets")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto loaded = WorkspaceFile::load(target);
    QVERIFY2(loaded.workspace, qPrintable(loaded.error));
    // Two credentials, each naming its secret; the values are nowhere but in the keychain.
    QStringList names;
    for (const Credential &c : loaded.workspace->credentials)
        names.append(c.secretName);
    QCOMPARE(names.size(), 2);
    QFile f(target);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray file = f.readAll();
    for (const char *value : {BearerValue, BasicValue}) {
        QVERIFY2(!file.contains(value), value);
        QVERIFY2(!r.out.contains(value), value);
        QVERIFY2(!r.err.contains(value), value);
    }
    QStringList values;
    for (const QString &name : std::as_const(names)) {
        QVERIFY2(
            r.err.contains(QStringLiteral("stored secret %1 in the keychain").arg(name).toUtf8()),
            r.err.constData());
        const auto v = readKeychain(name);
        QVERIFY2(v, qPrintable(name));
        values.append(*v);
    }
    values.sort();
    QCOMPARE(values, (QStringList{QLatin1String(BearerValue), QLatin1String(BasicValue)}));

    // The console's way in finds them there (no prompt, no environment variable).
    MonitorSession session;
    QStringList missing{QStringLiteral("pending")};
    session.detectKeychain(20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        session.secretStoreStatus().state != SecretStoreStatus::State::Detecting, 20000);
    QVERIFY(session.secretStoreStatus().keychainAvailable());
    session.loadSecrets(*loaded.workspace, [&](QStringList m) { missing = m; });
    QTRY_VERIFY_WITH_TIMEOUT(missing != QStringList{QStringLiteral("pending")}, 20000);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u',')));
    for (const QString &name : std::as_const(names))
        QCOMPARE(session.secretSource(name), QStringLiteral("keychain"));

    // Importing the same file again stores the same values again: still one entry each.
    const auto again
        = runHdeck({QStringLiteral("import"), QStringLiteral("curl"), writeCurl(dir),
                    QStringLiteral("--into"), target, QStringLiteral("--store-secrets")});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(readKeychain(names.first()), session.secret(names.first()));
}

void TestHdeckImportKeychain::storeSecrets_withoutKeychain_isOneLineAndStillWrites()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("desk.json"));
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A session bus that is not there: no Secret Service answers.
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=%1").arg(dir.filePath(QStringLiteral("no-bus"))));
    proc.setProcessEnvironment(env);
    proc.start(hd::test::hdeckPath(),
               {QStringLiteral("import"), QStringLiteral("curl"), writeCurl(dir),
                QStringLiteral("--into"), target, QStringLiteral("--store-secrets")});
    QVERIFY(proc.waitForFinished(60000));
    const QByteArray err = proc.readAllStandardError();
    const QByteArray out = proc.readAllStandardOutput();
    QList<QByteArray> refused;
    for (const QByteArray &line : err.split('\n'))
        if (line.contains("no keychain answers"))
            refused.append(line);
    QCOMPARE(refused.size(), 1);
    QVERIFY2(refused.first().contains("HDECK_SECRET_"), refused.first().constData());
    for (const char *value : {BearerValue, BasicValue}) {
        QVERIFY2(!err.contains(value), value);
        QVERIFY2(!out.contains(value), value);
    }
    QVERIFY(WorkspaceFile::load(target).workspace);
}

QTEST_GUILESS_MAIN(TestHdeckImportKeychain)
#include "tst_hdeckimportkeychain.moc"
