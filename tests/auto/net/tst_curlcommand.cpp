// "Copy as curl": a redacted request becomes a curl command with every secret as a $VARIABLE
// named after the endpoint's credential, literal text single-quoted for the shell. The support
// bundle's curl/*.sh scripts wrap the same command line (multiLine, maxTimeSeconds).
#include "curlcommand.h"

#include <QTest>

using namespace hd;

class TestCurlCommand : public QObject
{
    Q_OBJECT
private slots:
    void tokenCredential_authorizationBecomesTokenVariable();
    void apiKeyHeader_becomesTheSecretsEnvironmentVariable();
    void bodyMask_isNamedAfterItsJsonKey_andQuotesAreEscaped();
    void scriptOptions_oneOptionALine_maxTime_andTransportHeadersLeftToCurl();
    void variableHint_saysWhatEachVariableHolds();
    void noRequest_isInvalid();
    void webSocketFrame_hasNoCurlCommand();
};

namespace {
ApiEvent eventWith(const QString &method, const QString &url, const HeaderList &headers,
                   const QString &body = {})
{
    ApiEvent e;
    e.endpoint = QStringLiteral("prod.orders.list");
    RequestInfo r;
    r.method = method;
    r.url = url;
    r.headers = headers;
    r.body = body;
    e.request = r;
    return e;
}
} // namespace

void TestCurlCommand::tokenCredential_authorizationBecomesTokenVariable()
{
    Credential cred;
    cred.id = QStringLiteral("trading-oauth");
    cred.method = Credential::Method::OAuth2ClientCredentials;
    cred.secretName = QStringLiteral("CLIENT_SECRET");
    const ApiEvent e = eventWith(
        QStringLiteral("GET"), QStringLiteral("http://127.0.0.1:8080/prod/s000/v1/orders"),
        {{QStringLiteral("Authorization"), QStringLiteral("Bearer [REDACTED]")},
         {QStringLiteral("Accept"), QStringLiteral("application/json")}});
    CurlCommand::Options options;
    options.credential = &cred;
    const CurlCommand c = CurlCommand::fromEvent(e, options);
    QVERIFY(c.isValid());
    QCOMPARE(c.variables(), QStringList{QStringLiteral("HDECK_TOKEN_TRADING_OAUTH")});
    QVERIFY2(c.command().contains(
                 QStringLiteral("-H 'Authorization: Bearer '\"$HDECK_TOKEN_TRADING_OAUTH\"")),
             qPrintable(c.command()));
    QVERIFY(c.command().contains(QStringLiteral("-H 'Accept: application/json'")));
    QVERIFY(c.command().startsWith(QStringLiteral("# set first: $HDECK_TOKEN_TRADING_OAUTH\n")));
    QVERIFY(!c.command().contains(QStringLiteral("-X")));
    QVERIFY(!c.command().contains(QStringLiteral("REDACTED")));
}

void TestCurlCommand::apiKeyHeader_becomesTheSecretsEnvironmentVariable()
{
    Credential cred;
    cred.id = QStringLiteral("signals-key");
    cred.method = Credential::Method::ApiKeyHeader;
    cred.headerName = QStringLiteral("X-API-Key");
    cred.secretName = QStringLiteral("HDECK_SIM_API_KEY");
    const ApiEvent e = eventWith(QStringLiteral("POST"), QStringLiteral("http://h/signals"),
                                 {{QStringLiteral("x-api-key"), QStringLiteral("[REDACTED]")}});
    CurlCommand::Options options;
    options.credential = &cred;
    const CurlCommand c = CurlCommand::fromEvent(e, options);
    QCOMPARE(c.variables(), QStringList{QStringLiteral("HDECK_SECRET_HDECK_SIM_API_KEY")});
    QVERIFY(c.command().contains(QStringLiteral("-X 'POST'")));
    QVERIFY2(
        c.command().contains(QStringLiteral("-H 'x-api-key: '\"$HDECK_SECRET_HDECK_SIM_API_KEY\"")),
        qPrintable(c.command()));
}

void TestCurlCommand::bodyMask_isNamedAfterItsJsonKey_andQuotesAreEscaped()
{
    const ApiEvent e
        = eventWith(QStringLiteral("POST"), QStringLiteral("http://h/auth"),
                    {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}},
                    QStringLiteral("{\"name\":\"o'neil\",\"password\":\"[REDACTED]\"}"));
    const CurlCommand c = CurlCommand::fromEvent(e);
    QCOMPARE(c.variables(), QStringList{QStringLiteral("HDECK_SECRET_PASSWORD")});
    const QString expected = QStringLiteral(
        "--data-raw '{\"name\":\"o'\\''neil\",\"password\":\"'\"$HDECK_SECRET_PASSWORD\"'\"}'");
    QVERIFY2(c.command().contains(expected), qPrintable(c.command()));
}

void TestCurlCommand::scriptOptions_oneOptionALine_maxTime_andTransportHeadersLeftToCurl()
{
    const ApiEvent e
        = eventWith(QStringLiteral("put"), QStringLiteral("http://h/a?token=[REDACTED]"),
                    {{QStringLiteral("Host"), QStringLiteral("h")},
                     {QStringLiteral("Content-Length"), QStringLiteral("17")},
                     {QStringLiteral("Accept"), QStringLiteral("*/*")}},
                    QStringLiteral("a=1"));
    CurlCommand::Options options;
    options.withVariableComment = false;
    options.multiLine = true;
    options.maxTimeSeconds = 30;
    const CurlCommand c = CurlCommand::fromEvent(e, options);
    QCOMPARE(c.command(), QStringLiteral("curl -sS -i \\\n"
                                         "  --max-time 30 \\\n"
                                         "  -X 'PUT' \\\n"
                                         "  'http://h/a?token='\"$HDECK_SECRET_TOKEN\" \\\n"
                                         "  -H 'Accept: */*' \\\n"
                                         "  --data-raw 'a=1'"));
    QCOMPARE(c.variables(), QStringList{QStringLiteral("HDECK_SECRET_TOKEN")});
    // The console's default: one line, the variables named first, no --max-time.
    const QString line = CurlCommand::fromEvent(e).command();
    QCOMPARE(line, QStringLiteral("# set first: $HDECK_SECRET_TOKEN\n"
                                  "curl -sS -i -X 'PUT' 'http://h/a?token='\"$HDECK_SECRET_TOKEN\" "
                                  "-H 'Accept: */*' --data-raw 'a=1'"));
}

void TestCurlCommand::variableHint_saysWhatEachVariableHolds()
{
    Credential cred;
    cred.id = QStringLiteral("desk-tradovate");
    cred.method = Credential::Method::TradovateToken;
    cred.secretName = QStringLiteral("DESK_PASSWORD");
    const ApiEvent e = eventWith(
        QStringLiteral("POST"), QStringLiteral("http://h/auth"),
        {{QStringLiteral("Authorization"), QStringLiteral("Bearer [REDACTED]")}},
        QStringLiteral("{\"name\":\"desk\",\"password\":\"[REDACTED]\",\"x\":[REDACTED]}"));
    CurlCommand::Options options;
    options.credential = &cred;
    const CurlCommand c = CurlCommand::fromEvent(e, options);
    QCOMPARE(c.variables(), (QStringList{QStringLiteral("HDECK_TOKEN_DESK_TRADOVATE"),
                                         QStringLiteral("HDECK_SECRET_PASSWORD"),
                                         QStringLiteral("HDECK_SECRET_X")}));
    QCOMPARE(c.variableHint(QStringLiteral("HDECK_TOKEN_DESK_TRADOVATE")),
             QStringLiteral("a current access token of credential desk-tradovate"));
    QCOMPARE(c.variableHint(QStringLiteral("HDECK_SECRET_PASSWORD")),
             QStringLiteral("the value HealthDeck removed from the request"));

    // A mask no field names in the body of the credential is its secret, hdeck watch's variable.
    const ApiEvent bare = eventWith(QStringLiteral("POST"), QStringLiteral("http://h/auth"), {},
                                    QStringLiteral("[REDACTED]"));
    const CurlCommand b = CurlCommand::fromEvent(bare, options);
    QCOMPARE(b.variables(), QStringList{QStringLiteral("HDECK_SECRET_DESK_PASSWORD")});
    QCOMPARE(b.variableHint(QStringLiteral("HDECK_SECRET_DESK_PASSWORD")),
             QStringLiteral("the secret DESK_PASSWORD of credential desk-tradovate (hdeck watch "
                            "reads it from there)"));
}

void TestCurlCommand::noRequest_isInvalid()
{
    QVERIFY(!CurlCommand::fromEvent(ApiEvent{}).isValid());
}

void TestCurlCommand::webSocketFrame_hasNoCurlCommand()
{
    // Stream events carry method "WS" and the socket's URL; curl cannot replay a frame.
    for (const char *url : {"ws://127.0.0.1:9/s003/v1/websocket", "WSS://127.0.0.1:9/ws"}) {
        const ApiEvent e = eventWith(QStringLiteral("WS"), QLatin1String(url), {},
                                     QStringLiteral("authorize\n1\n\n[REDACTED]"));
        QVERIFY2(!CurlCommand::fromEvent(e).isValid(), url);
    }
    QVERIFY(CurlCommand::fromEvent(
                eventWith(QStringLiteral("GET"), QStringLiteral("http://127.0.0.1:9/health"), {}))
                .isValid());
}

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
