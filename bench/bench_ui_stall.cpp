// Main-thread stalls of the real console under an error storm (DESIGN §8: p99 ≤ 8 ms at
// 10,000 events/s), and the chart replot frame time with 24 h of 1 s buckets.
//
//   build/bench/bench_ui_stall [--duration 20] [--rate 10000] [--json out.json]
//                              [--screenshot out.png] [--dark]
//   build/bench/bench_ui_stall --frame [--frames 60] [--json out.json]
//   build/bench/bench_ui_stall --idle [--duration 60] [--minimized] [--profile] [--json out.json]
//
// Stall mode: the real MainWindow (offscreen unless QT_QPA_PLATFORM says otherwise) opens the
// demo workspace — the in-process simulator and the polling engine run as in the console —
// and the simulator gets a 5xx storm on prod (POST /_sim/incidents). The engine cannot make
// 10,000 real requests a second on two shared cores, so a feeder thread classifies storm
// responses (503/500 bodies of seed 002, ECONNRESET, timeouts, 429 with rate-limit headers,
// seed 003 business rejections in a 200, a few 400s and oks) with the real Classifier and
// emits them at the target rate through MonitorEngine::eventReady from its own thread — the
// queued path every engine event takes into MonitorSession (aggregator, alert engine, history
// when open) and on to the window (log model, tree, charts). A 1 ms precise timer on the main
// thread measures how late it fires: a stall is the gap between two timeouts minus 1 ms.
//
// Idle mode (issue 23, DESIGN §8: ≤ 1 % of a core): the real MainWindow on the demo as a user
// leaves it — 25 endpoints polled, no storm — warmed up for 10 s, then the process's CPU time
// (user + system, every thread: engine, simulator, history, widgets) over --duration seconds.
// --minimized measures with the window minimised; --profile lists where the main thread's
// time went, by receiver and event type.
//
// Frame mode: a ChartPanel (1200 × 420) over an Aggregator holding 24 h of 1 s buckets
// (86,400 per scope), range "Last 24 h": time per replotNow() (series built, decimated,
// replace()d) and per replot plus a full render of the panel.

#include "aggregator.h"
#include "charts/chartpanel.h"
#include "classifier.h"
#include "errorlogmodel.h"
#include "mainwindow.h"
#include "monitorengine.h"
#include "monitorsession.h"
#include "procstats.h"
#include "simulator.h"
#include "theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QSysInfo>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

using namespace hd;

namespace {

struct Metric
{
    QString name;
    double value;
    QString unit;
    double budget = -1;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

void writeJson(const QString &path, const QString &bench, const QList<Metric> &metrics)
{
    QJsonArray list;
    for (const Metric &m : metrics) {
        QJsonObject o{{QStringLiteral("name"), m.name},
                      {QStringLiteral("value"), m.value},
                      {QStringLiteral("unit"), m.unit}};
        if (m.budget >= 0) {
            o.insert(QStringLiteral("budget"), m.budget);
            o.insert(QStringLiteral("budget_op"), QStringLiteral("<="));
        }
        list.append(o);
    }
    const QJsonObject machine{{QStringLiteral("cpus"), QThread::idealThreadCount()},
                              {QStringLiteral("os"), QSysInfo::prettyProductName()},
                              {QStringLiteral("qt"), QString::fromLatin1(qVersion())}};
    const QJsonObject doc{{QStringLiteral("bench"), bench},
                          {QStringLiteral("machine"), machine},
                          {QStringLiteral("metrics"), list}};
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QJsonDocument(doc).toJson());
}

void print(const QList<Metric> &metrics)
{
    for (const Metric &m : metrics) {
        std::printf("%-28s %12.3f %s%s\n", qPrintable(m.name), m.value, qPrintable(m.unit),
                    m.budget >= 0 ? qPrintable(QStringLiteral("   (budget <= %1)").arg(m.budget))
                                  : "");
    }
    std::fflush(stdout);
}

QString argValue(const QStringList &args, const QString &name, const QString &fallback = {})
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

// Storm responses, classified by the real classifier on the feeder thread.
class StormFeeder
{
public:
    StormFeeder(MonitorEngine *engine, QList<std::pair<QString, QString>> endpoints, double rate)
        : m_engine(engine)
        , m_endpoints(std::move(endpoints))
        , m_rate(rate)
    {}

    void start()
    {
        m_thread = std::thread([this] { run(); });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    quint64 sent() const { return m_sent.load(); }

private:
    void run()
    {
        const Classifier classifier;
        const RawHeaders json{{"Content-Type", "application/json"}};
        QList<ClassifyInput> inputs;
        auto http = [&](int status, const char *body, RawHeaders headers) {
            ClassifyInput in;
            in.status = status;
            in.body = QByteArray(body);
            in.headers = std::move(headers);
            inputs.append(in);
        };
        for (int i = 0; i < 5; ++i)
            http(503, R"({"code":50301,"message":"upstream failure during storm","details":[]})",
                 json);
        for (int i = 0; i < 4; ++i)
            http(500, R"({"code":50001,"message":"internal error","details":[]})", json);
        for (int i = 0; i < 3; ++i) {
            RawHeaders h = json;
            h.append({QByteArray("X-RateLimit-Limit"), QByteArray("100")});
            h.append({QByteArray("X-RateLimit-Remaining"), QByteArray("0")});
            h.append({QByteArray("Retry-After"), QByteArray("30")});
            http(429, R"({"code":42901,"message":"too many requests"})", h);
        }
        for (int i = 0; i < 2; ++i)
            http(200, R"({"failureReason":"MaxPosLimitReached","failureText":"limit","orderId":9})",
                 json);
        http(400, R"({"code":40001,"message":"bad quantity","details":[{"field":"qty"}]})", json);
        for (int i = 0; i < 2; ++i)
            http(200, R"({"ok":true})", json);
        for (const char *err : {"ECONNRESET", "ETIMEDOUT", "ECONNREFUSED"}) {
            ClassifyInput in;
            in.networkError = QString::fromLatin1(err);
            inputs.append(in);
        }

        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        quint64 n = 0;
        auto next = start;
        while (!m_stop) {
            next += std::chrono::milliseconds(1);
            std::this_thread::sleep_until(next);
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            const quint64 due = quint64(elapsed * m_rate);
            for (; n < due && !m_stop; ++n) {
                const ClassifyInput &in = inputs[qsizetype(n % quint64(inputs.size()))];
                ApiEvent e = classifier.classify(in);
                const auto &[endpoint, environment]
                    = m_endpoints[qsizetype((n * 7) % quint64(m_endpoints.size()))];
                e.id = QStringLiteral("storm-%1").arg(n);
                e.timeMs = QDateTime::currentMSecsSinceEpoch();
                e.endpoint = endpoint;
                e.environment = environment;
                e.attempt = 1;
                e.durationMs = 2.0 + double(n % 97);
                // From this thread: queued into the session on the main thread, exactly like
                // an event from a network worker.
                emit m_engine->eventReady(e);
                m_sent.store(n + 1);
            }
        }
    }

    MonitorEngine *m_engine;
    QList<std::pair<QString, QString>> m_endpoints;
    double m_rate;
    std::atomic_bool m_stop{false};
    std::atomic<quint64> m_sent{0};
    std::thread m_thread;
};

int runStall(QApplication &app, const QStringList &args)
{
    const double seconds
        = argValue(args, QStringLiteral("--duration"), QStringLiteral("20")).toDouble();
    const double rate
        = argValue(args, QStringLiteral("--rate"), QStringLiteral("10000")).toDouble();
    const QString json = argValue(args, QStringLiteral("--json"));
    const QString shot = argValue(args, QStringLiteral("--screenshot"));
    MainWindow window;
    if (args.contains(QStringLiteral("--dark")))
        Theme::apply(Theme::Mode::Dark); // the console's own dark theme (View → Theme → Dark)
    window.resize(1600, 1000);
    window.show();
    if (!window.openDemoWorkspace())
        return 1;
    // The window opens a workspace asynchronously (keychain reads first, then the session with
    // its history): wait for it, as a user would.
    QElapsedTimer opening;
    opening.start();
    while (!window.session() && opening.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    MonitorSession *session = window.session();
    if (!session || !session->engine()) {
        std::fprintf(stderr, "bench_ui_stall: the demo workspace did not open within 30 s\n");
        return 1;
    }
    std::atomic<quint64> delivered{0};
    QObject::connect(session, &MonitorSession::eventReady, &app,
                     [&delivered] { delivered.fetch_add(1, std::memory_order_relaxed); });

    // The simulator's incident mode: a 5xx storm on prod for the whole run.
    QNetworkAccessManager nam;
    if (session->simulator()) {
        QNetworkRequest req(
            session->simulator()->baseUrl().resolved(QUrl(QStringLiteral("/_sim/incidents"))));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        const QByteArray body
            = QStringLiteral(
                  R"({"kind":"storm","api":"*","environment":"prod","rate":0.8,"duration_ms":%1})")
                  .arg(qint64((seconds + 10) * 1000))
                  .toUtf8();
        QNetworkReply *reply = nam.post(req, body);
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply] {
            std::printf("POST /_sim/incidents → %d %s\n",
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                        reply->readAll().constData());
            reply->deleteLater();
        });
    }

    QList<std::pair<QString, QString>> endpoints;
    for (const Endpoint &ep : session->engine()->workspace().endpoints)
        endpoints.append({ep.id, ep.environment});
    StormFeeder feeder(session->engine(), endpoints, rate);

    // Probe: a 1 ms precise timer; gaps between timeouts minus the interval are stalls.
    std::vector<double> stalls;
    stalls.reserve(std::size_t(seconds * 1200));
    QElapsedTimer clock;
    qint64 last = -1;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && last >= 0)
            stalls.push_back(std::max(0.0, double(now - last) / 1e6 - 1.0));
        last = now;
    });

    quint64 deliveredAtStart = 0;
    quint64 sentAtStart = 0;
    qint64 startNs = 0;
    double measuredS = 0;
    auto *charts = window.findChild<ChartPanel *>(QStringLiteral("chartPanel"));
    quint64 replotsAtStart = 0;
    // 3 s warm-up (first paint, first polls), then the storm, then 2 s for it to reach steady
    // state, then the measured window.
    QTimer::singleShot(3000, &app, [&] { feeder.start(); });
    QTimer::singleShot(5000, &app, [&] {
        clock.start();
        last = -1;
        measuring = true;
        deliveredAtStart = delivered.load();
        sentAtStart = feeder.sent();
        startNs = clock.nsecsElapsed();
        replotsAtStart = charts ? charts->replotCount() : 0;
        probe.start();
    });
    QTimer::singleShot(int(5000 + seconds * 1000), &app, [&] {
        measuring = false;
        probe.stop();
        measuredS = double(clock.nsecsElapsed() - startNs) / 1e9;
        if (!shot.isEmpty())
            window.grab().save(shot);
        app.quit();
    });
    clock.start();
    app.exec();
    const quint64 sent = feeder.sent() - sentAtStart;
    const quint64 got = delivered.load() - deliveredAtStart;
    feeder.stop();

    const QList<Metric> metrics{
        {QStringLiteral("stall_p50"), percentile(stalls, 0.50), QStringLiteral("ms")},
        {QStringLiteral("stall_p99"), percentile(stalls, 0.99), QStringLiteral("ms"), 8.0},
        {QStringLiteral("stall_p999"), percentile(stalls, 0.999), QStringLiteral("ms")},
        {QStringLiteral("stall_max"),
         stalls.empty() ? 0 : *std::max_element(stalls.begin(), stalls.end()),
         QStringLiteral("ms")},
        {QStringLiteral("probe_samples"), double(stalls.size()), QStringLiteral("count")},
        {QStringLiteral("events_offered_per_s"), double(sent) / measuredS,
         QStringLiteral("events/s")},
        {QStringLiteral("events_delivered_per_s"), double(got) / measuredS,
         QStringLiteral("events/s")},
        {QStringLiteral("chart_replots_per_s"),
         charts ? double(charts->replotCount() - replotsAtStart) / measuredS : 0,
         QStringLiteral("1/s")},
        {QStringLiteral("log_rows"), double(window.logModel()->rowCount()), QStringLiteral("rows")},
    };
    print(metrics);
    if (!json.isEmpty())
        writeJson(json, QStringLiteral("ui_stall"), metrics);
    return 0;
}

int runIdle(QApplication &, const QStringList &args)
{
    const double seconds
        = argValue(args, QStringLiteral("--duration"), QStringLiteral("60")).toDouble();
    const QString json = argValue(args, QStringLiteral("--json"));
    MainWindow window;
    window.resize(1600, 1000);
    if (args.contains(QStringLiteral("--minimized")))
        window.showMinimized();
    else
        window.show();
    if (!window.openDemoWorkspace())
        return 1;
    QElapsedTimer clock;
    clock.start();
    while (!window.session() && clock.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!window.session()) {
        std::fprintf(stderr, "bench_ui_stall: the demo workspace did not open within 30 s\n");
        return 1;
    }
    quint64 events = 0;
    QObject::connect(window.session(), &MonitorSession::eventReady, &window,
                     [&events] { ++events; });
    // A real event loop that sleeps when there is nothing to do (processEvents with a time
    // limit ignores WaitForMoreEvents and would spin, measuring itself).
    const auto runFor = [](double s) {
        QEventLoop loop;
        QTimer::singleShot(qint64(s * 1000), &loop, &QEventLoop::quit);
        loop.exec();
    };
    runFor(10); // warm-up: the first polls, history opening, the first replots
    events = 0;
    const double cpu0 = bench::processCpuSeconds();
    clock.restart();
    runFor(seconds);
    const double wall = double(clock.elapsed()) / 1000.0;
    const double cpu = bench::processCpuSeconds() - cpu0;
    const QList<Metric> metrics{
        {QStringLiteral("idle_cpu_percent"), 100.0 * cpu / wall, QStringLiteral("% of a core"),
         1.0},
        {QStringLiteral("cpu_seconds"), cpu, QStringLiteral("s")},
        {QStringLiteral("wall_seconds"), wall, QStringLiteral("s")},
        {QStringLiteral("events_per_second"), double(events) / wall, QStringLiteral("events/s")},
    };
    print(metrics);
    if (!json.isEmpty())
        writeJson(json, QStringLiteral("console_idle"), metrics);
    return 0;
}

int runFrame(QApplication &, const QStringList &args)
{
    const int frames = argValue(args, QStringLiteral("--frames"), QStringLiteral("60")).toInt();
    const QString json = argValue(args, QStringLiteral("--json"));
    const QString shot = argValue(args, QStringLiteral("--screenshot"));
    constexpr qint64 Day = 24 * 3600 * 1000LL;
    ManualClock clock(1795298400000);
    AggregatorConfig config;
    config.buckets = {86400, 8640, 1440}; // 24 h at 1 s, 10 s and 1 min
    Aggregator agg(clock, config);
    const qint64 start = clock.nowMs() - Day;
    auto feed = [&agg](qint64 t) {
        ApiEvent e;
        e.id = QStringLiteral("f");
        e.timeMs = t;
        e.endpoint = QStringLiteral("orders");
        e.environment = QStringLiteral("prod");
        const qint64 s = t / 1000;
        e.category = s % 13 == 0   ? Category::Unavailable
                     : s % 29 == 0 ? Category::RateLimited
                                   : Category::Ok;
        e.outcome = outcomeOf(e.category);
        e.durationMs = double(5 + s % 40);
        if (s % 5 == 0) {
            e.rateLimit = RateLimitInfo{};
            e.rateLimit->limit = 100;
            e.rateLimit->remaining = 100 - s % 100;
            e.token = TokenInfo{};
            e.token->expiresInS = 3600 - s % 3600;
        }
        agg.add(e, QStringLiteral("broker"));
    };
    for (qint64 t = start; t < clock.nowMs(); t += 500)
        feed(t);

    Workspace ws;
    Credential broker;
    broker.id = QStringLiteral("broker");
    broker.method = Credential::Method::OAuth2ClientCredentials;
    ws.credentials = {broker};
    Endpoint ep;
    ep.id = QStringLiteral("orders");
    ep.environment = QStringLiteral("prod");
    ep.credential = QStringLiteral("broker");
    ws.endpoints = {ep};

    ChartPanel panel(clock);
    panel.setReplotIntervalMs(3600 * 1000);
    panel.resize(1200, 420);
    panel.show();
    panel.setSources(&agg, nullptr, ws);
    panel.setRange(ChartPanel::Range::Last24Hours);
    QCoreApplication::processEvents();
    panel.replotNow();
    QCoreApplication::processEvents();

    std::vector<double> replot;
    std::vector<double> frame;
    QElapsedTimer t;
    for (int i = 0; i < frames; ++i) {
        clock.advance(1000);
        feed(clock.nowMs() - 400);
        feed(clock.nowMs() - 100);
        t.start();
        panel.replotNow();
        replot.push_back(double(t.nsecsElapsed()) / 1e6);
        (void)panel.grab(); // lays out and paints every chart, as a frame would
        frame.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    if (!shot.isEmpty())
        panel.grab().save(shot);
    const QList<Metric> metrics{
        {QStringLiteral("replot_p50"), percentile(replot, 0.5), QStringLiteral("ms")},
        {QStringLiteral("replot_p99"), percentile(replot, 0.99), QStringLiteral("ms")},
        {QStringLiteral("frame_p50"), percentile(frame, 0.5), QStringLiteral("ms")},
        {QStringLiteral("frame_p99"), percentile(frame, 0.99), QStringLiteral("ms")},
        {QStringLiteral("buckets_per_scope"), 86400, QStringLiteral("buckets")},
    };
    print(metrics);
    if (!json.isEmpty())
        writeJson(json, QStringLiteral("chart_frame"), metrics);
    return 0;
}

// --profile: every top-level event delivery on the main thread that takes longer than 4 ms,
// by receiver class and event type, so a missed budget points at its hot spot.
class ProfilingApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool profile = false;
    double thresholdMs = 4.0; // deliveries slower than this are counted (0: all of them)

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!profile || m_depth > 0)
            return QApplication::notify(receiver, event);
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const QObject *owner = receiver->parent();
        const QString what
            = QStringLiteral("%1/%2 (in %3) event %4")
                  .arg(QString::fromLatin1(receiver->metaObject()->className()),
                       receiver->objectName(),
                       owner ? QString::fromLatin1(owner->metaObject()->className()) : QString())
                  .arg(int(event->type()));
        const bool result = QApplication::notify(receiver, event);
        const double ms = double(t.nsecsElapsed()) / 1e6;
        --m_depth;
        if (ms > thresholdMs) {
            auto &[count, total, worst] = m_slow[what];
            ++count;
            total += ms;
            worst = std::max(worst, ms);
        }
        return result;
    }

    void report() const
    {
        std::printf("event deliveries (> %.1f ms), by receiver/type, most time first: count, "
                    "total ms, worst ms\n",
                    thresholdMs);
        QList<QString> keys = m_slow.keys();
        std::sort(keys.begin(), keys.end(), [this](const QString &a, const QString &b) {
            return std::get<1>(m_slow[a]) > std::get<1>(m_slow[b]);
        });
        for (const QString &k : keys.mid(0, 25))
            std::printf("  %-60s %5d %9.1f %7.1f\n", qPrintable(k), std::get<0>(m_slow[k]),
                        std::get<1>(m_slow[k]), std::get<2>(m_slow[k]));
    }

private:
    int m_depth = 0;
    QMap<QString, std::tuple<int, double, double>> m_slow;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ProfilingApplication app(argc, argv);
    // The window remembers workspaces and keeps history; a bench must not touch the user's.
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("HealthDeckBench"));
    QApplication::setApplicationName(QStringLiteral("bench_ui_stall"));
    app.profile = app.arguments().contains(QStringLiteral("--profile"));
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--frame")))
        return runFrame(app, args);
    if (args.contains(QStringLiteral("--idle"))) {
        app.thresholdMs = 0;
        const int rc = runIdle(app, args);
        if (app.profile)
            app.report();
        return rc;
    }
    const int rc = runStall(app, args);
    if (app.profile)
        app.report();
    return rc;
}
