#include "clicommand.h"

#include "eventjson.h"
#include "proberunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace hd::cli {

int runProbe(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Send one HTTP request and print one healthdeck.event/1 JSON line per attempt.\n"
        "With --retries N, follows each event's retry decision: exponential backoff with full\n"
        "jitter for 5xx and connection errors, Retry-After obeyed exactly, never into a lockout."));
    p.addHelpOption();
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Error-body profile, or auto."),
                                     QStringLiteral("NAME"), QStringLiteral("auto"));
    const QCommandLineOption method({QStringLiteral("X"), QStringLiteral("request")},
                                    QStringLiteral("HTTP method."), QStringLiteral("METHOD"),
                                    QStringLiteral("GET"));
    const QCommandLineOption header({QStringLiteral("H"), QStringLiteral("header")},
                                    QStringLiteral("Request header 'Name: value' (repeatable)."),
                                    QStringLiteral("HEADER"));
    const QCommandLineOption data({QStringLiteral("d"), QStringLiteral("data")},
                                  QStringLiteral("Request body; @FILE reads it from a file."),
                                  QStringLiteral("BODY"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout-ms"),
        QStringLiteral("Hard deadline for the whole request (default 10000)."), QStringLiteral("N"),
        QStringLiteral("10000"));
    const QCommandLineOption retries(QStringLiteral("retries"),
                                     QStringLiteral("Further attempts allowed (default 0)."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption maxWait(
        QStringLiteral("max-wait-ms"),
        QStringLiteral("Longest Retry-After or backoff to sit out (default 120000)."),
        QStringLiteral("N"), QStringLiteral("120000"));
    const QCommandLineOption environment(QStringLiteral("environment"),
                                         QStringLiteral("Environment name for the event."),
                                         QStringLiteral("ENV"));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
                                      QStringLiteral("Endpoint id for the event."),
                                      QStringLiteral("ID"));
    p.addOptions({profile, method, header, data, timeout, retries, maxWait, environment, endpoint});
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http:// or https:// URL."));

    if (!p.parse(QStringList{QStringLiteral("hdeck probe")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (p.positionalArguments().size() != 1) {
        printError(QStringLiteral("probe: give exactly one URL"));
        return Usage;
    }
    const QUrl url(p.positionalArguments().front(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
        || url.host().isEmpty()) {
        printError(QStringLiteral("probe: '%1' is not an http(s) URL")
                       .arg(p.positionalArguments().front()));
        return Usage;
    }
    auto intOption = [&](const QCommandLineOption &o, int min, int max, int &out) {
        bool ok = false;
        out = p.value(o).toInt(&ok);
        if (!ok || out < min || out > max) {
            printError(QStringLiteral("probe: --%1 must be a number from %2 to %3, not '%4'")
                           .arg(o.names().back())
                           .arg(min)
                           .arg(max)
                           .arg(p.value(o)));
            return false;
        }
        return true;
    };
    HttpRequestSpec spec;
    int retryCount = 0;
    int maxWaitMs = 0;
    if (!intOption(timeout, 1, 3600000, spec.timeoutMs) || !intOption(retries, 0, 100, retryCount)
        || !intOption(maxWait, 0, 86400000, maxWaitMs))
        return Usage;
    spec.url = url;
    spec.method = p.value(method).toUpper();
    spec.profile = p.value(profile);
    spec.environment = p.value(environment);
    spec.endpoint = p.value(endpoint);
    for (const QString &h : p.values(header)) {
        QString name, value;
        if (!parseHeaderArg(h, name, value)) {
            printError(QStringLiteral("probe: -H must look like 'Name: value', not '%1'").arg(h));
            return Usage;
        }
        spec.headers.append({name, value});
    }
    if (p.isSet(data)) {
        const QString d = p.value(data);
        if (d.startsWith(u'@')) {
            QFile f(d.mid(1));
            if (!f.open(QIODevice::ReadOnly)) {
                printError(
                    QStringLiteral("probe: cannot read %1: %2").arg(d.mid(1), f.errorString()));
                return Failure;
            }
            // Bounded: "-d @/dev/zero" must be an error, not a process that eats the memory.
            constexpr qint64 MaxBody = 64LL * 1024 * 1024;
            spec.body = f.read(MaxBody + 1);
            if (spec.body.size() > MaxBody) {
                printError(QStringLiteral("probe: %1 is larger than %2 MiB")
                               .arg(d.mid(1))
                               .arg(MaxBody / (1024 * 1024)));
                return Failure;
            }
        } else {
            spec.body = d.toUtf8();
        }
        if (spec.method == u"GET" && !p.isSet(method))
            spec.method = QStringLiteral("POST"); // like curl -d
    }

    Classifier classifier;
    if (!classifier.knowsProfile(spec.profile)) {
        printError(
            QStringLiteral("probe: unknown profile '%1' (see 'hdeck profiles')").arg(spec.profile));
        return Usage;
    }
    QNetworkAccessManager nam;
    BackoffConfig backoff;
    backoff.maxAttempts = retryCount + 1;
    backoff.maxWaitMs = maxWaitMs;
    backoff.capMs = std::min<qint64>(backoff.capMs, maxWaitMs);
    ProbeRunner runner(&nam, &classifier, RetryPolicy(backoff));
    QObject::connect(&runner, &ProbeRunner::attemptFinished, &runner,
                     [](const ApiEvent &e) { printLine(toJsonLine(e)); });
    QObject::connect(&runner, &ProbeRunner::finished, &runner, [](const QString &reason) {
        std::fprintf(stderr, "hdeck probe: %s\n", qPrintable(reason));
        QCoreApplication::exit(Ok);
    });
    runner.start(spec, retryCount);
    return QCoreApplication::exec();
}

} // namespace hd::cli
