// History store, end to end: sustained inserts/s through HistoryStore (SQLite in WAL mode,
// synchronous=FULL, the writer thread committing at most every 250 ms — the batching window
// the console runs with) and the size per event on disk. A producer on the main thread keeps
// a bounded backlog queued (as a storm would), so the figure is what the writer sustains, not
// how fast a queue grows.
//
//   bench_store [--seconds 20] [--warmup-s 2] [--backlog 50000] [--commit-ms 250] [--json PATH]

#include "benchargs.h"
#include "benchmetrics.h"
#include "historystore.h"
#include "stormevents.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace hd;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bench::BenchArgs args(argc, argv);
    if (!args.error().empty()) {
        std::fprintf(stderr, "bench_store: %s\n", args.error().c_str());
        return 2;
    }
    const double seconds = args.number("seconds", 20);
    const double warmup = args.number("warmup-s", 2);
    const qint64 backlog = qint64(args.number("backlog", 50000));
    const int commitMs = int(args.number("commit-ms", 250));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.db"));
    HistoryStore store;
    store.setCommitIntervalMs(commitMs);
    const auto opened = store.open(path);
    if (!opened.ok) {
        std::fprintf(stderr, "bench_store: %s\n", qPrintable(opened.error));
        return 1;
    }
    const std::vector<ApiEvent> templates
        = bench::makeStormEvents(1 << 14, QDateTime::currentMSecsSinceEpoch(), 10000);

    qint64 appended = 0, committed = 0;
    QObject::connect(&store, &HistoryStore::committed, &store,
                     [&committed](int n) { committed += n; });
    // Tops the backlog up every 5 ms, 1,000 events per append() call; every event unique.
    QTimer producer;
    producer.setInterval(5);
    QObject::connect(&producer, &QTimer::timeout, &store, [&] {
        while (appended - committed < backlog) {
            QList<ApiEvent> chunk;
            chunk.reserve(1000);
            for (int k = 0; k < 1000; ++k, ++appended) {
                ApiEvent e = templates[std::size_t(appended) & (templates.size() - 1)];
                e.id = QStringLiteral("e7a1b2c3-0000-4000-8000-%1")
                           .arg(appended, 12, 10, QLatin1Char('0'));
                e.timeMs += (appended >> 14) * 1638;
                chunk.append(std::move(e));
            }
            store.append(chunk);
        }
    });

    QElapsedTimer wall;
    qint64 committedAtStart = 0;
    quint64 commitsAtStart = 0;
    double measured = 0;
    QTimer::singleShot(int(warmup * 1000), &app, [&] {
        committedAtStart = committed;
        commitsAtStart = store.commitCount();
        wall.start();
    });
    QTimer::singleShot(int((warmup + seconds) * 1000), &app, [&] {
        measured = double(wall.elapsed()) / 1000.0;
        producer.stop();
        app.quit();
    });
    producer.start();
    app.exec();
    const qint64 committedInWindow = committed - committedAtStart;
    const quint64 commitsInWindow = store.commitCount() - commitsAtStart;

    store.flush();
    const qint64 rows = store.count();
    const qint64 liveBytes = store.fileBytes();
    store.close(); // checkpoints the WAL into the database file
    const qint64 dbBytes = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();

    bench::BenchMetrics m("store");
    m.setConfig("seconds", measured);
    m.setConfig("commit_interval_ms", commitMs);
    m.setConfig("backlog", double(backlog));
    m.setConfig("rows", double(rows));
    m.add("inserts_per_s", measured > 0 ? double(committedInWindow) / measured : 0.0, "events/s",
          "history store: sustained inserts/s (WAL, 250 ms batching window)");
    m.add("commits_per_s", measured > 0 ? double(commitsInWindow) / measured : 0.0, "commits/s",
          "history store: transactions committed per second");
    m.add("disk_bytes_per_event", rows ? double(dbBytes) / double(rows) : 0.0, "B",
          "history store: size on disk per event (after checkpoint)");
    m.add("disk_bytes_per_event_with_wal", rows ? double(liveBytes) / double(rows) : 0.0, "B",
          "history store: database + WAL per event while running");
    return m.finish(args.text("json")) ? 0 : 1;
}
