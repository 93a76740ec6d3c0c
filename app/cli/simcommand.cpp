#include "clicommand.h"

#include "simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace hd::cli {
namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    // Only async-signal-safe work here: wake the event loop through the pipe.
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

} // namespace

int runSim(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Run the built-in API simulator of the seed APIs on 127.0.0.1 until SIGINT or SIGTERM.\n"
        "GET /_sim/scenarios lists every route with the category HealthDeck should assign;\n"
        "see docs/simulator.md for the control API under /_sim/."));
    p.addHelpOption();
    const QCommandLineOption port(
        QStringLiteral("port"),
        QStringLiteral("Port on 127.0.0.1; 0 picks a free one (default 0)."), QStringLiteral("N"),
        QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed for every random choice (default 1)."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Run the five-minute 'bad day' schedule of incidents and faults."));
    const QCommandLineOption lockout(
        QStringLiteral("lockout-ms"),
        QStringLiteral("Tradovate lockout window in ms (default 60000)."), QStringLiteral("N"),
        QStringLiteral("60000"));
    const QCommandLineOption tokenLife(
        QStringLiteral("token-lifetime-s"),
        QStringLiteral("Access token lifetime in seconds (default 300)."), QStringLiteral("N"),
        QStringLiteral("300"));
    const QCommandLineOption errorRate(
        QStringLiteral("error-rate"),
        QStringLiteral("Background 5xx rate of the seed 002 API, 0 to 1 (default 0.01)."),
        QStringLiteral("R"), QStringLiteral("0.01"));
    const QCommandLineOption tls(
        QStringLiteral("tls"),
        QStringLiteral("Also serve HTTPS: a CA made at start, one port per certificate case "
                       "(good, short-lived, expired, wrong host, client certificate required); "
                       "prints each URL and the CA file after the first line."));
    p.addOptions({port, seed, demo, lockout, tokenLife, errorRate, tls});
    if (!p.parse(QStringList{QStringLiteral("hdeck sim")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (!p.positionalArguments().isEmpty()) {
        printError(
            QStringLiteral("sim: unexpected argument '%1'").arg(p.positionalArguments().front()));
        return Usage;
    }
    auto number = [&](const QCommandLineOption &o, qint64 min, qint64 max, qint64 &out) {
        bool ok = false;
        out = p.value(o).toLongLong(&ok);
        if (!ok || out < min || out > max) {
            printError(QStringLiteral("sim: --%1 must be a number from %2 to %3, not '%4'")
                           .arg(o.names().front())
                           .arg(min)
                           .arg(max)
                           .arg(p.value(o)));
            return false;
        }
        return true;
    };
    qint64 portValue = 0, seedValue = 0, lockoutValue = 0, lifeValue = 0;
    if (!number(port, 0, 65535, portValue) || !number(seed, 0, 4294967295LL, seedValue)
        || !number(lockout, 1, 3600000, lockoutValue) || !number(tokenLife, 1, 86400, lifeValue))
        return Usage;
    bool rateOk = false;
    const double rate = p.value(errorRate).toDouble(&rateOk);
    if (!rateOk || rate < 0 || rate > 1) {
        printError(QStringLiteral("sim: --error-rate must be a number from 0 to 1, not '%1'")
                       .arg(p.value(errorRate)));
        return Usage;
    }

    SimConfig config;
    config.seed = quint32(seedValue);
    config.demoSchedule = p.isSet(demo);
    config.lockoutWindowMs = int(lockoutValue);
    config.tokenLifetimeS = int(lifeValue);
    config.backgroundErrorRate = rate;
    config.tls = p.isSet(tls);
    Simulator sim(config);
    const quint16 actual = sim.start(quint16(portValue));
    if (actual == 0) {
        printError(QStringLiteral("sim: %1").arg(sim.errorString()));
        return Failure;
    }

    if (::pipe(g_signalPipe) != 0) {
        printError(QStringLiteral("sim: cannot create the signal pipe"));
        return Failure;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    // A client that vanishes mid-write must not kill the server.
    ::signal(SIGPIPE, SIG_IGN);

    printLine(QStringLiteral("listening on http://127.0.0.1:%1").arg(actual).toUtf8());
    if (config.tls) {
        // The first line stays as scripts read it; the TLS routes follow, one per line.
        for (const QString &route : Simulator::tlsRoutes())
            printLine(QStringLiteral("tls%1 on %2")
                          .arg(route.isEmpty() ? QString() : u'-' + route,
                               sim.tlsBaseUrl(route).toString())
                          .toUtf8());
        printLine(QStringLiteral("ca file %1").arg(sim.caFile()).toUtf8());
        printLine(QStringLiteral("client certificate %1 key %2")
                      .arg(sim.clientCertificateFile(), sim.clientKeyFile())
                      .toUtf8());
    }
    const int rc = QCoreApplication::exec();
    sim.stop();
    return rc == 0 ? Ok : Failure;
}

} // namespace hd::cli
