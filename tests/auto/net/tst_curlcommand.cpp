// "Copy as curl": a redacted request becomes a curl command with every secret as a $VARIABLE
// named after the endpoint's credential, literal text single-quoted for the shell. The support
// bundle's curl/*.sh scripts wrap the same command line (multiLine, maxTimeSeconds).
#include "curlcommand.h"
#include "curlscriptwriter.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
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
    void hostileRequest_reachesCurlAsExactlyTheRecordedArguments_data();
    void hostileRequest_reachesCurlAsExactlyTheRecordedArguments();
    void hostileRequest_scriptFileToo();
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
                                         "  --url 'http://h/a?token='\"$HDECK_SECRET_TOKEN\" \\\n"
                                         "  -H 'Accept: */*' \\\n"
                                         "  --data-raw 'a=1'"));
    QCOMPARE(c.variables(), QStringList{QStringLiteral("HDECK_SECRET_TOKEN")});
    // The console's default: one line, the variables named first, no --max-time.
    const QString line = CurlCommand::fromEvent(e).command();
    QCOMPARE(line,
             QStringLiteral("# set first: $HDECK_SECRET_TOKEN\n"
                            "curl -sS -i -X 'PUT' --url 'http://h/a?token='\"$HDECK_SECRET_TOKEN\" "
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

// Runs script in bash with curl replaced by a function that prints each argument NUL-terminated,
// so the test sees exactly the argv curl would get. sentinel must not exist afterwards.
static QStringList curlArgv(const QString &script, const QTemporaryDir &dir, QString *error)
{
    const QString path = dir.filePath(QStringLiteral("run.sh"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(script.toUtf8());
    f.close();
    QProcess syntax;
    syntax.start(QStringLiteral("bash"), {QStringLiteral("-n"), path});
    if (!syntax.waitForFinished(10000) || syntax.exitCode() != 0) {
        *error = QStringLiteral("bash -n: ") + QString::fromUtf8(syntax.readAllStandardError());
        return {};
    }
    QProcess run;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HDECK_SECRET_PASSWORD"), QStringLiteral("pw$(x)'"));
    env.insert(QStringLiteral("HDECK_SECRET_X_EVIL"), QStringLiteral("hv"));
    run.setProcessEnvironment(env);
    run.setWorkingDirectory(dir.path());
    run.start(
        QStringLiteral("bash"),
        {QStringLiteral("-c"),
         QStringLiteral("curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }; . \"$1\""),
         QStringLiteral("_"), path});
    if (!run.waitForFinished(10000) || run.exitCode() != 0) {
        *error = QStringLiteral("bash: ") + QString::fromUtf8(run.readAllStandardError());
        return {};
    }
    QStringList argv;
    for (const QByteArray &a : run.readAllStandardOutput().split('\0'))
        argv << QString::fromUtf8(a);
    argv.removeLast(); // after the final NUL
    return argv;
}

void TestCurlCommand::hostileRequest_reachesCurlAsExactlyTheRecordedArguments_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("headerValue");
    QTest::addColumn<QString>("body");
    QTest::newRow("url is an option")
        << QStringLiteral("-o/tmp/pwned") << QStringLiteral("v") << QString();
    QTest::newRow("url with -K") << QStringLiteral("-K/etc/passwd") << QStringLiteral("v")
                                 << QStringLiteral("-d@/etc/passwd");
    QTest::newRow("command substitution")
        << QStringLiteral("https://h/$(touch sentinel)/`touch sentinel`")
        << QStringLiteral("$(touch sentinel) `touch sentinel` ${HOME}")
        << QStringLiteral("'; touch sentinel; echo '");
    QTest::newRow("quotes and backslashes")
        << QStringLiteral("https://h/a'b\\c\"d") << QStringLiteral("it's \\' \"x\"")
        << QStringLiteral("{\"name\":\"o'neil\\\\'\",\"password\":\"[REDACTED]\"}");
    QTest::newRow("newlines") << QStringLiteral("https://h/a\ntouch sentinel")
                              << QStringLiteral("a\r\nX-Injected: 1")
                              << QStringLiteral("l1\nl2\n'\n");
}

void TestCurlCommand::hostileRequest_reachesCurlAsExactlyTheRecordedArguments()
{
    QFETCH(QString, url);
    QFETCH(QString, headerValue);
    QFETCH(QString, body);
    if (QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
        QSKIP("bash is not installed");
    const ApiEvent e
        = eventWith(QStringLiteral("POST"), url, {{QStringLiteral("X-Evil"), headerValue}}, body);
    QTemporaryDir dir;
    for (bool multiLine : {false, true}) {
        CurlCommand::Options options;
        options.multiLine = multiLine;
        const CurlCommand c = CurlCommand::fromEvent(e, options);
        QVERIFY(c.isValid());
        QString error;
        const QStringList argv = curlArgv(c.command() + u'\n', dir, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error + u'\n' + c.command()));
        QString expectedBody = body;
        expectedBody.replace(QStringLiteral("[REDACTED]"), QStringLiteral("pw$(x)'"));
        QString expectedHeader = QStringLiteral("X-Evil: ") + headerValue;
        expectedHeader.replace(u'\r', u' ').replace(u'\n', u' ');
        QStringList expected{QStringLiteral("-sS"),  QStringLiteral("-i"),    QStringLiteral("-X"),
                             QStringLiteral("POST"), QStringLiteral("--url"), url,
                             QStringLiteral("-H"),   expectedHeader};
        if (!body.isEmpty())
            expected << QStringLiteral("--data-raw") << expectedBody;
        QCOMPARE(argv, expected);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("sentinel"))));
    }
}

void TestCurlCommand::hostileRequest_scriptFileToo()
{
    // The support bundle's script wraps the same command with comments made of event fields.
    if (QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
        QSKIP("bash is not installed");
    ApiEvent e = eventWith(QStringLiteral("GET"), QStringLiteral("-o/tmp/pwned"), {});
    e.id = QStringLiteral("id\ntouch sentinel");
    e.endpoint = QStringLiteral("ep\rtouch sentinel\n$(touch sentinel)");
    e.networkError = QStringLiteral("\ntouch sentinel");
    e.error = ErrorInfo{};
    e.error->message = QStringLiteral("msg\n$(touch sentinel)\ntouch sentinel");
    e.retry.advice = QStringLiteral("advice\r\ntouch sentinel");
    QTemporaryDir dir;
    QString error;
    const QString script = QString::fromUtf8(CurlScriptWriter::write(e, 1, nullptr).text);
    const QStringList argv = curlArgv(script, dir, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(argv, (QStringList{QStringLiteral("-sS"), QStringLiteral("-i"),
                                QStringLiteral("--max-time"), QStringLiteral("30"),
                                QStringLiteral("--url"), QStringLiteral("-o/tmp/pwned")}));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("sentinel"))));
}

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
