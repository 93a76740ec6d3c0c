// The secret dialog: stores a value into the store it is given, says plainly when there is no
// keychain and then stores only after "keep it for this session only" is ticked.
#include "secretdialog.h"

#include "monitorsession.h"
#include "sessionsecretstore.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestSecretDialog : public QObject
{
    Q_OBJECT
private slots:
    void noKeychain_explainsAndStoresOnlyForTheSession();
    void replacesAStoredValue();
    void session_keepsTheValueWhereTheEngineLooksItUp();

private:
    static std::optional<QString> readBack(SecretStore &store, const QString &name);
};

std::optional<QString> TestSecretDialog::readBack(SecretStore &store, const QString &name)
{
    std::optional<QString> value;
    bool done = false;
    store.read(name, &store, [&](std::optional<QString> v, const QString &) {
        value = v;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        return std::nullopt;
    return value;
}

void TestSecretDialog::noKeychain_explainsAndStoresOnlyForTheSession()
{
    SessionSecretStore store;
    SecretDialog dialog(QStringLiteral("TRADING_CLIENT_SECRET"), &store, nullptr,
                        QStringLiteral("no keychain: secrets are kept for this session only "
                                       "(org.freedesktop.secrets was not provided)"));
    dialog.show();
    auto *note = dialog.findChild<QLabel *>(QStringLiteral("secretNoKeychain"));
    auto *sessionOnly = dialog.findChild<QCheckBox *>(QStringLiteral("secretSessionOnly"));
    auto *value = dialog.findChild<QLineEdit *>(QStringLiteral("secretValue"));
    auto *save = dialog.findChild<QPushButton *>(QStringLiteral("secretSave"));
    QVERIFY(note && sessionOnly && value && save);
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("No keychain")));
    QVERIFY(note->text().contains(QStringLiteral("org.freedesktop.secrets")));
    QCOMPARE(value->echoMode(), QLineEdit::Password);

    QTest::keyClicks(value, QStringLiteral("hunter2-client-secret"));
    QVERIFY(!save->isEnabled()); // not until the user agrees to session-only
    sessionOnly->click();
    QVERIFY(save->isEnabled());
    QSignalSpy stored(&dialog, &SecretDialog::secretStored);
    save->click();
    QTRY_COMPARE(stored.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(readBack(store, QStringLiteral("TRADING_CLIENT_SECRET")),
             std::optional<QString>(QStringLiteral("hunter2-client-secret")));
    QVERIFY(value->text().isEmpty());
}

void TestSecretDialog::replacesAStoredValue()
{
    SessionSecretStore store;
    bool written = false;
    store.write(QStringLiteral("API_KEY"), QStringLiteral("old-value"), &store,
                [&](const QString &) { written = true; });
    QTRY_VERIFY(written);
    SecretDialog dialog(QStringLiteral("API_KEY"), &store);
    dialog.show();
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("secretValue")),
                     QStringLiteral("new-value"));
    dialog.findChild<QCheckBox *>(QStringLiteral("secretSessionOnly"))->setChecked(true);
    dialog.findChild<QPushButton *>(QStringLiteral("secretSave"))->click();
    QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(readBack(store, QStringLiteral("API_KEY")),
             std::optional<QString>(QStringLiteral("new-value")));
}

void TestSecretDialog::session_keepsTheValueWhereTheEngineLooksItUp()
{
    // The console's way: through the running session. Its keychain has not answered (not
    // detected here), so the dialog offers session-only, and the engine's secret chain has the
    // value at once.
    MonitorSession session;
    QVERIFY(!session.secretStoreStatus().keychainAvailable());
    SecretDialog dialog(QStringLiteral("HD_TEST_SESSION_SECRET"), &session);
    dialog.show();
    auto *sessionOnly = dialog.findChild<QCheckBox *>(QStringLiteral("secretSessionOnly"));
    QVERIFY(!sessionOnly->isHidden());
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("secretValue")),
                     QStringLiteral("session-value-55"));
    sessionOnly->click();
    QSignalSpy stored(&dialog, &SecretDialog::secretStored);
    dialog.findChild<QPushButton *>(QStringLiteral("secretSave"))->click();
    QTRY_COMPARE(stored.size(), 1);
    QCOMPARE(session.secret(QStringLiteral("HD_TEST_SESSION_SECRET")),
             std::optional<QString>(QStringLiteral("session-value-55")));
    QCOMPARE(session.secretSource(QStringLiteral("HD_TEST_SESSION_SECRET")),
             QStringLiteral("session"));
}

QTEST_MAIN(TestSecretDialog)
#include "tst_secretdialog.moc"
