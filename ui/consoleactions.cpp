#include "consoleactions.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace hd {

namespace {

enum class Kind { Action, Separator, Submenu, EndSubmenu, Placed };

struct Entry
{
    Kind kind;
    const char *name = nullptr;
    QString text;
    QKeySequence key;
    QString tip;
};

struct MenuSpec
{
    const char *name;
    QString title;
    QList<Entry> entries;
};

Entry act(const char *name, const QString &text, const QKeySequence &key = {},
          const QString &tip = {})
{
    return {Kind::Action, name, text, key, tip};
}
Entry placed(const char *name, const QKeySequence &key = {}, const QString &text = {})
{
    return {Kind::Placed, name, text, key, {}};
}
const Entry Separator{Kind::Separator};
const Entry EndSubmenu{Kind::EndSubmenu};
Entry submenu(const char *name, const QString &text)
{
    return {Kind::Submenu, name, text, {}, {}};
}

QString tr(const char *text)
{
    return QCoreApplication::translate("hd::MainWindow", text);
}

// The console's menus, in order. Actions named in several menus are made once (the first time).
QList<MenuSpec> menus()
{
    const auto keys = [](const char *k) {
        return QKeySequence(tr(k));
    };
    return {
        {"menuFile",
         tr("&File"),
         {act("actionNewWorkspace", tr("&New Workspace…"), keys("Ctrl+Shift+N")),
          act("actionOpenWorkspace", tr("&Open Workspace…"), QKeySequence::Open),
          submenu("menuRecent", tr("Open &Recent")), EndSubmenu,
          act("actionOpenDemo", tr("Open &Demo Workspace")),
          act("actionImport", tr("&Import…"), keys("Ctrl+I")), Separator,
          act("actionSaveWorkspace", tr("&Save Workspace"), QKeySequence::Save),
          act("actionSaveWorkspaceAs", tr("Save Workspace &As…"), keys("Ctrl+Shift+S")), Separator,
          act("actionExportBundle", tr("Export Support &Bundle…"), keys("Ctrl+Shift+E")), Separator,
          act("actionQuit", tr("&Quit"), QKeySequence::Quit)}},
        {"menuWorkspace",
         tr("&Workspace"),
         {act("actionEditWorkspace", tr("&Edit Workspace…"), keys("Ctrl+E")), Separator,
          act("actionEditEnvironments", tr("En&vironments…")),
          act("actionEditCredentials", tr("&Credentials…")),
          act("actionEditEndpoints", tr("E&ndpoints…")),
          act("actionEditAlertRules", tr("&Alert Rules…")), Separator,
          act("actionSetSecret", tr("Set &Secret…")), Separator,
          act("actionBulkEdit", tr("&Bulk Edit Endpoints…"), keys("Ctrl+Shift+B")),
          // Imports and bulk edits, one step each (the editor dialog keeps its own stack).
          placed("actionUndo", QKeySequence::Undo), placed("actionRedo", QKeySequence::Redo)}},
        {"menuPolling",
         tr("&Polling"),
         {act("actionPause", tr("&Pause"), keys("Ctrl+P"),
              tr("Pause polling of the selection (everything when nothing is selected)")),
          act("actionResume", tr("&Resume"), keys("Ctrl+Shift+P"),
              tr("Resume polling of the selection")),
          act("actionSendNow", tr("&Send Now"), QKeySequence(Qt::Key_F5),
              tr("Send one request for the selection now"))}},
        {"menuLog",
         tr("&Log"),
         {act("actionFocusFilter", tr("&Filter…"), QKeySequence::Find),
          act("actionClearFilter", tr("Clear Filter"), keys("Ctrl+Shift+F")), Separator,
          act("actionNextFailure", tr("&Next Failure"), QKeySequence(Qt::Key_F8)),
          act("actionPreviousFailure", tr("&Previous Failure"), keys("Shift+F8")), Separator,
          act("actionCopyCurl", tr("Copy as &curl"), keys("Ctrl+Shift+C")),
          act("actionAddToBundle", tr("Add to Support &Bundle"), keys("Ctrl+B")),
          act("actionClearBundle", tr("Empty the Bundle Basket"))}},
        {"menuAlerts",
         tr("&Alerts"),
         {act("actionAcknowledge", tr("&Acknowledge"), keys("Ctrl+K")),
          placed("actionShowAlerts", keys("Ctrl+Shift+A"), tr("Alert &List")),
          placed("actionShowIncidents", keys("Ctrl+Shift+I"), tr("&Incidents")),
          act("actionNotifications", tr("&Notifications…"))}},
        {"menuView",
         tr("&View"),
         {submenu("menuTheme", tr("&Theme")), act("actionThemeSystem", tr("&System")),
          act("actionThemeLight", tr("&Light")), act("actionThemeDark", tr("&Dark")), EndSubmenu,
          placed("actionShowToolBar"), placed("actionShowErrorBudget"),
          act("actionShowDetail", tr("Event &detail"), keys("Ctrl+Shift+D")), Separator,
          placed("actionServeMetrics"), placed("actionMetricsAddress")}},
        {"menuTools",
         tr("&Tools"),
         {act("actionComposer", tr("&Compose Request…"), keys("Ctrl+R")),
          act("actionProfileLab", tr("&Profile Lab…"))}},
        {"menuHelp",
         tr("&Help"),
         {act("actionShortcuts", tr("&Keyboard Shortcuts"), keys("Ctrl+/")),
          act("actionAbout", tr("&About HealthDeck"))}},
    };
}

} // namespace

ConsoleActions::ConsoleActions(QMainWindow *window, QWidget *tree,
                               const QHash<QString, QAction *> &externals)
    : QObject(window)
    , m_actions(externals)
{
    // Made before the menus: its toggle is placed in View.
    auto *bar = new QToolBar(tr("Polling"), window);
    bar->setObjectName(QStringLiteral("pollingToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    window->addToolBar(bar);
    m_actions.insert(QStringLiteral("actionShowToolBar"), bar->toggleViewAction());

    for (const MenuSpec &spec : menus()) {
        QMenu *top = window->menuBar()->addMenu(spec.title);
        top->setObjectName(QLatin1String(spec.name));
        QMenu *menu = top;
        for (const Entry &e : spec.entries) {
            const QString name = e.name ? QLatin1String(e.name) : QString();
            switch (e.kind) {
            case Kind::Separator:
                menu->addSeparator();
                break;
            case Kind::Submenu:
                menu = top->addMenu(e.text);
                menu->setObjectName(name);
                m_menus.insert(name, menu);
                break;
            case Kind::EndSubmenu:
                menu = top;
                break;
            case Kind::Placed:
            case Kind::Action: {
                QAction *a = m_actions.value(name);
                if (!a && e.kind == Kind::Placed)
                    continue;
                if (!a) {
                    a = new QAction(e.text, window);
                    a->setToolTip(e.tip.isEmpty() ? a->toolTip() : e.tip);
                    m_actions.insert(name, a);
                } else if (!e.text.isEmpty()) {
                    a->setText(e.text);
                }
                a->setObjectName(name);
                if (!e.key.isEmpty())
                    a->setShortcut(e.key);
                menu->addAction(a);
                break;
            }
            }
        }
    }
    auto *themes = new QActionGroup(this);
    themes->setObjectName(QStringLiteral("themeGroup"));
    for (const char *name : {"actionThemeSystem", "actionThemeLight", "actionThemeDark"}) {
        get(name)->setCheckable(true);
        themes->addAction(get(name));
    }
    get("actionShowDetail")->setCheckable(true);
    get("actionShowDetail")->setChecked(true);

    bar->addActions({get("actionPause"), get("actionResume"), get("actionSendNow")});
    bar->addSeparator();
    bar->addAction(get("actionComposer"));
    // Right-click on the tree: what applies to the selected rows (several with Ctrl/Shift).
    auto *separator = new QAction(tree);
    separator->setSeparator(true);
    tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    tree->addActions({get("actionPause"), get("actionResume"), get("actionSendNow"),
                      get("actionComposer"), separator, get("actionBulkEdit")});
}

} // namespace hd
