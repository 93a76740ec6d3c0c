#pragma once

// BulkEditDialog (Workspace → Bulk Edit…, or the endpoint tree's context menu): one change for
// many endpoints at once — interval, timeout, credential, profile, quota share, pause state.
// Each field has its own "change" box; fields left unticked keep every endpoint's own value.
// The result is checked with the workspace loader's rules before it is offered, and the
// window applies it as one undoable step.
//
// Object names: "bulkEditDialog", "bulkEditTargets" (label), checkboxes "bulkChangeInterval",
// "bulkChangeTimeout", "bulkChangeCredential", "bulkChangeProfile", "bulkChangeQuota",
// "bulkChangePaused"; fields "bulkInterval" (seconds), "bulkTimeout" (ms), "bulkCredential",
// "bulkProfile", "bulkQuota" (percent), "bulkPaused" (combo: Paused, Polling);
// "bulkEditMessage", "bulkEditApply".

#include "workspace.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace hd {

struct BulkEdit
{
    std::optional<int> intervalMs;
    std::optional<int> timeoutMs;
    std::optional<QString> credential; // empty string: no credential
    std::optional<QString> profile;
    std::optional<double> quotaShare; // 0..1
    std::optional<bool> paused;
    bool isEmpty() const
    {
        return !intervalMs && !timeoutMs && !credential && !profile && !quotaShare && !paused;
    }

    // The workspace with the edit applied to the endpoints named; *error when the result
    // would not load (a credential of another environment, a bad profile …): nullopt.
    std::optional<Workspace> applyTo(const Workspace &ws, const QStringList &endpointIds,
                                     QString *error = nullptr) const;
    // "interval 30 s, paused" — for the undo entry.
    QString describe() const;
};

class BulkEditDialog : public QDialog
{
    Q_OBJECT
public:
    BulkEditDialog(const Workspace &workspace, const QStringList &endpointIds,
                   QWidget *parent = nullptr);

    QStringList endpointIds() const { return m_ids; }
    BulkEdit edit() const;
    // Valid once accepted: the edited workspace.
    const Workspace &result() const { return m_result; }

    void accept() override;

private:
    Workspace m_workspace;
    QStringList m_ids;
    Workspace m_result;

    QCheckBox *m_changeInterval = nullptr;
    QCheckBox *m_changeTimeout = nullptr;
    QCheckBox *m_changeCredential = nullptr;
    QCheckBox *m_changeProfile = nullptr;
    QCheckBox *m_changeQuota = nullptr;
    QCheckBox *m_changePaused = nullptr;
    QDoubleSpinBox *m_interval = nullptr;
    QSpinBox *m_timeout = nullptr;
    QComboBox *m_credential = nullptr;
    QComboBox *m_profile = nullptr;
    QDoubleSpinBox *m_quota = nullptr;
    QComboBox *m_paused = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_apply = nullptr;
};

} // namespace hd
