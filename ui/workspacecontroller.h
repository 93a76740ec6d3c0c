#pragma once

// The workspace lifecycle of the console (issue 22: out of MainWindow): opening a workspace
// (file, demo, start-up, first run), the secret hand-over (which hosts may receive stored
// secrets, asking for missing ones, values kept for this session carried to the next), saving,
// recent files, editing, imports and bulk edits as undoable steps applied in place. It owns the
// running MonitorSession and the one being opened; the window only shows them: it attaches its
// panes on sessionAdopted() and detaches them on sessionClosing().
//
// Nothing here waits for I/O on the UI thread: a session opens asynchronously (keychain reads
// first), and questions are window-modal dialogs that are open()ed, never exec()'d.

#include "workspace.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <optional>

class QDialog;
class QMenu;
class QUndoStack;
class QWidget;

namespace hd {

class MonitorSession;
class WorkspaceEditorDialog;
struct SecretStoreStatus;

class WorkspaceController : public QObject
{
    Q_OBJECT
public:
    // window: the parent of every dialog this opens.
    explicit WorkspaceController(QWidget *window);
    ~WorkspaceController() override;

    MonitorSession *session() const { return m_session.get(); }
    bool isOpening() const { return bool(m_opening); }
    const Workspace &workspace() const { return m_workspace; }
    // The file the running workspace came from; empty for the demo.
    QString workspacePath() const { return m_workspacePath; }
    // Warnings of the running session (refused requests, history notes, …), oldest first.
    QStringList warnings() const { return m_warnings; }
    // The last message shown to the user (tests read it; never holds a secret).
    QString lastMessage() const { return m_lastMessage; }
    // Imports and bulk edits (Workspace → Undo/Redo); the editor has its own stack.
    QUndoStack *undoStack() const { return m_undo; }

    // Where the history of a workspace is kept (DataDirectory::path()/history/<name>-<hash>.db).
    static QString historyPathFor(const QString &workspacePath, bool demo);
    // Where a workspace made in the first-run dialog is saved (DataDirectory::path()/workspaces).
    static QString newWorkspacePath(const QString &name);

    // Opens a workspace file; on failure shows the message and keeps what is running. The
    // session opens asynchronously: workspaceOpened() says when it runs.
    bool openWorkspaceFile(const QString &path);
    // The built-in demo workspace on the in-process simulator.
    bool openDemoWorkspace();
    // Start-up: the --workspace file when given, else the last workspace, else the demo (or
    // the first-run dialog on an empty machine). Never crash-loops on the last workspace.
    void openStartupWorkspace(const QString &commandLinePath = {});
    void chooseWorkspaceFile();
    // File → New Workspace…: true when an empty workspace was saved and is opening.
    bool newWorkspace();
    bool saveWorkspace();
    bool saveWorkspaceAs();
    // The File → Open Recent menu this fills and keeps up to date.
    void attachRecentMenu(QMenu *menu);
    // File → Import… (ImportDialog), applied as one undoable step.
    void importIntoWorkspace();
    // Workspace → Bulk Edit… for these endpoints (BulkEditDialog), one undoable step.
    void bulkEdit(const QStringList &endpointIds);
    // The first start on an empty machine: "Open the demo" or "Add your API".
    void showFirstRun();
    // The workspace editor (tab: its page, -1 the current one); saving it reopens.
    void editWorkspace(int tab);
    // Workspace → Set Secret…: picks one of the workspace's secret names, then asks its value.
    void setSecretFromMenu();
    // The window closes: a quit while the last workspace was still opening is not the crash
    // the start-up marker guards against.
    void windowClosing();
    // A warning message box (window-modal, open()), remembered as lastMessage().
    void report(const QString &title, const QString &text);

signals:
    // The running session is about to close: detach from it now.
    void sessionClosing(hd::MonitorSession *session);
    // A session runs (not yet started: attach first, it starts when this returns).
    void sessionAdopted(hd::MonitorSession *session);
    // The session was started; name is the workspace's.
    void workspaceOpened(const QString &name);
    // An import, bulk edit or undo was applied to the running session without reopening it
    // (MonitorSession::reload): "1 added (x), 0 changed, 0 removed, 3 unchanged".
    void workspaceReloaded(const QString &summary);
    // What the polling part of the status bar says while a workspace opens.
    void openingStateChanged(const QString &text);
    void statusMessage(const QString &text, int timeoutMs);
    // The keychain's state, from the running session or the one being opened.
    void secretStoreChanged(const hd::SecretStoreStatus &status);

private:
    bool openWorkspace(const Workspace &ws, const QString &path, bool demo);
    // openWorkspace() once the user has said which hosts may receive stored secrets.
    void startOpening(const Workspace &ws, const QString &path, bool demo,
                      const QStringList &trustedSecretHosts);
    void fallBackToDemo(const QString &why);
    void adoptSession(std::unique_ptr<MonitorSession> session, const Workspace &ws,
                      const QString &path, bool demo, const QStringList &warnings,
                      const QString &historyNote);
    void closeSession();
    void rememberWorkspace(const QString &path, bool demo);
    void rebuildRecentMenu();
    void promptNextSecret();
    // A whole-workspace change (import, bulk edit) as one step on the undo stack: saved to the
    // workspace file when there is one, then applied in place or opened again.
    void changeWorkspace(const QString &text, const Workspace &after);
    void applyWorkspaceChange(const Workspace &ws);
    bool reloadRunningWorkspace(const Workspace &ws);
    // Secret values found by an import: handed to the next session that opens (for this
    // session at once; to the keychain as well when asked and one answers).
    void setImportedSecrets(const QList<std::pair<QString, QString>> &values, bool keychain);
    void handOverImportedSecrets(MonitorSession *session);

    QWidget *m_window;
    QUndoStack *m_undo;
    std::unique_ptr<MonitorSession> m_session;
    std::unique_ptr<MonitorSession> m_opening; // being opened (keychain reads), not yet shown
    quint64 m_openGeneration = 0;
    Workspace m_workspace;
    QString m_workspacePath;
    bool m_demo = false;
    QString m_historyPath;
    QStringList m_warnings;
    QString m_lastMessage;
    QPointer<QMenu> m_recentMenu;
    QPointer<WorkspaceEditorDialog> m_editor;
    QPointer<QDialog> m_secretDialog;
    QStringList m_pendingSecrets;
    bool m_secretStored = false;
    struct PendingOpen
    {
        Workspace workspace;
        QString path;
        bool demo = false;
    };
    // A workspace that could not open for want of secrets: opened again once they are in.
    std::optional<PendingOpen> m_reopenAfterSecrets;
    quint64 m_trustQuestion = 0;
    // Hosts the user refused secrets for in this run, per workspace path: not asked twice.
    QHash<QString, QStringList> m_refusedSecretHosts;
    // The last workspace being opened at start-up (cleared once it runs or fails).
    QString m_startupPath;
    QList<std::pair<QString, QString>> m_importedSecrets;
    bool m_importedToKeychain = false;
};

} // namespace hd
