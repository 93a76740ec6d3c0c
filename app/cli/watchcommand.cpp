#include "clicommand.h"
#include "historystore.h"

#include "eventjson.h"
#include "metricsaddress.h"
#include "metricsexporter.h"
#include "monitorsession.h"
#include "secrethosttrust.h"
#include "workspacefile.h"
#include "workspacefilewatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <unistd.h>

namespace hd::cli {
namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int sig)
{
    const char c = char(sig);
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

} // namespace

int runWatch(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Poll every endpoint of a workspace headless. Events go out as JSON lines; "
                       "a one-line summary goes\n"
                       "to stderr at the end (SIGINT, SIGTERM or --duration). An edited workspace "
                       "file (or SIGHUP) is\n"
                       "reloaded: unchanged endpoints keep their schedule, token and governor "
                       "state; an invalid\n"
                       "file is reported and the running workspace carries on."));
    p.addHelpOption();
    const QCommandLineOption workspace(QStringLiteral("workspace"),
                                       QStringLiteral("Workspace file."), QStringLiteral("F"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop after S seconds."), QStringLiteral("S"));
    const QCommandLineOption events(
        QStringLiteral("events"), QStringLiteral("Write events as JSON lines to F (- for stdout)."),
        QStringLiteral("F"));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Write history to this SQLite file."),
                                QStringLiteral("F"));
    const QCommandLineOption metrics(
        QStringLiteral("metrics"),
        QStringLiteral("Serve Prometheus /metrics on HOST:PORT (HOST left out: "
                       "127.0.0.1; port 0: a free one, printed on stderr)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption trustHosts(
        QStringLiteral("trust-hosts"),
        QStringLiteral("Hosts (host or host:port, comma-separated) this workspace may send stored "
                       "secrets to. Without it, a workspace naming other hosts than the built-in "
                       "simulator and loopback is refused."),
        QStringLiteral("HOSTS"));
    const QCommandLineOption trustWorkspaceHosts(
        QStringLiteral("trust-workspace-hosts"),
        QStringLiteral("Trust every host the workspace names with stored secrets (only for a "
                       "workspace you wrote or reviewed)."));
    p.addOptions({workspace, duration, events, db, metrics, trustHosts, trustWorkspaceHosts});
    if (!p.parse(QStringList{QStringLiteral("hdeck watch")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (!p.isSet(workspace)) {
        printError(QStringLiteral("watch: --workspace F is required"));
        return Usage;
    }
    double durationS = 0;
    if (p.isSet(duration)) {
        bool ok = false;
        durationS = p.value(duration).toDouble(&ok);
        if (!ok || durationS <= 0) {
            printError(
                QStringLiteral("watch: --duration must be a positive number of seconds, not '%1'")
                    .arg(p.value(duration)));
            return Usage;
        }
    }
    std::optional<MetricsAddress> metricsAddress;
    if (p.isSet(metrics)) {
        QString why;
        metricsAddress = MetricsAddress::parse(p.value(metrics), &why);
        if (!metricsAddress) {
            printError(QStringLiteral("watch: --metrics: ") + why);
            return Usage;
        }
    }

    const auto loaded = WorkspaceFile::load(p.value(workspace));
    if (!loaded.workspace) {
        printError(loaded.error);
        return Failure;
    }
    for (const QString &w : loaded.warnings)
        printError(QStringLiteral("warning: ") + w);

    // A workspace may come from someone else: it sends stored secrets only to hosts named on
    // the command line (the console asks instead). Checked before anything is opened.
    EngineOptions engineOptions;
    engineOptions.secretTrust
        = p.isSet(trustWorkspaceHosts)
              ? SecretHostTrust::everyHost()
              : SecretHostTrust(SecretHostTrust::parseList(p.values(trustHosts).join(u',')));
    if (const QStringList untrusted = engineOptions.secretTrust.untrustedHosts(*loaded.workspace);
        !untrusted.isEmpty()) {
        printError(QStringLiteral("watch: %1 would send stored secrets to %2; pass --trust-hosts "
                                  "%3 if you trust them")
                       .arg(p.value(workspace), untrusted.join(QStringLiteral(", ")),
                            untrusted.join(u',')));
        return Usage;
    }

    QFile eventsFile;
    if (p.isSet(events)) {
        const QString target = p.value(events);
        // Events hold redacted requests and responses, still nobody else's business: a new file
        // is created 0600 (not chmod-ed afterwards), an existing one of ours is tightened.
        const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        const bool ok
            = target == u"-"
                  ? eventsFile.open(stdout, QIODevice::WriteOnly)
                  : (eventsFile.setFileName(target),
                     eventsFile.open(QIODevice::WriteOnly | QIODevice::Append, ownerOnly));
        if (ok && target != u"-" && QFileInfo(target).isFile()
            && eventsFile.permissions() != ownerOnly)
            eventsFile.setPermissions(ownerOnly);
        if (!ok) {
            printError(QStringLiteral("watch: cannot write events to %1: %2")
                           .arg(target, eventsFile.errorString()));
            return Failure;
        }
    }

    const SecretHostTrust trust = engineOptions.secretTrust; // reloads are held to the same
    MonitorSession session;
    QObject::connect(&session, &MonitorSession::warning, &session,
                     [](const QString &w) { printError(w); });
    const QString error = session.open(*loaded.workspace, p.isSet(db) ? p.value(db) : QString(),
                                       std::move(engineOptions));
    if (!error.isEmpty()) {
        printError(QStringLiteral("watch: ") + error);
        return Failure;
    }
    if (HistoryStore *history = session.history()) {
        // A failing database and a history queue dropping events over its byte limit
        // (docs/limits.md) are said on stderr, at most every 30 s: a commit is retried every
        // 250 ms and each failure would otherwise be a line.
        auto lastSaid = std::make_shared<QElapsedTimer>();
        QObject::connect(history, &HistoryStore::writeFailed, &session,
                         [lastSaid](const QString &message) {
                             if (lastSaid->isValid() && !lastSaid->hasExpired(30000))
                                 return;
                             lastSaid->start();
                             printError(QStringLiteral("watch: history: ") + message);
                         });
    }

    // Prometheus: counters from every event, the governor and the session's alert rules at
    // scrape time.
    MetricsExporter exporter;
    if (metricsAddress) {
        exporter.setSession(&session);
        const QString listenError = exporter.start(metricsAddress->host, metricsAddress->port);
        if (!listenError.isEmpty()) {
            printError(QStringLiteral("watch: --metrics: ") + listenError);
            return Failure;
        }
        std::fprintf(stderr, "hdeck watch: metrics at %s\n", qPrintable(exporter.url().toString()));
        std::fflush(stderr);
    }

    QHash<QString, int> byOutcome;
    qint64 total = 0;
    QObject::connect(&session, &MonitorSession::eventReady, &session, [&](const ApiEvent &e) {
        ++total;
        ++byOutcome[toQString(toString(e.outcome))];
        if (eventsFile.isOpen()) {
            eventsFile.write(toJsonLine(e) + '\n');
            eventsFile.flush();
        }
    });

    // Hot reload (docs/import.md#hot-reload): the file changed, or SIGHUP. A file that does not
    // load, names untrusted hosts or has nothing pollable is one line on stderr, and the
    // running workspace carries on.
    const QString workspacePath = p.value(workspace);
    qsizetype endpointCount = loaded.workspace->endpoints.size();
    auto reload = [&](const QByteArray &contents) {
        auto refuse = [&](const QString &why) {
            printError(QStringLiteral("watch: reload refused, still running the previous "
                                      "workspace: %1")
                           .arg(why));
        };
        const auto parsed = WorkspaceFile::parse(contents, workspacePath);
        if (!parsed.workspace)
            return refuse(parsed.error);
        if (const QStringList untrusted = trust.untrustedHosts(*parsed.workspace);
            !untrusted.isEmpty())
            return refuse(QStringLiteral("%1 would send stored secrets to %2; restart with "
                                         "--trust-hosts %3 if you trust them")
                              .arg(workspacePath, untrusted.join(QStringLiteral(", ")),
                                   untrusted.join(u',')));
        for (const QString &w : parsed.warnings)
            printError(QStringLiteral("warning: ") + w);
        ReloadSummary summary;
        if (const QString error = session.reload(*parsed.workspace, &summary); !error.isEmpty())
            return refuse(error);
        endpointCount = parsed.workspace->endpoints.size();
        std::fprintf(stderr, "hdeck watch: reloaded %s: %s\n", qPrintable(workspacePath),
                     qPrintable(summary.text()));
        std::fflush(stderr);
    };
    WorkspaceFileWatcher fileWatcher(workspacePath);
    QObject::connect(&fileWatcher, &WorkspaceFileWatcher::contentsChanged, &session, reload);
    QObject::connect(&fileWatcher, &WorkspaceFileWatcher::unreadable, &session,
                     [](const QString &why) {
                         printError(QStringLiteral("watch: %1; still running the previous "
                                                   "workspace")
                                        .arg(why));
                     });

    // Signals arrive on a self-pipe so shutdown and reload run on the event loop, not in a
    // handler (which may only write() the signal number).
    if (::pipe(g_signalPipe) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        std::signal(SIGHUP, onSignal);
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &session, [&fileWatcher] {
        char c = 0;
        if (::read(g_signalPipe[0], &c, 1) == 1 && c == char(SIGHUP)) {
            fileWatcher.checkNow(true);
            return;
        }
        QCoreApplication::quit();
    });
    if (durationS > 0)
        QTimer::singleShot(qint64(durationS * 1000), &session, [] { QCoreApplication::quit(); });

    QElapsedTimer elapsed;
    elapsed.start();
    session.start();
    QCoreApplication::exec();
    const qint64 deferred
        = session.engine()->scheduler() ? session.engine()->scheduler()->deferredByGovernor() : 0;
    exporter.stop();
    exporter.setSession(nullptr);
    session.close(); // commits history before the summary is printed

    QStringList parts;
    for (const char *o :
         {"success", "client_error", "server_error", "business_error", "connection_error"})
        if (byOutcome.value(QLatin1String(o)))
            parts.append(QStringLiteral("%1 %2")
                             .arg(QLatin1String(o))
                             .arg(byOutcome.value(QLatin1String(o))));
    std::fprintf(
        stderr,
        "hdeck watch: %lld events from %lld endpoints in %.1f s (%s); %lld requests held back by "
        "the governor\n",
        total, qint64(endpointCount), double(elapsed.elapsed()) / 1000.0,
        qPrintable(parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "))),
        deferred);
    return Ok;
}

} // namespace hd::cli
