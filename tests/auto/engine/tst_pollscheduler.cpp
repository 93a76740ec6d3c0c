// The polling engine against real servers on 127.0.0.1: start-to-start timing, Retry-After,
// lockouts, deadlines, the breaker, pausing. Waiting cases (Retry-After, lockout, breaker, pause)
// run on a ManualClock and count exact requests; only the timing cases read the real clock.
#include "clockstepper.h"
#include "monitorengine.h"
#include "rawhttpserver.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QElapsedTimer>
#include <QSignalSpy>
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
    void unpolledEndpoints_areListedWithTheirReason();
    void pausedChanged_isSignalledOnlyOnAChange();

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
    ManualClock clock;
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 100)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_COMPARE(events.size(), 1); // the first poll is due at once
    // Nine polls fall due during the second the server asked for: none goes out.
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 900, 100));
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(engine.scheduler()->deferredByGovernor(), 1); // then rescheduled after the pause
    // At exactly one second the next request goes, and is told to wait again.
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 100, 100));
    QCOMPARE(server.requestCount(), 2);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].timeMs - events[0].timeMs, 1000);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 1000, 100));
    QCOMPARE(server.requestCount(), 3);
    engine.stop();
}

void TestPollScheduler::lockout_noRequestDuringTheWindow()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(429, R"({"errorText":"locked out"})")});
    ManualClock clock;
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()},
                                    {QStringLiteral("b"), server.url(QStringLiteral("/other"))}},
                                   100, QStringLiteral("tradovate"))),
             QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_COMPARE(events.size(), 1); // "a" starts at once, "b" 62 ms later
    HD_COMPARE_ENUM(events[0].retry.action, RetryAction::StopLockout);
    // The first 429 locks the whole host out: for the next 59 minutes neither endpoint sends.
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 59 * 60000, 60000));
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 1500, 100));
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(events.size(), 1);
    const auto snap = engine.governor()->snapshot(engine.governorKeyFor(QStringLiteral("a")));
    QCOMPARE(snap.pauseCause, PauseCause::Lockout);
    QCOMPARE(snap.pausedUntilMs, events[0].timeMs + 3600000);
    QVERIFY(engine.scheduler()->deferredByGovernor() > 0);
    engine.stop();
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
    ManualClock clock;
    MonitorEngine engine(clock);
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
    QTRY_COMPARE(events.size(), 1);
    // Three refusals open the breaker; the 12 polls due in the next 600 ms send nothing.
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 100, 50));
    QCOMPARE(events.size(), 3);
    const auto key = engine.governorKeyFor(QStringLiteral("a"));
    QVERIFY(engine.governor()->snapshot(key).breaker == BreakerState::Open);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 750, 50));
    QCOMPARE(events.size(), 3);
    // After the 800 ms open period one probe goes out; it fails and the breaker reopens for
    // twice as long: nothing more in the next 1.5 s, the second probe at 1.6 s.
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 50, 50));
    QCOMPARE(events.size(), 4);
    QVERIFY(engine.governor()->snapshot(key).breaker == BreakerState::Open);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 1550, 50));
    QCOMPARE(events.size(), 4);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 50, 50));
    QCOMPARE(events.size(), 5);
    engine.stop();
}

void TestPollScheduler::pauseAndResume_perEndpointEnvironmentAndGlobal()
{
    RawHttpServer server;
    QVERIFY(server.start());
    ManualClock clock;
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace({{QStringLiteral("a"), server.url()}}, 50)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_COMPARE(events.size(), 1);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 50, 50));
    QCOMPARE(events.size(), 2);
    for (int mode = 0; mode < 3; ++mode) {
        auto *s = engine.scheduler();
        if (mode == 0)
            s->setEndpointPaused(QStringLiteral("a"), true);
        else if (mode == 1)
            s->setEnvironmentPaused(QStringLiteral("dev"), true);
        else
            s->setAllPaused(true);
        QVERIFY(s->isEndpointPaused(QStringLiteral("a")));
        // Six polls fall due while paused: none goes out.
        const qsizetype frozen = events.size();
        QVERIFY(test::stepClock(clock, *engine.scheduler(), 300, 50));
        QCOMPARE(events.size(), frozen);
        s->setEndpointPaused(QStringLiteral("a"), false);
        s->setEnvironmentPaused(QStringLiteral("dev"), false);
        s->setAllPaused(false);
        // The next due poll goes out, exactly one per interval.
        QVERIFY(test::stepClock(clock, *engine.scheduler(), 100, 50));
        QCOMPARE(events.size(), frozen + 2);
    }
    // Send now, while paused, still goes out once.
    engine.scheduler()->setAllPaused(true);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 100, 50));
    const qsizetype before = events.size();
    engine.scheduler()->sendNow(QStringLiteral("a"));
    QTRY_COMPARE(events.size(), before + 1);
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 100, 50));
    QCOMPARE(events.size(), before + 1);
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

void TestPollScheduler::unpolledEndpoints_areListedWithTheirReason()
{
    using Reason = UnpolledEndpoint::Reason;
    Workspace ws = workspace({{QStringLiteral("good"), QStringLiteral("/ok")},
                              {QStringLiteral("no-env"), QStringLiteral("/x")},
                              {QStringLiteral("sim"), QStringLiteral("/x")},
                              {QStringLiteral("no-cred"), QStringLiteral("/x")},
                              {QStringLiteral("no-secret"), QStringLiteral("/x")},
                              {QStringLiteral("bad-url"), QStringLiteral("/x")}},
                             60000);
    ws.environments.append(
        {QStringLiteral("simenv"), QStringLiteral("Sim"), QStringLiteral("sim:/dev"), {}});
    ws.environments.append(
        {QStringLiteral("ftp"), QStringLiteral("Ftp"), QStringLiteral("ftp://127.0.0.1"), {}});
    Credential bearer;
    bearer.id = QStringLiteral("token");
    bearer.method = Credential::Method::Bearer;
    bearer.secretName = QStringLiteral("HD_TEST_NOWHERE");
    ws.credentials = {bearer};
    ws.endpoints[1].environment = QStringLiteral("gone");
    ws.endpoints[2].environment = QStringLiteral("simenv");
    ws.endpoints[3].credential = QStringLiteral("nobody");
    ws.endpoints[4].credential = bearer.id;
    ws.endpoints[5].environment = QStringLiteral("ftp");
    EngineOptions options;
    options.secretLookup = [](const QString &) {
        return std::optional<QString>();
    };
    MonitorEngine engine;
    QStringList warnings;
    connect(&engine, &MonitorEngine::warning, this, [&](const QString &w) { warnings.append(w); });
    QCOMPARE(engine.load(ws, options), QString()); // "good" can still be polled
    const UnpolledEndpoints unpolled = engine.unpolledEndpoints();
    QCOMPARE(unpolled.size(), 5);
    const QList<std::pair<QString, Reason>> expected{
        {QStringLiteral("no-env"), Reason::NoEnvironment},
        {QStringLiteral("sim"), Reason::SimulatorNotRunning},
        {QStringLiteral("no-cred"), Reason::NoCredential},
        {QStringLiteral("no-secret"), Reason::SecretMissing},
        {QStringLiteral("bad-url"), Reason::InvalidUrl}};
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(unpolled[i].endpointId, expected[i].first);
        QCOMPARE(int(unpolled[i].reason), int(expected[i].second));
        // The same words went out as a warning.
        QVERIFY2(warnings.contains(unpolled[i].message), qPrintable(unpolled[i].message));
        QVERIFY(unpolled[i].message.contains(expected[i].first));
    }

    // A load that can poll everything has an empty list again.
    QCOMPARE(engine.load(workspace({{QStringLiteral("good"), QStringLiteral("/ok")}}, 60000)),
             QString());
    QVERIFY(engine.unpolledEndpoints().isEmpty());
}

void TestPollScheduler::pausedChanged_isSignalledOnlyOnAChange()
{
    Workspace ws = workspace(
        {{QStringLiteral("a"), QStringLiteral("/a")}, {QStringLiteral("b"), QStringLiteral("/b")}},
        60000);
    ws.endpoints[1].paused = true; // paused by its definition
    MonitorEngine engine;
    QCOMPARE(engine.load(ws), QString());
    PollScheduler *s = engine.scheduler();
    QSignalSpy changed(s, &PollScheduler::pausedChanged);
    QCOMPARE(s->pausedEndpointCount(), 1);

    s->setEndpointPaused(QStringLiteral("a"), true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(s->pausedEndpointCount(), 2);
    s->setEndpointPaused(QStringLiteral("a"), true); // no change, no signal
    s->setEndpointPaused(QStringLiteral("nobody"), true);
    QCOMPARE(changed.count(), 1);
    s->setEndpointPaused(QStringLiteral("a"), false);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(s->pausedEndpointCount(), 1);

    s->setEnvironmentPaused(QStringLiteral("dev"), true);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(s->pausedEndpointCount(), 2);
    s->setEnvironmentPaused(QStringLiteral("dev"), true);
    QCOMPARE(changed.count(), 3);
    s->setEnvironmentPaused(QStringLiteral("dev"), false);
    QCOMPARE(changed.count(), 4);

    s->setAllPaused(true);
    s->setAllPaused(true);
    QCOMPARE(changed.count(), 5);
    QCOMPARE(s->pausedEndpointCount(), 2);
    QVERIFY(s->isEndpointPaused(QStringLiteral("a")));
    s->setAllPaused(false);
    QCOMPARE(changed.count(), 6);
    QCOMPARE(s->pausedEndpointCount(), 1);
    QVERIFY(!s->isEndpointPaused(QStringLiteral("a")));
}

QTEST_GUILESS_MAIN(TestPollScheduler)
#include "tst_pollscheduler.moc"
