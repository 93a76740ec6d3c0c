#pragma once

// AlertRuleDialog: add or edit an alert rule (kind, scope, threshold, window, count).
// Object names: "alertRuleDialog", fields "alertId", "alertKind", "alertScope",
// "alertThreshold", "alertWindow", "alertCount"; messages "error_<member>".

#include "itemdialog.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hd {

class AlertRuleDialog : public ItemDialog
{
    Q_OBJECT
public:
    AlertRuleDialog(const Workspace &context, int index, QWidget *parent = nullptr);
    const AlertRule &rule() const { return m_item; }

    // What threshold and count mean for a kind, one sentence.
    static QString explain(const QString &kind);

protected:
    bool readForm() override;
    Workspace candidate() const override;

private:
    AlertRule m_item;
    QLineEdit *m_id;
    QComboBox *m_kind;
    QComboBox *m_scope;
    QDoubleSpinBox *m_threshold;
    QSpinBox *m_window;
    QSpinBox *m_count;
    QLabel *m_help;
};

} // namespace hd
