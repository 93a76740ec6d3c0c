// ComposerSender (app/net): the request composer's one-off requests on a thread of their own,
// through ProbeRunner's retry decisions, against a raw HTTP server on 127.0.0.1: the sender
// hands requests to its thread and results back to the caller's, and may be destroyed
// mid-request (AddressSanitizer; see tests/auto/net/CMakeLists.txt for why not TSan).
#include "composersender.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;
using hd::test::RawHttpServer;

namespace {

HttpRequestSpec spec(const RawHttpServer &server, const QString &method = QStringLiteral("GET"))
{
    HttpRequestSpec s;
    s.method = method;
    s.url = QUrl(server.url(QStringLiteral("/v1/orders")));
    s.timeoutMs = 5000;
    s.environment = QStringLiteral("desk");
    s.endpoint = QStringLiteral("composer");
    if (method == u"POST")
        s.body = R"({"qty":1})";
    return s;
}

BackoffConfig fast()
{
    BackoffConfig b;
    b.baseMs = 10;
    b.capMs = 20;
    return b;
}

} // namespace

class TestComposerSender : public QObject
{
    Q_OBJECT
private slots:
    void retriesAServerErrorThenSucceeds();
    void postIsNotRetriedBlindly();
    void cancel_endsAHangingRequest();
    void destroyedMidRequest_isSafe();
};

void TestComposerSender::retriesAServerErrorThenSucceeds()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(503, R"({"error":"busy"})"),
                         RawHttpServer::response(200, R"({"orders":[]})")});
    ComposerSender sender;
    QSignalSpy attempts(&sender, &ComposerSender::attemptFinished);
    QSignalSpy finished(&sender, &ComposerSender::finished);
    sender.send(spec(server), 2, fast());
    QVERIFY(sender.isBusy());
    QVERIFY(finished.wait(10000));
    QVERIFY(!sender.isBusy());
    QCOMPARE(attempts.size(), 2);
    HD_COMPARE_ENUM(attempts.at(0).first().value<ApiEvent>().category, Category::Unavailable);
    const ApiEvent last = attempts.at(1).first().value<ApiEvent>();
    HD_COMPARE_ENUM(last.category, Category::Ok);
    QCOMPARE(last.attempt, 2);
    QCOMPARE(finished.first().first().toString(), QStringLiteral("succeeded"));
    QCOMPARE(server.requestCount(), 2);
}

void TestComposerSender::postIsNotRetriedBlindly()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(503, R"({"error":"busy"})")});
    ComposerSender sender;
    QSignalSpy attempts(&sender, &ComposerSender::attemptFinished);
    QSignalSpy finished(&sender, &ComposerSender::finished);
    sender.send(spec(server, QStringLiteral("POST")), 3, fast());
    QVERIFY(finished.wait(10000));
    QCOMPARE(attempts.size(), 1); // an order is not placed twice
    QCOMPARE(server.requestCount(), 1);
    QVERIFY(!attempts.first().first().value<ApiEvent>().retry.retryable);
}

void TestComposerSender::cancel_endsAHangingRequest()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    ComposerSender sender;
    QSignalSpy finished(&sender, &ComposerSender::finished);
    sender.send(spec(server), 0, fast());
    QTRY_COMPARE(server.requestCount(), 1);
    sender.cancel();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("cancelled"));
}

void TestComposerSender::destroyedMidRequest_isSafe()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    {
        ComposerSender sender;
        sender.send(spec(server), 3, fast());
        QTRY_COMPARE(server.requestCount(), 1);
    } // the thread is stopped and the request aborted while it hangs: no hang, no race
    // (ThreadSanitizer), no use after free (AddressSanitizer), and the server saw no retry.
    QCOMPARE(server.requestCount(), 1);
}

QTEST_GUILESS_MAIN(TestComposerSender)
#include "tst_composersender.moc"
