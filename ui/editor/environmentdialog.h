#pragma once

// EnvironmentDialog: add or edit an environment (id, name, base URL, and how requests reach it:
// CA file and whether it adds to or replaces the system store, pins, client certificate,
// minimum TLS version, HTTP/2, proxy — docs/network.md).
// Object names: "environmentDialog", fields "envId", "envName", "envBaseUrl", "envCaFile",
// "envCaMode", "envTrustNote" (which trust is in force), "envPins", "envClientCert",
// "envClientKey", "envClientKeySecret", "envMinTls", "envHttp2", "envProxyMode",
// "envProxyHost", "envProxyPort", "envProxyUser", "envProxySecret",
// "envAllowInsecureSecrets", messages "error_<member>", buttons "itemOk" / "itemCancel".

#include "itemdialog.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hd {

class EnvironmentDialog : public ItemDialog
{
    Q_OBJECT
public:
    EnvironmentDialog(const Workspace &context, int index, QWidget *parent = nullptr);
    const Environment &environment() const { return m_item; }

protected:
    bool readForm() override;
    Workspace candidate() const override;

private:
    Environment m_item;
    QLineEdit *m_id;
    QLineEdit *m_name;
    QLineEdit *m_baseUrl;
    QLineEdit *m_caFile;
    QCheckBox *m_allowInsecureSecrets;
    QComboBox *m_caMode;
    QLabel *m_trustNote;
    QLineEdit *m_pins;
    QLineEdit *m_clientCert;
    QLineEdit *m_clientKey;
    QLineEdit *m_clientKeySecret;
    QComboBox *m_minTls;
    QCheckBox *m_http2;
    QComboBox *m_proxyMode;
    QLineEdit *m_proxyHost;
    QSpinBox *m_proxyPort;
    QLineEdit *m_proxyUser;
    QLineEdit *m_proxySecret;

    void updateTrustNote();
};

} // namespace hd
