// "Copy as curl": a redacted request becomes a curl command with every secret as a $VARIABLE
// named after the endpoint's credential, literal text single-quoted for the shell.
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
    void noRequest_isInvalid();
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

void TestCurlCommand::noRequest_isInvalid()
{
    QVERIFY(!CurlCommand::fromEvent(ApiEvent{}).isValid());
}

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
