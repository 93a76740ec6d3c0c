// Bounds on what a server can make HealthDeck do (docs/limits.md), each against a real server on
// 127.0.0.1: a ten-year Retry-After pauses a host for an hour and the event says so; 1e300 in any
// duration is clamped, never undefined behaviour; a 100 MiB token response and a gzip bomb are cut
// at their limits without growing the process; a WebSocket message over the limit ends the stream
// with a clear error.
#include "eventjson.h"
#include "httpattempt.h"
#include "monitorengine.h"
#include "rawhttpserver.h"
#include "resourcelimits.h"
#include "streammonitor.h"
#include "testsupport.h"
#include "tokenservice.h"

#include <QDateTime>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <zlib.h>

using namespace hd;
using hd::test::RawHttpServer;

#if defined(__SANITIZE_ADDRESS__)
#define HD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HD_ASAN 1
#endif
#endif

namespace {

constexpr qint64 MiB = 1024 * 1024;

// VmRSS / VmHWM of this process in bytes (Linux); -1 elsewhere.
qint64 procStatus(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong()
                   * 1024;
    return -1;
}

// Resets VmHWM to the current RSS, so the peak measured afterwards belongs to the test.
void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

// `zeros` bytes of zeros as one gzip member, compressed in 1 MiB steps so the test never holds
// the inflated form either.
QByteArray gzipOfZeros(qint64 zeros)
{
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray in(MiB, '\0');
    QByteArray out;
    QByteArray buf(256 * 1024, Qt::Uninitialized);
    for (qint64 left = zeros; left >= 0;) {
        const qint64 step = std::min<qint64>(left, MiB);
        left -= step;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef *>(in.data());
        z.avail_in = uInt(step);
        do {
            z.next_out = reinterpret_cast<Bytef *>(buf.data());
            z.avail_out = uInt(buf.size());
            deflate(&z, flush);
            out.append(buf.constData(), buf.size() - qsizetype(z.avail_out));
        } while (z.avail_out == 0);
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&z);
    return out;
}

Workspace workspace(const QString &url, const QString &profile = QStringLiteral("auto"))
{
    Workspace ws;
    ws.name = QStringLiteral("bounds");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("http://127.0.0.1"), {}});
    Endpoint e;
    e.id = QStringLiteral("a");
    e.environment = QStringLiteral("dev");
    e.path = url;
    e.intervalMs = 100;
    e.timeoutMs = 5000;
    e.profile = profile;
    e.quotaShare = 1.0;
    ws.endpoints.append(e);
    return ws;
}

Credential oauth()
{
    Credential c;
    c.id = QStringLiteral("auth0");
    c.method = Credential::Method::OAuth2ClientCredentials;
    c.clientId = QStringLiteral("client");
    c.secretName = QStringLiteral("CLIENT_SECRET");
    return c;
}

std::unique_ptr<TokenService> tokenService(const QString &url, const Clock &clock)
{
    TokenServiceOptions o;
    o.tokenUrl = QUrl(url);
    o.environment = QStringLiteral("dev");
    o.secrets = [](const QString &) {
        return std::optional<QString>(QStringLiteral("s3cret-x"));
    };
    return std::make_unique<TokenService>(oauth(), o, clock);
}

QString b64url(const QByteArray &json)
{
    return QString::fromLatin1(
        json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

class TestServerBounds : public QObject
{
    Q_OBJECT
private slots:
    void retryAfterOfTenYears_pausesTheHostForAnHourAndSaysSo();
    void hugeDurations_1e300_areClampedNotUndefined_data();
    void hugeDurations_1e300_areClampedNotUndefined();
    void gzipBomb_isCutAtTheBodyLimitWithoutGrowingTheProcess();
    void plainBodyOf64MiB_isCutAtTheBodyLimit();
    void tokenResponseOf100MiB_isAbortedAtTheLimit();
    void expiresIn_hugeOrNonsense_isClampedToThirtyDays_data();
    void expiresIn_hugeOrNonsense_isClampedToThirtyDays();
    void jwtClaims_outOfRange_areIgnoredAndNoted();
    void webSocketMessageOverTheLimit_endsTheStreamWithAClearError();
};

void TestServerBounds::retryAfterOfTenYears_pausesTheHostForAnHourAndSaysSo()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(429, R"({"message":"slow down"})",
                                                 {{"Retry-After", "315360000"}})});
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(server.url())), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 5000);
    QTest::qWait(150); // a second start would be due by now if the pause were missing
    engine.stop();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(server.requestCount(), 1);

    const ApiEvent &e = events.first();
    QVERIFY(e.rateLimit);
    QCOMPARE(e.rateLimit->retryAfterS, std::optional<double>(3600));
    QVERIFY(e.rateLimit->clamped);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryAfter);
    QCOMPARE(e.retry.delayMs, std::optional<qint64>(3600000));
    QCOMPARE(e.notes.size(), 1);
    QVERIFY2(e.notes.first().contains(QStringLiteral("315360000 s clamped to 3600 s")),
             qPrintable(e.notes.first()));
    const QByteArray line = toJsonLine(e);
    QVERIFY2(line.contains(R"("clamped":true)"), line.constData());
    QVERIFY2(line.contains(R"("notes":["Retry-After of 315360000 s clamped to 3600 s)"),
             line.constData());

    // The host is paused for the clamp, not for ten years, and the reason says why.
    const auto snap = engine.governor()->snapshot(engine.governorKeyFor(QStringLiteral("a")));
    QVERIFY2(snap.pausedUntilMs >= before + 3600000 - 1000 && snap.pausedUntilMs <= after + 3600000,
             qPrintable(QString::number(snap.pausedUntilMs - after)));
    QVERIFY2(snap.pauseReason.contains(QStringLiteral("clamped to 3600 s")),
             qPrintable(snap.pauseReason));
}

void TestServerBounds::hugeDurations_1e300_areClampedNotUndefined_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<qint64>("pauseMs");

    QTest::newRow("Retry-After 1e300")
        << 429 << QByteArrayList{"Retry-After", "1e300"} << qint64(3600000);
    QTest::newRow("X-RateLimit-Reset 1e300")
        << 429 << QByteArrayList{"X-RateLimit-Limit", "10",   "X-RateLimit-Remaining", "0",
                                 "X-RateLimit-Reset", "1e300"}
        << qint64(3600000);
    QTest::newRow("one-header reset 1e300 on a 200")
        << 200 << QByteArrayList{"RateLimit", "limit=10, remaining=0, reset=1e300"}
        << qint64(3600000);
    QTest::newRow("structured t=1e308 and w=huge")
        << 429
        << QByteArrayList{"RateLimit-Policy", R"("b";q=10;w=9999999999999999999)", "RateLimit",
                          R"("b";r=0;t=1e308)"}
        << qint64(3600000);
    QTest::newRow("Retry-After -1e300 is ignored")
        << 429 << QByteArrayList{"Retry-After", "-1e300"} << qint64(0);
}

void TestServerBounds::hugeDurations_1e300_areClampedNotUndefined()
{
    QFETCH(int, status);
    QFETCH(QByteArrayList, headers);
    QFETCH(qint64, pauseMs);
    QList<std::pair<QByteArray, QByteArray>> h;
    for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
        h.append({headers[i], headers[i + 1]});
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(status, R"({"message":"x"})", h)});
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(server.url())), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 5000);
    engine.stop();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const ApiEvent &e = events.first();
    const auto snap = engine.governor()->snapshot(engine.governorKeyFor(QStringLiteral("a")));
    if (pauseMs == 0) {
        QVERIFY(!e.rateLimit || !e.rateLimit->retryAfterS);
        QVERIFY(snap.pausedUntilMs <= now);
        return;
    }
    QVERIFY(e.rateLimit);
    QVERIFY(e.rateLimit->clamped);
    QVERIFY(!e.notes.isEmpty());
    if (e.retry.delayMs)
        QVERIFY(*e.retry.delayMs <= pauseMs);
    QVERIFY2(snap.pausedUntilMs > now && snap.pausedUntilMs <= now + pauseMs,
             qPrintable(QString::number(snap.pausedUntilMs - now)));
    // The event still serialises and reads back with the clamped values.
    const auto back = eventFromJsonText(toJsonLine(e));
    QVERIFY2(back.event, qPrintable(back.error));
    QCOMPARE(back.event->rateLimit, e.rateLimit);
    QCOMPARE(back.event->notes, e.notes);
}

void TestServerBounds::gzipBomb_isCutAtTheBodyLimitWithoutGrowingTheProcess()
{
    // 128 MiB of zeros, about 128 KiB on the wire.
    const qint64 inflated = 128 * MiB;
    const QByteArray bomb = gzipOfZeros(inflated);
    QVERIFY(bomb.size() > 1000 && bomb.size() < 1 * MiB);
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, bomb, {{"Content-Encoding", "gzip"}},
                                                 QByteArrayLiteral("text/plain"))});

    const qint64 rssBefore = procStatus("VmRSS:");
    resetPeak();
    QNetworkAccessManager nam;
    Classifier classifier;
    HttpAttempt attempt(&nam, &classifier);
    QSignalSpy done(&attempt, &HttpAttempt::finished);
    HttpRequestSpec spec;
    spec.url = QUrl(server.url(QStringLiteral("/bomb")));
    spec.timeoutMs = 20000;
    attempt.start(spec, 1);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
    const qint64 peak = procStatus("VmHWM:");

    const auto e = done.first().first().value<ApiEvent>();
    QCOMPARE(e.httpStatus, std::optional<int>(200));
    QVERIFY(e.response);
    QVERIFY2(e.response->truncated, qPrintable(e.notes.join(u'|')));
    // Cut by our 16 MiB limit, or earlier by Qt's own archive-bomb check (output growing far
    // faster than input): either way the event says so and the whole never arrives.
    QVERIFY2(e.response->size > 0 && e.response->size <= limits::MaxResponseBodyBytes + 256 * 1024,
             qPrintable(QString::number(e.response->size)));
    QVERIFY(e.response->body.size() <= 64 * 1024 + 64); // the cap plus "[… N more bytes not shown]"
    QVERIFY(e.networkError.isEmpty());
    QCOMPARE(e.notes.size(), 1);
    qInfo("gzip bomb: %s; peak RSS growth %lld MiB", qPrintable(e.notes.first()),
          (peak - rssBefore) / MiB);
    QVERIFY2(e.notes.first().contains(QStringLiteral("larger than 16 MiB"))
                 || e.notes.first().contains(QStringLiteral("refused while decompressing")),
             qPrintable(e.notes.first()));
    QVERIFY(toJsonLine(e).contains(R"("truncated":true)"));
#ifndef HD_ASAN
    // The body limit is 16 MiB; the whole bomb would be 128 MiB. Allow the limit, Qt's buffers
    // and the decoded display copy, nothing like the whole.
    if (rssBefore > 0 && peak > 0)
        QVERIFY2(peak - rssBefore < 64 * MiB,
                 qPrintable(QStringLiteral("peak grew by %1 MiB").arg((peak - rssBefore) / MiB)));
#else
    Q_UNUSED(peak);
    Q_UNUSED(rssBefore);
#endif
}

void TestServerBounds::plainBodyOf64MiB_isCutAtTheBodyLimit()
{
    // No compression, so our own limit (not Qt's ratio check) must stop it: 64 MiB announced
    // and streamed, cut just past 16 MiB.
    RawHttpServer server;
    QVERIFY(server.start());
    const qint64 total = 64 * MiB;
    const QByteArray chunk(64 * 1024, 'a');
    server.setStream("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                         + QByteArray::number(total) + "\r\n\r\n",
                     chunk, total / chunk.size());
    const qint64 rssBefore = procStatus("VmRSS:");
    resetPeak();
    QNetworkAccessManager nam;
    Classifier classifier;
    HttpAttempt attempt(&nam, &classifier);
    QSignalSpy done(&attempt, &HttpAttempt::finished);
    HttpRequestSpec spec;
    spec.url = QUrl(server.url(QStringLiteral("/big")));
    spec.timeoutMs = 20000;
    attempt.start(spec, 1);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
    const qint64 peak = procStatus("VmHWM:");
    const auto e = done.first().first().value<ApiEvent>();
    QCOMPARE(e.httpStatus, std::optional<int>(200));
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY(e.networkError.isEmpty());
    QVERIFY(e.response && e.response->truncated);
    QVERIFY2(e.response->size > limits::MaxResponseBodyBytes
                 && e.response->size <= limits::MaxResponseBodyBytes + 256 * 1024,
             qPrintable(QString::number(e.response->size)));
    QVERIFY(e.response->body.size() <= 64 * 1024 + 64); // the cap plus "[… N more bytes not shown]"
    QCOMPARE(e.notes.size(), 1);
    QVERIFY2(e.notes.first().startsWith(QStringLiteral("response body larger than 16 MiB")),
             qPrintable(e.notes.first()));
    QVERIFY(server.streamedBytes() < total);
    qInfo("plain body: %s; peak RSS growth %lld MiB", qPrintable(e.notes.first()),
          (peak - rssBefore) / MiB);
#ifndef HD_ASAN
    if (rssBefore > 0 && peak > 0)
        QVERIFY2(peak - rssBefore < 64 * MiB,
                 qPrintable(QStringLiteral("peak grew by %1 MiB").arg((peak - rssBefore) / MiB)));
#endif
}

void TestServerBounds::tokenResponseOf100MiB_isAbortedAtTheLimit()
{
    RawHttpServer server;
    QVERIFY(server.start());
    const qint64 total = 100 * MiB;
    const QByteArray chunk(64 * 1024, ' ');
    server.setStream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + QByteArray::number(total) + "\r\n\r\n",
                     chunk, total / chunk.size());
    const qint64 rssBefore = procStatus("VmRSS:");
    resetPeak();
    auto svc = tokenService(server.url(QStringLiteral("/oauth/token")), Clock::system());
    QList<ApiEvent> events;
    connect(svc.get(), &TokenService::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    QVERIFY(svc->token().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    const qint64 peak = procStatus("VmHWM:");

    QCOMPARE(events.size(), 1);
    const ApiEvent &e = events.first();
    QVERIFY(e.error);
    QCOMPARE(e.error->code, QStringLiteral("token_response_too_large"));
    QVERIFY2(e.error->message.contains(QStringLiteral("larger than 1.0 MiB")),
             qPrintable(e.error->message));
    QVERIFY(e.isFailure());
    QVERIFY(e.response && e.response->truncated);
    QVERIFY(e.response->size > limits::MaxTokenResponseBytes);
    QVERIFY(e.response->size < total);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("larger than")));
    QVERIFY(!svc->hasUsableToken());
    qInfo("token: %s; %lld bytes served; peak RSS growth %lld MiB", qPrintable(e.error->message),
          server.streamedBytes(), (peak - rssBefore) / MiB);
    QVERIFY2(server.streamedBytes() < total, qPrintable(QString::number(server.streamedBytes())));
#ifndef HD_ASAN
    if (rssBefore > 0 && peak > 0)
        QVERIFY2(peak - rssBefore < 32 * MiB,
                 qPrintable(QStringLiteral("peak grew by %1 MiB").arg((peak - rssBefore) / MiB)));
#else
    Q_UNUSED(peak);
    Q_UNUSED(rssBefore);
#endif
}

void TestServerBounds::expiresIn_hugeOrNonsense_isClampedToThirtyDays_data()
{
    QTest::addColumn<QByteArray>("expiresIn");
    QTest::addColumn<bool>("clamped");
    QTest::addColumn<qint64>("lifetimeMs");
    const qint64 max = limits::MaxTokenLifetimeS * 1000;
    QTest::newRow("1e300") << QByteArray("1e300") << true << max;
    QTest::newRow("1.7e308") << QByteArray("1.7e308") << true << max;
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << true << max;
    QTest::newRow("a century") << QByteArray("3153600000") << true << max;
    QTest::newRow("as a huge string") << QByteArray(R"("99999999999999999999999")") << true << max;
    QTest::newRow("an hour") << QByteArray("3600") << false << qint64(3600000);
    QTest::newRow("fractional") << QByteArray("59.9996") << false << qint64(60000);
    QTest::newRow("negative is ignored") << QByteArray("-1e300") << false << qint64(-1);
    QTest::newRow("string garbage is ignored") << QByteArray(R"("soon")") << false << qint64(-1);
}

void TestServerBounds::expiresIn_hugeOrNonsense_isClampedToThirtyDays()
{
    QFETCH(QByteArray, expiresIn);
    QFETCH(bool, clamped);
    QFETCH(qint64, lifetimeMs);
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(
        200, R"({"access_token":"opaque-token-123","token_type":"Bearer","expires_in":)" + expiresIn
                 + "}")});
    ManualClock clock;
    auto svc = tokenService(server.url(QStringLiteral("/oauth/token")), clock);
    QList<ApiEvent> events;
    connect(svc.get(), &TokenService::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    svc->token();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 5000);
    QVERIFY(svc->hasUsableToken());
    QCOMPARE(events.size(), 1);
    const ApiEvent &e = events.first();
    QVERIFY(e.token);
    QCOMPARE(e.token->clamped, clamped);
    if (lifetimeMs < 0) {
        QVERIFY(!svc->lifetimeMs());
        QVERIFY(!svc->expiresAtMs());
        return;
    }
    QCOMPARE(svc->lifetimeMs(), std::optional<qint64>(lifetimeMs));
    QCOMPARE(svc->expiresAtMs(), std::optional<qint64>(clock.nowMs() + lifetimeMs));
    QVERIFY(e.token->expiresInS && *e.token->expiresInS <= limits::MaxTokenLifetimeS);
    if (clamped) {
        QVERIFY(!e.notes.isEmpty());
        QVERIFY2(e.notes.first().contains(QStringLiteral("clamped to 2592000 s")),
                 qPrintable(e.notes.first()));
        QVERIFY(toJsonLine(e).contains(R"("token":{"expires_in_s":2592000)"));
    } else {
        QVERIFY(e.notes.isEmpty());
    }
}

void TestServerBounds::jwtClaims_outOfRange_areIgnoredAndNoted()
{
    // A JWT whose exp is 1e300 and iat negative: decoding must neither crash nor convert them;
    // the token's life then comes from expires_in, and the event says what was ignored.
    const QString jwt = b64url(R"({"alg":"none","typ":"JWT"})") + u'.'
                        + b64url(R"({"sub":"svc","exp":1e300,"iat":-5,"nbf":"tomorrow"})")
                        + QStringLiteral(".c2ln");
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, R"({"access_token":")" + jwt.toLatin1()
                                                          + R"(","expires_in":600})")});
    ManualClock clock;
    auto svc = tokenService(server.url(QStringLiteral("/oauth/token")), clock);
    QList<ApiEvent> events;
    connect(svc.get(), &TokenService::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    svc->token();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 5000);
    QCOMPARE(svc->lifetimeMs(), std::optional<qint64>(600000));
    QVERIFY(svc->jwt());
    QVERIFY(!svc->jwt()->expiresAtS());
    QVERIFY(!svc->jwt()->issuedAtS());
    QVERIFY(!svc->jwt()->notBeforeS());
    const QStringList notes = events.first().notes;
    QCOMPARE(notes.size(), 3);
    QVERIFY2(notes.join(u'|').contains(QStringLiteral("\"exp\" = 1e+300 is outside")),
             qPrintable(notes.join(u'|')));
    QVERIFY(notes.join(u'|').contains(QStringLiteral("\"nbf\" is not a number")));
    QCOMPARE(events.first().token->subject, QStringLiteral("svc"));
}

void TestServerBounds::webSocketMessageOverTheLimit_endsTheStreamWithAClearError()
{
    QWebSocketServer ws(QStringLiteral("bounds"), QWebSocketServer::NonSecureMode);
    QVERIFY(ws.listen(QHostAddress::LocalHost, 0));
    qint64 sent = 0;
    connect(&ws, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *client = ws.nextPendingConnection();
        client->setParent(&ws);
        client->sendTextMessage(QStringLiteral("o"));
        // One message just over the limit: Qt must refuse it from its header, not buffer it.
        const QString big(limits::MaxWebSocketMessageBytes + 1, u'x');
        sent += client->sendTextMessage(big);
    });

    StreamMonitorSpec spec;
    spec.def.id = QStringLiteral("md");
    spec.def.environment = QStringLiteral("dev");
    spec.def.heartbeatMs = 60000;
    spec.def.heartbeatTimeoutMs = 60000;
    spec.def.connectTimeoutMs = 10000;
    spec.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(ws.serverPort()));
    StreamMonitor monitor(spec, std::make_shared<Classifier>(), Clock::system(),
                          [] { return 0.5; });
    QList<ApiEvent> events;
    connect(&monitor, &StreamMonitor::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 20000);
    monitor.stop();
    QVERIFY(sent > limits::MaxWebSocketMessageBytes);
    const ApiEvent &e = events.first();
    QVERIFY(e.error);
    QCOMPARE(e.error->code, QStringLiteral("message_too_large"));
    QVERIFY2(e.error->message.contains(QStringLiteral("over the 16 MiB limit")),
             qPrintable(e.error->message));
    QVERIFY(e.isFailure());
    QCOMPARE(e.notes.size(), 1);
}

QTEST_MAIN(TestServerBounds)
#include "tst_serverbounds.moc"
