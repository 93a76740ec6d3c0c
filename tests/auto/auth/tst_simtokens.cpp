// Issue 5's "done when", shortened: the engine against the built-in simulator's real token
// endpoints (OAuth2 client credentials issuing HS256 JWTs, the Tradovate-style access-token
// request and renewal) with 3 s tokens: no 401 caused by expiry, one token request per
// refresh interval per credential, and a token request the simulator refuses surfaces as an
// event while nothing is sent without a token. The simulator and the engine share a ManualClock
// moved in 50 ms steps, so token lifetimes pass on one clock and every count is exact.
#include "clockstepper.h"
#include "monitorengine.h"
#include "simulator.h"

#include <QTest>

using namespace hd;

class TestSimTokens : public QObject
{
    Q_OBJECT
private slots:
    void shortLivedTokens_noUnauthorizedAndOneRequestPerRefresh();
    void refusedClientSecret_isATokenEventAndNothingIsSent();

private:
    static Workspace workspace(const QString &clientSecretName);
    static EngineOptions options(const Simulator &sim);
};

Workspace TestSimTokens::workspace(const QString &clientSecretName)
{
    Workspace ws;
    ws.name = QStringLiteral("sim tokens");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("sim:/dev"), {}});
    Credential oauth;
    oauth.id = QStringLiteral("trading-oauth");
    oauth.method = Credential::Method::OAuth2ClientCredentials;
    oauth.tokenUrl = QStringLiteral("sim:/s000/oauth/token");
    oauth.clientId = QStringLiteral("sim-client");
    oauth.audience = QStringLiteral("s000");
    oauth.scope = QStringLiteral("orders:read");
    oauth.secretName = clientSecretName;
    Credential tdv;
    tdv.id = QStringLiteral("tradovate");
    tdv.method = Credential::Method::TradovateToken;
    tdv.tokenUrl = QStringLiteral("sim:/s003/v1/auth/accesstokenrequest");
    tdv.username = QStringLiteral("sim-user");
    tdv.appId = QStringLiteral("HealthDeck");
    tdv.cid = QStringLiteral("8");
    tdv.secretName = QStringLiteral("TDV_PASSWORD");
    ws.credentials = {oauth, tdv};
    const QList<std::tuple<QString, QString, QString, int>> eps{
        {QStringLiteral("orders.a"), QStringLiteral("/s000/v1/orders"), oauth.id, 250},
        {QStringLiteral("orders.b"), QStringLiteral("/s000/v1/orders"), oauth.id, 400},
        {QStringLiteral("tdv.me"), QStringLiteral("/s003/v1/auth/me"), tdv.id, 700}};
    for (const auto &[id, path, cred, interval] : eps) {
        Endpoint e;
        e.id = id;
        e.environment = QStringLiteral("dev");
        e.path = path;
        e.intervalMs = interval;
        e.timeoutMs = 2000;
        e.credential = cred;
        e.quotaShare = 1.0;
        ws.endpoints.append(e);
    }
    return ws;
}

EngineOptions TestSimTokens::options(const Simulator &sim)
{
    EngineOptions o;
    o.simulatorBaseUrl = sim.baseUrl().toString();
    if (o.simulatorBaseUrl.endsWith(u'/'))
        o.simulatorBaseUrl.chop(1);
    o.secretLookup = [](const QString &name) -> std::optional<QString> {
        if (name == u"CLIENT_SECRET")
            return QStringLiteral("sim-secret");
        if (name == u"WRONG_SECRET")
            return QStringLiteral("not-the-secret");
        if (name == u"TDV_PASSWORD")
            return QStringLiteral("sim-pass");
        return std::nullopt;
    };
    return o;
}

void TestSimTokens::shortLivedTokens_noUnauthorizedAndOneRequestPerRefresh()
{
    SimConfig config;
    config.tokenLifetimeS = 3;
    config.backgroundErrorRate = 0;
    ManualClock clock;
    config.clock = &clock;
    Simulator sim(config);
    QVERIFY(sim.start(0) != 0);
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace(QStringLiteral("CLIENT_SECRET")), options(sim)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 7500, 50));
    engine.stop();
    QHash<QString, int> tokenRequests;
    int api = 0;
    for (const ApiEvent &e : std::as_const(events)) {
        QVERIFY2(!e.isFailure(),
                 qPrintable(e.endpoint + u' ' + (e.error ? e.error->message : QString())));
        QVERIFY(e.httpStatus != 401);
        if (e.endpoint.startsWith(QStringLiteral("token:")))
            ++tokenRequests[e.endpoint];
        else
            ++api;
        QVERIFY(e.token);
    }
    // 7.5 s of polls every 250, 400 and 700 ms: 61 requests, each with a token.
    QCOMPARE(api, 61);
    // 3 s tokens refreshed at 0.8 of their lifetime (the JWT's whole-second exp trims the first
    // one to 2.95 s): OAuth2 tokens at the first poll and about every 2.4 s after — four; the
    // Tradovate credential's only endpoint polls every 700 ms from 165 ms on — three. Never one
    // per request.
    QCOMPARE(tokenRequests.value(QStringLiteral("token:trading-oauth")), 4);
    QCOMPARE(tokenRequests.value(QStringLiteral("token:tradovate")), 3);
}

void TestSimTokens::refusedClientSecret_isATokenEventAndNothingIsSent()
{
    SimConfig config;
    config.backgroundErrorRate = 0;
    ManualClock clock;
    config.clock = &clock;
    Simulator sim(config);
    QVERIFY(sim.start(0) != 0);
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace(QStringLiteral("WRONG_SECRET")), options(sim)), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 1500, 50));
    engine.stop();
    int oauthTokenEvents = 0;
    for (const ApiEvent &e : std::as_const(events)) {
        if (e.endpoint == u"token:trading-oauth") {
            ++oauthTokenEvents;
            QVERIFY(e.isFailure());
            QCOMPARE(e.httpStatus, 401);
        }
        // The orders endpoints never went out without a token.
        QVERIFY(!e.endpoint.startsWith(QStringLiteral("orders.")));
    }
    QCOMPARE(oauthTokenEvents, 1); // then backing off, not looping
}

QTEST_GUILESS_MAIN(TestSimTokens)
#include "tst_simtokens.moc"
