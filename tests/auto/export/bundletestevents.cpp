#include "bundletestevents.h"

#include <QUrl>

namespace hd::test {
namespace {

ApiEvent base(int n, qint64 timeMs)
{
    ApiEvent e;
    e.id = QStringLiteral("evt-leak-%1").arg(n, 4, 10, QLatin1Char('0'));
    e.timeMs = timeMs;
    e.environment = QStringLiteral("prod");
    e.endpoint = QStringLiteral("orders.place");
    e.profile = QStringLiteral("tradovate");
    e.durationMs = 42.5;
    return e;
}

void fail(ApiEvent &e, int status, Category c, const QString &message)
{
    e.httpStatus = status;
    e.category = c;
    e.outcome = outcomeOf(c);
    e.error = ErrorInfo{QStringLiteral("E%1").arg(status), ErrorType::Unknown, message, {}};
    e.retry = RetryDecision{true, RetryAction::RetryBackoff, 500,
                            QStringLiteral("Retry with exponential backoff and full jitter.")};
}

} // namespace

PlantedBundle plantedBundle(qint64 t0)
{
    PlantedBundle p;
    // Held for the workspace: the client secret, the basic password, the API key, the
    // tradovate sec. Some appear only where no field or header rule can see them.
    const QString clientSecret = QStringLiteral("cs-held-4f8a2b9c1d");
    const QString basicPassword = QStringLiteral("bp-held-77e1c0aa");
    const QString apiKey = QStringLiteral("ak-held-0c93d2ee51");
    const QString tradovateSec = QStringLiteral("sec-held-5a5a1f0e");
    p.heldSecrets = {{QStringLiteral("LEAK_CLIENT_SECRET"), clientSecret},
                     {QStringLiteral("LEAK_BASIC_PASSWORD"), basicPassword},
                     {QStringLiteral("LEAK_API_KEY"), apiKey},
                     {QStringLiteral("LEAK_TRADOVATE_SEC"), tradovateSec}};
    const QString bearer = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.bearer-planted-1.sig");
    const QString cookie = QStringLiteral("sess-planted-a1b2c3");
    const QString xApiKey = QStringLiteral("xak-planted-99f0");
    const QString proxyAuth = QStringLiteral("proxy-planted-pw-31");
    const QString password = QStringLiteral("pw-planted-hunter22");
    const QString jsonClientSecret = QStringLiteral("jcs-planted-0b0b");
    const QString sec = QStringLiteral("jsec-planted-1e1e");
    const QString token = QStringLiteral("tok-planted-2f2f");
    const QString accessToken = QStringLiteral("at-planted-3a3a3a");
    const QString refreshToken = QStringLiteral("rt-planted-4b4b4b");
    const QString pTicket = QStringLiteral("pt-planted-5c5c5c");
    const QString formSecret = QStringLiteral("form-cs-planted-6d6d");
    const QString formPassword = QStringLiteral("form-pw-planted-7e7e");
    const QString queryToken = QStringLiteral("q-tok-planted-8f8f");
    const QString queryAccess = QStringLiteral("q-at-planted-9a9a");
    const QString querySec = QStringLiteral("q-sec-planted-0b0c");
    const QString userField = QStringLiteral("desk-pin-planted-1234");
    const QString urlPassword = QStringLiteral("url-pw-planted-5678");
    const QString respAccess = QStringLiteral("resp-at-planted-abcd");
    const QString respRefresh = QStringLiteral("resp-rt-planted-efef");
    p.secrets
        = {clientSecret, basicPassword, apiKey,    tradovateSec,     bearer,       cookie,
           xApiKey,      proxyAuth,     password,  jsonClientSecret, sec,          token,
           accessToken,  refreshToken,  pTicket,   formSecret,       formPassword, queryToken,
           queryAccess,  querySec,      userField, urlPassword,      respAccess,   respRefresh};
    // Basic auth as sent: base64 of user:password, in the Authorization header and a custom one.
    const QString basicUser = QStringLiteral("desk-operator");
    p.secrets << QString::fromLatin1((basicUser + u':' + basicPassword).toUtf8().toBase64())
              << QString::fromLatin1(QByteArray("proxyuser:" + proxyAuth.toUtf8()).toBase64());

    p.identifiers = {QStringLiteral("trace-7f3e9a01"),    QStringLiteral("ACC-778812"),
                     QStringLiteral("ORD-55120931"),      QStringLiteral("EXEC-00917"),
                     QStringLiteral("TRADE-44190"),       QStringLiteral("CLORD-2026-11-21-0001"),
                     QStringLiteral("client-id-desk-42"), QStringLiteral("tradovate-app-7")};

    // 1. An order with secrets in every header kind, a JSON body and the query string.
    ApiEvent a = base(1, t0);
    a.request = RequestInfo{
        QStringLiteral("POST"),
        QStringLiteral(
            "https://%1:%2@api.broker.example/v1/order/place?accountId=ACC-778812&token=%3"
            "&access_token=%4&sec=%5&keep=%6")
            .arg(basicUser, urlPassword, queryToken, queryAccess, querySec,
                 QString::fromLatin1(QUrl::toPercentEncoding(clientSecret + QStringLiteral("/+")))),
        {{QStringLiteral("Authorization"), QStringLiteral("Bearer ") + bearer},
         {QStringLiteral("Cookie"),
          QStringLiteral("session=") + cookie + QStringLiteral("; theme=dark")},
         {QStringLiteral("X-API-Key"), xApiKey},
         {QStringLiteral("Proxy-Authorization"),
          QStringLiteral("Basic ")
              + QString::fromLatin1(QByteArray("proxyuser:" + proxyAuth.toUtf8()).toBase64())},
         {QStringLiteral("X-Upstream-Auth"),
          QStringLiteral("Basic ")
              + QString::fromLatin1((basicUser + u':' + basicPassword).toUtf8().toBase64())},
         {QStringLiteral("X-Forwarded-Key"), apiKey},
         {QStringLiteral("Content-Type"), QStringLiteral("application/json")},
         {QStringLiteral("X-Request-Id"), QStringLiteral("trace-7f3e9a01")}},
        QStringLiteral(
            R"({"accountId":"ACC-778812","clOrdId":"CLORD-2026-11-21-0001","password":"%1",)"
            R"("client_id":"client-id-desk-42","client_secret":"%2","sec":"%3","token":"%4",)"
            R"("access_token":"%5","refresh_token":"%6","p-ticket":"%7","deskPin":"%8",)"
            R"("note":"held %9"})")
            .arg(password, jsonClientSecret, sec, token, accessToken, refreshToken, pTicket,
                 userField, tradovateSec)};
    a.response = ResponseInfo{{{QStringLiteral("Content-Type"), QStringLiteral("application/json")},
                               {QStringLiteral("Set-Cookie"), QStringLiteral("session=") + cookie}},
                              QStringLiteral(R"({"errorText":"Rejected","orderId":"ORD-55120931",)"
                                             R"("echo":"%1"})")
                                  .arg(apiKey),
                              120};
    fail(a, 409, Category::Conflict,
         QStringLiteral("order conflicts; key %1 was used").arg(apiKey));
    a.identifiers.traceId = QStringLiteral("trace-7f3e9a01");
    a.identifiers.accountId = QStringLiteral("ACC-778812");
    a.identifiers.orderId = QStringLiteral("ORD-55120931");
    a.identifiers.clOrdId = QStringLiteral("CLORD-2026-11-21-0001");
    a.rateLimit = RateLimitInfo{100, 0, 17.0, 30.0, {}, QStringLiteral("x-ratelimit")};
    p.events << a;

    // 2. A token request with a form body, answered with tokens in the body.
    ApiEvent b = base(2, t0 + 1000);
    b.endpoint = QStringLiteral("token:desk-oauth");
    b.request = RequestInfo{
        QStringLiteral("POST"),
        QStringLiteral("https://auth.broker.example/oauth/token"),
        {{QStringLiteral("Content-Type"), QStringLiteral("application/x-www-form-urlencoded")}},
        QStringLiteral("grant_type=client_credentials&client_id=client-id-desk-42"
                       "&client_secret=%1&password=%2&scope=orders")
            .arg(formSecret, formPassword)};
    b.response = ResponseInfo{
        {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}},
        QStringLiteral(
            R"({"access_token":"%1","refresh_token":"%2","token_type":"Bearer","expires_in":3600})")
            .arg(respAccess, respRefresh),
        90};
    b.httpStatus = 200;
    b.category = Category::Ok;
    b.outcome = Outcome::Success;
    b.token = TokenInfo{3600, QStringLiteral("client-id-desk-42"), {QStringLiteral("orders")}};
    p.events << b;

    // 3. A business error with the fill's identifiers, and a held secret in the message.
    ApiEvent c = base(3, t0 + 2000);
    c.request
        = RequestInfo{QStringLiteral("GET"),
                      QStringLiteral("https://api.broker.example/v1/fill/%1?accountId=ACC-778812")
                          .arg(clientSecret),
                      {{QStringLiteral("Authorization"), QStringLiteral("Bearer ") + bearer}},
                      {}};
    c.response = ResponseInfo{
        {},
        QStringLiteral(
            R"({"failureReason":"RiskCheck","execId":"EXEC-00917","tradeId":"TRADE-44190"})"),
        70};
    c.httpStatus = 200;
    c.category = Category::BusinessRejected;
    c.outcome = Outcome::BusinessError;
    c.error = ErrorInfo{QStringLiteral("RiskCheck"),
                        ErrorType::BusinessRule,
                        QStringLiteral("risk check failed for secret %1").arg(clientSecret),
                        {}};
    c.identifiers.execId = QStringLiteral("EXEC-00917");
    c.identifiers.tradeId = QStringLiteral("TRADE-44190");
    c.identifiers.accountId = QStringLiteral("ACC-778812");
    p.events << c;

    // 4. A connection error: no response at all.
    ApiEvent d = base(4, t0 + 3000);
    d.request = RequestInfo{
        QStringLiteral("GET"),
        QStringLiteral("https://api.broker.example/v1/order/list?api_key=%1").arg(apiKey),
        {{QStringLiteral("X-API-Key"), xApiKey}},
        {}};
    d.networkError = QStringLiteral("ECONNRESET");
    d.category = Category::ConnectionReset;
    d.outcome = Outcome::ConnectionError;
    d.retry = RetryDecision{true, RetryAction::RetryBackoff, 250,
                            QStringLiteral("Retry with backoff.")};
    p.events << d;

    p.workspaceJson = QStringLiteral(R"({
  "schema": "healthdeck.workspace/1",
  "name": "Leak test desk",
  "redactFields": ["deskPin"],
  "environments": [{"id": "prod", "name": "Production", "baseUrl": "https://api.broker.example"}],
  "credentials": [
    {"id": "desk-oauth", "name": "Desk OAuth", "method": "oauth2_client_credentials",
     "tokenUrl": "https://auth.broker.example/oauth/token", "clientId": "client-id-desk-42",
     "secretName": "LEAK_CLIENT_SECRET"},
    {"id": "desk-basic", "name": "Desk basic", "method": "basic", "username": "desk-operator",
     "secretName": "LEAK_BASIC_PASSWORD"},
    {"id": "desk-key", "name": "Desk key", "method": "api_key_header", "headerName": "X-Forwarded-Key",
     "secretName": "LEAK_API_KEY"},
    {"id": "desk-tradovate", "name": "Desk Tradovate", "method": "tradovate_token",
     "tokenUrl": "https://auth.broker.example/auth/accesstokenrequest", "username": "desk-operator",
     "appId": "tradovate-app-7", "cid": "8", "secretName": "LEAK_BASIC_PASSWORD",
     "secondSecretName": "LEAK_TRADOVATE_SEC"}
  ],
  "endpoints": [
    {"id": "orders.place", "environment": "prod", "method": "POST", "path": "/v1/order/place",
     "credential": "desk-oauth"}
  ]
})");
    return p;
}

QList<ApiEvent> mixedEvents(qint64 t0, int count)
{
    QList<ApiEvent> out;
    for (int i = 0; i < count; ++i) {
        ApiEvent e = base(100 + i, t0 + qint64(i) * 1500);
        e.endpoint = i % 2 ? QStringLiteral("orders.list") : QStringLiteral("positions.get");
        e.environment = i % 3 ? QStringLiteral("prod") : QStringLiteral("preprod");
        const bool post = i % 4 == 0;
        e.request = RequestInfo{
            post ? QStringLiteral("POST") : QStringLiteral("GET"),
            QStringLiteral("https://api.example/v1/%1?accountId=%2&page=%3")
                .arg(e.endpoint)
                .arg(1000 + i)
                .arg(i),
            {{QStringLiteral("Accept"), QStringLiteral("application/json")},
             {QStringLiteral("Authorization"), QStringLiteral("Bearer [REDACTED]")}},
            post ? QStringLiteral(R"({"symbol":"ESZ6","qty":%1})").arg(i) : QString()};
        e.identifiers.traceId = QStringLiteral("trace-mixed-%1").arg(i);
        switch (i % 5) {
        case 0:
        case 1:
            e.httpStatus = 200;
            e.response = ResponseInfo{
                {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}},
                QStringLiteral(R"({"ok":true})"),
                11};
            break;
        case 2:
            fail(e, 503, Category::Unavailable, QStringLiteral("Service Unavailable"));
            e.response = ResponseInfo{{{QStringLiteral("Retry-After"), QStringLiteral("5")}},
                                      QStringLiteral("<html><title>503</title></html>"),
                                      30};
            e.attempt = 1;
            break;
        case 3:
            fail(e, 429, Category::RateLimited, QStringLiteral("Too many requests"));
            e.response = ResponseInfo{
                {{QStringLiteral("Content-Type"), QStringLiteral("application/problem+json")}},
                QStringLiteral(R"({"type":"quota-exceeded","title":"Quota"})"),
                40};
            e.rateLimit = RateLimitInfo{100, 0, 12.0, 30.0, {}, QStringLiteral("ratelimit")};
            e.attempt = 2;
            break;
        default:
            e.networkError = QStringLiteral("ETIMEDOUT");
            e.category = Category::Timeout;
            e.outcome = Outcome::ConnectionError;
            e.retry = RetryDecision{true, RetryAction::RetryBackoff, 800,
                                    QStringLiteral("Retry with backoff.")};
            e.attempt = 3;
            break;
        }
        out << e;
    }
    return out;
}

} // namespace hd::test
