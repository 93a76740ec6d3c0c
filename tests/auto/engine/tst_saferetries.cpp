// Retries that cannot double an order (DESIGN §2, docs/network.md), against real servers on
// 127.0.0.1: a POST that times out after it was sent is not retried and says "outcome unknown";
// one whose endpoint declares an idempotency key is retried with the same key (header or JSON
// body field), and the next poll gets a new one; a GET is still retried.
#include "monitorengine.h"
#include "rawhttpserver.h"
#include "retrysafety.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace hd;
using hd::test::RawHttpServer;

class TestSafeRetries : public QObject
{
    Q_OBJECT
private slots:
    void methods_idempotentByDefaultOrAsMarked();
    void stampKey_headerAndBodyField();
    void post_timeoutAfterSending_notRetried_outcomeUnknown();
    void post_serverError_notRetried();
    void post_neverSent_notRetried_saysSo();
    void post_withIdempotencyHeader_retriedWithTheSameKey();
    void post_withBodyField_retriedWithTheSameClientOrderId();
    void get_timeout_isStillRetried();
    void markedMethod_isTreatedAsUnsafe();

private:
    static Workspace workspace(const QString &url, const QString &method, int timeoutMs,
                               int intervalMs = 10000);
    static EngineOptions fastBackoff();
    static QByteArray header(const QByteArray &request, const QByteArray &name);
    static QByteArray body(const QByteArray &request);
};

Workspace TestSafeRetries::workspace(const QString &url, const QString &method, int timeoutMs,
                                     int intervalMs)
{
    Workspace ws;
    ws.name = QStringLiteral("test");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("http://127.0.0.1"), {}});
    Endpoint e;
    e.id = QStringLiteral("orders.place");
    e.environment = QStringLiteral("dev");
    e.method = method;
    e.path = url;
    e.body = QStringLiteral("{\"symbol\":\"ESZ6\",\"qty\":1}");
    e.intervalMs = intervalMs;
    e.timeoutMs = timeoutMs;
    e.quotaShare = 1.0;
    ws.endpoints.append(e);
    return ws;
}

EngineOptions TestSafeRetries::fastBackoff()
{
    EngineOptions o;
    o.workerThreads = 1;
    o.backoff.baseMs = 20;
    o.backoff.capMs = 40;
    o.backoff.maxAttempts = 3;
    o.governor.breakerThreshold = 1000; // the breaker is not what these tests are about
    return o;
}

QByteArray TestSafeRetries::header(const QByteArray &request, const QByteArray &name)
{
    const QByteArray head = request.left(request.indexOf("\r\n\r\n"));
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray TestSafeRetries::body(const QByteArray &request)
{
    return request.mid(request.indexOf("\r\n\r\n") + 4);
}

void TestSafeRetries::methods_idempotentByDefaultOrAsMarked()
{
    for (const char *m : {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
        QVERIFY2(RetrySafety::isIdempotent(QString::fromLatin1(m), std::nullopt), m);
    QVERIFY(!RetrySafety::isIdempotent(QStringLiteral("POST"), std::nullopt));
    QVERIFY(!RetrySafety::isIdempotent(QStringLiteral("patch"), std::nullopt));
    QVERIFY(!RetrySafety::isIdempotent(QStringLiteral("DELETE"), false));
    QVERIFY(RetrySafety::isIdempotent(QStringLiteral("POST"), true));
}

void TestSafeRetries::stampKey_headerAndBodyField()
{
    HttpRequestSpec spec;
    spec.method = QStringLiteral("POST");
    spec.body = R"({"symbol":"ESZ6"})";
    spec.headers = {{QStringLiteral("idempotency-key"), QStringLiteral("typed-in")}};
    spec.idempotencyHeader = QStringLiteral("Idempotency-Key");
    spec.idempotencyBodyField = QStringLiteral("clOrdId");
    spec.idempotencyKey = QStringLiteral("k-1");
    QVERIFY(RetrySafety::stampKey(spec));
    QCOMPARE(spec.headers.size(), 1); // the generated key replaces one typed into the endpoint
    QCOMPARE(spec.headers.first().second, QStringLiteral("k-1"));
    const QJsonObject o = QJsonDocument::fromJson(spec.body).object();
    QCOMPARE(o.value(u"clOrdId").toString(), QStringLiteral("k-1"));
    QCOMPARE(o.value(u"symbol").toString(), QStringLiteral("ESZ6"));

    HttpRequestSpec notAnObject = spec;
    notAnObject.body = "[1,2]";
    QString error;
    QVERIFY(!RetrySafety::stampKey(notAnObject, &error));
    QVERIFY(error.contains(u"clOrdId"));
    notAnObject.body = "{\"unterminated";
    QVERIFY(!RetrySafety::stampKey(notAnObject, &error));
}

void TestSafeRetries::post_timeoutAfterSending_notRetried_outcomeUnknown()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    MonitorEngine engine;
    QCOMPARE(
        engine.load(workspace(server.url(QStringLiteral("/orders")), QStringLiteral("POST"), 150),
                    fastBackoff()),
        QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 3000);
    const ApiEvent &e = events.first();
    HD_COMPARE_ENUM(e.category, Category::Timeout);
    QVERIFY(!e.retry.retryable);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::None);
    QVERIFY2(e.retry.advice.contains(u"Outcome unknown"), qPrintable(e.retry.advice));
    QVERIFY(e.retry.advice.contains(u"idempotency key"));
    QVERIFY(e.retry.advice.contains(u"identifiers"));
    // The scheduler sets retry.delay_ms on the event only when it schedules a retry.
    QVERIFY(!e.retry.delayMs);
    // A retry would be due within the 40 ms backoff cap: give it twice that.
    QTest::qWait(120);
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(events.size(), 1);
    engine.stop();
}

void TestSafeRetries::post_serverError_notRetried()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(503, R"({"message":"try later"})")});
    MonitorEngine engine;
    QCOMPARE(
        engine.load(workspace(server.url(QStringLiteral("/orders")), QStringLiteral("POST"), 2000),
                    fastBackoff()),
        QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 3000);
    HD_COMPARE_ENUM(events[0].category, Category::Unavailable);
    QVERIFY(!events[0].retry.retryable);
    QVERIFY2(events[0].retry.advice.startsWith(u"Not retried"), qPrintable(events[0].retry.advice));
    QVERIFY(!events[0].retry.delayMs);
    QTest::qWait(120);
    QCOMPARE(server.requestCount(), 1);
    engine.stop();
}

void TestSafeRetries::post_neverSent_notRetried_saysSo()
{
    QString url;
    {
        RawHttpServer closed;
        QVERIFY(closed.start());
        url = closed.url(QStringLiteral("/orders"));
    } // nothing listens on that port any more: ECONNREFUSED before a byte was sent
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(url, QStringLiteral("POST"), 2000), fastBackoff()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 3000);
    HD_COMPARE_ENUM(events[0].category, Category::ConnectionRefused);
    QVERIFY(!events[0].retry.retryable);
    QVERIFY2(events[0].retry.advice.contains(u"never left this machine"),
             qPrintable(events[0].retry.advice));
    QVERIFY(!events[0].retry.delayMs);
    engine.stop();
}

void TestSafeRetries::post_withIdempotencyHeader_retriedWithTheSameKey()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    Workspace ws
        = workspace(server.url(QStringLiteral("/orders")), QStringLiteral("POST"), 150, 1500);
    ws.endpoints[0].idempotency.header = QStringLiteral("Idempotency-Key");
    MonitorEngine engine;
    QCOMPARE(engine.load(ws, fastBackoff()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    // Three attempts of the first poll (maxAttempts 3), then the next regular poll.
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 4, 6000);
    engine.stop();
    const QList<QByteArray> requests = server.requests();
    const QByteArray key = header(requests[0], "Idempotency-Key");
    QVERIFY(!key.isEmpty());
    QCOMPARE(header(requests[1], "Idempotency-Key"), key);
    QCOMPARE(header(requests[2], "Idempotency-Key"), key);
    QVERIFY(header(requests[3], "Idempotency-Key") != key); // a new poll, a new key
    QVERIFY(!header(requests[3], "Idempotency-Key").isEmpty());
    QVERIFY(events.size() >= 3);
    QVERIFY(events[0].retry.retryable);
    QVERIFY(events[0].retry.delayMs); // a retry was scheduled
    QVERIFY2(events[0].retry.advice.contains(u"same idempotency key"),
             qPrintable(events[0].retry.advice));
    QCOMPARE(events[1].attempt, 2);
}

void TestSafeRetries::post_withBodyField_retriedWithTheSameClientOrderId()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    Workspace ws = workspace(server.url(QStringLiteral("/orders")), QStringLiteral("POST"), 150);
    ws.endpoints[0].idempotency.bodyField = QStringLiteral("clOrdId");
    MonitorEngine engine;
    QCOMPARE(engine.load(ws, fastBackoff()), QString());
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 3, 5000);
    engine.stop();
    const QList<QByteArray> requests = server.requests();
    const QJsonObject first = QJsonDocument::fromJson(body(requests[0])).object();
    const QString clOrdId = first.value(u"clOrdId").toString();
    QVERIFY(!clOrdId.isEmpty());
    QCOMPARE(first.value(u"symbol").toString(), QStringLiteral("ESZ6"));
    for (int i = 1; i < 3; ++i)
        QCOMPARE(QJsonDocument::fromJson(body(requests[i])).object().value(u"clOrdId").toString(),
                 clOrdId);
}

void TestSafeRetries::get_timeout_isStillRetried()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(server.url(), QStringLiteral("GET"), 150), fastBackoff()),
             QString());
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 3, 5000);
    engine.stop();
}

void TestSafeRetries::markedMethod_isTreatedAsUnsafe()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    Workspace ws
        = workspace(server.url(QStringLiteral("/orders/1")), QStringLiteral("DELETE"), 150);
    ws.endpoints[0].idempotent = false; // a vendor's DELETE that cancels *and* books a fee
    MonitorEngine engine;
    QCOMPARE(engine.load(ws, fastBackoff()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    engine.scheduler()->sendNow(QStringLiteral("orders.place"));
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 3000);
    QVERIFY(events[0].retry.advice.contains(u"Outcome unknown: the DELETE"));
    QTest::qWait(120);
    QCOMPARE(server.requestCount(), 1);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestSafeRetries)
#include "tst_saferetries.moc"
