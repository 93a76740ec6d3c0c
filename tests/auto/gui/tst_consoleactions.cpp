// ConsoleActions (issue 22): every menu action of the console from one table — named, placed,
// and no shortcut bound twice.
#include "consoleactions.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTest>
#include <QToolBar>

using namespace hd;

class TestConsoleActions : public QObject
{
    Q_OBJECT
private slots:
    void everyMenuActionIsNamedAndShortcutsAreUnique();
    void externalsArePlacedByName();
    void toolbarAndTreeCarryThePollingActions();
};

void TestConsoleActions::everyMenuActionIsNamedAndShortcutsAreUnique()
{
    QMainWindow window;
    QWidget tree;
    ConsoleActions actions(&window, &tree, {});
    QSet<QString> names;
    QHash<QKeySequence, QString> keys;
    const auto menus = window.menuBar()->findChildren<QMenu *>();
    QVERIFY(menus.size() >= 10);
    for (QMenu *menu : menus)
        for (QAction *a : menu->actions()) {
            if (a->isSeparator() || a->menu())
                continue;
            QVERIFY2(!a->objectName().isEmpty(), qPrintable(a->text()));
            names.insert(a->objectName());
            if (a->shortcut().isEmpty())
                continue;
            QVERIFY2(!keys.contains(a->shortcut()) || keys.value(a->shortcut()) == a->objectName(),
                     qPrintable(a->shortcut().toString() + u' ' + a->objectName() + u' '
                                + keys.value(a->shortcut())));
            keys.insert(a->shortcut(), a->objectName());
        }
    for (const char *name : {"actionOpenWorkspace", "actionExportBundle", "actionPause",
                             "actionNextFailure", "actionAcknowledge", "actionThemeDark",
                             "actionShowDetail", "actionComposer", "actionAbout"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
    QVERIFY(actions.menu("menuRecent"));
    QVERIFY(actions.menu("menuTheme"));
    QCOMPARE(actions.get("actionPause")->shortcut(), QKeySequence(QStringLiteral("Ctrl+P")));
    QVERIFY(actions.get("actionThemeDark")->isCheckable());
    QVERIFY(actions.get("actionShowDetail")->isChecked());
    QVERIFY(!actions.get("actionUndo")); // placed only when given
}

void TestConsoleActions::externalsArePlacedByName()
{
    QMainWindow window;
    QWidget tree;
    auto *undo = new QAction(QStringLiteral("Undo it"), &window);
    auto *alerts = new QAction(QStringLiteral("toggle"), &window);
    ConsoleActions actions(
        &window, &tree,
        {{QStringLiteral("actionUndo"), undo}, {QStringLiteral("actionShowAlerts"), alerts}});
    QCOMPARE(actions.get("actionUndo"), undo);
    QCOMPARE(undo->objectName(), QStringLiteral("actionUndo"));
    QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
    QCOMPARE(undo->text(), QStringLiteral("Undo it")); // a placed action keeps its own text…
    QCOMPARE(alerts->text(), QStringLiteral("Alert &List")); // …unless the table names one
    auto *workspace = window.menuBar()->findChild<QMenu *>(QStringLiteral("menuWorkspace"));
    QVERIFY(workspace->actions().contains(undo));
}

void TestConsoleActions::toolbarAndTreeCarryThePollingActions()
{
    QMainWindow window;
    QWidget tree;
    ConsoleActions actions(&window, &tree, {});
    auto *bar = window.findChild<QToolBar *>(QStringLiteral("pollingToolBar"));
    QVERIFY(bar);
    QVERIFY(bar->actions().contains(actions.get("actionPause")));
    QVERIFY(bar->actions().contains(actions.get("actionComposer")));
    QCOMPARE(actions.get("actionShowToolBar"), bar->toggleViewAction());
    QCOMPARE(tree.contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(tree.actions().contains(actions.get("actionSendNow")));
    QVERIFY(tree.actions().contains(actions.get("actionBulkEdit")));
}

QTEST_MAIN(TestConsoleActions)
#include "tst_consoleactions.moc"
