// hdeck validate WORKSPACE: for pipelines that keep workspaces in git. Exit 0 when the file
// loads (and the trading calendars its maintenance windows name load too); else the loader's
// one-line error (file, JSON pointer, problem) and exit 1.
#include "clicommand.h"

#include "windowschedule.h"
#include "workspacefile.h"

#include <cstdio>

namespace hd::cli {

int runValidate(const QStringList &args)
{
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs("Usage: hdeck validate WORKSPACE...\n\nChecks workspace files with the rules "
                   "the console and hdeck watch load them by.\nExit 0 when every file is valid; "
                   "1 with one error line per invalid file.\n",
                   stdout);
        return Ok;
    }
    if (args.isEmpty()) {
        printError(QStringLiteral("validate: usage: hdeck validate WORKSPACE..."));
        return Usage;
    }
    for (const QString &a : args)
        if (a.startsWith(u'-') && a != u"-") {
            printError(QStringLiteral("validate: unknown option '%1'").arg(a));
            return Usage;
        }
    int failures = 0;
    for (const QString &path : args) {
        const auto r = WorkspaceFile::load(path);
        if (!r.workspace) {
            printError(r.error);
            ++failures;
            continue;
        }
        QStringList calendarErrors; // a calendar file that does not load (docs/calendars.md)
        WindowSchedule::fromWorkspace(*r.workspace, &calendarErrors);
        if (!calendarErrors.isEmpty()) {
            printError(path + QStringLiteral(": ") + calendarErrors.first());
            ++failures;
            continue;
        }
        for (const QString &w : r.warnings)
            std::fprintf(stderr, "hdeck: warning: %s: %s\n", qPrintable(path), qPrintable(w));
        std::fprintf(stdout, "%s: valid (%lld environments, %lld endpoints)\n", qPrintable(path),
                     qint64(r.workspace->environments.size()),
                     qint64(r.workspace->endpoints.size() + r.workspace->streams.size()));
    }
    std::fflush(stdout);
    return failures ? Failure : Ok;
}

} // namespace hd::cli
