#pragma once

// CredentialDialog: add or edit a credential. The workspace keeps the method and the *names*
// of its secrets; values typed here go straight to the SecretStore (the OS keychain) under
// those names when OK is pressed — the dialog closes only once the store has them — and never
// into the workspace. Without a keychain (a non-persistent store) the user must tick
// "keep for this session only" first. Fields that do not apply to the method are hidden.
// Object names: "credentialDialog", fields "credId", "credName", "credMethod",
// "credEnvironment", "credTokenUrl", "credClientId", "credAudience", "credScope",
// "credUsername", "credAppId", "credCid", "credHeaderName", "credQueryName",
// "credSecretName", "credSecretValue", "credSecondSecretName", "credSecondSecretValue",
// "credSessionOnly", "credStoreNote"; messages "error_<member>".

#include "itemdialog.h"
#include "secretdialogtarget.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace hd {

class CredentialDialog : public ItemDialog
{
    Q_OBJECT
public:
    CredentialDialog(const Workspace &context, int index, SecretDialogTarget secrets,
                     QWidget *parent = nullptr);
    ~CredentialDialog() override;
    const Credential &credential() const { return m_item; }
    // Names of the secrets written to the store when the dialog was accepted.
    QStringList storedSecrets() const { return m_stored; }

protected:
    bool readForm() override;
    Workspace candidate() const override;
    void finish() override;

private:
    void updateRows();
    void writeNext(QList<std::pair<QString, QString>> pending);

    Credential m_item;
    SecretDialogTarget m_secrets;
    QStringList m_stored;
    QLineEdit *m_id;
    QLineEdit *m_name;
    QComboBox *m_method;
    QComboBox *m_environment;
    QLineEdit *m_tokenUrl;
    QLineEdit *m_clientId;
    QLineEdit *m_audience;
    QLineEdit *m_scope;
    QLineEdit *m_username;
    QLineEdit *m_appId;
    QLineEdit *m_cid;
    QLineEdit *m_headerName;
    QLineEdit *m_queryName;
    QLineEdit *m_secretName;
    QLineEdit *m_secretValue;
    QLineEdit *m_secondSecretName;
    QLineEdit *m_secondSecretValue;
    QLabel *m_storeNote;
    QCheckBox *m_sessionOnly;
};

} // namespace hd
