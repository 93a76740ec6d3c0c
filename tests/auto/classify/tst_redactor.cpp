// The one redaction engine (DESIGN §7): secrets never leave, identifiers a support desk needs stay.

#include "classifier.h"
#include "clock.h"
#include "eventjson.h"
#include "profileregistry.h"
#include "redactor.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

#include <limits>

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

    // Issue #16 regressions.
    void longStringBeforeSecret_isMasked_data();
    void longStringBeforeSecret_isMasked();
    void longStringBeforeSecret_isMaskedInTheClassifiedEvent();
    void missedFieldNames_areMasked_data();
    void missedFieldNames_areMasked();
    void nestedValueUnderSecretKey_isMaskedWhole_data();
    void nestedValueUnderSecretKey_isMaskedWhole();
    void redactedJson_staysValidJson();
    void multipartPart_isMasked();
    void urlForms_areMasked_data();
    void urlForms_areMasked();
    void missedHeaders_areMasked_data();
    void missedHeaders_areMasked();
    void heldValue_isMaskedInEveryEncoding_data();
    void heldValue_isMaskedInEveryEncoding();
    void escapedJsonInsideAString_isMasked_data();
    void escapedJsonInsideAString_isMasked();
    void errorDetails_withSecrets_areMasked();
    void tooLongBody_failsClosed();
    void heldValues_expireAfterGrace();
    void heldValues_permanentWinsAndLaterExpiryWins();
    void secretLookingProse_isKept_data();
    void secretLookingProse_isKept();
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
    // User info without a password is a token as often as a name (https://ghp_x@github.com).
    QTest::newRow("user info without password masked") << "https://ops@h/x"
                                                       << "https://[REDACTED]@h/x";
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

// ---- issue #16 regressions ----

void TestRedactor::longStringBeforeSecret_isMasked_data()
{
    QTest::addColumn<QString>("body");
    const QString blob(30000, u'a');
    QTest::newRow("30,000 a then refresh_token")
        << QStringLiteral(R"({"blob":"%1","refresh_token":"RT-SECRET"})").arg(blob);
    QTest::newRow("300 a then refresh_token")
        << QStringLiteral(R"({"blob":"%1","refresh_token":"RT-SECRET"})").arg(QString(300, u'a'));
    QTest::newRow("30,000 escaped quotes before")
        << QStringLiteral(R"({"blob":"%1","password":"RT-SECRET"})")
               .arg(QString(QStringLiteral("\\\"")).repeated(15000));
    QTest::newRow("unbalanced quote before") << QStringLiteral(R"(x"y {"password":"RT-SECRET"})");
    QTest::newRow("form after 30,000 chars")
        << QStringLiteral("a=%1&client_secret=RT-SECRET").arg(blob);
}

void TestRedactor::longStringBeforeSecret_isMasked()
{
    QFETCH(QString, body);
    const QString out = Redactor().redactBody(body);
    QVERIFY2(!out.contains(QStringLiteral("RT-SECRET")), qPrintable(out.right(200)));
    QVERIFY(out.contains(Redactor::Mask));
}

void TestRedactor::longStringBeforeSecret_isMaskedInTheClassifiedEvent()
{
    // The path of `hdeck classify --status 200 --body-file b.json`.
    const Classifier classifier(std::make_shared<ProfileRegistry>());
    ClassifyInput in;
    in.status = 200;
    in.headers = {{"Content-Type", "application/json"}};
    in.body = "{\"blob\":\"" + QByteArray(30000, 'a') + "\",\"refresh_token\":\"RT-SECRET\"}";
    in.nowMs = 1795298400000;
    ApiEvent e;
    classifier.classify(in, e);
    const std::string json = toJsonLine(e).toStdString();
    QVERIFY(json.find("RT-SECRET") == std::string::npos);
    QVERIFY(json.find("[REDACTED]") != std::string::npos);
}

void TestRedactor::missedFieldNames_areMasked_data()
{
    QTest::addColumn<QString>("body");
    for (const char *key :
         {"Authorization", "authorization", "cookie", "Cookie", "key", "signature", "sig",
          "passphrase", "jwt", "credentials", "api-key", "x_amz_signature", "aws_secret_access_key",
          "privateKey", "ws_passphrase", "set-cookie", "sessionId"}) {
        const QString k = QString::fromLatin1(key);
        QTest::newRow(qPrintable(QStringLiteral("json ") + k))
            << QStringLiteral(R"({"id":1,"%1":"S3CRET-VALUE","n":2})").arg(k);
        QTest::newRow(qPrintable(QStringLiteral("form ") + k))
            << QStringLiteral("id=1&%1=S3CRET-VALUE&n=2").arg(k);
        QTest::newRow(qPrintable(QStringLiteral("python ") + k))
            << QStringLiteral("invalid params: {'%1': 'S3CRET-VALUE'}").arg(k);
    }
    QTest::newRow("header line in text")
        << QStringLiteral("GET / HTTP/1.1\r\nAuthorization: Bearer S3CRET-VALUE\r\nX: y\r\n");
    QTest::newRow("yaml") << QStringLiteral("user: ops\npassword: S3CRET-VALUE\n");
    QTest::newRow("js object literal") << QStringLiteral("{user: 'u', token: S3CRET-VALUE}");
    QTest::newRow("header line inside a JSON string")
        << QStringLiteral(R"({"raw":"Private-Token: S3CRET-VALUE\nAccept: text/plain"})");
    QTest::newRow("php-style form name") << QStringLiteral("user[password]=S3CRET-VALUE&a=1");
    QTest::newRow("dotted name") << QStringLiteral(R"({"creds.key":"S3CRET-VALUE"})");
    QTest::newRow("escaped name") << QStringLiteral(R"({"pass\u0077ord":"S3CRET-VALUE"})");
}

void TestRedactor::missedFieldNames_areMasked()
{
    QFETCH(QString, body);
    const QString out = Redactor().redactBody(body);
    QVERIFY2(!out.contains(QStringLiteral("S3CRET")), qPrintable(out));
}

void TestRedactor::nestedValueUnderSecretKey_isMaskedWhole_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("object") << R"({"credentials":{"user":"u","pin":"S3"},"id":7})"
                            << R"({"credentials":"[REDACTED]","id":7})";
    QTest::newRow("array") << R"({"keys":1,"api_key":["S1","S2"],"id":7})"
                           << R"({"keys":1,"api_key":"[REDACTED]","id":7})";
    QTest::newRow("deep") << R"({"auth":{"a":[{"b":{"c":"S3"}}],"d":"}"},"id":7})"
                          << R"({"auth":"[REDACTED]","id":7})";
    QTest::newRow("truncated") << R"({"id":7,"token":{"a":"S3","b":[1,2)"
                               << R"({"id":7,"token":"[REDACTED]")";
    QTest::newRow("number") << R"({"pin":1,"password":987654})"
                            << R"({"pin":1,"password":"[REDACTED]"})";
    QTest::newRow("null kept") << R"({"password":null,"token":true})"
                               << R"({"password":null,"token":true})";
}

void TestRedactor::nestedValueUnderSecretKey_isMaskedWhole()
{
    QFETCH(QString, body);
    QFETCH(QString, expected);
    QCOMPARE(Redactor().redactBody(body), expected);
}

void TestRedactor::redactedJson_staysValidJson()
{
    Redactor r;
    r.addSecretValue(QStringLiteral("held\"/value\\x"));
    const QString body = QStringLiteral(
        R"({"a":"x held\"\/value\\x y","password":"p\"w\\","n":{"jwt":[1,{"k":"v"}]},)"
        R"("s":"{\"token\":\"t\\\"q\"}","url":"https:\/\/u:pw@h\/?sig=abc\u0026x=1"})");
    QJsonParseError err;
    QJsonDocument::fromJson(body.toUtf8(), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    const QString out = r.redactBody(body);
    const QJsonDocument doc = QJsonDocument::fromJson(out.toUtf8(), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(out));
    for (const char *gone : {"held", "p\\\"w", "\\\\\\\"q", "pw@", "abc"})
        QVERIFY2(!out.contains(QLatin1String(gone)), gone);
    QCOMPARE(doc.object().value(QStringLiteral("password")).toString(), Redactor::Mask);
}

void TestRedactor::multipartPart_isMasked()
{
    const QString body
        = QStringLiteral("--XyZ\r\n"
                         "Content-Disposition: form-data; name=\"username\"\r\n\r\n"
                         "ops\r\n"
                         "--XyZ\r\n"
                         "Content-Disposition: form-data; name=\"password\"\r\n"
                         "Content-Type: text/plain\r\n\r\n"
                         "--S3CRET line one\r\nS3CRET line two\r\n"
                         "--XyZ\r\n"
                         "content-disposition: form-data; name*=UTF-8''client%5Fsecret\r\n\r\n"
                         "S3CRET-3\r\n"
                         "--XyZ--\r\n");
    const QString out = Redactor().redactBody(body);
    QVERIFY2(!out.contains(QStringLiteral("S3CRET")), qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("\r\n\r\nops\r\n--XyZ\r\n")));
    QVERIFY(out.contains(QStringLiteral("text/plain\r\n\r\n[REDACTED]\r\n--XyZ\r\n")));
    // Cut off inside the secret part: masked to the end.
    const QString cut = body.left(body.indexOf(QStringLiteral("S3CRET line two")));
    QVERIFY(!Redactor().redactBody(cut).contains(QStringLiteral("S3CRET")));
}

void TestRedactor::urlForms_areMasked_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("token as user info") << "https://ghp_x1234@github.com/o/r.git"
                                        << "https://[REDACTED]@github.com/o/r.git";
    QTest::newRow("fragment access_token")
        << "https://app/cb#access_token=S3&token_type=bearer&expires_in=60"
        << "https://app/cb#access_token=[REDACTED]&token_type=bearer&expires_in=60";
    QTest::newRow("sig") << "https://h/blob?sv=2020&sig=S3%2Bx&se=1"
                         << "https://h/blob?sv=2020&sig=[REDACTED]&se=1";
    QTest::newRow("X-Amz-Signature")
        << "https://b.s3/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=S3ab&X-Amz-Expires=60"
        << "https://b.s3/k?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Expires=60";
    QTest::newRow("percent-encoded JSON in query")
        << "https://h/p?data=%7B%22password%22%3A%22S3%22%7D&a=1"
        << "https://h/p?data=%7B%22password%22%3A%22[REDACTED]%22%7D&a=1";
}

void TestRedactor::urlForms_areMasked()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(Redactor().redactUrl(url), expected);
    // The same URL inside a body or a header is masked too.
    QVERIFY(!Redactor().redactBody(QStringLiteral("see ") + url + u' ').contains(u"S3"));
    QVERIFY(!Redactor().redactHeaderValue(u"Location", url).contains(QStringLiteral("ghp_x1234")));
}

void TestRedactor::missedHeaders_areMasked_data()
{
    QTest::addColumn<QString>("name");
    for (const char *h :
         {"Access-Token", "Private-Token", "APCA-API-SECRET-KEY", "CB-ACCESS-PASSPHRASE",
          "KC-API-PASSPHRASE", "OK-ACCESS-PASSPHRASE", "CB-ACCESS-SIGN", "X-Signature",
          "X-MBX-APIKEY", "CB-ACCESS-KEY", "X-Vault-Token", "X-Amz-Security-Token", "Set-Cookie"})
        QTest::newRow(h) << QString::fromLatin1(h);
}

void TestRedactor::missedHeaders_areMasked()
{
    QFETCH(QString, name);
    const Redactor r;
    QVERIFY(r.isSecretHeader(name));
    QCOMPARE(r.redactHeaderValue(name, QStringLiteral("S3CRET-VALUE")), Redactor::Mask);
    // In a JSON dump of headers (an echo service, a HAR) too.
    QVERIFY(!r.redactBody(QStringLiteral(R"({"headers":{"%1":"S3CRET-VALUE"}})").arg(name))
                 .contains(QStringLiteral("S3CRET")));
}

void TestRedactor::heldValue_isMaskedInEveryEncoding_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("text");
    const QString v = QStringLiteral("s3/cr\"t+val ue\\é");
    QTest::newRow("raw") << v << QStringLiteral("x ") + v + u'!';
    QTest::newRow("percent") << v
                             << QStringLiteral("?x=")
                                    + QString::fromLatin1(QUrl::toPercentEncoding(v));
    QTest::newRow("percent lower-case hex")
        << v << QStringLiteral("?x=") + QString::fromLatin1(QUrl::toPercentEncoding(v)).toLower();
    QTest::newRow("form plus") << QStringLiteral("pass phrase1") << "q=pass+phrase1&b=2";
    QTest::newRow("base64") << v
                            << QStringLiteral("Basic ")
                                   + QString::fromLatin1(v.toUtf8().toBase64());
    QTest::newRow("base64url") << v
                               << QString::fromLatin1(
                                      v.toUtf8().toBase64(QByteArray::Base64UrlEncoding
                                                          | QByteArray::OmitTrailingEquals));
    for (int k = 1; k <= 2; ++k)
        QTest::newRow(qPrintable(QStringLiteral("base64 at byte offset %1").arg(k)))
            << QStringLiteral("sk_live_0123456789")
            << QStringLiteral("Basic ")
                   + QString::fromLatin1(
                       QByteArray(QByteArray(k, 'u') + ":sk_live_0123456789").toBase64());
    QTest::newRow("json escaped \\/ and \\\"")
        << v << QStringLiteral(R"({"m":"s3\/cr\"t+val ue\\\u00e9"})");
    QTest::newRow("json escaped without \\/")
        << v << QStringLiteral(R"({"m":"s3/cr\"t+val ue\\é"})");
    QTest::newRow("every char \\u-escaped")
        << QStringLiteral("tok-1234")
        << QStringLiteral(R"({"m":"\u0074\u006F\u006b\u002d\u0031\u0032\u0033\u0034"})");
    QTest::newRow("mixed escapes")
        << QStringLiteral("a/b/c/d") << QStringLiteral(R"({"m":"a\/b/c\u002fd"})");
    QTest::newRow("percent inside JSON")
        << v
        << QStringLiteral(R"({"u":"?x=)") + QString::fromLatin1(QUrl::toPercentEncoding(v))
               + u"\"}";
    QTest::newRow("html escaped") << v << QStringLiteral("<td>") + v.toHtmlEscaped() + u"</td>";
    QTest::newRow("html numeric") << QStringLiteral("ab<cd>ef")
                                  << QStringLiteral("<p>ab&#60;cd&#x3e;ef</p>");
}

void TestRedactor::heldValue_isMaskedInEveryEncoding()
{
    QFETCH(QString, value);
    QFETCH(QString, text);
    Redactor r;
    r.addSecretValue(value);
    for (const QString &out : {r.redactBody(text), r.maskKnownValues(text)}) {
        QVERIFY2(out.contains(Redactor::Mask), qPrintable(out));
        QVERIFY2(!out.contains(value), qPrintable(out));
        QVERIFY2(out.size() < text.size() || text.size() < 12, qPrintable(out));
    }
    // Nothing of a percent-, base64- or JSON-escaped form is left to decode.
    const QString out = r.redactBody(text);
    QVERIFY2(!out.contains(QStringLiteral("s3")) || value != QStringLiteral("s3/cr\"t+val ue\\é"),
             qPrintable(out));
}

void TestRedactor::escapedJsonInsideAString_isMasked_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("level 1") << QStringLiteral(
        R"({"message":"{\"refresh_token\":\"S3CRET\",\"a\":1}"})");
    QTest::newRow("level 1 escaped quote inside")
        << QStringLiteral(R"({"m":"{\"password\":\"S3\\\"CRET\"}"})");
    QTest::newRow("level 2") << QStringLiteral(
        R"({"a":"{\"b\":\"{\\\"token\\\":\\\"S3CRET\\\"}\"}"})");
    QTest::newRow("level 1 object")
        << QStringLiteral(R"({"m":"{\"credentials\":{\"u\":\"S3CRET\"},\"n\":1}"})");
    QTest::newRow("form in a JSON string")
        << QStringLiteral(R"({"body":"grant_type=password&password=S3CRET&x=1"})");
    QTest::newRow("form with escaped ampersand")
        << QStringLiteral(R"({"q":"a=1\u0026token=S3CRET\u0026b=2"})");
}

void TestRedactor::escapedJsonInsideAString_isMasked()
{
    QFETCH(QString, body);
    const QString out = Redactor().redactBody(body);
    QVERIFY2(!out.contains(QStringLiteral("S3")), qPrintable(out));
    QJsonParseError err;
    QJsonDocument::fromJson(out.toUtf8(), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(out));
}

void TestRedactor::errorDetails_withSecrets_areMasked()
{
    Redactor r;
    r.addSecretValue(QStringLiteral("held-token-77"));
    ApiEvent e;
    e.error
        = ErrorInfo{QStringLiteral("code held-token-77"),
                    ErrorType::Validation,
                    QStringLiteral("rejected: password=S3CRET-1 for {\"api_key\":\"S3CRET-2\"}"),
                    {{QStringLiteral("password"), QStringLiteral("S3CRET-3")},
                     {QStringLiteral("client_secret"), QStringLiteral("S3CRET-4")},
                     {QStringLiteral("qty"), QStringLiteral("token: S3CRET-5")},
                     {QStringLiteral("held-token-77"), QStringLiteral("must be > 0")}}};
    e.identifiers.traceId = QStringLiteral("held-token-77");
    e.identifiers.orderId = QStringLiteral("ord-1");
    e.networkError = QStringLiteral("https://u:S3CRET-6@h failed");
    r.redactEvent(e);
    const std::string json = toJsonLine(e).toStdString();
    QVERIFY2(json.find("S3CRET") == std::string::npos, json.c_str());
    QVERIFY2(json.find("held-token") == std::string::npos, json.c_str());
    QCOMPARE(e.error->details[0].field, QStringLiteral("password"));
    QCOMPARE(e.error->details[0].message, Redactor::Mask);
    QCOMPARE(e.error->details[3].message, QStringLiteral("must be > 0"));
    QCOMPARE(e.identifiers.orderId, QStringLiteral("ord-1"));
}

void TestRedactor::tooLongBody_failsClosed()
{
    Redactor r;
    r.setRecording(true);
    const QString body = QStringLiteral(R"({"a":"b"})") + QString(Redactor::MaxScanChars, u'x');
    const QString out = r.redactBody(body);
    QVERIFY(Redactor::isIncompleteScanMask(out));
    QVERIFY(out.contains(QStringLiteral("could not be scanned completely")));
    QVERIFY(out.size() < 200);
    const auto records = r.takeRecords();
    QCOMPARE(records.size(), 1);
    QVERIFY(records[0].reason.contains(QStringLiteral("could not be scanned completely")));
    // Exactly at the limit it is still scanned.
    const QString atLimit
        = QString(Redactor::MaxScanChars - 20, u' ') + QStringLiteral("password=S3CRET");
    const QString scanned = r.redactBody(atLimit);
    QVERIFY(!Redactor::isIncompleteScanMask(scanned));
    QVERIFY(!scanned.contains(QStringLiteral("S3CRET")));
}

void TestRedactor::heldValues_expireAfterGrace()
{
    ManualClock clock;
    Redactor r(clock);
    r.setExpiryGraceMs(60000);
    r.addSecretValue(QStringLiteral("token-expiring-1"), 1000);
    r.addSecretValue(QStringLiteral("static-secret-1"));
    QCOMPARE(r.secretValueCount(), 2);
    clock.advance(1000 + 60000);
    QCOMPARE(r.pruneExpiredValues(), 0); // not past expiry + grace yet
    QCOMPARE(r.redactBody(QStringLiteral("token-expiring-1")), Redactor::Mask);
    clock.advance(1);
    QCOMPARE(r.pruneExpiredValues(), 1);
    QCOMPARE(r.secretValueCount(), 1);
    QCOMPARE(r.redactBody(QStringLiteral("token-expiring-1")), QStringLiteral("token-expiring-1"));
    QCOMPARE(r.redactBody(QStringLiteral("static-secret-1")), Redactor::Mask);
    // A new token prunes the old ones on its way in: the list does not grow with refreshes.
    for (int i = 0; i < 100; ++i) {
        r.addSecretValue(QStringLiteral("refreshed-token-%1").arg(i), 1000);
        clock.advance(70000);
    }
    QCOMPARE(r.secretValueCount(), 2);
}

void TestRedactor::heldValues_permanentWinsAndLaterExpiryWins()
{
    ManualClock clock;
    Redactor r(clock);
    r.setExpiryGraceMs(0);
    r.addSecretValue(QStringLiteral("value-a-123"));
    r.addSecretValue(QStringLiteral("value-a-123"), 10);
    r.addSecretValue(QStringLiteral("value-b-123"), 10);
    r.addSecretValue(QStringLiteral("value-b-123"), 5000);
    r.addSecretValue(QStringLiteral("value-b-123"), 20);
    clock.advance(4000);
    QCOMPARE(r.pruneExpiredValues(), 0);
    clock.advance(1001);
    QCOMPARE(r.pruneExpiredValues(), 1);
    QCOMPARE(r.redactBody(QStringLiteral("value-a-123")), Redactor::Mask);
    r.addSecretValue(QStringLiteral("huge-lifetime"), std::numeric_limits<qint64>::max());
    QCOMPARE(r.redactBody(QStringLiteral("huge-lifetime")), Redactor::Mask);
}

void TestRedactor::secretLookingProse_isKept_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("oauth error prose")
        << "invalid_token: The access token expired, request a new token: see docs";
    QTest::newRow("token_type and expires_in")
        << R"({"token_type":"Bearer","expires_in":3600,"scope":"read"})";
    QTest::newRow("design is not a signature") << R"({"design":"blue","campaign":"x"})";
    QTest::newRow("idempotency key header value")
        << "Idempotency-Key: 7f1c\nX-Request-Id: r-1\nAPCA-API-KEY-ID: AK1\n";
    QTest::newRow("times and ports") << "at 12:30:45 on https://h:8443/p?limit=10";
    QTest::newRow("access key id") << R"({"access_key_id":"AKIA1","accountId":"a"})";
}

void TestRedactor::secretLookingProse_isKept()
{
    QFETCH(QString, text);
    QCOMPARE(Redactor().redactBody(text), text);
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
