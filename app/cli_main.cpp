// hdeck: the HealthDeck engine without a GUI, for servers, scripts and Prometheus.
#include "clicommand.h"
#include "healthdeck/version.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace hd::cli;

static void printUsage(FILE *to)
{
    std::fputs("Usage: hdeck COMMAND [OPTIONS]\n\nCommands:\n", to);
    for (const Command &c : commands())
        std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
    std::fputs("\nRun 'hdeck COMMAND --help' for a command's options.\n"
               "Exit status: 0 the command did its job, 1 failure, 2 usage error.\n",
               to);
}

// A QGuiApplication for the report renderer. Qt warns on start-up when XDG_RUNTIME_DIR is unset
// (root in a container, a cron job); hdeck never uses that folder, and its stderr carries one
// line per error for scripts, so that one warning is not passed on.
static QtMessageHandler g_previousHandler = nullptr;

static void quietStartup(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.startsWith(u"QStandardPaths: XDG_RUNTIME_DIR not set"))
        return;
    g_previousHandler(type, context, message);
}

static std::unique_ptr<QCoreApplication> guiApplication(int &argc, char **argv)
{
    g_previousHandler = qInstallMessageHandler(quietStartup);
    auto app = std::make_unique<QGuiApplication>(argc, argv);
    qInstallMessageHandler(g_previousHandler);
    return app;
}

int main(int argc, char **argv)
{
    // The support bundle's PDF is laid out by QtGui's text engine (real fonts, every script),
    // which needs a QGuiApplication: `hdeck export` gets one, on the offscreen platform unless
    // the user chose another, so it needs no display. Every other command runs on
    // QCoreApplication and loads no platform plugin.
    const bool layoutText = argc > 1 && std::strcmp(argv[1], "export") == 0;
    if (layoutText && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const std::unique_ptr<QCoreApplication> app
        = layoutText ? guiApplication(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("HealthDeck"));
    QCoreApplication::setOrganizationName(QStringLiteral("HealthDeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HEALTHDECK_VERSION));

    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        printUsage(stderr);
        return Usage;
    }
    const QString first = args.takeFirst();
    if (first == u"--help" || first == u"-h" || first == u"help") {
        printUsage(stdout);
        return Ok;
    }
    if (first == u"--version" || first == u"-v" || first == u"version") {
        std::printf("%s\n", qPrintable(versionText(QStringLiteral("hdeck"))));
        return Ok;
    }
    for (const Command &c : commands()) {
        if (first == QLatin1String(c.name))
            return c.run(args);
    }
    printError(QStringLiteral("unknown command '%1'; run 'hdeck --help'").arg(first));
    return Usage;
}
