// The polling engine against real servers on 127.0.0.1: start-to-start timing, Retry-After,
// lockouts, deadlines, the breaker, pausing. Short intervals keep each case to a second or two.
#include "monitorengine.h"
#include "rawhttpserver.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QElapsedTimer>
#include <QTest>

using namespace hd;
using hd::test::RawHttpServer;

class TestPollScheduler : public QObject
{
    Q_OBJECT
private slots:
    void startToStart_keepsTheInterval();
    void firstStarts_areSpreadOverTheInterval();
    void retryAfter_noRequestBeforeItEnds();
    void lockout_noRequestDuringTheWindow();
    void deadline_firesWithinAFewMs();
    void deadHost_breakerOpensAndStopsHammering();
    void pauseAndResume_perEndpointEnvironmentAndGlobal();
    void expectation_failsASuccessfulResponse();
    void unresolvableEndpoint_isAWarningNotACrash();

private:
    static Workspace workspace(const QList<std::pair<QString, QString>> &endpoints, int intervalMs,
                               const QString &profile = QStringLiteral("auto"),
                               int timeoutMs = 2000);
};

Workspace TestPollScheduler::workspace(const QList<std::pair<QString, QString>> &endpoints,
                                       int intervalMs, const QString &profile, int timeoutMs)
{
    Workspace ws;
    ws.name = QStringLiteral("test");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("http://127.0.0.1"), {}});
    for (const auto &[id, url] : endpoints) {
        Endpoint e;
        e.id = id;
        e.environment = QStringLiteral("dev");
        e.path = url;
        e.intervalMs = intervalMs;
        e.timeoutMs = timeoutMs;
        e.profile = profile;
        e.quotaShare = 1.0;
        ws.endpoints.append(e);
    }
    return ws;
}

void TestPollScheduler::startToStart_keepsTheInterval()
{
    RawHttpServer server;
    QVERIFY(server.start());
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 200)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(events.size() >= 8, 5000);
    engine.stop();
    for (qsizetype i = 1; i < events.size(); ++i) {
        const qint64 gap = events[i].timeMs - events[i - 1].timeMs;
        QVERIFY2(gap >= 180 && gap <= 230, qPrintable(QString::number(gap)));
        QCOMPARE(events[i].endpoint, QStringLiteral("a"));
        QCOMPARE(events[i].environment, QStringLiteral("dev"));
    }
    const JitterStats j = engine.scheduler()->startJitter();
    QVERIFY(j.samples >= 8);
    QVERIFY2(j.p99Ms < 50, qPrintable(QString::number(j.p99Ms)));
}

void TestPollScheduler::firstStarts_areSpreadOverTheInterval()
{
    RawHttpServer server;
    QVERIFY(server.start());
    QList<std::pair<QString, QString>> eps;
    for (int i = 0; i < 20; ++i)
        eps.append({QStringLiteral("e%1").arg(i), server.url()});
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(eps, 1000)), QString());
    QList<qint64> starts;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { starts.append(e.timeMs); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(starts.size() >= 20, 5000);
    engine.stop();
    std::sort(starts.begin(), starts.end());
    // No thundering herd: 20 first starts cover most of the second, none bunched in one slot.
    QVERIFY2(starts[19] - starts[0] >= 800, qPrintable(QString::number(starts[19] - starts[0])));
    int within50 = 0;
    for (int i = 1; i < 20; ++i)
        if (starts[i] - starts[0] < 50)
            ++within50;
    QVERIFY2(within50 <= 2, qPrintable(QString::number(within50)));
}

void TestPollScheduler::retryAfter_noRequestBeforeItEnds()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses(
        {RawHttpServer::response(429, R"({"message":"slow"})", {{"Retry-After", "1"}})});
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 100)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTest::qWait(2500);
    engine.stop();
    QVERIFY2(server.requestCount() >= 2 && server.requestCount() <= 3,
             qPrintable(QString::number(server.requestCount())));
    for (qsizetype i = 1; i < events.size(); ++i)
        QVERIFY2(events[i].timeMs - events[i - 1].timeMs >= 1000,
                 qPrintable(QString::number(events[i].timeMs - events[i - 1].timeMs)));
    QVERIFY(engine.scheduler()->deferredByGovernor() > 0);
}

void TestPollScheduler::lockout_noRequestDuringTheWindow()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(429, R"({"errorText":"locked out"})")});
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()},
                                    {QStringLiteral("b"), server.url(QStringLiteral("/other"))}},
                                   100, QStringLiteral("tradovate"))),
             QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTest::qWait(1500);
    engine.stop();
    // The first 429 locks the whole host out: the second endpoint sends nothing either.
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(events.size(), 1);
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::StopLockout);
    const auto snap = engine.governor()->snapshot(engine.governorKeyFor(QStringLiteral("a")));
    QVERIFY(snap.pausedUntilMs > QDateTime::currentMSecsSinceEpoch() + 3000000);
}

void TestPollScheduler::deadline_firesWithinAFewMs()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setMode(RawHttpServer::Mode::Hang);
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 10000,
                                   QStringLiteral("auto"), 250)),
             QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 5000);
    engine.stop();
    HD_COMPARE_ENUM(events[0].category, Category::Timeout);
    QVERIFY2(events[0].durationMs >= 249 && events[0].durationMs < 300,
             qPrintable(QString::number(events[0].durationMs)));
}

void TestPollScheduler::deadHost_breakerOpensAndStopsHammering()
{
    quint16 port = 0;
    {
        RawHttpServer s;
        QVERIFY(s.start());
        port = s.serverPort();
    }
    MonitorEngine engine;
    EngineOptions options;
    options.governor.breakerThreshold = 3;
    options.governor.breakerOpenMs = 800;
    options.backoff.maxAttempts = 1;
    QCOMPARE(engine.load(
                 workspace(
                     {{QStringLiteral("a"), QStringLiteral("http://127.0.0.1:%1/").arg(port)}}, 50),
                 options),
             QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTest::qWait(600);
    // 12 polls were due; the breaker opened after 3 refusals.
    QCOMPARE(events.size(), 3);
    const auto key = engine.governorKeyFor(QStringLiteral("a"));
    QVERIFY(engine.governor()->snapshot(key).breaker == BreakerState::Open);
    // After the open period one probe goes out; it fails and the breaker reopens for longer.
    QTRY_VERIFY_WITH_TIMEOUT(events.size() == 4, 2000);
    QTest::qWait(300);
    QCOMPARE(events.size(), 4);
    engine.stop();
}

void TestPollScheduler::pauseAndResume_perEndpointEnvironmentAndGlobal()
{
    RawHttpServer server;
    QVERIFY(server.start());
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 50)), QString());
    int count = 0;
    connect(&engine, &MonitorEngine::eventReady, this, [&](const ApiEvent &) { ++count; });
    engine.start();
    QTRY_VERIFY(count >= 2);
    for (int mode = 0; mode < 3; ++mode) {
        auto *s = engine.scheduler();
        if (mode == 0)
            s->setEndpointPaused(QStringLiteral("a"), true);
        else if (mode == 1)
            s->setEnvironmentPaused(QStringLiteral("dev"), true);
        else
            s->setAllPaused(true);
        QVERIFY(s->isEndpointPaused(QStringLiteral("a")));
        QTest::qWait(120); // let an in-flight request land
        const int frozen = count;
        QTest::qWait(300);
        QCOMPARE(count, frozen);
        s->setEndpointPaused(QStringLiteral("a"), false);
        s->setEnvironmentPaused(QStringLiteral("dev"), false);
        s->setAllPaused(false);
        QTRY_VERIFY(count > frozen);
    }
    // Send now, while paused, still goes out once.
    engine.scheduler()->setAllPaused(true);
    QTest::qWait(120);
    const int before = count;
    engine.scheduler()->sendNow(QStringLiteral("a"));
    QTRY_COMPARE(count, before + 1);
    engine.stop();
}

void TestPollScheduler::expectation_failsASuccessfulResponse()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, R"({"ok": false})")});
    Workspace ws
        = workspace({{QStringLiteral("a"), server.url()}}, 5000, QStringLiteral("generic"));
    ws.endpoints[0].expect.bodyPointer = QStringLiteral("/ok");
    ws.endpoints[0].expect.bodyEquals = true;
    MonitorEngine engine;
    QCOMPARE(engine.load(ws), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY(!events.isEmpty());
    engine.stop();
    HD_COMPARE_ENUM(events[0].category, Category::BusinessRejected);
    QCOMPARE(events[0].error->code, QStringLiteral("expectation_failed"));
    QVERIFY(events[0].error->message.contains(QStringLiteral("/ok")));
}

void TestPollScheduler::unresolvableEndpoint_isAWarningNotACrash()
{
    Workspace ws = workspace({{QStringLiteral("a"), QStringLiteral("/x")}}, 1000);
    ws.environments[0].baseUrl = QStringLiteral("sim:");
    MonitorEngine engine;
    QStringList warnings;
    connect(&engine, &MonitorEngine::warning, this, [&](const QString &w) { warnings.append(w); });
    const QString error = engine.load(ws);
    QVERIFY(!error.isEmpty());
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0].contains(QStringLiteral("simulator")));
}

QTEST_GUILESS_MAIN(TestPollScheduler)
#include "tst_pollscheduler.moc"
