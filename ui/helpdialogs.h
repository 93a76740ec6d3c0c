#pragma once

// Help → Keyboard Shortcuts and Help → About (issue 22: out of MainWindow).

#include <QList>
#include <QString>

#include <utility>

class QMenuBar;
class QWidget;

namespace hd::HelpDialogs {

// "HealthDeck 0.1.0", the Qt it runs on and was built with, the build and the system.
QString aboutText();
void showAbout(QWidget *parent);
// Keys → action text of every action in the menu bar's menus that has a shortcut (each once),
// then the keys that live inside dialogs (the composer's send, undo/redo).
QList<std::pair<QString, QString>> shortcutsOf(const QMenuBar *bar);
// A two-column table of list (window-modal, open()).
void showShortcuts(QWidget *parent, const QList<std::pair<QString, QString>> &list);

} // namespace hd::HelpDialogs
