// Redactor throughput on 1 MiB bodies (issue #16: "redaction that cannot be outrun").
// Run: build/bench/bench_redactor --benchmark_counters_tabular=true
// bytes_per_second is UTF-8 bytes of body redacted per second on one thread.

#include "redactor.h"

#include <benchmark/benchmark.h>

#include <QRandomGenerator>

using namespace hd;

namespace {

constexpr qsizetype BodyBytes = 1024 * 1024;

QString randomWord(QRandomGenerator &rng, int minLen, int maxLen)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const int len = minLen + int(rng.bounded(maxLen - minLen + 1));
    QString w;
    w.reserve(len);
    for (int i = 0; i < len; ++i)
        w.append(QLatin1Char(alphabet[rng.bounded(int(sizeof(alphabet) - 1))]));
    return w;
}

// A JSON array of order-like objects; with secrets, every object carries a password, an access
// token and a nested credentials object, as a token or login endpoint's log would.
QString jsonBody(bool withSecrets, const QStringList &heldValues = {})
{
    QRandomGenerator rng(20261121);
    QString out = QStringLiteral("[");
    int n = 0;
    while (out.size() < BodyBytes) {
        if (n++)
            out += u',';
        out += QStringLiteral(R"({"orderId":%1,"accountId":"acc-%2","symbol":"%3","qty":%4,)"
                              R"("note":"%5 %6 %7","traceId":"trx-%8")")
                   .arg(rng.bounded(1000000))
                   .arg(rng.bounded(1000))
                   .arg(randomWord(rng, 3, 5), QString::number(rng.bounded(100)),
                        randomWord(rng, 4, 12), randomWord(rng, 4, 12), randomWord(rng, 4, 12))
                   .arg(randomWord(rng, 16, 16));
        if (withSecrets)
            out += QStringLiteral(R"(,"password":"%1","access_token":"%2",)"
                                  R"("credentials":{"user":"u%3","key":"%4"})")
                       .arg(randomWord(rng, 8, 16), randomWord(rng, 40, 80))
                       .arg(rng.bounded(100))
                       .arg(randomWord(rng, 20, 30));
        if (!heldValues.isEmpty() && n % 8 == 0)
            out += QStringLiteral(R"(,"echo":"value %1 seen")")
                       .arg(heldValues[int(rng.bounded(int(heldValues.size())))]);
        out += u'}';
    }
    out += u']';
    return out;
}

QStringList heldValues(int count)
{
    QRandomGenerator rng(42);
    QStringList values;
    for (int i = 0; i < count; ++i)
        values << QStringLiteral("sk_live_") + randomWord(rng, 24, 48);
    return values;
}

void run(benchmark::State &state, const Redactor &r, const QString &body)
{
    const qint64 bytes = body.toUtf8().size();
    for (auto _ : state) {
        QString out = r.redactBody(body);
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_Json1MiB_WithSecretFields(benchmark::State &state)
{
    static const QString body = jsonBody(true);
    const Redactor r;
    run(state, r, body);
}

void BM_Json1MiB_WithoutSecrets(benchmark::State &state)
{
    static const QString body = jsonBody(false);
    const Redactor r;
    run(state, r, body);
}

void BM_Json1MiB_50HeldValues(benchmark::State &state)
{
    static const QStringList values = heldValues(50);
    static const QString body = jsonBody(false, values);
    Redactor r;
    for (const QString &v : values)
        r.addSecretValue(v);
    run(state, r, body);
}

void BM_Form1MiB_WithSecretFields(benchmark::State &state)
{
    static const QString body = [] {
        QRandomGenerator rng(7);
        QString out;
        while (out.size() < BodyBytes)
            out += QStringLiteral("grant_type=password&username=u%1&password=%2&scope=read&")
                       .arg(rng.bounded(1000))
                       .arg(randomWord(rng, 8, 20));
        return out;
    }();
    const Redactor r;
    run(state, r, body);
}

} // namespace

BENCHMARK(BM_Json1MiB_WithSecretFields)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Json1MiB_WithoutSecrets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Json1MiB_50HeldValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Form1MiB_WithSecretFields)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
