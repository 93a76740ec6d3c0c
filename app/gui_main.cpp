// healthdeck: the desktop console. Composition root only.
#include "clicommand.h"
#include "datadirectory.h"
#include "healthdeck/version.h"
#include "mainwindow.h"
#include "metrics/metricsoptin.h"

#include <QApplication>
#include <QStatusBar>

#include <cstdio>

int main(int argc, char **argv)
{
    // --version and --help work without a display (packaging checks, ssh sessions).
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--version" || arg == "-v") {
            std::printf("%s\n", qPrintable(hd::cli::versionText(QStringLiteral("healthdeck"))));
            return 0;
        }
        if (arg == "--help" || arg == "-h") {
            std::printf(
                "Usage: healthdeck [--workspace FILE] [--metrics HOST:PORT] [--version] [--help]\n"
                "                  [Qt options]\n"
                "HealthDeck: health console for trading and broker APIs.\n"
                "Without --workspace it reopens the last workspace; on first run it asks: the\n"
                "built-in demo on the in-process simulator, or your own API (a curl command or\n"
                "an OpenAPI, Postman or HAR file).\n"
                "--metrics serves Prometheus /metrics on HOST:PORT (loopback by default) and\n"
                "remembers the choice (View > Serve Prometheus /metrics turns it off).\n"
                "Headless use: see 'hdeck --help'.\n");
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("HealthDeck"));
    QApplication::setOrganizationName(QStringLiteral("HealthDeck"));
    QApplication::setApplicationVersion(QStringLiteral(HEALTHDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("healthdeck"));

    QString workspace;
    QString metrics;
    const QStringList args = QApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--workspace")
            workspace = args[i + 1];
        else if (args[i] == u"--metrics")
            metrics = args[i + 1];
    }

    // Data from releases that kept it in ~/.local/share/HealthDeck/HealthDeck moves to
    // ~/.local/share/healthdeck once (docs/console.md, "Where the data is").
    const hd::DataDirectory::Migration moved = hd::DataDirectory::migrate();
    if (!moved.problem.isEmpty())
        std::fprintf(stderr, "healthdeck: %s\n", qPrintable(moved.problem));

    hd::MainWindow window;
    window.show();
    if (moved.moved)
        window.statusBar()->showMessage(
            QApplication::translate("main", "Moved HealthDeck's data to %1")
                .arg(hd::DataDirectory::path()),
            30000);
    else if (!moved.problem.isEmpty())
        window.statusBar()->showMessage(moved.problem, 60000);
    if (metrics.isEmpty()) {
        window.metrics()->restore();
    } else {
        QString error = window.metrics()->setAddress(metrics);
        if (error.isEmpty())
            error = window.metrics()->setEnabled(true);
        if (!error.isEmpty())
            std::fprintf(stderr, "healthdeck: --metrics: %s\n", qPrintable(error));
    }
    // --workspace, else the workspace of the last run, else (first run) the first-run dialog.
    window.openStartupWorkspace(workspace);
    return QApplication::exec();
}
