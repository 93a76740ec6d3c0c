// History and aggregation against the DESIGN §8 budgets: ingest ≥ 200k events/s into the
// aggregators and the log model (one beginInsertRows per frame), filter ≤ 50 ms and sort
// ≤ 150 ms on 1M rows, ≤ 200 bytes per event held; plus history-store inserts/s.
//
//   bench_history --benchmark_filter=Filter1M   (one group)
//   bench_history --benchmark_min_time=2        (steadier numbers)

#include "aggregator.h"
#include "errorlogmodel.h"
#include "historystore.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <malloc.h>

#include <memory>
#include <vector>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000;

// A storm as the engine would produce it: 200 endpoints, 3 environments, mostly successes,
// a realistic spread of failures with vendor codes, unique ids and trace ids.
std::vector<ApiEvent> makeEvents(int n, qint64 startMs, int perSecond)
{
    static const QStringList messages{QStringLiteral("Rate limit exceeded, retry later"),
                                      QStringLiteral("Position limit reached for account"),
                                      QStringLiteral("Service temporarily unavailable"),
                                      QStringLiteral("Order rejected: insufficient margin"),
                                      QStringLiteral("Upstream timed out")};
    static const Category failures[]
        = {Category::RateLimited,      Category::Unavailable,     Category::InternalError,
           Category::BusinessRejected, Category::ConnectionReset, Category::Locked};
    static const int statuses[] = {429, 503, 500, 200, 0, 423};
    std::vector<ApiEvent> events;
    events.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        ApiEvent e;
        e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
        e.timeMs = startMs + qint64(i) * 1000 / perSecond;
        e.environment = i % 3 == 0
                            ? QStringLiteral("prod")
                            : (i % 3 == 1 ? QStringLiteral("preprod") : QStringLiteral("dev"));
        e.endpoint = QStringLiteral("orders.endpoint%1").arg(i % 200);
        e.profile = QStringLiteral("tradovate");
        e.durationMs = 5.0 + double((i * 7919) % 400);
        e.identifiers.traceId = QStringLiteral("trx-%1").arg(i);
        if (i % 10 < 7) {
            e.httpStatus = 200;
            e.category = Category::Ok;
        } else {
            const int k = i % 6;
            e.category = failures[k];
            if (statuses[k])
                e.httpStatus = statuses[k];
            else
                e.networkError = QStringLiteral("ECONNRESET");
            e.error = ErrorInfo{};
            e.error->code = QStringLiteral("Code%1").arg(i % 40);
            e.error->message = messages[i % messages.size()];
        }
        e.outcome = outcomeOf(e.category);
        if (i % 5 == 0)
            e.rateLimit = RateLimitInfo{100, qint64(i % 100), 17.0, std::nullopt, {}, {}};
        events.push_back(std::move(e));
    }
    return events;
}

const std::vector<ApiEvent> &stormEvents()
{
    static const std::vector<ApiEvent> events = makeEvents(1 << 16, T0, 200000);
    return events;
}

// The 1M-row model, built once and shared by the filter and sort benchmarks.
ErrorLogModel &millionRowModel()
{
    static ManualClock clock(T0 + 600 * 1000);
    static std::unique_ptr<ErrorLogModel> model = [] {
        auto m = std::make_unique<ErrorLogModel>(clock);
        const std::vector<ApiEvent> events = makeEvents(1'000'000, T0, 2000);
        for (const ApiEvent &e : events)
            m->append(e);
        m->flush();
        return m;
    }();
    return *model;
}

void BM_AggregatorIngest(benchmark::State &state)
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    const auto &events = stormEvents();
    std::size_t i = 0;
    for (auto _ : state) {
        const ApiEvent &e = events[i++ & (events.size() - 1)];
        agg.add(e, (i & 1) ? QStringLiteral("desk-a") : QStringLiteral("desk-b"));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["aggregator_bytes"] = double(agg.bytesHeld());
}
BENCHMARK(BM_AggregatorIngest);

// Appends a frame's worth of a 200k events/s storm (60 fps: 3,334 events), then flushes once.
void BM_LogModelIngestPerFrame(benchmark::State &state)
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    int inserts = 0;
    QObject::connect(&model, &QAbstractItemModel::rowsAboutToBeInserted, &model,
                     [&inserts] { ++inserts; });
    const auto &events = stormEvents();
    const int frame = 3334;
    std::size_t i = 0;
    for (auto _ : state) {
        for (int k = 0; k < frame; ++k)
            model.append(events[i++ & (events.size() - 1)]);
        model.flush();
    }
    state.SetItemsProcessed(state.iterations() * frame);
    state.counters["inserts_per_flush"] = double(inserts) / double(state.iterations());
}
BENCHMARK(BM_LogModelIngestPerFrame)->Unit(benchmark::kMicrosecond);

void BM_IngestBothPerFrame(benchmark::State &state)
{
    ManualClock clock(T0);
    Aggregator agg(clock);
    ErrorLogModel model(clock);
    const auto &events = stormEvents();
    const int frame = 3334;
    std::size_t i = 0;
    for (auto _ : state) {
        for (int k = 0; k < frame; ++k) {
            const ApiEvent &e = events[i++ & (events.size() - 1)];
            agg.add(e);
            model.append(e);
        }
        model.flush();
    }
    state.SetItemsProcessed(state.iterations() * frame);
}
BENCHMARK(BM_IngestBothPerFrame)->Unit(benchmark::kMicrosecond);

const char *const filters[] = {"status:5xx",
                               "endpoint:orders.endpoint1*",
                               "env:prod status:429",
                               "limit",
                               "trace:trx-123456",
                               "category:rate_limited,locked since:5m",
                               "-env:dev code:Code7 margin"};

void BM_Filter1M(benchmark::State &state)
{
    ErrorLogModel &model = millionRowModel();
    const QString text = QString::fromUtf8(filters[state.range(0)]);
    state.SetLabel(filters[state.range(0)]);
    for (auto _ : state) {
        model.setFilterText(text);
        benchmark::DoNotOptimize(model.rowCount());
    }
    state.counters["rows"] = model.rowCount();
    model.setFilterText(QString());
}
BENCHMARK(BM_Filter1M)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

void BM_Sort1M(benchmark::State &state)
{
    ErrorLogModel &model = millionRowModel();
    model.setFilterText(QString());
    const int column = int(state.range(0));
    state.SetLabel(model.headerData(column, Qt::Horizontal).toString().toStdString());
    bool descending = false;
    for (auto _ : state) {
        // Alternate the order so every iteration really reorders a million rows.
        descending = !descending;
        model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        benchmark::DoNotOptimize(model.rowCount());
    }
    model.sort(-1);
}
BENCHMARK(BM_Sort1M)
    ->Arg(ErrorLogModel::Time)
    ->Arg(ErrorLogModel::Endpoint)
    ->Arg(ErrorLogModel::Status)
    ->Arg(ErrorLogModel::Message)
    ->Arg(ErrorLogModel::Trace)
    ->Arg(ErrorLogModel::Duration)
    ->Unit(benchmark::kMillisecond);

// Bytes held per event: the model's own account and, independently, the heap growth seen by
// malloc while 1M events are appended and flushed.
void BM_BytesPerEvent(benchmark::State &state)
{
    const std::vector<ApiEvent> events = makeEvents(1'000'000, T0, 2000);
    for (auto _ : state) {
        ManualClock clock(T0);
        malloc_trim(0);
        // In-use heap: small chunks plus large mmap'd blocks (vectors of a million records).
        auto heapInUse = [] {
            const struct mallinfo2 mi = mallinfo2();
            return mi.uordblks + mi.hblkhd;
        };
        const std::size_t before = heapInUse();
        auto model = std::make_unique<ErrorLogModel>(clock);
        for (const ApiEvent &e : events)
            model->append(e);
        model->flush();
        const std::size_t after = heapInUse();
        state.counters["model_bytes_per_event"] = double(model->bytesHeld()) / 1e6;
        state.counters["heap_bytes_per_event"] = double(after - before) / 1e6;
    }
}
BENCHMARK(BM_BytesPerEvent)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_StoreInsert(benchmark::State &state)
{
    QTemporaryDir dir;
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dir.filePath(QStringLiteral("bench.db")));
    if (!opened.ok) {
        state.SkipWithError(opened.error.toStdString().c_str());
        return;
    }
    const auto &events = stormEvents();
    const int batch = 10000;
    std::size_t i = 0;
    for (auto _ : state) {
        for (int k = 0; k < batch; ++k) {
            ApiEvent e = events[i++ & (events.size() - 1)];
            store.append(e);
        }
        store.flush(); // one committed transaction, as the 250 ms window would produce
    }
    state.SetItemsProcessed(state.iterations() * batch);
    state.counters["db_bytes_per_event"] = double(store.fileBytes()) / double(i);
}
// Real time: the work happens on the writer thread, not the benchmark thread.
BENCHMARK(BM_StoreInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    // QtSql and the writer thread's event loop want an application object.
    QCoreApplication app(argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
