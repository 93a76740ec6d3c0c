// End-to-end scheduler benchmark (DESIGN §8: 1,000 endpoints at 1 Hz on 2 cores, start jitter
// p99 ≤ 5 ms; idle CPU ≤ 1 % with 100 endpoints at 60 s intervals). The built-in simulator
// (hd::Simulator, the same object `hdeck sim` runs) serves the health routes of four seed APIs
// on 127.0.0.1 from a forked child process, so the CPU and memory figures are the poller's
// alone; the simulator's CPU is reported beside them.
//
//   bench_scheduler [--endpoints 1000] [--interval-ms 1000] [--seconds 30] [--workers 2]
//                   [--name scheduler] [--slice-us N] [--json PATH]
//
// --slice-us N (experiment, Linux ≥ 6.12): asks the EEVDF scheduler for an N µs slice for the
// main (scheduler) thread via sched_setattr(sched_runtime); see docs/performance.md.

#include "benchargs.h"
#include "benchmetrics.h"
#include "monitorengine.h"
#include "procstats.h"
#include "simulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hd;

namespace {

// The child: a simulator on a free loopback port, which it writes to fd, then serves until
// SIGTERM (or until the parent dies).
int runSimulator(int argc, char **argv, int fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    QCoreApplication app(argc, argv);
    SimConfig config;
    config.backgroundErrorRate = 0; // every health route answers 200
    Simulator sim(config);
    const quint16 port = sim.start(0);
    if (write(fd, &port, sizeof port) != sizeof port)
        return 1;
    close(fd);
    if (!port)
        return 1;
    return app.exec();
}

const char *const kHealthPaths[]
    = {"/s000/v1/health", "/s001/api/v1/health", "/s002/v1/health", "/s004/v1/health"};

std::string thousands(int n)
{
    const std::string digits = std::to_string(n);
    std::string s;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            s += ',';
        s += digits[i];
    }
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    const bench::BenchArgs args(argc, argv);
    if (!args.error().empty()) {
        std::fprintf(stderr, "bench_scheduler: %s\n", args.error().c_str());
        return 2;
    }
    const int endpoints = int(args.number("endpoints", 1000));
    const int intervalMs = int(args.number("interval-ms", 1000));
    const double seconds = args.number("seconds", 30);
    const int workers = int(args.number("workers", 2));
    const std::string name = args.text("name", "scheduler");

    int pipeFds[2];
    if (pipe(pipeFds) != 0) {
        std::perror("pipe");
        return 1;
    }
    const pid_t child = fork();
    if (child < 0) {
        std::perror("fork");
        return 1;
    }
    if (child == 0) {
        close(pipeFds[0]);
        _exit(runSimulator(argc, argv, pipeFds[1]));
    }
    close(pipeFds[1]);
    quint16 port = 0;
    if (read(pipeFds[0], &port, sizeof port) != sizeof port || port == 0) {
        std::fprintf(stderr, "bench_scheduler: the simulator did not start\n");
        return 1;
    }
    close(pipeFds[0]);

    QCoreApplication app(argc, argv);
    Workspace ws;
    ws.name = QStringLiteral("bench");
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    ws.environments.append(
        {QStringLiteral("prod"), QStringLiteral("prod"), base + QStringLiteral("/prod"), {}});
    for (int i = 0; i < endpoints; ++i) {
        Endpoint e;
        e.id = QStringLiteral("ep%1").arg(i);
        e.environment = QStringLiteral("prod");
        e.path = QString::fromLatin1(kHealthPaths[i % 4]);
        e.intervalMs = intervalMs;
        e.timeoutMs = 5000;
        e.quotaShare = 1.0;
        ws.endpoints.append(e);
    }
    MonitorEngine engine;
    EngineOptions options;
    options.workerThreads = workers;
    if (const QString err = engine.load(ws, options); !err.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(err));
        kill(child, SIGTERM);
        return 1;
    }
    qint64 events = 0, failures = 0;
    std::vector<double> durations;
    durations.reserve(std::size_t(std::max(1.0, endpoints * seconds * 1000.0 / intervalMs)) + 16);
    QObject::connect(&engine, &MonitorEngine::eventReady, &engine, [&](const ApiEvent &e) {
        ++events;
        durations.push_back(e.durationMs);
        if (e.isFailure())
            ++failures;
    });

    if (const int sliceUs = int(args.number("slice-us", 0)); sliceUs > 0) {
        struct
        {
            quint32 size, policy;
            quint64 flags;
            qint32 nice;
            quint32 priority;
            quint64 runtime, deadline, period;
        } attr{48, 0, 0, 0, 0, quint64(sliceUs) * 1000, 0, 0};
        if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0)
            std::perror("sched_setattr");
    }
    const double cpu0 = bench::processCpuSeconds();
    const double simCpu0 = bench::processCpuSeconds(child);
    QElapsedTimer wall;
    wall.start();
    engine.start();
    QTimer::singleShot(int(seconds * 1000), &app, &QCoreApplication::quit);
    app.exec();
    const double cpu = bench::processCpuSeconds() - cpu0;
    const double simCpu = bench::processCpuSeconds(child) - simCpu0;
    const double elapsed = double(wall.elapsed()) / 1000.0;
    engine.stop();
    const JitterStats j = engine.scheduler()->startJitter();
    const qint64 requests = engine.scheduler()->requestsSent();
    kill(child, SIGTERM);
    waitpid(child, nullptr, 0);

    const bool designPoller = endpoints == 1000 && intervalMs == 1000 && workers == 2;
    const bool designIdle = endpoints == 100 && intervalMs == 60000;
    const std::string what
        = thousands(endpoints) + " endpoints at "
          + (intervalMs == 1000 ? std::string("1 Hz") : std::to_string(intervalMs / 1000) + " s")
          + (workers == 2 ? std::string() : ", " + std::to_string(workers) + " workers");
    bench::BenchMetrics m(name);
    m.setConfig("endpoints", endpoints);
    m.setConfig("interval_ms", intervalMs);
    m.setConfig("seconds", elapsed);
    m.setConfig("workers", workers);
    m.setConfig("target", "hd::Simulator in a child process on 127.0.0.1");
    if (designIdle) {
        m.add("idle_cpu_percent", 100.0 * cpu / elapsed, "% of one core", 1.0,
              "<=", "idle CPU, " + what);
    } else {
        if (designPoller)
            m.add("start_jitter_p99_ms", j.p99Ms, "ms", 5.0, "<=", "start jitter p99, " + what);
        else
            m.add("start_jitter_p99_ms", j.p99Ms, "ms", "start jitter p99, " + what);
        m.add("start_jitter_p50_ms", j.p50Ms, "ms", "start jitter p50, " + what);
        m.add("start_jitter_max_ms", j.maxMs, "ms", "start jitter max, " + what);
        m.add("cpu_percent", 100.0 * cpu / elapsed, "% of one core", "poller CPU, " + what);
    }
    m.add("jitter_samples", double(j.samples), "starts", "starts measured, " + what);
    char offered[32];
    std::snprintf(offered, sizeof offered, "%g", 1000.0 * endpoints / std::max(1, intervalMs));
    m.add("requests_per_s", double(requests) / elapsed, "req/s",
          "requests sent per second, " + what + " (due: " + offered + "/s)");
    m.add("failures", double(failures), "events", "failed polls, " + what);
    // Starts that were due in the window (first starts are spread over one interval): a start
    // is skipped when the endpoint's previous poll is still in flight.
    const double due = double(endpoints) * std::min(1.0, elapsed * 1000.0 / intervalMs)
                       + double(endpoints) * std::max(0.0, elapsed * 1000.0 / intervalMs - 1.0);
    m.add("due_starts_sent_percent",
          due > 0 ? std::min(100.0, 100.0 * double(requests) / due) : 0.0, "%",
          "share of due starts sent, " + what);
    std::sort(durations.begin(), durations.end());
    auto quantile = [&durations](double q) {
        return durations.empty() ? 0.0
                                 : durations[std::min(durations.size() - 1,
                                                      std::size_t(q * double(durations.size())))];
    };
    m.add("response_ms_p50", quantile(0.5), "ms", "response time p50, " + what);
    m.add("response_ms_p99", quantile(0.99), "ms", "response time p99, " + what);
    m.add("cpu_ms_per_1000_requests", requests ? 1e6 * cpu / double(requests) : 0.0, "ms CPU",
          "poller CPU per 1,000 requests, " + what);
    m.add("rss_mb", double(bench::residentBytes()) / (1024.0 * 1024.0), "MiB",
          "poller RSS at the end, " + what);
    m.add("peak_rss_mb", double(bench::peakResidentBytes()) / (1024.0 * 1024.0), "MiB",
          "poller peak RSS, " + what);
    m.add("simulator_cpu_percent", simCpu >= 0 ? 100.0 * simCpu / elapsed : -1.0, "% of one core",
          "simulator CPU (other process), " + what);
    return m.finish(args.text("json")) ? 0 : 1;
}
