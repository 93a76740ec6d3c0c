// The polling engine with token credentials against a real token server on 127.0.0.1: many
// endpoints share one token, a 401 gets one refresh and one retry, a failing token endpoint is
// an event (not a silent loop), a 403 is explained by scopes, events carry the token summary.
#include "clockstepper.h"
#include "monitorengine.h"
#include "testsupport.h"
#include "tokentestserver.h"

#include <QTest>

using namespace hd;
using hd::test::TokenTestServer;

class TestTokenEngine : public QObject
{
    Q_OBJECT
private slots:
    void manyEndpoints_shareOneTokenRequest();
    void unauthorized_oneRefreshThenOneRetry();
    void shortLifetime_refreshesBeforeExpiryWithoutA401();
    void failingTokenEndpoint_isAnEventAndNotALoop();
    void forbidden_isExplainedByScopes();
    void missingSecret_isAWarningAndTheEndpointIsNotPolled();
    void tradovateCredential_pollsWithItsToken();

private:
    static Workspace workspace(const TokenTestServer &server, int endpoints, int intervalMs,
                               const QString &path = QStringLiteral("/api/orders"));
    static EngineOptions options();
    static QList<ApiEvent> apiEvents(const QList<ApiEvent> &all);
    static QList<ApiEvent> tokenEvents(const QList<ApiEvent> &all);
};

Workspace TestTokenEngine::workspace(const TokenTestServer &server, int endpoints, int intervalMs,
                                     const QString &path)
{
    Workspace ws;
    ws.name = QStringLiteral("tokens");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), server.url(QString()), {}});
    Credential c;
    c.id = QStringLiteral("auth0");
    c.method = Credential::Method::OAuth2ClientCredentials;
    c.tokenUrl = QStringLiteral("/oauth/token"); // relative: against the environment
    c.clientId = QLatin1String(TokenTestServer::ClientId);
    c.audience = QStringLiteral("https://api.broker.example");
    c.secretName = QStringLiteral("CLIENT_SECRET");
    c.refreshAt = 0.5;
    ws.credentials.append(c);
    for (int i = 0; i < endpoints; ++i) {
        Endpoint e;
        e.id = QStringLiteral("ep%1").arg(i);
        e.environment = QStringLiteral("dev");
        e.path = path;
        e.intervalMs = intervalMs;
        e.timeoutMs = 2000;
        e.credential = c.id;
        e.quotaShare = 1.0;
        ws.endpoints.append(e);
    }
    return ws;
}

EngineOptions TestTokenEngine::options()
{
    EngineOptions o;
    o.secretLookup = [](const QString &name) -> std::optional<QString> {
        if (name == u"CLIENT_SECRET")
            return QLatin1String(TokenTestServer::ClientSecret);
        if (name == u"TDV_PASSWORD")
            return QLatin1String(TokenTestServer::Password);
        return std::nullopt;
    };
    return o;
}

QList<ApiEvent> TestTokenEngine::apiEvents(const QList<ApiEvent> &all)
{
    QList<ApiEvent> out;
    for (const ApiEvent &e : all)
        if (!e.endpoint.startsWith(QStringLiteral("token:")))
            out.append(e);
    return out;
}

QList<ApiEvent> TestTokenEngine::tokenEvents(const QList<ApiEvent> &all)
{
    QList<ApiEvent> out;
    for (const ApiEvent &e : all)
        if (e.endpoint.startsWith(QStringLiteral("token:")))
            out.append(e);
    return out;
}

void TestTokenEngine::manyEndpoints_shareOneTokenRequest()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setTokenDelayMs(150); // every endpoint's first poll finds the request still out
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(server, 20, 300), options()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(apiEvents(events).size() >= 60, 10000);
    engine.stop();
    QCOMPARE(server.tokenRequests(), 1);
    QCOMPARE(tokenEvents(events).size(), 1);
    QVERIFY(!tokenEvents(events).at(0).isFailure());
    QCOMPARE(server.unauthorized(), 0);
    for (const ApiEvent &e : apiEvents(events)) {
        QVERIFY(!e.isFailure());
        QVERIFY(e.token);
        QCOMPARE(e.token->subject, QLatin1String(TokenTestServer::ClientId));
        QVERIFY(e.token->expiresInS && *e.token->expiresInS > 0 && *e.token->expiresInS <= 60);
    }
    QVERIFY(engine.tokenService(QStringLiteral("auth0")));
    QCOMPARE(engine.tokenService(QStringLiteral("auth0"))->requestsLastHour(), 1);
}

void TestTokenEngine::unauthorized_oneRefreshThenOneRetry()
{
    TokenTestServer server;
    QVERIFY(server.start());
    MonitorEngine engine;
    QCOMPARE(engine.load(workspace(server, 5, 1500), options()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(apiEvents(events).size() >= 5, 5000);
    // The server forgets every token it issued (a key rotation, a revoked grant).
    server.revokeAll();
    const qsizetype before = events.size();
    const auto retried = [&] {
        const auto evts = apiEvents(events.mid(before));
        return std::count_if(evts.begin(), evts.end(),
                             [](const ApiEvent &e) { return e.attempt == 2; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(retried() >= 1 && apiEvents(events.mid(before)).size() >= 12, 5000);
    engine.stop();
    const QList<ApiEvent> after = apiEvents(events.mid(before));
    // The first endpoint to poll after the revocation gets the 401; its refresh serves everyone
    // after it, so the others never see a 401 at all.
    QHash<QString, int> unauthorized;
    for (qsizetype i = 0; i < after.size(); ++i) {
        const ApiEvent &e = after[i];
        if (e.httpStatus != 401)
            continue;
        QCOMPARE(e.attempt, 1);
        HD_COMPARE_ENUM(e.retry.action, RetryAction::RefreshToken);
        ++unauthorized[e.endpoint];
        // …and its one retry, with the new token, succeeds.
        const auto retry = std::find_if(after.begin() + i + 1, after.end(), [&](const ApiEvent &r) {
            return r.endpoint == e.endpoint;
        });
        QVERIFY(retry != after.end());
        QCOMPARE(retry->attempt, 2);
        QVERIFY(!retry->isFailure());
    }
    QVERIFY(!unauthorized.isEmpty());
    for (auto it = unauthorized.begin(); it != unauthorized.end(); ++it)
        QCOMPARE(it.value(), 1);
    QCOMPARE(server.unauthorized(), int(unauthorized.size()));
    QCOMPARE(server.tokenRequests(), 2); // one refresh for all five endpoints
}

void TestTokenEngine::shortLifetime_refreshesBeforeExpiryWithoutA401()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(2);
    server.setCheckExpiry(true);
    // The server mints and checks tokens on the engine's clock: 5 s pass in 50 ms steps.
    ManualClock clock;
    server.setClock(clock);
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace(server, 3, 150), options()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 5000, 50));
    engine.stop();
    QCOMPARE(server.unauthorized(), 0);
    // refreshAt 0.5 × 2 s, shared by the three endpoints: a token at the first poll, then one
    // a little under every second (the JWT's whole-second exp trims each lifetime) — six.
    QCOMPARE(server.tokenRequests(), 6);
    QCOMPARE(tokenEvents(events).size(), 6);
    // Every poll due went out with a valid token: every 150 ms from 0, 92 and 35 ms (the
    // spread first starts) to 5 s, 34 + 33 + 34.
    QCOMPARE(apiEvents(events).size(), 101);
    QCOMPARE(server.apiRequests(), 101);
}

void TestTokenEngine::failingTokenEndpoint_isAnEventAndNotALoop()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setTokenFailure(503);
    ManualClock clock;
    MonitorEngine engine(clock);
    QCOMPARE(engine.load(workspace(server, 4, 100), options()), QString());
    QList<ApiEvent> events;
    QStringList deferred;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    connect(engine.scheduler(), &PollScheduler::requestDeferred, this,
            [&](const QString &, const QString &reason, qint64) { deferred.append(reason); });
    engine.start();
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 2000, 50));
    engine.stop();
    // Eighty polls were due; one token request went out (then backoff of 5 s), one event says so.
    QCOMPARE(server.tokenRequests(), 1);
    const auto tokenEvts = tokenEvents(events);
    QCOMPARE(tokenEvts.size(), 1);
    QVERIFY(tokenEvts.at(0).isFailure());
    QCOMPARE(tokenEvts.at(0).endpoint, QStringLiteral("token:auth0"));
    QCOMPARE(tokenEvts.at(0).httpStatus, 503);
    // Nothing was sent without a token: no 401 storm.
    QCOMPARE(server.apiRequests(), 0);
    QVERIFY(!deferred.isEmpty());
    QVERIFY(deferred.first().startsWith(QStringLiteral("no token:")));
    QVERIFY(engine.scheduler()->deferredForToken() > 0);
}

void TestTokenEngine::forbidden_isExplainedByScopes()
{
    TokenTestServer server;
    QVERIFY(server.start());
    Workspace ws = workspace(server, 1, 5000, QStringLiteral("/api/admin/users"));
    ws.endpoints[0].requiredScopes = {QStringLiteral("read:orders"), QStringLiteral("admin:write")};
    MonitorEngine engine;
    QCOMPARE(engine.load(ws, options()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(!apiEvents(events).isEmpty(), 5000);
    engine.stop();
    const ApiEvent e = apiEvents(events).first();
    QCOMPARE(e.httpStatus, 403);
    QVERIFY(e.error);
    QVERIFY2(e.error->message.contains(QStringLiteral("the token carries scopes: read:orders")),
             qPrintable(e.error->message));
    QVERIFY2(e.error->message.contains(QStringLiteral("missing: admin:write")),
             qPrintable(e.error->message));
    QVERIFY(std::any_of(e.error->details.begin(), e.error->details.end(), [](const ErrorDetail &d) {
        return d.field == u"scope" && d.message == u"missing: admin:write";
    }));
    QCOMPARE(server.tokenRequests(), 1); // a 403 is not a reason to fetch another token
}

void TestTokenEngine::missingSecret_isAWarningAndTheEndpointIsNotPolled()
{
    TokenTestServer server;
    QVERIFY(server.start());
    Workspace ws = workspace(server, 1, 100);
    ws.credentials[0].secretName = QStringLiteral("NOT_THERE");
    MonitorEngine engine;
    QStringList warnings;
    connect(&engine, &MonitorEngine::warning, this, [&](const QString &w) { warnings.append(w); });
    EngineOptions o = options();
    QVERIFY(!engine.load(ws, o).isEmpty());
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.first().contains(QStringLiteral("HDECK_SECRET_NOT_THERE")));
}

void TestTokenEngine::tradovateCredential_pollsWithItsToken()
{
    TokenTestServer server;
    QVERIFY(server.start());
    Workspace ws = workspace(server, 2, 200);
    Credential &c = ws.credentials[0];
    c.method = Credential::Method::TradovateToken;
    c.tokenUrl = server.url(QStringLiteral("/auth/accesstokenrequest"));
    c.username = QLatin1String(TokenTestServer::UserName);
    c.secretName = QStringLiteral("TDV_PASSWORD");
    c.appId = QStringLiteral("HealthDeck");
    MonitorEngine engine;
    QCOMPARE(engine.load(ws, options()), QString());
    QList<ApiEvent> events;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(apiEvents(events).size() >= 6, 5000);
    engine.stop();
    QCOMPARE(server.tokenRequests(), 1);
    for (const ApiEvent &e : apiEvents(events)) {
        QVERIFY(!e.isFailure());
        QCOMPARE(e.token->subject, QLatin1String(TokenTestServer::UserName));
    }
}

QTEST_GUILESS_MAIN(TestTokenEngine)
#include "tst_tokenengine.moc"
