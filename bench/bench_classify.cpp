// Classifier throughput (DESIGN §8: ≥ 200k small responses/s per core).
// Run: build/bench/bench_classify --benchmark_counters_tabular=true
// items_per_second is responses classified per second on one thread.

#include "classifier.h"

#include <benchmark/benchmark.h>

using namespace hd;

namespace {

const Classifier &classifier()
{
    static const Classifier c(std::make_shared<ProfileRegistry>());
    return c;
}

ClassifyInput input(int status, QByteArray body, RawHeaders headers = {},
                    QString profile = QStringLiteral("auto"))
{
    ClassifyInput in;
    in.status = status;
    in.body = std::move(body);
    in.headers = std::move(headers);
    in.profile = std::move(profile);
    in.nowMs = 1795298400000;
    return in;
}

const RawHeaders kJson{{"Content-Type", "application/json; charset=utf-8"},
                       {"X-Request-Id", "req-6f1c2a4e"},
                       {"Date", "Sat, 21 Nov 2026 22:00:00 GMT"}};

void run(benchmark::State &state, const ClassifyInput &in)
{
    ApiEvent e;
    for (auto _ : state) {
        classifier().classify(in, e);
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * in.body.size());
}

// ---- small error bodies, one per seed ----

void BM_Seed000_Http503EmptyBody(benchmark::State &state)
{
    run(state, input(503, {}, {{"Retry-After", "30"}}));
}

void BM_Seed000_ConnectionReset(benchmark::State &state)
{
    ClassifyInput in;
    in.networkError = QStringLiteral("ECONNRESET");
    in.nowMs = 1795298400000;
    run(state, in);
}

void BM_Seed001_SignalsConflict(benchmark::State &state)
{
    run(state,
        input(
            409,
            R"({"error":"A same-direction live signal already exists","code":"DUPLICATE_INTENT","details":{"conflictingSignalId":"sig_8f2a"}})",
            kJson));
}

void BM_Seed001_SignalsValidation(benchmark::State &state)
{
    run(state,
        input(
            400,
            R"({"error":"Request body failed validation","code":"VALIDATION_ERROR","details":[{"path":["order","qty"],"message":"Expected number"}]})",
            kJson));
}

void BM_Seed002_CodeMessage500(benchmark::State &state)
{
    run(state, input(500, R"({"code": 1234, "message": "Internal error", "details": []})", kJson));
}

void BM_Seed003_TradovateBusinessError(benchmark::State &state)
{
    run(state,
        input(
            200,
            R"({"failureReason":"MaxPosLimitReached","failureText":"Position limit exceeded","orderId":12345})",
            kJson));
}

void BM_Seed003_TradovateLockout429(benchmark::State &state)
{
    run(state, input(429, R"({"errorText":"Too many requests","ok":false})", kJson,
                     QStringLiteral("tradovate")));
}

void BM_Seed004_ErrorEnvelope(benchmark::State &state)
{
    run(state,
        input(
            400,
            R"({"error_code":"invalid_request","error_type":"validation","message":"invalid request data","details":[{"field":"instrument_id","description":"invalid instrument_id format"}],"trace_id":"trx-123"})",
            kJson));
}

void BM_Success200SmallJson(benchmark::State &state)
{
    RawHeaders headers = kJson;
    headers.emplaceBack("X-RateLimit-Limit", "100");
    headers.emplaceBack("X-RateLimit-Remaining", "57");
    headers.emplaceBack("X-RateLimit-Reset", "17");
    run(state,
        input(200, R"({"id":42,"accountId":"acc-1","status":"Working","qty":1,"price":5012.25})",
              headers));
}

// ---- large bodies ----

QByteArray bigJson(qsizetype size)
{
    QByteArray body
        = R"({"error_code":"internal_server_error","error_type":"internal_error","message":"big","items":[)";
    int i = 0;
    while (body.size() < size - 64)
        body += R"({"id":)" + QByteArray::number(i++) + R"(,"name":"instrument","qty":10},)";
    body += R"({"id":0}]})";
    return body;
}

void BM_Body64KiB(benchmark::State &state)
{
    static const QByteArray body = bigJson(64 * 1024);
    run(state, input(500, body, kJson));
}

void BM_Body1MiB(benchmark::State &state)
{
    static const QByteArray body = bigJson(1024 * 1024);
    run(state, input(500, body, kJson));
}

} // namespace

BENCHMARK(BM_Seed000_Http503EmptyBody);
BENCHMARK(BM_Seed000_ConnectionReset);
BENCHMARK(BM_Seed001_SignalsConflict);
BENCHMARK(BM_Seed001_SignalsValidation);
BENCHMARK(BM_Seed002_CodeMessage500);
BENCHMARK(BM_Seed003_TradovateBusinessError);
BENCHMARK(BM_Seed003_TradovateLockout429);
BENCHMARK(BM_Seed004_ErrorEnvelope);
BENCHMARK(BM_Success200SmallJson);
BENCHMARK(BM_Body64KiB);
BENCHMARK(BM_Body1MiB)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
