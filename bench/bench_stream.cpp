// Stream monitor frame handling (docs/streams.md): what one received frame costs on the
// engine's thread. Run: build/bench/bench_stream --benchmark_counters_tabular=true
// items_per_second is frames per second on one thread.

#include "classifier.h"
#include "streamframe.h"

#include <benchmark/benchmark.h>

using namespace hd;

namespace {

void BM_parseHeartbeat(benchmark::State &state)
{
    const QString frame = QStringLiteral("h");
    for (auto _ : state)
        benchmark::DoNotOptimize(StreamFrame::parse(frame));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parseHeartbeat);

// A pushed quote, as the simulator's md/subscribequote sends them (counted, no event).
void BM_parsePushedQuote(benchmark::State &state)
{
    const QString frame = QStringLiteral(
        R"(a[{"e":"md","d":{"quotes":[{"contractId":1,"timestamp":1795298400000,"entries":{"Bid":{"price":5321.25},"Offer":{"price":5321.5},"Trade":{"price":5321.25,"size":3}}}]}}])");
    for (auto _ : state) {
        const StreamFrame f = StreamFrame::parse(frame);
        benchmark::DoNotOptimize(StreamFrame::isPush(f.messages.front()));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parsePushedQuote);

// An answer frame turned into an event the way StreamMonitor does it: parse, re-frame the
// message, classify under the tradovate profile.
void BM_answerToEvent(benchmark::State &state)
{
    const Classifier classifier(std::make_shared<ProfileRegistry>());
    const QString frame = QStringLiteral(R"(a[{"s":200,"i":42,"d":{"users":[{"id":4242}]}}])");
    ApiEvent e;
    for (auto _ : state) {
        const StreamFrame f = StreamFrame::parse(frame);
        ClassifyInput in;
        in.body = "a[" + QByteArray::fromStdString(f.messages.front().dump()) + ']';
        in.profile = QStringLiteral("tradovate");
        in.nowMs = 1795298400000;
        classifier.classify(in, e);
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_answerToEvent);

} // namespace

BENCHMARK_MAIN();
