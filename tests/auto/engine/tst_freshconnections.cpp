// freshConnectionEvery (docs/network.md, Timings): polls reuse a kept-alive connection by
// default; with N the poll before every N-th asks the server to close, so the N-th opens a new
// connection and its DNS and TLS phases are measured. Through the engine and scheduler against
// the simulator's HTTPS listener; whether a poll was fresh is what its event observed.
#include "monitorengine.h"
#include "simulator.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestFreshConnections : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void default_reusesTheConnection();
    void everySecondPoll_opensAFreshConnection();

private:
    QList<bool> reusedPattern(int freshEvery, int polls);
    std::unique_ptr<Simulator> m_sim;
};

void TestFreshConnections::initTestCase()
{
    SimConfig config;
    config.tls = true;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY2(m_sim->start(0) != 0, qPrintable(m_sim->errorString()));
}

QList<bool> TestFreshConnections::reusedPattern(int freshEvery, int polls)
{
    Workspace ws;
    Environment env;
    env.id = QStringLiteral("uat");
    env.baseUrl = QStringLiteral("sim+tls:");
    env.caFile = QStringLiteral("sim:ca.pem");
    env.caMode = Environment::CaMode::Replace;
    ws.environments.append(env);
    Endpoint ep;
    ep.id = QStringLiteral("uat.health");
    ep.environment = env.id;
    ep.path = QStringLiteral("/s004/v1/health");
    ep.intervalMs = 3600000; // only sendNow() polls
    ep.timeoutMs = 5000;
    ep.quotaShare = 1.0;
    ep.freshConnectionEvery = freshEvery;
    ws.endpoints.append(ep);
    EngineOptions options;
    options.workerThreads = 1;
    options.simulatorBaseUrl = m_sim->baseUrl().toString();
    options.simulatorPlaceholders = m_sim->placeholders();
    MonitorEngine engine;
    if (!engine.load(ws, options).isEmpty())
        return {};
    QSignalSpy events(&engine, &MonitorEngine::eventReady);
    engine.start();
    QList<bool> reused;
    for (int i = 0; i < polls; ++i) {
        engine.scheduler()->sendNow(ep.id);
        if (!events.wait(10000))
            break;
        const ApiEvent e = events.takeFirst().first().value<ApiEvent>();
        if (e.category != Category::Ok || !e.timing || !e.timing->reusedConnection)
            break;
        reused.append(*e.timing->reusedConnection);
        if (!*e.timing->reusedConnection && !e.timing->tlsMs)
            break; // a fresh https connection must have its handshake measured
    }
    engine.stop();
    return reused;
}

void TestFreshConnections::default_reusesTheConnection()
{
    QCOMPARE(reusedPattern(0, 4), (QList<bool>{false, true, true, true}));
}

void TestFreshConnections::everySecondPoll_opensAFreshConnection()
{
    // Poll 1 is fresh anyway; polls 2 and 4 are the "every second" ones.
    QCOMPARE(reusedPattern(2, 5), (QList<bool>{false, false, true, false, true}));
}

QTEST_GUILESS_MAIN(TestFreshConnections)
#include "tst_freshconnections.moc"
