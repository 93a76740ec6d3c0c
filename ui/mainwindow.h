#pragma once

// The console window (issue 7): layout and action wiring. The alert banner on top; the endpoint
// tree on the left ("mainSplitter"); charts, the error log and the detail pane on the right
// ("logSplitter"); alerts, incidents and the error budget in docks; the status bar. Menus carry
// every action by object name (tests and the other panes drive them): File (workspaces), Workspace
// (editing, secrets), Polling, Log, Alerts, View, Tools, Help.
//
// The jobs behind the actions are classes of their own (issue 22): WorkspaceController (opening,
// saving, secrets, imports; it owns the MonitorSession), EventLookup (the full events behind the
// log rows, history read off the UI thread), BundleBasket, AlertPresenter, ConsoleStatusBar,
// LogPane. This window attaches its panes to each session the controller adopts.
//
// Nothing here waits for I/O on the UI thread, and modal questions are never exec()'d: file
// questions go through FileDialogs (answerable in advance by tests), messages are window-modal
// and open().

#include "alertpresenter.h"
#include "apievent.h"
#include "bundlebasket.h"
#include "helpdialogs.h"
#include "workspacecontroller.h"

#include <QMainWindow>
#include <QMenuBar>
#include <QPointer>

class QDialog;
class QDockWidget;
class QSplitter;
class QTimer;

namespace hd {

class AlertBanner;
class AlertList;
class ChartPanel;
class ComposerWindow;
class ConsoleActions;
class ConsoleStatusBar;
class DetailPresenter;
class EndpointTree;
class ErrorBudgetPanel;
class ErrorLogModel;
class EventDetailView;
class EventLookup;
class IncidentPanel;
class LogPane;
class MetricsOptIn;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    WorkspaceController *workspaces() const { return m_workspaces; }
    // The workspace lifecycle, for tests and gui_main (WorkspaceController says what each does).
    bool openWorkspaceFile(const QString &path) { return m_workspaces->openWorkspaceFile(path); }
    bool openDemoWorkspace() { return m_workspaces->openDemoWorkspace(); }
    void openStartupWorkspace(const QString &path = {})
    {
        m_workspaces->openStartupWorkspace(path);
    }
    void importIntoWorkspace() { m_workspaces->importIntoWorkspace(); }
    void showFirstRun() { m_workspaces->showFirstRun(); }
    // Workspace → Bulk Edit… for the endpoints selected in the tree.
    void bulkEditSelection();
    QUndoStack *undoStack() const { return m_workspaces->undoStack(); }
    static QString newWorkspacePath(const QString &name)
    {
        return WorkspaceController::newWorkspacePath(name);
    }
    static QString historyPathFor(const QString &path, bool demo)
    {
        return WorkspaceController::historyPathFor(path, demo);
    }
    MonitorSession *session() const { return m_workspaces->session(); }
    const Workspace &workspace() const { return m_workspaces->workspace(); }
    QString workspacePath() const { return m_workspaces->workspacePath(); }
    bool isWorkspaceOpen() const { return session() != nullptr; }
    QString lastMessage() const { return m_workspaces->lastMessage(); }
    QStringList warnings() const { return m_workspaces->warnings(); }

    // The text of Help → About, also used by tests.
    static QString aboutText() { return HelpDialogs::aboutText(); }
    ErrorLogModel *logModel() const { return m_logModel; }
    // The opt-in Prometheus endpoint (View → Serve Prometheus /metrics).
    MetricsOptIn *metrics() const { return m_metrics; }
    EndpointTree *endpointTree() const { return m_tree; }
    EventDetailView *detailView() const { return m_detail; }
    IncidentPanel *incidentPanel() const { return m_incidents; }
    EventLookup *eventLookup() const { return m_lookup; }

    // The "bundle basket": events the user added to the support bundle, oldest first.
    QStringList bundleEventIds() const { return m_bundle->ids(); }
    void addToBundle(const QString &eventId);
    void clearBundle() { m_bundle->clear(); }

    // Every alert notification (tray or not) of this window, newest last: "fired: …".
    QStringList notifications() const { return m_alerts->notifications(); }
    // Shortcut → action text of every action that has one (Help → Keyboard Shortcuts).
    QList<std::pair<QString, QString>> shortcutList() const
    {
        return HelpDialogs::shortcutsOf(menuBar());
    }

    void saveLayout() const;
    void restoreLayout();

signals:
    void workspaceOpened(const QString &name);
    // An import, bulk edit or undo was applied to the running session without reopening it.
    void workspaceReloaded(const QString &summary);
    void bundleChanged(int events);

protected:
    void closeEvent(QCloseEvent *event) override;
    // Minimised, nobody looks: the tick slows to flushing the log's queue every 2 s and
    // repaints nothing; restored, it catches up at once (issue 23: idle like a good citizen).
    void changeEvent(QEvent *event) override;

private:
    void createWidgets();
    void createActions();
    void attachSession(MonitorSession *session);
    void detachSession(MonitorSession *session);
    // The workspace's names and title in every pane (at open and after a reload in place).
    void showWorkspace(const Workspace &ws);
    void onEvent(const ApiEvent &event);
    void onTick();
    // Shows an event in the detail pane and brings the window forward (a desktop
    // notification's "Open in HealthDeck" action).
    void openEvent(const QString &eventId);
    void bringToFront();
    void openComposer();
    void pauseSelection(bool pause);
    void sendNowSelection();
    void copyCurl();
    void acknowledge(const QString &ruleId, const QString &subject);
    void applyTheme(int mode);
    void exportSupportBundle();

    WorkspaceController *m_workspaces = nullptr;
    ConsoleActions *m_actions = nullptr;
    DetailPresenter *m_details = nullptr;
    EventLookup *m_lookup = nullptr;
    BundleBasket *m_bundle = nullptr;
    AlertPresenter *m_alerts = nullptr;
    ConsoleStatusBar *m_status = nullptr;

    AlertBanner *m_banner = nullptr;
    EndpointTree *m_tree = nullptr;
    ChartPanel *m_charts = nullptr;
    ErrorLogModel *m_logModel = nullptr;
    LogPane *m_logPane = nullptr;
    EventDetailView *m_detail = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_logSplitter = nullptr;
    AlertList *m_alertList = nullptr;
    QDockWidget *m_alertDock = nullptr;
    IncidentPanel *m_incidents = nullptr;
    QDockWidget *m_incidentDock = nullptr;
    ErrorBudgetPanel *m_budgetPanel = nullptr; // in m_budgetDock; refreshed once a second
    QDockWidget *m_budgetDock = nullptr;
    QPointer<ComposerWindow> m_composerWindow;
    MetricsOptIn *m_metrics = nullptr;
    QTimer *m_tick = nullptr;
    int m_ticks = 0;
    int m_editTabAfterOpen = -1; // New Workspace: open the editor once the session runs
};

} // namespace hd
