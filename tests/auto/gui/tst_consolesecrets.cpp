// Secrets the workspace names but nobody has: the window asks for them with the secret dialog
// when the session opens (keychain, or this session only with the "no keychain" message), and
// reopens the session so the credential uses the value — which survives the reopen.
#include "consoletest.h"
#include "monitorsession.h"
#include "secretdialog.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

using namespace hd;

class TestConsoleSecrets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void missingSecret_isAskedFor_andUsedAfterReopen();

private:
    QTemporaryDir m_home;
};

void TestConsoleSecrets::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
    qunsetenv("HDECK_SECRET_CONSOLE_TEST_TOKEN");
}

void TestConsoleSecrets::missingSecret_isAskedFor_andUsedAfterReopen()
{
    Workspace ws = test::simWorkspace(
        QStringLiteral("secrets"), {test::simEndpoint(QStringLiteral("prod.health"),
                                                      QStringLiteral("/s004/v1/health"), 30000)});
    Credential bearer;
    bearer.id = QStringLiteral("static-token");
    bearer.name = QStringLiteral("Static token");
    bearer.method = Credential::Method::Bearer;
    bearer.secretName = QStringLiteral("CONSOLE_TEST_TOKEN");
    ws.credentials.append(bearer);
    ws.endpoints.front().credential = bearer.id;
    const QString path = m_home.filePath(QStringLiteral("secrets.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    MainWindow w;
    w.show();
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    // Its only endpoint needs the secret: the session cannot run yet and asks for it.
    QVERIFY(w.openWorkspaceFile(path));

    QPointer<SecretDialog> dialog;
    QTRY_VERIFY((dialog = w.findChild<SecretDialog *>(QStringLiteral("secretDialog")))
                && dialog->isVisible());
    QCOMPARE(dialog->secretName(), QStringLiteral("CONSOLE_TEST_TOKEN"));
    dialog->findChild<QLineEdit *>(QStringLiteral("secretValue"))
        ->setText(QStringLiteral("tok-3f9a-console"));
    auto *sessionOnly = dialog->findChild<QCheckBox *>(QStringLiteral("secretSessionOnly"));
    const bool keychain
        = !dialog->findChild<QCheckBox *>(QStringLiteral("secretSessionOnly"))->isVisibleTo(dialog);
    if (!keychain) {
        // No keychain: the dialog says so and saves only once "this session only" is ticked.
        QVERIFY(!sessionOnly->isHidden());
        sessionOnly->setChecked(true);
    }
    dialog->findChild<QPushButton *>(QStringLiteral("secretSave"))->click();

    // The session opens and the engine has the value.
    QTRY_VERIFY_WITH_TIMEOUT(opened.size() >= 1, 20000);
    QCOMPARE(w.session()->secretSource(QStringLiteral("CONSOLE_TEST_TOKEN")),
             keychain ? QStringLiteral("keychain") : QStringLiteral("session"));
    QTRY_VERIFY(w.session()->secret(QStringLiteral("CONSOLE_TEST_TOKEN")).has_value());
    QCOMPARE(*w.session()->secret(QStringLiteral("CONSOLE_TEST_TOKEN")),
             QStringLiteral("tok-3f9a-console"));
    QVERIFY(!w.session()->missingSecrets().contains(QStringLiteral("CONSOLE_TEST_TOKEN")));
    // Never into the workspace file.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("tok-3f9a-console"));
    // Editing the workspace reopens the session; a session-only value survives that.
    const int before = int(opened.size());
    QVERIFY(w.openWorkspaceFile(path));
    QTRY_VERIFY_WITH_TIMEOUT(opened.size() > before, 20000);
    QCOMPARE(*w.session()->secret(QStringLiteral("CONSOLE_TEST_TOKEN")),
             QStringLiteral("tok-3f9a-console"));
    QVERIFY(w.findChildren<SecretDialog *>().isEmpty()
            || !w.findChild<SecretDialog *>()->isVisible());
}

QTEST_MAIN(TestConsoleSecrets)
#include "tst_consolesecrets.moc"
