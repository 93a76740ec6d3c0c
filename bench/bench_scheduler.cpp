// End-to-end scheduler benchmark (DESIGN §8: 1,000 endpoints at 1 Hz on 2 cores, start jitter
// p99 ≤ 5 ms). A minimal keep-alive HTTP responder runs on its own thread in this process, so
// the figures include serving the requests too.
//
//   bench_scheduler [endpoints=1000] [seconds=20] [workers=2]
#include "monitorengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>

using namespace hd;

namespace {

class Responder : public QTcpServer
{
public:
    qint64 served = 0;

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *s = new QTcpSocket(this);
        s->setSocketDescriptor(handle);
        connect(s, &QTcpSocket::readyRead, s, [this, s] {
            QByteArray buf = s->property("b").toByteArray() + s->readAll();
            qsizetype end;
            while ((end = buf.indexOf("\r\n\r\n")) >= 0) {
                buf.remove(0, end + 4);
                ++served;
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         "11\r\n\r\n{\"ok\":true}");
            }
            s->setProperty("b", buf);
        });
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
};

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int endpoints = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 20;
    const int workers = argc > 3 ? std::atoi(argv[3]) : 2;

    QThread serverThread;
    auto *responder = new Responder;
    responder->moveToThread(&serverThread);
    serverThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        responder,
        [&] {
            responder->listen(QHostAddress::LocalHost, 0);
            port = responder->serverPort();
        },
        Qt::BlockingQueuedConnection);

    Workspace ws;
    ws.name = QStringLiteral("bench");
    ws.environments.append({QStringLiteral("dev"),
                            QStringLiteral("dev"),
                            QStringLiteral("http://127.0.0.1:%1").arg(port),
                            {}});
    for (int i = 0; i < endpoints; ++i) {
        Endpoint e;
        e.id = QStringLiteral("ep%1").arg(i);
        e.environment = QStringLiteral("dev");
        e.path = QStringLiteral("/health/%1").arg(i);
        e.intervalMs = 1000;
        e.timeoutMs = 5000;
        e.quotaShare = 1.0;
        ws.endpoints.append(e);
    }
    MonitorEngine engine;
    EngineOptions options;
    options.workerThreads = workers;
    if (const QString err = engine.load(ws, options); !err.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(err));
        return 1;
    }
    qint64 events = 0, failures = 0;
    QObject::connect(&engine, &MonitorEngine::eventReady, &engine, [&](const ApiEvent &e) {
        ++events;
        if (e.isFailure())
            ++failures;
    });
    const double cpu0 = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    engine.start();
    QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    app.exec();
    engine.stop();
    const double cpu = cpuSeconds() - cpu0;
    const double elapsed = double(wall.elapsed()) / 1000.0;
    const JitterStats j = engine.scheduler()->startJitter();
    std::printf("{\"bench\":\"scheduler\",\"endpoints\":%d,\"interval_ms\":1000,\"seconds\":%.1f,"
                "\"workers\":%d,"
                "\"requests\":%lld,\"events\":%lld,\"failures\":%lld,\"jitter_p50_ms\":%.2f,"
                "\"jitter_p99_ms\":%.2f,"
                "\"jitter_max_ms\":%.2f,\"cpu_percent_of_one_core\":%.1f,\"cpu_ms_per_1000_"
                "requests\":%.1f}\n",
                endpoints, elapsed, workers, engine.scheduler()->requestsSent(), events, failures,
                j.p50Ms, j.p99Ms, j.maxMs, 100.0 * cpu / elapsed,
                events ? 1e6 * cpu / double(events) : 0.0);
    serverThread.quit();
    serverThread.wait();
    return 0;
}
