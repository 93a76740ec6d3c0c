// The one redaction engine (DESIGN §7): secrets never leave, identifiers a support desk needs stay.

#include "redactor.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

class TestRedactor : public QObject
{
    Q_OBJECT
private slots:
    void headers_secretValuesAreMasked_data();
    void headers_secretValuesAreMasked();
    void jsonBody_secretFieldsAreMasked_data();
    void jsonBody_secretFieldsAreMasked();
    void jsonBody_identifiersAndClientIdAreKept_data();
    void jsonBody_identifiersAndClientIdAreKept();
    void formBody_secretFieldsAreMasked_data();
    void formBody_secretFieldsAreMasked();
    void url_queryAndUserInfoAreMasked_data();
    void url_queryAndUserInfoAreMasked();
    void knownSecretValues_areMaskedAnywhere();
    void addedFieldName_isRedactedToo();
    void bodiesWithoutSecretNames_areReturnedUnchanged_data();
    void bodiesWithoutSecretNames_areReturnedUnchanged();
    void event_everyPartIsRedacted();
    void records_nameWhatWasMaskedButNeverTheValue();
};

void TestRedactor::headers_secretValuesAreMasked_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("Authorization Bearer keeps scheme") << "Authorization"
                                                       << "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"
                                                       << "Bearer [REDACTED]";
    QTest::newRow("Authorization Basic keeps scheme") << "authorization"
                                                      << "Basic dXNlcjpwYXNz"
                                                      << "Basic [REDACTED]";
    QTest::newRow("Authorization without scheme") << "Authorization"
                                                  << "abcdef"
                                                  << "[REDACTED]";
    QTest::newRow("Proxy-Authorization") << "Proxy-Authorization"
                                         << "Basic dXNlcjpwYXNz"
                                         << "Basic [REDACTED]";
    QTest::newRow("Cookie") << "Cookie"
                            << "session=abc; theme=dark"
                            << "[REDACTED]";
    QTest::newRow("Set-Cookie") << "Set-Cookie"
                                << "session=abc; HttpOnly; Secure"
                                << "[REDACTED]";
    QTest::newRow("X-Api-Key") << "X-Api-Key"
                               << "k_live_123456"
                               << "[REDACTED]";
    QTest::newRow("x-api-key lower case") << "x-api-key"
                                          << "k_live_123456"
                                          << "[REDACTED]";
    QTest::newRow("Api-Key") << "Api-Key"
                             << "k"
                             << "[REDACTED]";
    QTest::newRow("X-Auth-Token") << "X-Auth-Token"
                                  << "t"
                                  << "[REDACTED]";
    QTest::newRow("X-CSRF-Token") << "X-CSRF-Token"
                                  << "t"
                                  << "[REDACTED]";
    QTest::newRow("Ocp-Apim-Subscription-Key") << "Ocp-Apim-Subscription-Key"
                                               << "k"
                                               << "[REDACTED]";
    QTest::newRow("X-Client-Secret") << "X-Client-Secret"
                                     << "s"
                                     << "[REDACTED]";
    QTest::newRow("Content-Type kept") << "Content-Type"
                                       << "application/json"
                                       << "application/json";
    QTest::newRow("X-Request-Id kept") << "X-Request-Id"
                                       << "req-123"
                                       << "req-123";
    QTest::newRow("traceparent kept") << "traceparent"
                                      << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                                      << "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    QTest::newRow("Retry-After kept") << "Retry-After"
                                      << "30"
                                      << "30";
    QTest::newRow("X-RateLimit-Remaining kept") << "X-RateLimit-Remaining"
                                                << "0"
                                                << "0";
}

void TestRedactor::headers_secretValuesAreMasked()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const Redactor r;
    QCOMPARE(r.redactHeaderValue(name, value), expected);
    const HeaderList out = r.redactHeaders({{name, value}});
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.front().first, name);
    QCOMPARE(out.front().second, expected);
}

void TestRedactor::jsonBody_secretFieldsAreMasked_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("secret");

    QTest::newRow("password") << R"({"name":"ops","password":"hunter2"})"
                              << "hunter2";
    QTest::newRow("client_secret") << R"({"client_id":"abc","client_secret":"s3cr3t-value"})"
                                   << "s3cr3t-value";
    QTest::newRow("tradovate sec")
        << R"({"name":"u","password":"pw-1","appId":"app","cid":8,"sec":"f03741b6-f634"})"
        << "f03741b6-f634";
    QTest::newRow("access_token")
        << R"({"access_token":"eyJhbGciOi.payload.sig","token_type":"Bearer"})"
        << "eyJhbGciOi.payload.sig";
    QTest::newRow("accessToken")
        << R"({"accessToken":"tok-abc","mdAccessToken":"md-abc","userId":1})"
        << "tok-abc";
    QTest::newRow("mdAccessToken")
        << R"({"accessToken":"tok-abc","mdAccessToken":"md-abc","userId":1})"
        << "md-abc";
    QTest::newRow("refresh_token") << R"({"refresh_token":"rt-1234","expires_in":3600})"
                                   << "rt-1234";
    QTest::newRow("p-ticket") << R"({"p-ticket":"pt-9f8e7d","p-time":15,"p-captcha":true})"
                              << "pt-9f8e7d";
    QTest::newRow("numeric secret") << R"({"pin":1,"password":987654})"
                                    << "987654";
    QTest::newRow("escaped quote in secret") << R"({"password":"a\"b-secret-rest"})"
                                             << "b-secret-rest";
    QTest::newRow("nested") << R"({"credentials":{"user":"u","password":"deep-pw"}})"
                            << "deep-pw";
    QTest::newRow("in an array") << R"({"keys":[{"api_key":"ak-1"},{"api_key":"ak-2"}]})"
                                 << "ak-1";
    QTest::newRow("spaces around colon") << "{\n  \"password\" :  \"spaced-pw\"\n}"
                                         << "spaced-pw";
    QTest::newRow("truncated JSON") << R"({"user":"u","access_token":"eyJhbGciOiJSUzI1NiIsInR5)"
                                    << "eyJhbGciOiJSUzI1NiIsInR5";
    QTest::newRow("id_token") << R"({"id_token":"idt-1"})"
                              << "idt-1";
}

void TestRedactor::jsonBody_secretFieldsAreMasked()
{
    QFETCH(QString, body);
    QFETCH(QString, secret);
    const QString out = Redactor().redactBody(body);
    QVERIFY2(!out.contains(secret), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("[REDACTED]")), qPrintable(out));
}

void TestRedactor::jsonBody_identifiersAndClientIdAreKept_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("kept");

    const QString body = QStringLiteral(
        R"({"client_id":"my-client","accountId":"acc-1","orderId":42,"execId":"ex-9","tradeId":"trd-3",)"
        R"("clOrdId":"cl-7","trace_id":"trx-123","token_type":"Bearer","expires_in":3600,"tokenUrl":"https://a/t",)"
        R"("description":"First Name should be specified","password":"pw"})");
    for (const char *kept :
         {R"("client_id":"my-client")", R"("accountId":"acc-1")", R"("orderId":42)",
          R"("execId":"ex-9")", R"("tradeId":"trd-3")", R"("clOrdId":"cl-7")",
          R"("trace_id":"trx-123")", R"("token_type":"Bearer")", R"("expires_in":3600)",
          R"("tokenUrl":"https://a/t")", R"("description":"First Name should be specified")"})
        QTest::newRow(kept) << body << QString::fromUtf8(kept);
}

void TestRedactor::jsonBody_identifiersAndClientIdAreKept()
{
    QFETCH(QString, body);
    QFETCH(QString, kept);
    const QString out = Redactor().redactBody(body);
    QVERIFY2(out.contains(kept), qPrintable(out));
    QVERIFY(out.contains(QStringLiteral(R"("password":"[REDACTED]")")));
}

void TestRedactor::formBody_secretFieldsAreMasked_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("client credentials grant")
        << "grant_type=client_credentials&client_id=my-client&client_secret=s3cr3t&scope=read"
        << "grant_type=client_credentials&client_id=my-client&client_secret=[REDACTED]&scope=read";
    QTest::newRow("password grant") << "grant_type=password&username=ops&password=hunter2"
                                    << "grant_type=password&username=ops&password=[REDACTED]";
    QTest::newRow("refresh grant") << "grant_type=refresh_token&refresh_token=rt-1"
                                   << "grant_type=refresh_token&refresh_token=[REDACTED]";
    QTest::newRow("percent-encoded name") << "client%5Fsecret=abc&x=1"
                                          << "client%5Fsecret=[REDACTED]&x=1";
    QTest::newRow("nothing secret") << "a=1&b=2&accountId=3"
                                    << "a=1&b=2&accountId=3";
    QTest::newRow("empty secret stays empty") << "password=&user=u"
                                              << "password=&user=u";
}

void TestRedactor::formBody_secretFieldsAreMasked()
{
    QFETCH(QString, body);
    QFETCH(QString, expected);
    QCOMPARE(Redactor().redactBody(body), expected);
}

void TestRedactor::url_queryAndUserInfoAreMasked_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("access_token in query")
        << "https://api.example.test/v1/orders?access_token=abc123&accountId=7"
        << "https://api.example.test/v1/orders?access_token=[REDACTED]&accountId=7";
    QTest::newRow("api_key first") << "https://h/p?api_key=k1"
                                   << "https://h/p?api_key=[REDACTED]";
    QTest::newRow("userinfo password") << "https://ops:pa55word@api.example.test/health"
                                       << "https://ops:[REDACTED]@api.example.test/health";
    QTest::newRow("userinfo and query") << "https://u:p@h/x?token=t&a=1"
                                        << "https://u:[REDACTED]@h/x?token=[REDACTED]&a=1";
    QTest::newRow("user without password kept") << "https://ops@h/x"
                                                << "https://ops@h/x";
    QTest::newRow("plain url kept") << "https://h/orders/42?limit=10&offset=0"
                                    << "https://h/orders/42?limit=10&offset=0";
    QTest::newRow("client_id kept") << "https://h/authorize?client_id=abc&response_type=code"
                                    << "https://h/authorize?client_id=abc&response_type=code";
}

void TestRedactor::url_queryAndUserInfoAreMasked()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(Redactor().redactUrl(url), expected);
}

void TestRedactor::knownSecretValues_areMaskedAnywhere()
{
    Redactor r;
    r.addSecretValue(QStringLiteral("sk_live_ABCDEF123"));
    r.addSecretValue(QStringLiteral("abc")); // too short to mask by value: would hit innocent text
    QCOMPARE(r.redactBody(QStringLiteral("echo: sk_live_ABCDEF123 was wrong")),
             QStringLiteral("echo: [REDACTED] was wrong"));
    QCOMPARE(r.redactHeaderValue(u"X-Debug", QStringLiteral("key=sk_live_ABCDEF123")),
             QStringLiteral("key=[REDACTED]"));
    QCOMPARE(r.redactUrl(QStringLiteral("https://h/sk_live_ABCDEF123/x")),
             QStringLiteral("https://h/[REDACTED]/x"));
    QCOMPARE(r.redactBody(QStringLiteral("abcdef")), QStringLiteral("abcdef"));
    r.clearSecretValues();
    QCOMPARE(r.redactBody(QStringLiteral("sk_live_ABCDEF123")),
             QStringLiteral("sk_live_ABCDEF123"));
}

void TestRedactor::addedFieldName_isRedactedToo()
{
    Redactor r;
    const QString body = QStringLiteral(R"({"account":"a1","tradingPin":"4321","x:y":"v"})");
    QCOMPARE(r.redactBody(body), body);
    r.addSecretFieldName(QStringLiteral("trading_pin"));
    QCOMPARE(r.redactBody(body),
             QStringLiteral(R"({"account":"a1","tradingPin":"[REDACTED]","x:y":"v"})"));
    r.addSecretFieldName(
        QStringLiteral("x:y")); // not alphanumeric: the cheap pre-check must not skip it
    QCOMPARE(r.redactBody(body),
             QStringLiteral(R"({"account":"a1","tradingPin":"[REDACTED]","x:y":"[REDACTED]"})"));
    QCOMPARE(r.redactBody(QStringLiteral("trading-pin=1234&a=b")),
             QStringLiteral("trading-pin=[REDACTED]&a=b"));
}

void TestRedactor::bodiesWithoutSecretNames_areReturnedUnchanged_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("seed 004 envelope")
        << R"({"error_code":"invalid_request","error_type":"validation","message":"invalid request data","trace_id":"trx-123"})";
    QTest::newRow("value that looks like a key")
        << R"({"message":"password is wrong","hint":"reset your token"})";
    QTest::newRow("form without secrets") << "a=1&section=2&seconds=3";
    QTest::newRow("secret-looking words inside values")
        << R"({"description":"the secret sauce","note":"access_token missing"})";
}

void TestRedactor::bodiesWithoutSecretNames_areReturnedUnchanged()
{
    QFETCH(QString, body);
    QCOMPARE(Redactor().redactBody(body), body);
}

void TestRedactor::event_everyPartIsRedacted()
{
    Redactor r;
    r.addSecretValue(QStringLiteral("leaked-secret-42"));
    ApiEvent e;
    e.request = RequestInfo{QStringLiteral("POST"),
                            QStringLiteral("https://u:pw@h/auth?refresh_token=rt"),
                            {{QStringLiteral("Authorization"), QStringLiteral("Bearer abc")}},
                            QStringLiteral(R"({"name":"u","password":"pw","sec":"s"})")};
    e.response = ResponseInfo{{{QStringLiteral("Set-Cookie"), QStringLiteral("sid=1")}},
                              QStringLiteral(R"({"accessToken":"at","userId":5})"),
                              30};
    e.error = ErrorInfo{QStringLiteral("E"),
                        ErrorType::Authentication,
                        QStringLiteral("bad key leaked-secret-42"),
                        {{QStringLiteral("f"), QStringLiteral("leaked-secret-42")}}};
    r.redactEvent(e);
    QCOMPARE(e.request->url,
             QStringLiteral("https://u:[REDACTED]@h/auth?refresh_token=[REDACTED]"));
    QCOMPARE(e.request->headers.front().second, QStringLiteral("Bearer [REDACTED]"));
    QCOMPARE(e.request->body,
             QStringLiteral(R"({"name":"u","password":"[REDACTED]","sec":"[REDACTED]"})"));
    QCOMPARE(e.response->headers.front().second, QStringLiteral("[REDACTED]"));
    QCOMPARE(e.response->body, QStringLiteral(R"({"accessToken":"[REDACTED]","userId":5})"));
    QCOMPARE(e.error->message, QStringLiteral("bad key [REDACTED]"));
    QCOMPARE(e.error->details.front().message, QStringLiteral("[REDACTED]"));
}

void TestRedactor::records_nameWhatWasMaskedButNeverTheValue()
{
    Redactor r;
    r.setRecording(true);
    r.redactBody(QStringLiteral(R"({"password":"hunter2"})"));
    r.redactHeaderValue(u"Authorization", QStringLiteral("Bearer tok"));
    const auto records = r.takeRecords();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records[0].name, QStringLiteral("password"));
    QCOMPARE(records[1].name, QStringLiteral("Authorization"));
    for (const auto &rec : records) {
        QVERIFY(!rec.where.contains(QStringLiteral("hunter2")));
        QVERIFY(!rec.reason.contains(QStringLiteral("hunter2")));
        QVERIFY(!rec.reason.contains(QStringLiteral("tok"))
                || rec.reason.contains(QStringLiteral("token")));
    }
    QVERIFY(r.takeRecords().isEmpty());
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
