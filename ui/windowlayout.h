#pragma once

// The console's layout kept between runs (issue 22: out of MainWindow): the window's geometry
// and dock state, each splitter under its object name, and one header view. Layout only: never
// a secret, never a workspace value. Stored under "window/" in QSettings.

#include <QList>

class QHeaderView;
class QMainWindow;
class QSplitter;

namespace hd::WindowLayout {

void save(const QMainWindow *window, const QList<QSplitter *> &splitters, const QHeaderView *log);
// What was saved, where there is something; a part never saved keeps its defaults.
void restore(QMainWindow *window, const QList<QSplitter *> &splitters, QHeaderView *log);

} // namespace hd::WindowLayout
