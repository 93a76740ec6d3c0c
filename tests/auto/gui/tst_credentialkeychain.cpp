// The credential dialog against a REAL Secret Service (gnome-keyring under dbus-run-session,
// tests/support/with-keyring.sh): the secret typed in the dialog lands in the keychain under
// its name, the saved workspace file holds the name and not the value, and the file loads.
#include "editor/credentialdialog.h"
#include "editor/workspaceeditordialog.h"

#include "keychainsecretstore.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestCredentialKeychain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void credentialDialog_writesSecretToKeychainAndOnlyItsNameToTheFile();
};

void TestCredentialKeychain::initTestCase()
{
    HD_REQUIRE_KEYRING_SESSION();
}

void TestCredentialKeychain::credentialDialog_writesSecretToKeychainAndOnlyItsNameToTheFile()
{
    // The store the console would use: whatever detect() finds — here it must be the keychain.
    std::unique_ptr<SecretStore> store;
    QString message;
    KeychainSecretStore::detect(this, [&](std::unique_ptr<SecretStore> s, QString m) {
        store = std::move(s);
        message = std::move(m);
    });
    QTRY_VERIFY_WITH_TIMEOUT(store != nullptr, 20000);
    QVERIFY2(store->kind() == SecretStore::Kind::Keychain, qPrintable(message));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QVERIFY(
        QFile::copy(hd::test::sourcePath(QStringLiteral("resources/demo/workspace.json")), path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    const auto loaded = WorkspaceFile::load(path);
    QVERIFY(loaded.workspace);

    const QString secretName = QStringLiteral("HD_TEST_DIALOG_CLIENT_SECRET");
    const QString secret
        = QStringLiteral("dialog-kc-secret-%1").arg(QDateTime::currentMSecsSinceEpoch());

    WorkspaceEditorDialog editor(*loaded.workspace, path, store.get());
    editor.show();
    editor.findChild<QPushButton *>(QStringLiteral("editorAddCredential"))->click();
    QPointer<CredentialDialog> dialog; // deletes itself when closed
    QTRY_VERIFY((dialog = editor.findChild<CredentialDialog *>()) && dialog->isVisible());
    // A keychain is there: no session-only choice is offered.
    QVERIFY(dialog->findChild<QCheckBox *>(QStringLiteral("credSessionOnly"))->isHidden());
    dialog->findChild<QLineEdit *>(QStringLiteral("credId"))->setText(QStringLiteral("uat-oauth"));
    auto *method = dialog->findChild<QComboBox *>(QStringLiteral("credMethod"));
    method->setCurrentIndex(method->findData(QStringLiteral("oauth2_client_credentials")));
    dialog->findChild<QLineEdit *>(QStringLiteral("credTokenUrl"))
        ->setText(QStringLiteral("https://auth.example.com/oauth/token"));
    dialog->findChild<QLineEdit *>(QStringLiteral("credClientId"))
        ->setText(QStringLiteral("uat-client"));
    dialog->findChild<QLineEdit *>(QStringLiteral("credSecretName"))->setText(secretName);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("credSecretValue")), secret);
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(editor.workspace().credential(QStringLiteral("uat-oauth")), 20000);
    QTRY_VERIFY(dialog.isNull());
    QVERIFY(editor.save());

    // In the real keychain, read back through a fresh store.
    KeychainSecretStore reader;
    std::optional<QString> value;
    bool answered = false;
    reader.read(secretName, this, [&](std::optional<QString> v, const QString &) {
        value = std::move(v);
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    QCOMPARE(value, std::optional<QString>(secret));

    // The file: the name, never the value.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray file = f.readAll();
    QVERIFY(file.contains(secretName.toUtf8()));
    QVERIFY(!file.contains(secret.toUtf8()));
    const auto reloaded = WorkspaceFile::load(path);
    QVERIFY2(reloaded.workspace, qPrintable(reloaded.error));
    QCOMPARE(reloaded.workspace->credential(QStringLiteral("uat-oauth"))->secretName, secretName);

    bool removed = false;
    reader.remove(secretName, this, [&](const QString &) { removed = true; });
    QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
}

QTEST_MAIN(TestCredentialKeychain)
#include "tst_credentialkeychain.moc"
