#pragma once

// Every menu action of the console (issue 22: MainWindow keeps only the wiring). The menus,
// the Polling tool bar and the endpoint tree's context menu are built from one table in
// consoleactions.cpp: object name, text, shortcut and tooltip of each action, in menu order.
// Actions made elsewhere (undo/redo, dock toggles) are placed by name. MainWindow connects the
// actions to what they do; tests and other panes find them by object name.

#include <QAction>
#include <QHash>
#include <QObject>
#include <QString>

class QMainWindow;
class QMenu;
class QWidget;

namespace hd {

class ConsoleActions : public QObject
{
    Q_OBJECT
public:
    // Builds window's menu bar and tool bar, and tree's context menu. externals: actions made
    // elsewhere, by the object name the table places them under.
    ConsoleActions(QMainWindow *window, QWidget *tree, const QHash<QString, QAction *> &externals);

    // The action with this object name (made here or placed); nullptr when there is none.
    QAction *get(const char *name) const { return m_actions.value(QLatin1String(name)); }
    // A submenu by object name ("menuRecent", "menuTheme").
    QMenu *menu(const char *name) const { return m_menus.value(QLatin1String(name)); }
    // Runs f (in context's thread and lifetime) when the action is triggered.
    template<typename Receiver, typename F>
    void on(const char *name, const Receiver *context, F &&f) const
    {
        QObject::connect(get(name), &QAction::triggered, context, std::forward<F>(f));
    }

private:
    QHash<QString, QAction *> m_actions;
    QHash<QString, QMenu *> m_menus;
};

} // namespace hd
