// History and aggregation against the DESIGN §8 budgets: ingest ≥ 200k events/s into the
// aggregators and the log model (one beginInsertRows per frame), filter ≤ 50 ms and sort
// ≤ 150 ms on 1M rows, ≤ 200 bytes per event held; plus scrolling (data() for a viewport at
// random positions). History-store inserts are measured end to end by bench_store.
//
//   bench_history --benchmark_filter=Filter1M   (one group)
//   bench_history --benchmark_min_time=2        (steadier numbers)
//   bench_history --rows=20000                  (a smaller "1M" model: smoke runs)

#include "aggregator.h"
#include "errorlogmodel.h"
#include "stormevents.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <cstring>

#include <malloc.h>

#include <memory>
#include <vector>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000;

// Rows of the big model (--rows=N; the runner's quick mode makes it small). Default 1M.
int g_rows = 1'000'000;

const std::vector<ApiEvent> &stormEvents()
{
    static const std::vector<ApiEvent> events = bench::makeStormEvents(1 << 16, T0, 200000);
    return events;
}

// The 1M-row model, built once and shared by the filter and sort benchmarks.
ErrorLogModel &millionRowModel()
{
    static ManualClock clock(T0 + 600 * 1000);
    static std::unique_ptr<ErrorLogModel> model = [] {
        auto m = std::make_unique<ErrorLogModel>(clock);
        const std::vector<ApiEvent> events = bench::makeStormEvents(g_rows, T0, 2000);
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
    state.counters["model_rows"] = model.recordCount();
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
    state.counters["model_rows"] = model.recordCount();
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
    const std::vector<ApiEvent> events = bench::makeStormEvents(g_rows, T0, 2000);
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
        state.counters["model_bytes_per_event"] = double(model->bytesHeld()) / double(g_rows);
        state.counters["heap_bytes_per_event"] = double(after - before) / double(g_rows);
    }
}
BENCHMARK(BM_BytesPerEvent)->Iterations(1)->Unit(benchmark::kMillisecond);

// Scrolling: what the view asks for when it paints one viewport (40 rows × every column,
// DisplayRole) at a random position of the million rows; one iteration is one viewport.
void BM_Scroll1M(benchmark::State &state)
{
    ErrorLogModel &model = millionRowModel();
    model.setFilterText(QString());
    const int rows = model.rowCount();
    const int viewport = 40;
    quint32 seed = 12345;
    for (auto _ : state) {
        seed = seed * 1664525u + 1013904223u;
        const int top = int(seed % quint32(std::max(1, rows - viewport)));
        for (int r = top; r < top + viewport && r < rows; ++r) {
            for (int c = 0; c < ErrorLogModel::ColumnCount; ++c)
                benchmark::DoNotOptimize(model.data(model.index(r, c), Qt::DisplayRole));
        }
    }
    state.SetItemsProcessed(state.iterations() * viewport);
    state.counters["model_rows"] = rows;
}
BENCHMARK(BM_Scroll1M)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char **argv)
{
    // Our own flag first: --rows=N (Google Benchmark rejects flags it does not know).
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--rows=", 7) == 0)
            g_rows = std::max(1000, std::atoi(argv[i] + 7));
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    benchmark::AddCustomContext("rows", std::to_string(g_rows));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    // QtSql and the writer thread's event loop want an application object.
    QCoreApplication app(argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
