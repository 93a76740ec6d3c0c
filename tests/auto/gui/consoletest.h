#pragma once

// Helpers for the console's GUI tests: a private home for QSettings and the history files
// (so tests never read or write the user's, and parallel tests never share a history lock),
// small sim workspaces written to disk, and waiting for the window's session.

#include "mainwindow.h"
#include "workspace.h"
#include "workspacefile.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace hd::test {

// Call first in initTestCase(), before anything touches QSettings or QStandardPaths.
inline void isolateUserDirectories(const QTemporaryDir &dir)
{
    qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", dir.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CACHE_HOME", dir.filePath(QStringLiteral("cache")).toUtf8());
}

// A workspace on the built-in simulator: one environment "test", endpoints as given.
inline Workspace simWorkspace(const QString &name, const QList<Endpoint> &endpoints,
                              const QList<AlertRule> &alerts = {})
{
    Workspace ws;
    ws.name = name;
    ws.simulator = true;
    Environment env;
    env.id = QStringLiteral("test");
    env.name = QStringLiteral("Test");
    env.baseUrl = QStringLiteral("sim:/prod");
    ws.environments.append(env);
    ws.endpoints = endpoints;
    ws.alerts = alerts;
    return ws;
}

inline Endpoint simEndpoint(const QString &id, const QString &path, int intervalMs)
{
    Endpoint ep;
    ep.id = id;
    ep.name = id;
    ep.environment = QStringLiteral("test");
    ep.path = path;
    ep.intervalMs = intervalMs;
    ep.timeoutMs = 3000;
    return ep;
}

inline bool openAndWait(MainWindow &w, const QString &path, int timeoutMs = 20000)
{
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    if (!w.openWorkspaceFile(path))
        return false;
    return opened.size() > 0 || opened.wait(timeoutMs);
}

inline bool openDemoAndWait(MainWindow &w, int timeoutMs = 20000)
{
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    if (!w.openDemoWorkspace())
        return false;
    return opened.size() > 0 || opened.wait(timeoutMs);
}

// A screenshot for docs/screenshots when asked for (HD_SCREENSHOT_DIR=dir, run under Xvfb);
// nothing otherwise.
inline void docScreenshot(QWidget *w, const char *name)
{
    const QString dir = qEnvironmentVariable("HD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w));
    QTest::qWait(100); // let the layout settle before the grab
    QVERIFY(w->grab().save(QDir(dir).filePath(QLatin1String(name))));
}

} // namespace hd::test
