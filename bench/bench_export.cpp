// End to end: a support bundle of 100,000 events (issue 8: "exporting 100,000 events takes
// seconds"). Generates a history database the way `hdeck watch --db` writes it, then times
// reading it back (BundleEventLoader, the `hdeck export --db` path) and writing the bundle
// (redaction, JSONL, CSV, HAR, curl scripts, HTML and PDF report, ZIP).
//
//   bench_export [--events N] [--json PATH] [--keep DIR]

#include "bundleeventloader.h"
#include "historystore.h"
#include "supportbundlewriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000; // 2026-11-21T22:00:00Z

ApiEvent makeEvent(int i)
{
    static const Category failures[]
        = {Category::RateLimited,      Category::Unavailable,     Category::InternalError,
           Category::BusinessRejected, Category::ConnectionReset, Category::Unauthorized};
    static const int statuses[] = {429, 503, 500, 200, 0, 401};
    ApiEvent e;
    e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
    e.timeMs = T0 + qint64(i) * 36; // 100k events over one hour
    e.environment = i % 3 == 0 ? QStringLiteral("prod")
                               : (i % 3 == 1 ? QStringLiteral("preprod") : QStringLiteral("dev"));
    e.endpoint = QStringLiteral("orders.endpoint%1").arg(i % 50);
    e.profile = QStringLiteral("tradovate");
    e.durationMs = 5.0 + double((i * 7919) % 400);
    const bool post = i % 4 == 0;
    e.request = RequestInfo{
        post ? QStringLiteral("POST") : QStringLiteral("GET"),
        QStringLiteral("https://demo.tradovateapi.example/v1/order/list?"
                       "accountId=%1&token=t-%2")
            .arg(1000 + i % 7)
            .arg(i),
        {{QStringLiteral("Authorization"), QStringLiteral("Bearer eyJ.%1.sig").arg(i)},
         {QStringLiteral("Accept"), QStringLiteral("application/json")},
         {QStringLiteral("X-Request-Id"), QStringLiteral("req-%1").arg(i)}},
        post
            ? QStringLiteral(
                  R"({"accountId":%1,"action":"Buy","symbol":"ESZ6","orderQty":1,"password":"pw-%2"})")
                  .arg(1000 + i % 7)
                  .arg(i)
            : QString()};
    e.identifiers.traceId = QStringLiteral("trace-%1").arg(i);
    e.identifiers.accountId = QString::number(1000 + i % 7);
    e.rateLimit
        = RateLimitInfo{100, 100 - i % 100, 17.0, std::nullopt, {}, QStringLiteral("x-ratelimit")};
    if (i % 10 < 7) {
        e.httpStatus = 200;
        e.category = Category::Ok;
        e.response
            = ResponseInfo{{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}},
                           QStringLiteral(R"({"orders":[{"id":%1,"status":"Working"}]})").arg(i),
                           48};
    } else {
        const int k = i % 6;
        e.category = failures[k];
        if (statuses[k]) {
            e.httpStatus = statuses[k];
            e.response = ResponseInfo{
                {{QStringLiteral("Content-Type"), QStringLiteral("application/json")},
                 {QStringLiteral("Retry-After"), QStringLiteral("30")}},
                QStringLiteral(R"({"errorText":"failed","orderId":%1})").arg(i),
                40};
        } else {
            e.networkError = QStringLiteral("ECONNRESET");
        }
        e.identifiers.orderId = QString::number(500000 + i);
        e.error = ErrorInfo{QStringLiteral("E%1").arg(k),
                            ErrorType::Unavailable,
                            QStringLiteral("Service temporarily unavailable"),
                            {}};
        e.retry = RetryDecision{true, RetryAction::RetryBackoff, 400,
                                QStringLiteral("Retry with exponential backoff and jitter.")};
        e.attempt = 1 + i % 3;
    }
    e.outcome = outcomeOf(e.category);
    return e;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int count = 100000;
    QString jsonPath;
    QString keepDir;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--events")
            count = args[++i].toInt();
        else if (args[i] == u"--json")
            jsonPath = args[++i];
        else if (args[i] == u"--keep")
            keepDir = args[++i];
    }
    QTemporaryDir tmp;
    const QString dir = keepDir.isEmpty() ? tmp.path() : keepDir;
    QDir().mkpath(dir);
    const QString db = dir + QStringLiteral("/history.db");
    const QString zip = dir + QStringLiteral("/bundle.zip");
    QFile::remove(db);

    {
        HistoryStore store;
        const auto opened = store.open(db);
        if (!opened.ok) {
            std::fprintf(stderr, "bench_export: %s\n", qPrintable(opened.error));
            return 1;
        }
        QList<ApiEvent> batch;
        for (int i = 0; i < count; ++i) {
            batch.append(makeEvent(i));
            if (batch.size() == 5000) {
                store.append(batch);
                batch.clear();
            }
        }
        store.append(batch);
        store.flush();
        store.close();
    }

    QElapsedTimer timer;
    timer.start();
    BundleEventLoader::Result loaded = BundleEventLoader::fromHistory(db, {});
    const double loadMs = double(timer.nsecsElapsed()) / 1e6;
    if (!loaded.error.isEmpty() || loaded.events.size() != count) {
        std::fprintf(stderr, "bench_export: read %lld of %d events: %s\n",
                     qint64(loaded.events.size()), count, qPrintable(loaded.error));
        return 1;
    }
    SupportBundleRequest request;
    request.events = std::move(loaded.events);
    request.secretValues = {QStringLiteral("not-in-any-event-1"), QStringLiteral("held-secret-2")};
    request.selection = QStringLiteral("bench: %1 events").arg(count);
    timer.restart();
    const SupportBundleWriter::Result r = SupportBundleWriter::write(std::move(request), zip);
    const double writeMs = double(timer.nsecsElapsed()) / 1e6;
    if (!r.ok()) {
        std::fprintf(stderr, "bench_export: %s\n", qPrintable(r.error));
        return 1;
    }
    const double totalMs = loadMs + writeMs;
    std::printf("bench_export: %d events: read %.0f ms, bundle %.0f ms, total %.0f ms "
                "(%.0f events/s); %lld bytes, %d HAR entries, %d curl scripts, %d redactions\n",
                count, loadMs, writeMs, totalMs, count / (totalMs / 1000.0), r.bytes, r.harEntries,
                r.curlScripts, r.redactions);

    if (!jsonPath.isEmpty()) {
        const auto metric = [](const char *name, double value, const char *unit) {
            return QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
                               {QStringLiteral("value"), value},
                               {QStringLiteral("unit"), QLatin1String(unit)}};
        };
        QJsonObject total = metric("export_100k_total_ms", totalMs, "ms");
        total.insert(QStringLiteral("budget"), 10000.0); // "takes seconds"
        total.insert(QStringLiteral("budget_op"), QStringLiteral("<="));
        const QJsonObject doc{
            {QStringLiteral("bench"), QStringLiteral("bench_export")},
            {QStringLiteral("machine"),
             QJsonObject{{QStringLiteral("cpus"), QThread::idealThreadCount()},
                         {QStringLiteral("os"), QSysInfo::prettyProductName()}}},
            {QStringLiteral("metrics"),
             QJsonArray{metric("events", count, "events"), metric("read_history_ms", loadMs, "ms"),
                        metric("write_bundle_ms", writeMs, "ms"), total,
                        metric("events_per_s", count / (totalMs / 1000.0), "events/s"),
                        metric("bundle_bytes", double(r.bytes), "bytes")}}};
        QFile f(jsonPath);
        if (!f.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "bench_export: cannot write %s\n", qPrintable(jsonPath));
            return 1;
        }
        f.write(QJsonDocument(doc).toJson());
    }
    return 0;
}
