#pragma once

// EndpointDialog: add or edit an endpoint — what is polled, how often, with which credential
// and profile, and what a healthy answer looks like. Members the form does not show
// (requiredScopes, expect.bodyEquals, expect.maxLatencyMs) are kept as they were.
// Object names: "endpointDialog", fields "endpointId", "endpointName", "endpointEnvironment",
// "endpointMethod", "endpointPath", "endpointHeaders" ("Name: value" per line),
// "endpointBody", "endpointInterval", "endpointTimeout", "endpointProfile",
// "endpointCredential", "endpointQuotaShare", "endpointStatuses", "endpointBodyPointer",
// "endpointPaused"; messages "error_<member>" (error_id, error_path, error_headers, …).

#include "itemdialog.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace hd {

class EndpointDialog : public ItemDialog
{
    Q_OBJECT
public:
    EndpointDialog(const Workspace &context, int index, QWidget *parent = nullptr);
    const Endpoint &endpoint() const { return m_item; }

protected:
    bool readForm() override;
    Workspace candidate() const override;

private:
    Endpoint m_item;
    QLineEdit *m_id;
    QLineEdit *m_name;
    QComboBox *m_environment;
    QComboBox *m_method;
    QLineEdit *m_path;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_body;
    QSpinBox *m_interval;
    QSpinBox *m_timeout;
    QComboBox *m_profile;
    QComboBox *m_credential;
    QDoubleSpinBox *m_quotaShare;
    QLineEdit *m_statuses;
    QLineEdit *m_bodyPointer;
    QCheckBox *m_paused;
};

} // namespace hd
