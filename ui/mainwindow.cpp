// The console's layout and action wiring: the panes, splitters and docks; what each menu action
// (ConsoleActions) does; attaching the panes to each session WorkspaceController adopts. The
// jobs behind the actions are classes of their own (see mainwindow.h).

#include "mainwindow.h"

#include "alertbanner.h"
#include "alertlist.h"
#include "alertpresenter.h"
#include "charts/chartpanel.h"
#include "clock.h"
#include "composer/composerwindow.h"
#include "composer/requestcomposer.h"
#include "consoleactions.h"
#include "consolestatusbar.h"
#include "detailpresenter.h"
#include "endpointtree.h"
#include "errorbudgetpanel.h"
#include "errorlogmodel.h"
#include "eventdetailview.h"
#include "eventlookup.h"
#include "filtercompleter.h"
#include "helpdialogs.h"
#include "historystore.h"
#include "incidentpanel.h"
#include "logpane.h"
#include "logview.h"
#include "metrics/metricsoptin.h"
#include "monitorsession.h"
#include "pollingcontrol.h"
#include "pollscheduler.h"
#include "profilelab.h"
#include "theme.h"
#include "windowlayout.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QSplitter>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace hd {

namespace {
constexpr int TickMs = 250;
constexpr int MinimizedTickMs = 2000;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("HealthDeck"));
    resize(1500, 900);
    Theme::applySaved();
    m_workspaces = new WorkspaceController(this);
    m_lookup = new EventLookup(this);
    m_bundle = new BundleBasket(this);
    createWidgets();
    createActions();
    restoreLayout();

    connect(m_workspaces, &WorkspaceController::sessionAdopted, this, &MainWindow::attachSession);
    connect(m_workspaces, &WorkspaceController::sessionClosing, this, &MainWindow::detachSession);
    m_status->follow(m_workspaces, m_bundle);
    connect(m_workspaces, &WorkspaceController::workspaceOpened, this, [this] {
        onTick();
        m_status->refreshHistory();
        if (m_editTabAfterOpen >= 0)
            m_workspaces->editWorkspace(std::exchange(m_editTabAfterOpen, -1));
    });
    connect(m_workspaces, &WorkspaceController::workspaceReloaded, this, [this] {
        showWorkspace(workspace());
        m_alerts->setSession(session()); // channels and rules may have changed
        m_status->pausedChanged();
        onTick();
    });
    // Forwarded after the window has caught up, so whoever listens sees the panes current.
    connect(m_workspaces, &WorkspaceController::workspaceOpened, this,
            &MainWindow::workspaceOpened);
    connect(m_workspaces, &WorkspaceController::workspaceReloaded, this,
            &MainWindow::workspaceReloaded);
    connect(m_bundle, &BundleBasket::changed, this, &MainWindow::bundleChanged);

    m_tick = new QTimer(this);
    m_tick->setInterval(TickMs);
    connect(m_tick, &QTimer::timeout, this, &MainWindow::onTick);
    m_tick->start();
    onTick();
}

MainWindow::~MainWindow()
{
    // Children go while this object is still a MainWindow: their last signals reach slots
    // that touch this class's members.
    delete m_composerWindow.data();
    delete m_workspaces; // closes the session while the panes it detaches from still exist
    m_workspaces = nullptr;
}

// ---- widgets ------------------------------------------------------------------------------

void MainWindow::createWidgets()
{
    m_banner = new AlertBanner;
    connect(m_banner, &AlertBanner::acknowledgeRequested, this, &MainWindow::acknowledge);

    m_tree = new EndpointTree;
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_logModel = new ErrorLogModel(Clock::system(), this);
    m_logPane = new LogPane(m_logModel);
    m_detail = new EventDetailView;
    connect(m_detail, &EventDetailView::addToSupportBundleRequested, this,
            &MainWindow::addToBundle);

    m_charts = new ChartPanel(Clock::system());
    connect(m_tree, &EndpointTree::scopeChanged, m_charts, &ChartPanel::setScope);

    const auto splitter = [](Qt::Orientation o, const char *name, const QList<QWidget *> &parts,
                             const QList<int> &stretch, const QList<int> &sizes) {
        auto *s = new QSplitter(o);
        s->setObjectName(QLatin1String(name));
        for (int i = 0; i < parts.size(); ++i) {
            s->addWidget(parts[i]);
            s->setStretchFactor(i, stretch[i]);
        }
        s->setSizes(sizes);
        return s;
    };
    m_logSplitter = splitter(Qt::Vertical, "logSplitter", {m_charts, m_logPane, m_detail},
                             {3, 3, 2}, {400, 300, 200});
    // The log keeps a readable height (LogPane's minimum) whatever the detail pane wants; the
    // detail pane folds away (drag it shut, or View → Event detail).
    m_logSplitter->setCollapsible(1, false);
    m_logSplitter->setCollapsible(2, true);

    m_mainSplitter
        = splitter(Qt::Horizontal, "mainSplitter", {m_tree, m_logSplitter}, {1, 3}, {530, 970});

    auto *central = new QWidget;
    central->setObjectName(QStringLiteral("centralWidget"));
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    const auto dock = [this](const QString &title, const char *name, QWidget *widget) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(QLatin1String(name));
        d->setWidget(widget);
        addDockWidget(Qt::BottomDockWidgetArea, d);
        d->hide();
        return d;
    };
    m_alertList = new AlertList;
    connect(m_alertList, &AlertList::acknowledgeRequested, this, &MainWindow::acknowledge);
    m_alertDock = dock(tr("Alerts"), "alertDock", m_alertList);
    connect(m_banner, &AlertBanner::showListRequested, this, [this] {
        m_alertDock->show();
        m_alertDock->raise();
    });
    m_budgetPanel = new ErrorBudgetPanel;
    m_budgetDock = dock(tr("Error budget"), "errorBudgetDock", m_budgetPanel);
    tabifyDockWidget(m_alertDock, m_budgetDock);
    // Incidents: what happened to each alert, who took it, notes (docs/incidents.md).
    m_incidents = new IncidentPanel;
    connect(m_incidents, &IncidentPanel::eventRequested, this, &MainWindow::openEvent);
    connect(m_incidents, &IncidentPanel::acknowledged, this, [this] { m_alerts->refresh(); });
    m_incidentDock = dock(tr("Incidents"), "incidentDock", m_incidents);
    tabifyDockWidget(m_alertDock, m_incidentDock);

    m_alerts = new AlertPresenter(this, m_banner, m_alertList, m_alertDock, Clock::system());
    connect(m_alerts, &AlertPresenter::openEventRequested, this, &MainWindow::openEvent);
    connect(m_alerts, &AlertPresenter::showWindowRequested, this, &MainWindow::bringToFront);
    m_metrics = new MetricsOptIn(this);
    m_status = new ConsoleStatusBar(statusBar(), m_metrics, Clock::system());
    m_details = new DetailPresenter(m_logPane->view(), m_logModel, m_detail, m_lookup, this);
    connect(m_details, &DetailPresenter::statusMessage, m_status, &ConsoleStatusBar::showMessage);
}

void MainWindow::createActions()
{
    m_actions = new ConsoleActions(
        this, m_tree,
        {{QStringLiteral("actionUndo"), undoStack()->createUndoAction(this, tr("&Undo"))},
         {QStringLiteral("actionRedo"), undoStack()->createRedoAction(this, tr("&Redo"))},
         {QStringLiteral("actionShowAlerts"), m_alertDock->toggleViewAction()},
         {QStringLiteral("actionShowIncidents"), m_incidentDock->toggleViewAction()},
         {QStringLiteral("actionShowErrorBudget"), m_budgetDock->toggleViewAction()},
         {QStringLiteral("actionServeMetrics"), m_metrics->toggleAction()},
         {QStringLiteral("actionMetricsAddress"), m_metrics->addressAction()}});
    const ConsoleActions &a = *m_actions;
    WorkspaceController *ws = m_workspaces;
    a.on("actionNewWorkspace", this, [this] {
        // An empty workspace: start with its first environment once it runs.
        if (m_workspaces->newWorkspace())
            m_editTabAfterOpen = 0;
    });
    a.on("actionOpenWorkspace", ws, &WorkspaceController::chooseWorkspaceFile);
    ws->attachRecentMenu(a.menu("menuRecent"));
    a.on("actionOpenDemo", ws, &WorkspaceController::openDemoWorkspace);
    a.on("actionImport", ws, &WorkspaceController::importIntoWorkspace);
    a.on("actionSaveWorkspace", ws, &WorkspaceController::saveWorkspace);
    a.on("actionSaveWorkspaceAs", ws, &WorkspaceController::saveWorkspaceAs);
    a.on("actionExportBundle", this, &MainWindow::exportSupportBundle);
    a.on("actionQuit", this, &QWidget::close);
    const char *editors[]
        = {"actionEditWorkspace", "actionEditEnvironments", "actionEditCredentials",
           "actionEditEndpoints", "actionEditAlertRules"};
    for (int tab = -1; tab < 4; ++tab)
        a.on(editors[tab + 1], ws, [ws, tab] { ws->editWorkspace(tab); });
    a.on("actionSetSecret", ws, &WorkspaceController::setSecretFromMenu);
    a.on("actionBulkEdit", this, &MainWindow::bulkEditSelection);

    a.on("actionPause", this, [this] { pauseSelection(true); });
    a.on("actionResume", this, [this] { pauseSelection(false); });
    a.on("actionSendNow", this, &MainWindow::sendNowSelection);

    a.on("actionFocusFilter", m_logPane, &LogPane::focusFilter);
    a.on("actionClearFilter", m_logPane, &LogPane::clearFilter);
    for (const auto &[name, direction] :
         {std::pair{"actionNextFailure", +1}, std::pair{"actionPreviousFailure", -1}})
        a.on(name, this, [this, direction = direction] {
            if (!m_logPane->selectFailure(direction))
                m_status->showMessage(tr("No further failure in the log"), 3000);
        });
    a.on("actionCopyCurl", this, &MainWindow::copyCurl);
    a.on("actionAddToBundle", this, [this] {
        if (m_detail->hasEvent())
            addToBundle(m_detail->shownEvent().id);
    });
    a.on("actionClearBundle", m_bundle, &BundleBasket::clear);

    a.on("actionAcknowledge", this, [this] {
        if (m_banner->hasAlert())
            acknowledge(m_banner->alert().ruleId, m_banner->alert().subject);
    });
    a.on("actionNotifications", m_alerts, [this] { m_alerts->showNotifications(this); });

    const char *themes[] = {"actionThemeSystem", "actionThemeLight", "actionThemeDark"};
    for (int i = 0; i < 3; ++i) {
        a.get(themes[i])->setChecked(int(Theme::mode()) == i);
        a.on(themes[i], this, [this, i] { applyTheme(i); });
    }
    connect(a.get("actionShowDetail"), &QAction::toggled, m_detail, &QWidget::setVisible);

    a.on("actionComposer", this, &MainWindow::openComposer);
    a.on("actionProfileLab", this, [this] {
        // Teach HealthDeck a new error format: edit, see, save.
        auto *lab = new ProfileLab(this);
        lab->setWindowFlag(Qt::Window);
        lab->setAttribute(Qt::WA_DeleteOnClose);
        lab->resize(1100, 720);
        lab->show();
    });
    a.on("actionShortcuts", this, [this] { HelpDialogs::showShortcuts(this, shortcutList()); });
    a.on("actionAbout", this, [this] { HelpDialogs::showAbout(this); });
}

// ---- sessions -----------------------------------------------------------------------------

void MainWindow::attachSession(MonitorSession *session)
{
    m_status->setSession(session);
    m_metrics->setSession(session);
    m_incidents->setSession(session);
    m_lookup->clear();
    m_lookup->setHistory(session->history());
    m_alerts->clear();
    m_alerts->setSession(session);
    connect(session, &MonitorSession::eventReady, this, &MainWindow::onEvent);

    m_logModel->clear();
    m_logModel->setHistorySource(session->history());
    if (session->history())
        m_logModel->loadHistory(m_logModel->defaultHistoryRange());
    m_logPane->applyFilter();
    m_detail->showNothing();
    m_tree->setAggregator(session->aggregator());
    m_tree->setPausedQuery([session](const QString &id) {
        return session->engine() && session->engine()->scheduler()
               && session->engine()->scheduler()->isEndpointPaused(id);
    });
    // Paused state is signalled, not polled: the tree and the status bar re-read it on change.
    if (PollScheduler *scheduler = session->engine() ? session->engine()->scheduler() : nullptr)
        connect(scheduler, &PollScheduler::pausedChanged, this, [this] {
            m_tree->refreshPaused();
            m_status->pausedChanged();
        });
    if (m_composerWindow)
        m_composerWindow->composer()->setSession(session);
    showWorkspace(workspace());
    m_charts->setWindows(&session->alerts()->windows());
}

void MainWindow::detachSession(MonitorSession *session)
{
    m_charts->clearSources(); // before the old session's aggregator goes
    m_logModel->setHistorySource(nullptr);
    if (m_composerWindow)
        m_composerWindow->composer()->setSession(nullptr);
    m_tree->setAggregator(nullptr);
    m_tree->setPausedQuery({});
    m_metrics->setSession(nullptr);
    m_incidents->setSession(nullptr);
    m_lookup->setHistory(nullptr);
    m_alerts->setSession(nullptr);
    m_status->setSession(nullptr);
    disconnect(session, nullptr, this, nullptr);
    if (PollScheduler *scheduler = session->engine() ? session->engine()->scheduler() : nullptr)
        disconnect(scheduler, nullptr, this, nullptr);
}

void MainWindow::showWorkspace(const Workspace &ws)
{
    m_detail->setWorkspace(ws);
    m_tree->setWorkspace(ws);
    m_tree->refreshPaused();
    QStringList envIds, endpointIds;
    for (const Environment &e : ws.environments)
        envIds.append(e.id);
    for (const Endpoint &e : ws.endpoints)
        endpointIds.append(e.id);
    m_logPane->completer()->setVocabulary(envIds, endpointIds);
    if (MonitorSession *s = session())
        m_charts->setSources(s->aggregator(), s->history(), ws);
    setWindowTitle(QStringLiteral("%1 — HealthDeck").arg(ws.name));
}

void MainWindow::bulkEditSelection()
{
    m_workspaces->bulkEdit(m_tree->selectedEndpoints());
}

// ---- composer, polling, log ---------------------------------------------------------------

void MainWindow::openComposer()
{
    if (!m_composerWindow) {
        m_composerWindow = new ComposerWindow(session(), m_tree->selectedEndpoint(), this);
        connect(m_composerWindow->composer(), &RequestComposer::eventReady, this,
                [this](const ApiEvent &e) {
                    // Into the log (and the detail pane's memory), not history or the charts.
                    m_logModel->append(e);
                    m_lookup->insert(e);
                });
    }
    m_composerWindow->present();
}

void MainWindow::pauseSelection(bool pause)
{
    if (!session() || !session()->engine())
        return;
    const int n
        = PollingControl::setPaused(session()->engine()->scheduler(), *m_tree, workspace(), pause);
    m_status->showMessage(pause ? tr("Paused %n endpoint(s)", nullptr, n)
                                : tr("Resumed %n endpoint(s)", nullptr, n),
                          4000);
    m_tree->refresh(); // paused labels follow PollScheduler::pausedChanged
    onTick();
}

void MainWindow::sendNowSelection()
{
    if (!session() || !session()->engine())
        return;
    const int n = PollingControl::sendNow(session()->engine()->scheduler(), *m_tree);
    m_status->showMessage(tr("Sent %n request(s) now", nullptr, n), 4000);
}

void MainWindow::copyCurl()
{
    const QString curl = m_detail->curlCommand();
    if (curl.isEmpty())
        return;
    QApplication::clipboard()->setText(curl);
    m_status->showMessage(tr("Copied the request as curl; secrets are $VARIABLES"), 4000);
}

void MainWindow::addToBundle(const QString &eventId)
{
    if (m_bundle->add(eventId))
        m_status->showMessage(
            tr("Added to the support bundle (%n event(s))", nullptr, m_bundle->size()), 4000);
}

void MainWindow::exportSupportBundle()
{
    // The basket ("Add to support bundle") plus whatever is selected in the log.
    QStringList selected;
    for (const QModelIndex &index : m_logPane->view()->selectionModel()->selectedRows())
        selected.append(m_logModel->eventId(index.row()));
    m_bundle->exportBundle(this, session(), m_lookup, selected);
}

void MainWindow::onEvent(const ApiEvent &event)
{
    m_status->eventArrived();
    m_logModel->append(event);
    m_tree->record(event);
    m_alerts->record(event);
    m_lookup->insert(event);
}

void MainWindow::onTick()
{
    // One batch per tick: the log model inserts once, the tree repaints what changed.
    m_logModel->flush();
    if (isMinimized())
        return; // nothing on screen to bring up to date (changeEvent catches up)
    m_tree->refresh();
    if (session() && session()->aggregator())
        m_tree->refreshStreams(*session()->aggregator());
    ++m_ticks;
    if (m_ticks % (5000 / TickMs) == 0) {
        m_status->refreshHistory();
        if (m_incidentDock->isVisible())
            m_incidents->refreshDurations();
    }
    m_alerts->refresh();
    if (m_ticks % (1000 / TickMs) == 0)
        m_budgetPanel->refresh(session());
    m_status->refresh(m_workspaces->warnings(), m_workspaces->isOpening());
}

void MainWindow::bringToFront()
{
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::openEvent(const QString &eventId)
{
    bringToFront();
    m_details->showEvent(eventId);
}

// ---- alerts -------------------------------------------------------------------------------

void MainWindow::acknowledge(const QString &ruleId, const QString &subject)
{
    const QString who = m_incidents->author();
    if (m_alerts->acknowledge(ruleId, subject, who))
        m_status->showMessage(tr("Acknowledged %1 on %2 as %3").arg(ruleId, subject, who), 4000);
}

// ---- view, layout -------------------------------------------------------------------------

void MainWindow::applyTheme(int mode)
{
    Theme::applyAndSave(Theme::Mode(mode));
    const char *themes[] = {"actionThemeSystem", "actionThemeLight", "actionThemeDark"};
    if (mode >= 0 && mode < 3)
        m_actions->get(themes[mode])->setChecked(true);
    m_logPane->applyFilter(); // the error colour follows the palette
    m_alerts->refresh();
}

void MainWindow::saveLayout() const
{
    WindowLayout::save(this, {m_mainSplitter, m_logSplitter},
                       m_logPane->view()->horizontalHeader());
}

void MainWindow::restoreLayout()
{
    WindowLayout::restore(this, {m_mainSplitter, m_logSplitter},
                          m_logPane->view()->horizontalHeader());
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() != QEvent::WindowStateChange || !m_tick)
        return;
    m_tick->setInterval(isMinimized() ? MinimizedTickMs : TickMs);
    if (!isMinimized())
        onTick();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    m_workspaces->windowClosing();
    QMainWindow::closeEvent(event);
}

} // namespace hd
