#pragma once

// WorkspaceEditorDialog: edits a workspace — environments, credentials, endpoints and alert
// rules, each in a tab with Add / Edit / Delete — and saves it atomically through the
// workspace file code (QSaveFile). Every change goes on a QUndoStack, so a delete (or an add
// or edit) can be undone (Ctrl+Z) and redone. Deleting an environment or credential that
// endpoints still use is refused with a message saying which ones. Secret values typed in the
// credential dialog go to the SecretStore, never into the workspace.
//
// Wiring (console): `auto *d = new WorkspaceEditorDialog(workspace, filePath,
// SecretDialogTarget::fromSession(session), this);` (or a SecretStore * instead of the target)
// then open(); connect workspaceChanged(ws) (emitted after each successful save) to reopen
// the workspace. filePath empty: Save asks where (Save As).
// Object names: "workspaceEditor", "editorTabs", lists "editorEnvironments",
// "editorCredentials", "editorEndpoints", "editorAlerts"; buttons "editorAdd<Kind>",
// "editorEdit<Kind>", "editorDelete<Kind>" with Kind = Environment, Credential, Endpoint,
// Alert; actions/buttons "editorUndo", "editorRedo", "editorSave"; message "editorMessage".
// The item dialogs open as children: EnvironmentDialog, CredentialDialog, EndpointDialog,
// AlertRuleDialog (see their headers).

#include "secretdialogtarget.h"
#include "workspace.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTabWidget;
class QTreeWidget;
class QUndoStack;

namespace hd {

class SecretStore;

class WorkspaceEditorDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Environment, Credential, Endpoint, Alert };

    WorkspaceEditorDialog(const Workspace &workspace, const QString &filePath, SecretStore *secrets,
                          QWidget *parent = nullptr);
    // With the running session: SecretDialogTarget::fromSession(session) — secret values go
    // through MonitorSession::storeSecret() and are usable by the engine at once.
    WorkspaceEditorDialog(const Workspace &workspace, const QString &filePath,
                          SecretDialogTarget secrets, QWidget *parent = nullptr);
    ~WorkspaceEditorDialog() override;

    const Workspace &workspace() const { return m_workspace; }
    QString filePath() const { return m_path; }
    QUndoStack *undoStack() const { return m_undo; }
    bool isModified() const;

    // Opens the item dialog for a new item / the item at row (non-modal, child of this).
    void addItem(Kind kind);
    void editItem(Kind kind, int row);
    // Deletes the item at row (undoable); false with a message when something still uses it.
    bool deleteItem(Kind kind, int row);
    // Validates and writes the file atomically; false with the message shown.
    bool save();

    void reject() override;

signals:
    // After each successful save: the workspace as written.
    void workspaceChanged(const hd::Workspace &workspace);
    void saved(const QString &filePath);

private:
    void apply(const Workspace &ws);
    void change(const QString &text, const Workspace &after);
    void refresh();
    void showMessage(const QString &text, bool error);
    QTreeWidget *list(Kind kind) const;
    int currentRow(Kind kind) const;
    static QString kindName(Kind kind);

    Workspace m_workspace;
    QString m_path;
    SecretDialogTarget m_secrets;
    QUndoStack *m_undo = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTreeWidget *m_lists[4] = {};
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
};

} // namespace hd
