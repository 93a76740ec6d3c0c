// hdeck: the HealthDeck engine without a GUI, for servers, scripts and Prometheus.
#include "clicommand.h"
#include "healthdeck/version.h"

#include <QCoreApplication>

#include <cstdio>

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

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
