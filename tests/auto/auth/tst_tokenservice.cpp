// TokenService against a real token server on 127.0.0.1 with a ManualClock: what is posted,
// reuse until refreshAt × lifetime, one request in flight however many ask, failures as events
// with backoff, Tradovate's request and renewal, no 401 loop, churn warning, clock skew,
// redaction. No sleeps: time moves only when the test moves the clock.
#include "eventjson.h"
#include "redactor.h"
#include "testsupport.h"
#include "tokenservice.h"
#include "tokentestserver.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace hd;
using hd::test::TokenTestServer;

class TestTokenService : public QObject
{
    Q_OBJECT
private slots:
    void oauth2_postsTheFormAuth0Expects();
    void token_isReusedUntilRefreshAtThenRefreshedOnce();
    void token_isNotSentOnceExpired();
    void singleFlight_manyCallersOneTokenRequest();
    void singleFlight_many401sOneRefresh();
    void failedRequest_isAnEventAndBacksOff();
    void tradovate_requestsWithNamePasswordAppIdCidSecThenRenews();
    void tradovate_badPasswordInA200_isAFailure();
    void tradovate_refusedRenewal_fallsBackToAFullRequest();
    void tradovate_penaltyTicket_waitsPTimeThenRetriesWithTheTicket();
    void tradovate_penaltyCaptcha_stopsAndSaysAHumanMustSolveIt();
    void freshTokenRefusedToo_doesNotLoop();
    void churn_warnsWhenTokensAreRequestedTooOften();
    void clockSkew_isMeasuredAgainstTheServerDate();
    void summary_countsDownWithTheClock();
    void tokensAndSecrets_neverAppearInEvents();

private:
    static Credential oauthCredential(double refreshAt = 0.8);
    static Credential tradovateCredential();
    static std::unique_ptr<TokenService> service(const Credential &cred,
                                                 const TokenTestServer &server,
                                                 const ManualClock &clock, const QString &path,
                                                 int churnPerHour = 0);
    static QString fetch(TokenService &svc);
};

Credential TestTokenService::oauthCredential(double refreshAt)
{
    Credential c;
    c.id = QStringLiteral("auth0");
    c.method = Credential::Method::OAuth2ClientCredentials;
    c.clientId = QLatin1String(TokenTestServer::ClientId);
    c.audience = QStringLiteral("https://api.broker.example");
    c.scope = QStringLiteral("read:orders");
    c.secretName = QStringLiteral("CLIENT_SECRET");
    c.refreshAt = refreshAt;
    return c;
}

Credential TestTokenService::tradovateCredential()
{
    Credential c;
    c.id = QStringLiteral("tdv");
    c.method = Credential::Method::TradovateToken;
    c.username = QLatin1String(TokenTestServer::UserName);
    c.appId = QStringLiteral("HealthDeck");
    c.cid = QStringLiteral("8");
    c.secretName = QStringLiteral("TDV_PASSWORD");
    c.secondSecretName = QStringLiteral("TDV_SEC");
    return c;
}

std::unique_ptr<TokenService> TestTokenService::service(const Credential &cred,
                                                        const TokenTestServer &server,
                                                        const ManualClock &clock,
                                                        const QString &path, int churnPerHour)
{
    TokenServiceOptions o;
    o.tokenUrl = QUrl(server.url(path));
    o.environment = QStringLiteral("dev");
    o.churnPerHour = churnPerHour;
    o.secrets = [](const QString &name) -> std::optional<QString> {
        if (name == u"CLIENT_SECRET")
            return QLatin1String(TokenTestServer::ClientSecret);
        if (name == u"TDV_PASSWORD")
            return QLatin1String(TokenTestServer::Password);
        if (name == u"TDV_SEC")
            return QLatin1String(TokenTestServer::Sec);
        return std::nullopt;
    };
    return std::make_unique<TokenService>(cred, o, clock);
}

// Asks for the token and waits for the token request to answer (real sockets, no clock move).
QString TestTokenService::fetch(TokenService &svc)
{
    QString t = svc.token();
    if (svc.isRequesting()) {
        QSignalSpy ready(&svc, &TokenService::tokenReady);
        QSignalSpy failed(&svc, &TokenService::tokenFailed);
        if (!QTest::qWaitFor([&] { return ready.size() + failed.size() > 0; }, 5000))
            return {};
        t = svc.token();
    }
    return t;
}

void TestTokenService::oauth2_postsTheFormAuth0Expects()
{
    TokenTestServer server;
    QVERIFY(server.start());
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    QVERIFY(!fetch(*svc).isEmpty());
    const auto form = server.lastForm();
    QCOMPARE(form.value(QStringLiteral("grant_type")), QStringLiteral("client_credentials"));
    QCOMPARE(form.value(QStringLiteral("client_id")), QLatin1String(TokenTestServer::ClientId));
    // '+', '&' and '=' in the secret arrive as themselves.
    QCOMPARE(form.value(QStringLiteral("client_secret")),
             QLatin1String(TokenTestServer::ClientSecret));
    QCOMPARE(form.value(QStringLiteral("audience")), QStringLiteral("https://api.broker.example"));
    QCOMPARE(form.value(QStringLiteral("scope")), QStringLiteral("read:orders"));
    QCOMPARE(server.lastContentType(), QByteArrayLiteral("application/x-www-form-urlencoded"));
}

void TestTokenService::token_isReusedUntilRefreshAtThenRefreshedOnce()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(100);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(0.8), server, clock, QStringLiteral("/oauth/token"));
    const QString first = fetch(*svc);
    QVERIFY(!first.isEmpty());
    QCOMPARE(server.tokenRequests(), 1);
    QCOMPARE(svc->lifetimeMs(), 100000);

    for (int s = 0; s < 79; ++s) {
        clock.advance(1000);
        QCOMPARE(svc->token(), first);
        QVERIFY(!svc->isRequesting());
    }
    QCOMPARE(server.tokenRequests(), 1);

    clock.advance(2000);           // 81 s: past 0.8 × 100 s
    QCOMPARE(svc->token(), first); // still valid: endpoints keep working during the refresh
    QVERIFY(svc->isRequesting());
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(ready.wait(5000));
    const QString second = svc->token();
    QVERIFY(!second.isEmpty());
    QVERIFY(second != first);
    QCOMPARE(server.tokenRequests(), 2);
    QCOMPARE(svc->requestsLastHour(), 2);
}

void TestTokenService::token_isNotSentOnceExpired()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(100);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(0.8), server, clock, QStringLiteral("/oauth/token"));
    const QString first = fetch(*svc);
    QVERIFY(!first.isEmpty());
    server.setTokenFailure(503);
    clock.advance(81000);
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    QCOMPARE(svc->token(), first);
    QVERIFY(failed.wait(5000));
    clock.advance(10000); // 91 s: still before expiry minus the margin
    QCOMPARE(svc->token(), first);
    clock.advance(9000); // 100 s: expired
    QCOMPARE(svc->token(), QString());
    QVERIFY(!svc->hasUsableToken());
}

void TestTokenService::singleFlight_manyCallersOneTokenRequest()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setTokenDelayMs(200);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(svc->token(), QString());
    QVERIFY(ready.wait(5000));
    for (int i = 0; i < 200; ++i)
        QVERIFY(!svc->token().isEmpty());
    QTest::qWait(50);
    QCOMPARE(server.tokenRequests(), 1);
    QCOMPARE(ready.size(), 1);
}

void TestTokenService::singleFlight_many401sOneRefresh()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setTokenDelayMs(100);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    const QString first = fetch(*svc);
    QVERIFY(!first.isEmpty());
    // Fifty endpoints sent the same token and all got 401.
    for (int i = 0; i < 50; ++i)
        QVERIFY(svc->rejected(first));
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(ready.wait(5000));
    QTest::qWait(50);
    QCOMPARE(server.tokenRequests(), 2);
    // Late 401s for the old token after the new one arrived: retry, no new request.
    QVERIFY(svc->rejected(first));
    QVERIFY(!svc->isRequesting());
    QCOMPARE(server.tokenRequests(), 2);
}

void TestTokenService::failedRequest_isAnEventAndBacksOff()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setTokenFailure(503);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    QSignalSpy events(svc.get(), &TokenService::eventReady);
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    QCOMPARE(svc->token(), QString());
    QVERIFY(failed.wait(5000));
    QCOMPARE(events.size(), 1);
    const auto e = events.at(0).at(0).value<ApiEvent>();
    QCOMPARE(e.endpoint, QStringLiteral("token:auth0"));
    QCOMPARE(e.environment, QStringLiteral("dev"));
    QVERIFY(e.isFailure());
    QCOMPARE(e.httpStatus, 503);
    QVERIFY2(e.error && e.error->message.contains(QStringLiteral("next attempt in 5.0 s")),
             qPrintable(e.error ? e.error->message : QString()));
    // Backing off: asking again at once sends nothing.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(svc->token(), QString());
    QVERIFY(!svc->isRequesting());
    QCOMPARE(server.tokenRequests(), 1);
    QVERIFY(svc->retryNotBeforeMs().has_value());
    // After the backoff one more request; it doubles after the second failure.
    clock.advance(5000);
    svc->token();
    QVERIFY(svc->isRequesting());
    QVERIFY(failed.wait(5000));
    QCOMPARE(server.tokenRequests(), 2);
    clock.advance(5000);
    svc->token();
    QVERIFY(!svc->isRequesting());
    server.setTokenFailure(0);
    clock.advance(5000);
    QVERIFY(!fetch(*svc).isEmpty());
    QCOMPARE(events.size(), 3);
    QVERIFY(!events.at(2).at(0).value<ApiEvent>().isFailure());
    QVERIFY(svc->lastError().isEmpty());
}

void TestTokenService::tradovate_requestsWithNamePasswordAppIdCidSecThenRenews()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(60);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    const QString first = fetch(*svc);
    QVERIFY(!first.isEmpty());
    const QJsonObject body = server.lastJson();
    QCOMPARE(body.value(QStringLiteral("name")).toString(),
             QLatin1String(TokenTestServer::UserName));
    QCOMPARE(body.value(QStringLiteral("password")).toString(),
             QLatin1String(TokenTestServer::Password));
    QCOMPARE(body.value(QStringLiteral("appId")).toString(), QStringLiteral("HealthDeck"));
    QCOMPARE(body.value(QStringLiteral("cid")).toInt(), 8);
    QCOMPARE(body.value(QStringLiteral("sec")).toString(), QLatin1String(TokenTestServer::Sec));
    QCOMPARE(server.lastContentType(), QByteArrayLiteral("application/json"));
    QVERIFY(svc->lifetimeMs() && qAbs(*svc->lifetimeMs() - 60000) <= 1000);

    clock.advance(49000); // past 0.8 × 60 s: renew with the still-valid token
    QCOMPARE(svc->token(), first);
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(ready.wait(5000));
    QCOMPARE(server.renewals(), 1);
    QCOMPARE(server.tokenRequests(), 2);
    QVERIFY(svc->token() != first);
    QCOMPARE(TokenService::renewalUrl(
                 QUrl(QStringLiteral("https://live.tradovateapi.com/v1/auth/accesstokenrequest"))),
             QUrl(QStringLiteral("https://live.tradovateapi.com/v1/auth/renewaccesstoken")));
}

void TestTokenService::tradovate_badPasswordInA200_isAFailure()
{
    TokenTestServer server;
    QVERIFY(server.start());
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    Credential c = tradovateCredential();
    c.username = QStringLiteral("someone-else");
    auto svc = service(c, server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QSignalSpy events(svc.get(), &TokenService::eventReady);
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    svc->token();
    QVERIFY(failed.wait(5000));
    const auto e = events.at(0).at(0).value<ApiEvent>();
    QVERIFY(e.isFailure());
    QCOMPARE(e.httpStatus, 200);
    QVERIFY(e.error && e.error->message.contains(QStringLiteral("Incorrect username")));
}

void TestTokenService::tradovate_penaltyTicket_waitsPTimeThenRetriesWithTheTicket()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setPenalty(15, false);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QSignalSpy events(svc.get(), &TokenService::eventReady);
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(svc->token().isEmpty());
    QVERIFY(failed.wait(5000));
    QCOMPARE(ready.size(), 0); // a penalty ticket is never a login
    QVERIFY(!svc->hasUsableToken());
    const auto e = events.at(0).at(0).value<ApiEvent>();
    HD_COMPARE_ENUM(e.category, Category::RateLimited);
    QCOMPARE(e.error->code, QStringLiteral("p-ticket"));
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryAfter);
    QCOMPARE(e.retry.delayMs, std::optional<qint64>(15000));
    QVERIFY2(e.error->message.contains(QStringLiteral("15 s")), qPrintable(e.error->message));
    QVERIFY(!toJsonLine(e).contains(TokenTestServer::Ticket));

    // Nothing goes out before p-time has passed…
    clock.advance(14000);
    QVERIFY(svc->token().isEmpty());
    QVERIFY(!svc->isRequesting());
    QCOMPARE(server.tokenRequests(), 1);
    // …then the same request goes again, with the ticket, and logs in.
    clock.advance(1000);
    QVERIFY(!fetch(*svc).isEmpty());
    QCOMPARE(server.tokenRequests(), 2);
    QCOMPARE(server.lastJson().value(QStringLiteral("p-ticket")).toString(),
             QLatin1String(TokenTestServer::Ticket));
    QCOMPARE(ready.size(), 1);
    for (const auto &args : events)
        QVERIFY(!toJsonLine(args.at(0).value<ApiEvent>()).contains(TokenTestServer::Ticket));
}

void TestTokenService::tradovate_penaltyCaptcha_stopsAndSaysAHumanMustSolveIt()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setPenalty(0, true);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QSignalSpy events(svc.get(), &TokenService::eventReady);
    QSignalSpy failed(svc.get(), &TokenService::tokenFailed);
    svc->token();
    QVERIFY(failed.wait(5000));
    QVERIFY(svc->captchaRequired());
    QVERIFY2(svc->lastError().contains(QStringLiteral("a human must solve it")),
             qPrintable(svc->lastError()));
    const auto e = events.at(0).at(0).value<ApiEvent>();
    QCOMPARE(e.error->code, QStringLiteral("p-captcha"));
    QVERIFY(!e.retry.retryable);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::None);
    // No automatic retry, ever: an hour later nothing has been sent.
    clock.advance(3600000);
    QVERIFY(svc->token().isEmpty());
    QVERIFY(!svc->isRequesting());
    QCOMPARE(server.tokenRequests(), 1);
}

void TestTokenService::tradovate_refusedRenewal_fallsBackToAFullRequest()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(60);
    server.setRefuseRenewal(true);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QSignalSpy events(svc.get(), &TokenService::eventReady);
    const QString first = fetch(*svc);
    QVERIFY(!first.isEmpty());
    clock.advance(49000);
    QCOMPARE(svc->token(), first);
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(ready.wait(5000));
    QCOMPARE(server.renewals(), 1);
    QCOMPARE(server.tokenRequests(), 3); // request, refused renewal, new request
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(1).at(0).value<ApiEvent>().httpStatus, 401); // the refusal is visible
    QVERIFY(!events.at(2).at(0).value<ApiEvent>().isFailure());
    QVERIFY(svc->token() != first);
}

void TestTokenService::freshTokenRefusedToo_doesNotLoop()
{
    TokenTestServer server;
    QVERIFY(server.start());
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    const QString first = fetch(*svc);
    QVERIFY(svc->rejected(first));
    QSignalSpy ready(svc.get(), &TokenService::tokenReady);
    QVERIFY(ready.wait(5000));
    const QString second = svc->token();
    QVERIFY(!second.isEmpty() && second != first);
    // The server refuses the brand-new token as well (say, the client lost its grant).
    QVERIFY(!svc->rejected(second));
    QVERIFY(!svc->isRequesting());
    QVERIFY(svc->lastError().contains(QStringLiteral("refused too")));
    QCOMPARE(server.tokenRequests(), 2);
}

void TestTokenService::churn_warnsWhenTokensAreRequestedTooOften()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(10);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(0.5), server, clock, QStringLiteral("/oauth/token"), 3);
    QSignalSpy churn(svc.get(), &TokenService::churnWarning);
    for (int i = 0; i < 5; ++i) {
        QVERIFY(!fetch(*svc).isEmpty());
        clock.advance(6000);
    }
    QCOMPARE(server.tokenRequests(), 5);
    QCOMPARE(svc->requestsLastHour(), 5);
    QCOMPARE(churn.size(), 1); // once per hour, not once per request
    QVERIFY(
        churn.at(0).at(0).toString().contains(QStringLiteral("4 token requests in the last hour")));
    clock.advance(3600000);
    QCOMPARE(svc->requestsLastHour(), 0);
}

void TestTokenService::clockSkew_isMeasuredAgainstTheServerDate()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setDateSkewS(120);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QVERIFY(!fetch(*svc).isEmpty());
    QVERIFY(svc->clockSkewMs());
    QVERIFY2(qAbs(*svc->clockSkewMs() - 120000) <= 2000,
             qPrintable(QString::number(*svc->clockSkewMs())));
    // The absolute expirationTime is read on the server's clock: 60 s left, not 180.
    const TokenInfo info = svc->summary();
    QVERIFY2(info.expiresInS && *info.expiresInS >= 57 && *info.expiresInS <= 60,
             qPrintable(QString::number(info.expiresInS.value_or(-1))));
}

void TestTokenService::summary_countsDownWithTheClock()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(100);
    server.setScopes({QStringLiteral("read:orders"), QStringLiteral("read:positions")});
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto svc = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    QVERIFY(!fetch(*svc).isEmpty());
    // exp is in whole seconds and counts when it comes first: 99 or 100 s left.
    const qint64 fresh = svc->summary().expiresInS.value_or(-1);
    QVERIFY2(fresh == 99 || fresh == 100, qPrintable(QString::number(fresh)));
    clock.advance(30000);
    const TokenInfo info = svc->summary();
    QCOMPARE(info.expiresInS.value_or(-1), fresh - 30);
    QCOMPARE(info.subject, QLatin1String(TokenTestServer::ClientId));
    QCOMPARE(info.scopes,
             (QStringList{QStringLiteral("read:orders"), QStringLiteral("read:positions")}));
    QVERIFY(svc->jwt()
            && svc->jwt()->audience() == QStringList{QStringLiteral("https://api.broker.example")});
}

void TestTokenService::tokensAndSecrets_neverAppearInEvents()
{
    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(60);
    ManualClock clock(QDateTime::currentMSecsSinceEpoch());
    auto oauth = service(oauthCredential(), server, clock, QStringLiteral("/oauth/token"));
    auto tdv
        = service(tradovateCredential(), server, clock, QStringLiteral("/auth/accesstokenrequest"));
    QList<ApiEvent> events;
    connect(oauth.get(), &TokenService::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    connect(tdv.get(), &TokenService::eventReady, this,
            [&](const ApiEvent &e) { events.append(e); });
    QVERIFY(!fetch(*oauth).isEmpty());
    QVERIFY(!fetch(*tdv).isEmpty());
    clock.advance(50000);
    QVERIFY(!fetch(*tdv).isEmpty()); // renewal: the old token travels in Authorization
    QVERIFY(!fetch(*oauth).isEmpty());
    QCOMPARE(events.size(), 4);
    QByteArray all;
    for (const ApiEvent &e : std::as_const(events))
        all += toJsonLine(e);
    QVERIFY(all.contains("token:auth0") && all.contains("token:tdv"));
    QStringList needles = server.issuedTokens();
    needles << QLatin1String(TokenTestServer::ClientSecret)
            << QLatin1String(TokenTestServer::Password) << QLatin1String(TokenTestServer::Sec)
            << QString::fromLatin1(
                   QUrl::toPercentEncoding(QLatin1String(TokenTestServer::ClientSecret)));
    QCOMPARE(server.issuedTokens().size(), 4);
    for (const QString &n : std::as_const(needles)) {
        QVERIFY2(!all.contains(n.toUtf8()), "a secret or token leaked into an event");
        // A JWT's signature-less prefix is the identifying part too.
        QVERIFY(!all.contains(n.toUtf8().left(40)));
    }
    for (const QString &t : server.issuedTokens())
        QVERIFY(!Redactor::shared().redactBody(QStringLiteral("x ") + t).contains(t));
}

QTEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
