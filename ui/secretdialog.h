#pragma once

// SecretDialog: enter or replace the value of one secret (a client secret, password, API key
// or token) by name. The value goes straight to the SecretStore it is given — the OS keychain
// normally — and nowhere else: not the workspace, not a file, not a log. When the store is not
// persistent (no keychain answered; KeychainSecretStore::detect() handed a SessionSecretStore
// instead) the dialog says so plainly and stores the value only after the user ticks "keep it
// for this session only". There is no plaintext fallback.
//
// Wiring (console): `SecretDialog dialog(secretName, store, parent); dialog.exec();` or
// open() and connect secretStored(name). storeMessage: the note detect() returned, if any.
// Object names: "secretDialog", "secretValue", "secretSessionOnly", "secretNoKeychain",
// "secretStatus", "secretSave" (the Save button).

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace hd {

class SecretStore;

class SecretDialog : public QDialog
{
    Q_OBJECT
public:
    SecretDialog(const QString &secretName, SecretStore *store, QWidget *parent = nullptr,
                 const QString &storeMessage = {});
    ~SecretDialog() override;

    QString secretName() const { return m_name; }

    void accept() override;

signals:
    void secretStored(const QString &secretName);

private:
    void updateSaveEnabled();

    QString m_name;
    QPointer<SecretStore> m_store;
    QLineEdit *m_value = nullptr;
    QCheckBox *m_sessionOnly = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_writing = false;
};

} // namespace hd
