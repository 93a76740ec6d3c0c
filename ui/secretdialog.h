#pragma once

// SecretDialog: enter or replace the value of one secret (a client secret, password, API key
// or token) by name. The value goes straight to the SecretStore it is given — the OS keychain
// normally — and nowhere else: not the workspace, not a file, not a log. When the store is not
// persistent (no keychain answered; KeychainSecretStore::detect() handed a SessionSecretStore
// instead) the dialog says so plainly and stores the value only after the user ticks "keep it
// for this session only". There is no plaintext fallback.
//
// Wiring (console): `auto *d = new SecretDialog(secretName, session, parent); d->open();` —
// with a MonitorSession the value goes through MonitorSession::storeSecret() (keychain, or
// this session only) and the engine can use it at once; or give a SecretStore directly
// (storeMessage: the note KeychainSecretStore::detect() returned, if any). Connect
// secretStored(name) to react.
// Object names: "secretDialog", "secretValue", "secretSessionOnly", "secretNoKeychain",
// "secretStatus", "secretSave" (the Save button).

#include "secretdialogtarget.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace hd {

class MonitorSession;
class SecretStore;

class SecretDialog : public QDialog
{
    Q_OBJECT
public:
    SecretDialog(const QString &secretName, SecretDialogTarget target, QWidget *parent = nullptr);
    SecretDialog(const QString &secretName, SecretStore *store, QWidget *parent = nullptr,
                 const QString &storeMessage = {});
    SecretDialog(const QString &secretName, MonitorSession *session, QWidget *parent = nullptr);
    ~SecretDialog() override;

    QString secretName() const { return m_name; }

    void accept() override;

signals:
    void secretStored(const QString &secretName);

private:
    void updateSaveEnabled();

    QString m_name;
    SecretDialogTarget m_target;
    QLineEdit *m_value = nullptr;
    QCheckBox *m_sessionOnly = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_writing = false;
};

} // namespace hd
