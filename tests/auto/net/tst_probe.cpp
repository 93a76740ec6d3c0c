// The engine's request path against a real server on 127.0.0.1: resets, refusals, hangs past the
// deadline, bodies cut short, and retries that follow the event's decision.
#include "classifier.h"
#include "eventjson.h"
#include "proberunner.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace hd;
using hd::test::RawHttpServer;

class TestProbe : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void success_isOk();
    void reset_isReportedAsOtherSideClosed();
    void closeBeforeAnswer_isRemoteClosed();
    void refusedPort_isConnectionRefused();
    void hang_hitsHardDeadlineWithinAFewMs();
    void cutMidBody_isConnectionErrorWithStatus();
    void retryAfter_isObeyedExactly();
    void serverErrors_retryWithBackoffUntilSuccess();
    void clientError_isNotRetried();
    void tradovateLockout_isNeverRetried();
    void requestSecrets_areRedactedInEvents();

private:
    QList<ApiEvent> run(const HttpRequestSpec &spec, int retries, BackoffConfig backoff = {});
    HttpRequestSpec spec(const QString &url, int timeoutMs = 5000) const;

    QNetworkAccessManager m_nam;
    Classifier m_classifier;
};

void TestProbe::init()
{
    m_nam.clearConnectionCache();
}

HttpRequestSpec TestProbe::spec(const QString &url, int timeoutMs) const
{
    HttpRequestSpec s;
    s.url = QUrl(url);
    s.timeoutMs = timeoutMs;
    return s;
}

QList<ApiEvent> TestProbe::run(const HttpRequestSpec &spec, int retries, BackoffConfig backoff)
{
    backoff.maxAttempts = retries + 1;
    // Deterministic jitter: always the top of the range scaled down, so tests stay fast.
    ProbeRunner runner(&m_nam, &m_classifier, RetryPolicy(backoff, [] { return 0.5; }));
    QList<ApiEvent> events;
    connect(&runner, &ProbeRunner::attemptFinished, this,
            [&](const ApiEvent &e) { events.append(e); });
    QSignalSpy done(&runner, &ProbeRunner::finished);
    runner.start(spec, retries);
    if (done.isEmpty())
        done.wait(60000);
    return events;
}

void TestProbe::success_isOk()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, R"({"orderId": 77, "accountId": "A1"})",
                                                 {{"X-Request-Id", "req-1"}})});
    const auto events = run(spec(server.url(QStringLiteral("/order"))), 3);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].category, Category::Ok);
    QCOMPARE(events[0].httpStatus.value_or(0), 200);
    QCOMPARE(events[0].identifiers.orderId, QStringLiteral("77"));
    QCOMPARE(events[0].identifiers.traceId, QStringLiteral("req-1"));
    QVERIFY(events[0].durationMs > 0);
}

// Qt 6.4's socket engine maps ECONNRESET on read to end-of-stream, so through
// QNetworkAccessManager a reset (RST) is indistinguishable from an orderly close (FIN) before
// any response byte. HealthDeck reports what it can prove: "other side closed", retried with
// backoff. (`hdeck classify --network-error ECONNRESET` still yields connection_reset.)
void TestProbe::reset_isReportedAsOtherSideClosed()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Reset);
    const auto events = run(spec(server.url()), 0);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].outcome, Outcome::ConnectionError);
    QVERIFY(events[0].category == Category::RemoteClosed
            || events[0].category == Category::ConnectionReset);
    QVERIFY(!events[0].httpStatus);
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::RetryBackoff);
    QVERIFY(events[0].retry.retryable);
}

void TestProbe::closeBeforeAnswer_isRemoteClosed()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::CloseWithoutAnswer);
    const auto events = run(spec(server.url()), 0);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].category, Category::RemoteClosed);
    QCOMPARE(events[0].networkError, QStringLiteral("other side closed"));
}

void TestProbe::refusedPort_isConnectionRefused()
{
    quint16 port = 0;
    {
        RawHttpServer server; // take a free port, then close it
        QVERIFY(server.start());
        port = server.serverPort();
    }
    const auto events = run(spec(QStringLiteral("http://127.0.0.1:%1/").arg(port)), 0);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].category, Category::ConnectionRefused);
    QCOMPARE(events[0].networkError, QStringLiteral("ECONNREFUSED"));
    QVERIFY(!events[0].httpStatus);
}

void TestProbe::hang_hitsHardDeadlineWithinAFewMs()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    QElapsedTimer t;
    t.start();
    const auto events = run(spec(server.url(), 300), 0);
    const qint64 elapsed = t.elapsed();
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].category, Category::Timeout);
    QCOMPARE(events[0].networkError, QStringLiteral("ETIMEDOUT"));
    // The deadline fires close to 300 ms, not at some inactivity timeout much later.
    QVERIFY2(events[0].durationMs >= 295 && events[0].durationMs < 400,
             qPrintable(QString::number(events[0].durationMs)));
    QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
}

void TestProbe::cutMidBody_isConnectionErrorWithStatus()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::CutMidBody);
    const auto events = run(spec(server.url()), 0);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].outcome, Outcome::ConnectionError);
    QVERIFY(events[0].category == Category::RemoteClosed
            || events[0].category == Category::ConnectionReset);
    QVERIFY(events[0].error);
    QVERIFY2(events[0].error->message.contains(QStringLiteral("after HTTP 200")),
             qPrintable(events[0].error->message));
}

void TestProbe::retryAfter_isObeyedExactly()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses(
        {RawHttpServer::response(429, R"({"message":"slow down"})", {{"Retry-After", "1"}}),
         RawHttpServer::response(200, "{}")});
    QElapsedTimer t;
    t.start();
    const auto events = run(spec(server.url()), 3);
    QCOMPARE(events.size(), 2);
    HD_COMPARE_ENUM(events[0].category, Category::RateLimited);
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::RetryAfter);
    QCOMPARE(events[0].retry.delayMs.value_or(-1), 1000);
    QCOMPARE(events[1].attempt, 2);
    HD_COMPARE_ENUM(events[1].category, Category::Ok);
    // The second request started no earlier than Retry-After allows.
    QVERIFY2(events[1].timeMs - events[0].timeMs >= 1000,
             qPrintable(QString::number(events[1].timeMs - events[0].timeMs)));
}

void TestProbe::serverErrors_retryWithBackoffUntilSuccess()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses(
        {RawHttpServer::response(
             503,
             R"({"error_code":"service_unavailable","error_type":"unavailable","message":"down"})"),
         RawHttpServer::response(502, "<html><title>502 Bad Gateway</title></html>", {},
                                 "text/html"),
         RawHttpServer::response(200, "{}")});
    BackoffConfig backoff;
    backoff.baseMs = 20;
    backoff.capMs = 100;
    const auto events = run(spec(server.url()), 4, backoff);
    QCOMPARE(events.size(), 3);
    HD_COMPARE_ENUM(events[0].category, Category::Unavailable);
    HD_COMPARE_ENUM(events[1].category, Category::BadGateway);
    QCOMPARE(events[1].error->message, QStringLiteral("502 Bad Gateway"));
    HD_COMPARE_ENUM(events[2].category, Category::Ok);
    // Full jitter with random()=0.5: half of base·2^(attempt-1), capped.
    QCOMPARE(events[0].retry.delayMs.value_or(-1), 10);
    QCOMPARE(events[1].retry.delayMs.value_or(-1), 20);
    QCOMPARE(server.requestCount(), 3);
}

void TestProbe::clientError_isNotRetried()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(
        422,
        R"({"code":"VALIDATION_ERROR","error":"bad","details":[{"path":["qty"],"message":"too big"}]})")});
    const auto events = run(spec(server.url()), 5);
    QCOMPARE(events.size(), 1);
    QCOMPARE(server.requestCount(), 1);
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::FixRequest);
    QCOMPARE(events[0].error->details.value(0).field, QStringLiteral("qty"));
}

void TestProbe::tradovateLockout_isNeverRetried()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(429, R"({"errorText":"locked"})")});
    HttpRequestSpec s = spec(server.url());
    s.profile = QStringLiteral("tradovate");
    const auto events = run(s, 5);
    QCOMPARE(events.size(), 1);
    QCOMPARE(server.requestCount(), 1);
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::StopLockout);
}

void TestProbe::requestSecrets_areRedactedInEvents()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses(
        {RawHttpServer::response(200, R"({"access_token":"eyJsecret.token.value","expires_in":60})",
                                 {{"Set-Cookie", "session=abcdef123456"}})});
    HttpRequestSpec s = spec(
        server.url(QStringLiteral("/token?client_id=my-client&client_secret=hunter2hunter2")));
    s.method = QStringLiteral("POST");
    s.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer supersecrettoken")}};
    s.body = R"({"name":"ops","password":"p4ssw0rd!","sec":"abcd-1234"})";
    const auto events = run(s, 0);
    QCOMPARE(events.size(), 1);
    const QByteArray line = toJsonLine(events[0]);
    for (const char *secret : {"supersecrettoken", "hunter2hunter2", "p4ssw0rd!", "abcd-1234",
                               "eyJsecret.token.value", "abcdef123456"})
        QVERIFY2(!line.contains(secret), secret);
    QVERIFY(line.contains("my-client")); // client ids stay: support desks need them
    QVERIFY(line.contains("Bearer [REDACTED]"));
}

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
