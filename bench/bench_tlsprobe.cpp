// CPU per probe of the poller against HTTPS (issue #17): 1,000 endpoints at 1 Hz against the
// simulator's HTTPS listener on 127.0.0.1 (its own CA, trusted through the environment's
// caFile), once with kept-alive connections (the default) and once with a fresh connection —
// TCP connect and TLS handshake — on every poll (freshConnectionEvery = 1). The simulator runs
// in a forked child so the figures are the poller's alone (the simulator's CPU is a counter).
//
//   bench_tlsprobe [--benchmark_filter=…]   HDECK_BENCH_SECONDS (default 15) per run
//
// Counters: cpu_ms_per_probe (user + system CPU of this process per finished poll),
// cpu_percent (of one core), probes_per_s, failures, fresh_share (share of polls whose event
// says the connection was opened for it), sim_cpu_percent.

#include "monitorengine.h"
#include "procstats.h"
#include "simulator.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace hd;

namespace {

int g_argc = 0;
char **g_argv = nullptr;

struct Child
{
    pid_t pid = -1;
    quint16 port = 0;
    QString caFile;
};
Child g_sim; // forked before this process makes its QCoreApplication

// A simulator with its HTTPS routes in a child process; it reports "PORT CAFILE\n" on fd.
Child startSimulator()
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        QCoreApplication app(g_argc, g_argv);
        SimConfig config;
        config.tls = true;
        config.backgroundErrorRate = 0;
        Simulator sim(config);
        if (!sim.start(0))
            _exit(1);
        const QByteArray line
            = QByteArray::number(sim.tlsBaseUrl().port()) + ' ' + sim.caFile().toUtf8() + '\n';
        if (write(fds[1], line.constData(), size_t(line.size())) != line.size())
            _exit(1);
        close(fds[1]);
        _exit(app.exec());
    }
    close(fds[1]);
    Child c;
    c.pid = pid;
    char buf[4096];
    qsizetype got = 0;
    while (got < qsizetype(sizeof buf) - 1) {
        const ssize_t n = read(fds[0], buf + got, sizeof buf - 1 - size_t(got));
        if (n <= 0)
            break;
        got += n;
        if (buf[got - 1] == '\n')
            break;
    }
    close(fds[0]);
    const QList<QByteArray> parts = QByteArray(buf, got).trimmed().split(' ');
    if (parts.size() == 2) {
        c.port = quint16(parts[0].toUInt());
        c.caFile = QString::fromUtf8(parts[1]);
    }
    return c;
}

void runPoller(benchmark::State &state, int freshEvery)
{
    const int endpoints = int(state.range(0));
    const double seconds
        = std::getenv("HDECK_BENCH_SECONDS") ? std::atof(std::getenv("HDECK_BENCH_SECONDS")) : 15.0;
    const Child &sim = g_sim;
    if (!sim.port) {
        state.SkipWithError("the simulator's HTTPS listener did not start");
        return;
    }
    for (auto _ : state) {
        Workspace ws;
        ws.name = QStringLiteral("bench-tls");
        Environment env;
        env.id = QStringLiteral("uat");
        env.baseUrl = QStringLiteral("https://127.0.0.1:%1/prod").arg(sim.port);
        env.caFile = sim.caFile;
        env.caMode = Environment::CaMode::Replace;
        env.proxy.mode = ProxySettings::Mode::None;
        ws.environments.append(env);
        for (int i = 0; i < endpoints; ++i) {
            Endpoint e;
            e.id = QStringLiteral("ep%1").arg(i);
            e.environment = env.id;
            e.path = QStringLiteral("/s004/v1/health");
            e.intervalMs = 1000;
            e.timeoutMs = 5000;
            e.quotaShare = 1.0;
            e.freshConnectionEvery = freshEvery;
            ws.endpoints.append(e);
        }
        MonitorEngine engine;
        EngineOptions options;
        options.workerThreads = 2;
        if (const QString err = engine.load(ws, options); !err.isEmpty()) {
            state.SkipWithError(qPrintable(err));
            break;
        }
        qint64 probes = 0, failures = 0, fresh = 0, timeouts = 0;
        QObject::connect(&engine, &MonitorEngine::eventReady, &engine, [&](const ApiEvent &e) {
            ++probes;
            failures += e.isFailure() ? 1 : 0;
            timeouts += e.category == Category::Timeout ? 1 : 0;
            fresh += e.timing && e.timing->reusedConnection == false ? 1 : 0;
        });
        // The first interval spreads the starts and opens the first connections: measure after.
        engine.start();
        QTimer::singleShot(1500, qApp, &QCoreApplication::quit);
        qApp->exec();
        probes = failures = fresh = timeouts = 0;
        const double cpu0 = bench::processCpuSeconds();
        const double sim0 = bench::processCpuSeconds(sim.pid);
        QElapsedTimer wall;
        wall.start();
        QTimer::singleShot(int(seconds * 1000), qApp, &QCoreApplication::quit);
        qApp->exec();
        const double cpu = bench::processCpuSeconds() - cpu0;
        const double simCpu = bench::processCpuSeconds(sim.pid) - sim0;
        const double elapsed = double(wall.elapsed()) / 1000.0;
        engine.stop();
        state.SetIterationTime(elapsed);
        state.counters["cpu_ms_per_probe"] = probes ? 1000.0 * cpu / double(probes) : 0.0;
        state.counters["cpu_percent"] = 100.0 * cpu / elapsed;
        state.counters["probes_per_s"] = double(probes) / elapsed;
        state.counters["failures"] = double(failures);
        state.counters["timeouts"] = double(timeouts);
        state.counters["fresh_share"] = probes ? double(fresh) / double(probes) : 0.0;
        state.counters["sim_cpu_percent"] = 100.0 * simCpu / elapsed;
    }
}

void BM_HttpsPoller_ReusedConnections(benchmark::State &state)
{
    runPoller(state, 0);
}

void BM_HttpsPoller_FreshConnectionEveryPoll(benchmark::State &state)
{
    runPoller(state, 1);
}

BENCHMARK(BM_HttpsPoller_ReusedConnections)
    ->Arg(1000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
// 200 endpoints as well: Qt opens at most 6 HTTP/1.1 connections per host, so 1,000 fresh
// handshakes a second to one host queue up behind them (see docs/performance.md).
BENCHMARK(BM_HttpsPoller_FreshConnectionEveryPoll)
    ->Arg(1000)
    ->Arg(200)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

} // namespace

int main(int argc, char **argv)
{
    g_argc = argc;
    g_argv = argv;
    g_sim = startSimulator();
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (g_sim.pid > 0) {
        kill(g_sim.pid, SIGTERM);
        waitpid(g_sim.pid, nullptr, 0);
    }
    return 0;
}
