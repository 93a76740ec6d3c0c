#pragma once

// EnvironmentDialog: add or edit an environment (id, name, base URL, CA file).
// Object names: "environmentDialog", fields "envId", "envName", "envBaseUrl", "envCaFile",
// "envAllowInsecureSecrets", messages "error_<member>", buttons "itemOk" / "itemCancel".

#include "itemdialog.h"

class QCheckBox;
class QLineEdit;

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
};

} // namespace hd
