#include "clicommand.h"

#include "bundleeventloader.h"
#include "bundlesecrets.h"
#include "environmentsecretstore.h"
#include "simdemosecrets.h"
#include "supportbundlewriter.h"
#include "urljoin.h"
#include "workspacefile.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

namespace hd::cli {
namespace {

// The secrets a headless run would use: HDECK_SECRET_<NAME>, or the simulator's demo secrets
// for a simulator workspace.
BundleSecrets::Lookup headlessLookup(const Workspace &ws)
{
    const bool demo = usesSimulator(ws);
    return [demo](const QString &name) -> std::optional<QString> {
        if (auto v = EnvironmentSecretStore::lookup(name))
            return v;
        return demo ? SimDemoSecrets::lookup(name) : std::nullopt;
    };
}

} // namespace

int runExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write a sanitized support bundle: report.html and report.pdf, requests.har, "
        "events.jsonl and events.csv,\n"
        "curl/*.sh with secrets as $VARIABLES, environment.json and REDACTIONS.txt."));
    p.addHelpOption();
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("History database written by hdeck watch --db."),
                                QStringLiteral("F"));
    const QCommandLineOption events(QStringLiteral("events"),
                                    QStringLiteral("Events as JSON lines instead (- for stdin)."),
                                    QStringLiteral("F"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("The bundle to write."),
                                 QStringLiteral("bundle.zip"));
    const QCommandLineOption since(
        QStringLiteral("since"),
        QStringLiteral("Events at or after T: ISO 8601 (UTC unless a zone is given) or an age "
                       "such as 15m, 24h, 7d."),
        QStringLiteral("T"));
    const QCommandLineOption until(QStringLiteral("until"),
                                   QStringLiteral("Events before T (same forms as --since)."),
                                   QStringLiteral("T"));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
                                      QStringLiteral("Only this endpoint id (repeatable)."),
                                      QStringLiteral("ID"));
    const QCommandLineOption workspace(
        QStringLiteral("workspace"),
        QStringLiteral("Workspace file: client ids and environments for the report, the secrets "
                       "it names (HDECK_SECRET_<NAME>) to mask wherever they appear, its "
                       "redactFields."),
        QStringLiteral("F"));
    p.addOptions({db, events, out, since, until, endpoint, workspace});
    if (!p.parse(QStringList{QStringLiteral("hdeck export")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (!p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("export: unexpected argument '%1'")
                       .arg(p.positionalArguments().front()));
        return Usage;
    }
    if (!p.isSet(out) || p.value(out).isEmpty()) {
        printError(QStringLiteral("export: --out bundle.zip is required"));
        return Usage;
    }
    if (p.isSet(db) == p.isSet(events)) {
        printError(QStringLiteral("export: give exactly one of --db F or --events F"));
        return Usage;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    BundleEventLoader::Filter filter;
    SupportBundleRequest request;
    for (const auto &[option, target] :
         {std::pair{&since, &filter.fromMs}, std::pair{&until, &filter.toMs}}) {
        if (!p.isSet(*option))
            continue;
        const auto t = BundleEventLoader::parseTime(p.value(*option), now);
        if (!t) {
            printError(QStringLiteral("export: --%1: '%2' is neither an ISO 8601 time nor an age "
                                      "like 15m, 24h or 7d")
                           .arg(option->names().front(), p.value(*option)));
            return Usage;
        }
        *target = *t;
    }
    if (filter.fromMs >= filter.toMs) {
        printError(QStringLiteral("export: --since must be before --until"));
        return Usage;
    }
    filter.endpoints = p.values(endpoint);
    request.fromMs = filter.fromMs;
    request.toMs = filter.toMs;

    if (p.isSet(workspace)) {
        const auto loaded = WorkspaceFile::load(p.value(workspace));
        if (!loaded.workspace) {
            printError(loaded.error);
            return Failure;
        }
        request.workspace = *loaded.workspace;
        BundleSecrets::collect(*loaded.workspace, headlessLookup(*loaded.workspace), request);
    }

    QElapsedTimer timer;
    timer.start();
    const BundleEventLoader::Result loaded
        = p.isSet(db) ? BundleEventLoader::fromHistory(p.value(db), filter)
                      : BundleEventLoader::fromJsonLines(p.value(events), filter);
    if (!loaded.error.isEmpty()) {
        printError(QStringLiteral("export: ") + loaded.error);
        return Failure;
    }
    if (loaded.skippedLines > 0)
        printError(
            QStringLiteral(
                "warning: %1 line(s) of %2 were not healthdeck.event/1 events and were left out "
                "(first: %3)")
                .arg(loaded.skippedLines)
                .arg(p.value(events), loaded.firstSkipped));
    if (loaded.events.isEmpty())
        printError(
            QStringLiteral("warning: no events in the range; the bundle has an empty report"));
    QStringList what;
    what << (p.isSet(db) ? QStringLiteral("history %1").arg(p.value(db))
                         : QStringLiteral("events file %1").arg(p.value(events)));
    if (!filter.endpoints.isEmpty())
        what << QStringLiteral("endpoints %1").arg(filter.endpoints.join(QStringLiteral(", ")));
    request.events = loaded.events;
    request.incidents = loaded.incidents;
    request.selection = what.join(QStringLiteral("; "));
    request.createdMs = now;

    const SupportBundleWriter::Result r
        = SupportBundleWriter::write(std::move(request), p.value(out));
    if (!r.ok()) {
        printError(QStringLiteral("export: ") + r.error);
        return Failure;
    }
    std::fprintf(stderr,
                 "hdeck export: %s: %d events (%d failed), %d HAR entries, %d curl scripts, %d "
                 "incidents, %d redactions, %lld bytes in %.2f s\n",
                 qPrintable(r.path), r.events, r.failures, r.harEntries, r.curlScripts, r.incidents,
                 r.redactions, r.bytes, double(timer.elapsed()) / 1000.0);
    for (const QString &warning : r.warnings)
        std::fprintf(stderr, "hdeck export: %s\n", qPrintable(warning));
    printLine(r.path.toUtf8());
    return Ok;
}

} // namespace hd::cli
