#pragma once

// The console window (issue 7). Layout: the alert banner on top; the endpoint tree on the
// left ("mainSplitter"); the error log with its filter bar above the detail pane on the right
// ("logSplitter"); the alert list in a dock; polling, events/s, history, keychain and the
// support-bundle basket in the status bar. Menus carry every action by object name (tests
// and the other panes drive them): File (workspaces), Workspace (editing, secrets), Polling
// (pause/resume/send now), Log, Alerts, View (theme, docks), Tools (request composer), Help.
//
// Nothing here waits for I/O on the UI thread: the session opens asynchronously (keychain
// reads first), history is read by the store's reader thread, the composer has its own
// network thread. Modal questions are never exec()'d: file questions go through FileDialogs
// (answerable in advance by tests), messages are window-modal and open().

#include "apievent.h"
#include "eventcache.h"
#include "eventratemeter.h"
#include "workspace.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <optional>

class QActionGroup;
class QDialog;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QSystemTrayIcon;
namespace hd {
class DesktopNotifier;
}
class QTableView;
class QTimer;
class QUndoStack;

namespace hd {

class AlertBanner;
class AlertList;
class ChartPanel;
class EndpointTree;
class ErrorBudgetPanel;
class ErrorLogModel;
class EventDetailView;
class FilterCompleter;
class IncidentPanel;
class LogPane;
class MetricsOptIn;
class MonitorSession;
class NotificationsDialog;
class RequestComposer;
class WorkspaceEditorDialog;
struct AlertState;
struct SecretStoreStatus;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a workspace file; on failure shows the message and keeps what is running. The
    // session opens asynchronously: workspaceOpened() says when it runs.
    bool openWorkspaceFile(const QString &path);
    // The built-in demo workspace on the in-process simulator.
    bool openDemoWorkspace();
    // Start-up: the --workspace file when given, else the last workspace, else the demo.
    void openStartupWorkspace(const QString &commandLinePath = {});

    // File → Import… (ImportDialog): the accepted import is applied as one undoable step.
    void importIntoWorkspace();
    // Workspace → Bulk Edit… for the endpoints selected in the tree (BulkEditDialog).
    void bulkEditSelection();
    // The first start on an empty machine: "Open the demo" or "Add your API" (FirstRunDialog).
    void showFirstRun();
    // Imports and bulk edits (Workspace → Undo/Redo); the editor has its own stack.
    QUndoStack *undoStack() const { return m_undo; }
    // Where a workspace made in the first-run dialog is saved (DataDirectory::path()/workspaces:
    // ~/.local/share/healthdeck).
    static QString newWorkspacePath(const QString &name);

    // The text of Help → About, also used by tests.
    static QString aboutText();
    ErrorLogModel *logModel() const { return m_logModel; }
    // The opt-in Prometheus endpoint (View → Serve Prometheus /metrics).
    MetricsOptIn *metrics() const { return m_metrics; }
    MonitorSession *session() const { return m_session.get(); }
    EndpointTree *endpointTree() const { return m_tree; }
    EventDetailView *detailView() const { return m_detail; }
    IncidentPanel *incidentPanel() const { return m_incidents; }
    const Workspace &workspace() const { return m_workspace; }
    // The file the running workspace came from; empty for the demo.
    QString workspacePath() const { return m_workspacePath; }
    bool isWorkspaceOpen() const { return bool(m_session); }

    // The "bundle basket": events the user added to the support bundle, oldest first.
    QStringList bundleEventIds() const { return m_bundle; }
    void addToBundle(const QString &eventId);
    void clearBundle();

    // Where the history of a workspace is kept (DataDirectory::path()/history/<name>-<hash>.db).
    static QString historyPathFor(const QString &workspacePath, bool demo);
    // The last message shown to the user (tests read it; never holds a secret).
    QString lastMessage() const { return m_lastMessage; }
    // Warnings of the running session (refused requests, history notes, …), oldest first.
    QStringList warnings() const { return m_warnings; }
    // Every alert notification (tray or not) of this window, newest last: "fired: …".
    QStringList notifications() const { return m_notifications; }
    // Shortcut → action text of every action that has one (Help → Keyboard Shortcuts).
    QList<std::pair<QString, QString>> shortcutList() const;

    void saveLayout() const;
    void restoreLayout();

signals:
    void workspaceOpened(const QString &name);
    // An import, bulk edit or undo was applied to the running session without reopening it
    // (MonitorSession::reload): "1 added (x), 0 changed, 0 removed, 3 unchanged".
    void workspaceReloaded(const QString &summary);
    void bundleChanged(int events);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    bool openWorkspace(const Workspace &ws, const QString &path, bool demo);
    // openWorkspace() once the user has said which hosts may receive stored secrets.
    void startOpening(const Workspace &ws, const QString &path, bool demo,
                      const QStringList &trustedSecretHosts);
    // Start-up could not open the last workspace: the demo runs instead, and the user is told.
    void fallBackToDemo(const QString &why);
    void adoptSession(std::unique_ptr<MonitorSession> session, const Workspace &ws,
                      const QString &path, bool demo, const QStringList &warnings,
                      const QString &historyNote);
    void closeSession();
    // A whole-workspace change (import, bulk edit) as one step on the undo stack: saved to the
    // workspace file when there is one, then the workspace is opened again.
    void changeWorkspace(const QString &text, const Workspace &after);
    void applyWorkspaceChange(const Workspace &ws);
    // Applies ws to the running session in place (history, tokens, governor and alert state
    // of unchanged endpoints carry on); false when it must be opened afresh instead.
    bool reloadRunningWorkspace(const Workspace &ws);
    // Secret values found by an import: handed to the next session that opens (for this
    // session at once; to the keychain as well when asked and one answers).
    void setImportedSecrets(const QList<std::pair<QString, QString>> &values, bool keychain);
    void handOverImportedSecrets(MonitorSession *session);
    void createActions();
    void createMenus();
    void createWidgets();
    void showAbout();
    void showShortcuts();
    void showMessage(const QString &title, const QString &text);
    void onEvent(const ApiEvent &event);
    void onTick();
    void onFilterEdited();
    void onCurrentRowChanged();
    // Ctrl+click in the log: the selected row's event beside the clicked one's.
    void compareRows(int selectedRow, int clickedRow);
    void showEventFromHistory(const QString &id, int row);
    QList<ApiEvent> recentOf(const ApiEvent &event) const;
    void chooseWorkspaceFile();
    void newWorkspace();
    bool saveWorkspace();
    bool saveWorkspaceAs();
    void rememberWorkspace(const QString &path, bool demo);
    void rebuildRecentMenu();
    void editWorkspace(int tab);
    void promptNextSecret();
    void setSecretFromMenu();
    void openComposer();
    void pauseSelection(bool pause);
    void sendNowSelection();
    void selectFailure(int direction);
    void copyCurl();
    void acknowledgeBannerAlert();
    void acknowledge(const QString &ruleId, const QString &subject);
    void onAlert(const AlertState &alert, bool fired);
    // Shows an event in the detail pane and brings the window forward (a desktop
    // notification's "Open in HealthDeck" action).
    void openEvent(const QString &eventId);
    void refreshAlerts();
    // Alerts → Notifications…: channels, deliveries, the simulator's inbox (non-modal).
    void showNotifications();
    void updateKeychainStatus(const SecretStoreStatus &status);
    void updateHistoryStatus();
    QString adviceFor(const AlertState &alert) const;
    void applyTheme(int mode);
    void exportSupportBundle();

    std::unique_ptr<MonitorSession> m_session;
    std::unique_ptr<MonitorSession> m_opening; // being opened (keychain reads), not yet shown
    quint64 m_openGeneration = 0;
    Workspace m_workspace;
    QString m_workspacePath;
    bool m_demo = false;
    QString m_historyPath;

    AlertBanner *m_banner = nullptr;
    EndpointTree *m_tree = nullptr;
    ChartPanel *m_charts = nullptr;
    ErrorLogModel *m_logModel = nullptr;
    QTableView *m_logView = nullptr;
    QLineEdit *m_filter = nullptr;
    LogPane *m_logPane = nullptr;
    FilterCompleter *m_completer = nullptr;
    EventDetailView *m_detail = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_logSplitter = nullptr;
    AlertList *m_alertList = nullptr;
    QDockWidget *m_alertDock = nullptr;
    IncidentPanel *m_incidents = nullptr;
    QDockWidget *m_incidentDock = nullptr;
    ErrorBudgetPanel *m_budgetPanel = nullptr; // in m_budgetDock; refreshed once a second
    QDockWidget *m_budgetDock = nullptr;
    QPointer<NotificationsDialog> m_notificationsDialog;
    QPointer<QDialog> m_composerWindow;
    RequestComposer *m_composer = nullptr;
    QPointer<WorkspaceEditorDialog> m_editor;
    QPointer<QDialog> m_secretDialog;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_desktop = nullptr; // made on the first alert
    QMenu *m_recentMenu = nullptr;
    QActionGroup *m_themeGroup = nullptr;

    QLabel *m_statusPolling = nullptr;
    QLabel *m_statusRate = nullptr;
    QLabel *m_statusHistory = nullptr;
    QLabel *m_statusKeychain = nullptr;
    QLabel *m_statusBundle = nullptr;
    QLabel *m_statusMetrics = nullptr;
    MetricsOptIn *m_metrics = nullptr;
    QTimer *m_tick = nullptr;
    QTimer *m_filterDebounce = nullptr;

    // Full events behind the compact log rows, for the detail pane (bounded); older ones are
    // read back from history.
    EventCache m_recent; // full events for the detail pane, bounded by bytes
    QHash<QString, QString> m_lastFailureAdvice; // endpoint → advice of its latest failure
    QHash<QString, QString> m_lastFailureEvent;  // endpoint → id of its latest failure
    quint64 m_detailRequest = 0;
    QStringList m_warnings;
    QStringList m_bundle;
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
    int m_editTabAfterOpen = -1; // New Workspace: open the editor once the session runs
    QStringList m_notifications;
    QString m_lastMessage;
    quint64 m_trustQuestion = 0;
    // Hosts the user refused secrets for in this run, per workspace path: not asked twice.
    QHash<QString, QStringList> m_refusedSecretHosts;
    // The last workspace being opened at start-up (cleared once it runs or fails).
    QString m_startupPath;
    EventRateMeter m_rate;
    qint64 m_historyRows = -1;
    bool m_countingHistory = false;
    int m_ticks = 0;
    int m_pausedCount = -1;
    QUndoStack *m_undo = nullptr;
    QList<std::pair<QString, QString>> m_importedSecrets;
    bool m_importedToKeychain = false;
};

} // namespace hd
