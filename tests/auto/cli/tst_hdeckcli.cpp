// hdeck as other tools call it (DESIGN §5): exit codes, one clear error line, JSON on stdout.
#include "eventjson.h"
#include "healthdeck/version.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>

#include <QTest>
#include <nlohmann/json.hpp>

using namespace hd;
using hd::test::runHdeck;

class TestHdeckCli : public QObject
{
    Q_OBJECT
private slots:
    void version_printsVersionAndQt();
    void help_listsCommands();
    void unknownCommand_isUsageError();
    void classify_printsOneEvent();
    void classify_usageErrorsExitTwoWithOneLine_data();
    void classify_usageErrorsExitTwoWithOneLine();
    void classify_networkError();
    void classify_bodyFileFromStdin();
    void classify_hugeAndDeepBodiesDoNotCrash();
    void classify_missingBodyFileIsFailure();
    void classify_explainAddsOneMemberNamingTheRules();
    void classify_harClassifiesEveryEntry();
    void classify_badHarIsOneLineFailure_data();
    void classify_badHarIsOneLineFailure();
    void profiles_listsBuiltIns();
    void profiles_brokenUserProfileNamesFileAndProblem();
    void probe_printsOneLinePerAttempt();
    void probe_badUrlIsUsageError();
};

static ApiEvent parseEvent(const QByteArray &line)
{
    const auto r = eventFromJsonText(line.trimmed());
    if (!r.event)
        qWarning("not an event: %s (%s)", line.constData(), qPrintable(r.error));
    return r.event.value_or(ApiEvent{});
}

void TestHdeckCli::version_printsVersionAndQt()
{
    const auto r = runHdeck({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("hdeck " HEALTHDECK_VERSION));
    QVERIFY(r.out.contains("Qt 6."));
}

void TestHdeckCli::help_listsCommands()
{
    const auto r = runHdeck({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *c : {"classify", "probe", "profiles"})
        QVERIFY2(r.out.contains(c), c);
    const auto h = runHdeck({QStringLiteral("classify"), QStringLiteral("--help")});
    QCOMPARE(h.exitCode, 0);
    QVERIFY(h.out.contains("--network-error"));
}

void TestHdeckCli::unknownCommand_isUsageError()
{
    const auto r = runHdeck({QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.contains("frobnicate"));
}

void TestHdeckCli::classify_printsOneEvent()
{
    const auto r = runHdeck(
        {QStringLiteral("classify"), QStringLiteral("--profile"), QStringLiteral("error-envelope"),
         QStringLiteral("--status"), QStringLiteral("423"), QStringLiteral("--header"),
         QStringLiteral("X-Request-Id: abc"), QStringLiteral("--body"),
         QStringLiteral(
             R"({"error_code":"resource_locked","error_type":"concurrency","message":"locked","trace_id":"trx-123"})")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), 1);
    const ApiEvent e = parseEvent(r.out);
    HD_COMPARE_ENUM(e.category, Category::Locked);
    HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryBackoff);
    QCOMPARE(e.identifiers.traceId, QStringLiteral("trx-123"));
    QCOMPARE(e.error->code, QStringLiteral("resource_locked"));
}

void TestHdeckCli::classify_usageErrorsExitTwoWithOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no status") << QStringList{};
    QTest::newRow("bad status") << QStringList{QStringLiteral("--status"), QStringLiteral("abc")};
    QTest::newRow("status out of range")
        << QStringList{QStringLiteral("--status"), QStringLiteral("42")};
    QTest::newRow("unknown profile")
        << QStringList{QStringLiteral("--status"), QStringLiteral("500"),
                       QStringLiteral("--profile"), QStringLiteral("nope")};
    QTest::newRow("bad header") << QStringList{QStringLiteral("--status"), QStringLiteral("500"),
                                               QStringLiteral("--header"),
                                               QStringLiteral("no colon")};
    QTest::newRow("unknown network error")
        << QStringList{QStringLiteral("--network-error"), QStringLiteral("EWHATEVER")};
    QTest::newRow("body and body-file") << QStringList{
        QStringLiteral("--status"), QStringLiteral("500"),         QStringLiteral("--body"),
        QStringLiteral("x"),        QStringLiteral("--body-file"), QStringLiteral("-")};
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--stauts"), QStringLiteral("500")};
}

void TestHdeckCli::classify_usageErrorsExitTwoWithOneLine()
{
    QFETCH(QStringList, args);
    const auto r = runHdeck(QStringList{QStringLiteral("classify")} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.startsWith("hdeck: "));
}

void TestHdeckCli::classify_networkError()
{
    const auto r = runHdeck({QStringLiteral("classify"), QStringLiteral("--network-error"),
                             QStringLiteral("ECONNRESET")});
    QCOMPARE(r.exitCode, 0);
    const ApiEvent e = parseEvent(r.out);
    HD_COMPARE_ENUM(e.category, Category::ConnectionReset);
    QCOMPARE(e.networkError, QStringLiteral("ECONNRESET"));
    QVERIFY(!e.httpStatus);
}

void TestHdeckCli::classify_bodyFileFromStdin()
{
    const auto r = runHdeck(
        {QStringLiteral("classify"), QStringLiteral("--status"), QStringLiteral("200"),
         QStringLiteral("--profile"), QStringLiteral("tradovate"), QStringLiteral("--body-file"),
         QStringLiteral("-")},
        30000, R"({"failureReason":"MaxPosLimitReached","failureText":"limit","orderId":9})");
    QCOMPARE(r.exitCode, 0);
    const ApiEvent e = parseEvent(r.out);
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    QCOMPARE(e.error->code, QStringLiteral("MaxPosLimitReached"));
    QCOMPARE(e.identifiers.orderId, QStringLiteral("9"));
}

void TestHdeckCli::classify_hugeAndDeepBodiesDoNotCrash()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString deep = dir.filePath(QStringLiteral("deep.json"));
    {
        QFile f(deep);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(200000, '[') + QByteArray(200000, ']'));
    }
    auto r = runHdeck({QStringLiteral("classify"), QStringLiteral("--status"),
                       QStringLiteral("500"), QStringLiteral("--body-file"), deep});
    QCOMPARE(r.exitCode, 0);
    ApiEvent e = parseEvent(r.out);
    HD_COMPARE_ENUM(e.category, Category::InternalError);
    QVERIFY(e.response->body.size() < 70 * 1024);
    QCOMPARE(e.response->size, 400000);

    const QString big = dir.filePath(QStringLiteral("big.json"));
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"error_code":"internal_server_error","message":")"
                + QByteArray(6 * 1024 * 1024, 'a') + "\"}");
    }
    r = runHdeck({QStringLiteral("classify"), QStringLiteral("--status"), QStringLiteral("500"),
                  QStringLiteral("--body-file"), big});
    QCOMPARE(r.exitCode, 0);
    e = parseEvent(r.out);
    QCOMPARE(e.error->code, QStringLiteral("internal_server_error"));
    QVERIFY(r.out.size() < 200 * 1024); // body capped for display, message capped too
}

void TestHdeckCli::classify_missingBodyFileIsFailure()
{
    const auto r
        = runHdeck({QStringLiteral("classify"), QStringLiteral("--status"), QStringLiteral("500"),
                    QStringLiteral("--body-file"), QStringLiteral("/nonexistent/body.json")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("/nonexistent/body.json"));
}

void TestHdeckCli::classify_explainAddsOneMemberNamingTheRules()
{
    const QStringList args{QStringLiteral("classify"), QStringLiteral("--status"),
                           QStringLiteral("200"), QStringLiteral("--body"),
                           QStringLiteral(R"({"errorText":"Access is denied","ok":false})")};
    const auto plain = runHdeck(args);
    QCOMPARE(plain.exitCode, 0);
    QVERIFY(!plain.out.contains("\"explain\""));

    const auto r = runHdeck(args + QStringList{QStringLiteral("--explain")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), 1); // still one event on stdout
    const ApiEvent e = parseEvent(r.out);
    HD_COMPARE_ENUM(e.category, Category::BusinessRejected);
    const auto j = nlohmann::json::parse(r.out.toStdString());
    const auto &x = j.at("explain");
    QCOMPARE(x.at("category").get<std::string>(),
             std::string("tradovate:/businessFailure/0 (/ok = false) → business_rejected"));
    QCOMPARE(x.at("message").get<std::string>(),
             std::string("tradovate:/fields/message/2 (/errorText)"));
    QVERIFY(x.at("profile").get<std::string>().find("tradovate (auto: shape") == 0);
    QVERIFY(!x.at("retry").get<std::string>().empty());
}

void TestHdeckCli::classify_harClassifiesEveryEntry()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.har"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"log":{"version":"1.2","creator":{"name":"Firefox","version":"128"},"entries":[
 {"startedDateTime":"2026-11-21T22:00:00.000Z","time":12.5,
  "request":{"method":"GET","url":"https://api.example.test/v1/orders","headers":[{"name":"Authorization","value":"Bearer abc.def.ghi"}]},
  "response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":19,"mimeType":"application/json","text":"{\"retCode\":0,\"retMsg\":\"OK\"}"}}},
 {"startedDateTime":"2026-11-21T22:00:01.000Z","time":3,
  "request":{"method":"POST","url":"https://api.example.test/v1/order","headers":[]},
  "response":{"status":429,"headers":[{"name":"Retry-After","value":"7"}],"content":{"size":0,"mimeType":"text/plain"}}},
 {"startedDateTime":"2026-11-21T22:00:02.000Z","time":40,
  "request":{"method":"GET","url":"https://api.example.test/v1/q","headers":[]},
  "response":{"status":200,"headers":[],"content":{"mimeType":"application/json","encoding":"base64","text":"eyJyZXRDb2RlIjoxMDAwMSwicmV0TXNnIjoicGFyYW1zIGVycm9yIn0="}}},
 {"startedDateTime":"2026-11-21T22:00:03.000Z","time":0,
  "request":{"method":"GET","url":"https://api.example.test/v1/x","headers":[]},
  "response":{"status":0,"headers":[],"content":{"size":0}},"_error":"net::ERR_CONNECTION_RESET"}
]}})");
    f.close();
    const auto r = runHdeck(
        {QStringLiteral("classify"), QStringLiteral("--har"), path, QStringLiteral("--explain")});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    const ApiEvent ok = parseEvent(lines[0]);
    HD_COMPARE_ENUM(ok.category, Category::Ok);
    QCOMPARE(ok.request->url, QStringLiteral("https://api.example.test/v1/orders"));
    QVERIFY(!lines[0].contains("abc.def.ghi")); // the Authorization header is redacted
    QCOMPARE(ok.durationMs, 12.5);
    QCOMPARE(formatEventTime(ok.timeMs), QStringLiteral("2026-11-21T22:00:00.000Z"));
    const ApiEvent limited = parseEvent(lines[1]);
    HD_COMPARE_ENUM(limited.category, Category::RateLimited);
    QCOMPARE(limited.retry.delayMs, std::optional<qint64>(7000));
    const ApiEvent business = parseEvent(lines[2]);
    HD_COMPARE_ENUM(business.category, Category::BusinessRejected);
    QCOMPARE(business.error->code, QStringLiteral("10001"));
    const ApiEvent reset = parseEvent(lines[3]);
    HD_COMPARE_ENUM(reset.category, Category::ConnectionReset);
    QVERIFY(reset.error->message.contains(QStringLiteral("net::ERR_CONNECTION_RESET")));
    for (const QByteArray &line : lines)
        QVERIFY(line.contains("\"explain\":{"));
}

void TestHdeckCli::classify_badHarIsOneLineFailure_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("not JSON") << QByteArray("{\"log\": [") << QByteArray("HAR");
    QTest::newRow("no log.entries") << QByteArray("{\"log\":{}}") << QByteArray("log.entries");
    QTest::newRow("array") << QByteArray("[1,2]") << QByteArray("log.entries");
    QTest::newRow("deeply nested") << QByteArray(100000, '[') << QByteArray("nested");
}

void TestHdeckCli::classify_badHarIsOneLineFailure()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.har"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    const auto r = runHdeck({QStringLiteral("classify"), QStringLiteral("--har"), path});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY2(r.err.contains(mentions), r.err.constData());
}

void TestHdeckCli::profiles_listsBuiltIns()
{
    const auto r = runHdeck({QStringLiteral("profiles")});
    QCOMPARE(r.exitCode, 0);
    for (const char *p : {"tradovate", "signals", "code-message", "error-envelope", "problem-json",
                          "oauth2", "generic", "code-msg", "json-rpc", "graphql", "error-array",
                          "xml-error", "soap", "spring-boot"})
        QVERIFY2(r.out.contains(p), p);
}

void TestHdeckCli::profiles_brokenUserProfileNamesFileAndProblem()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("mine.json")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\n  \"schema\": \"healthdeck.profile/1\",\n  \"name\": \"mine\",\n  \"statuses\": { "
            "\"429\": { \"category\": \"nope\" } }\n}\n");
    f.close();
    qputenv("HDECK_PROFILE_DIR", dir.path().toUtf8());
    const auto r = runHdeck({QStringLiteral("profiles")});
    qunsetenv("HDECK_PROFILE_DIR");
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("mine.json"), r.err.constData());
    QVERIFY2(r.err.contains("/statuses/429/category"), r.err.constData());
    QVERIFY2(r.err.contains("nope"), r.err.constData());
}

void TestHdeckCli::probe_printsOneLinePerAttempt()
{
    hd::test::RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({hd::test::RawHttpServer::response(500, R"({"message":"boom"})"),
                         hd::test::RawHttpServer::response(200, "{}")});
    // hdeck runs in another process; this one must keep serving while it waits.
    QProcess proc;
    proc.start(hd::test::hdeckPath(),
               {QStringLiteral("probe"), QStringLiteral("--retries"), QStringLiteral("2"),
                QStringLiteral("--max-wait-ms"), QStringLiteral("200"), server.url()});
    QVERIFY(proc.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 20000);
    QCOMPARE(proc.exitCode(), 0);
    const QList<QByteArray> lines = proc.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    HD_COMPARE_ENUM(parseEvent(lines[0]).category, Category::InternalError);
    QCOMPARE(parseEvent(lines[1]).attempt, 2);
    HD_COMPARE_ENUM(parseEvent(lines[1]).category, Category::Ok);
}

void TestHdeckCli::probe_badUrlIsUsageError()
{
    const auto r = runHdeck({QStringLiteral("probe"), QStringLiteral("ftp://example.invalid/")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("not an http(s) URL"));
}

QTEST_GUILESS_MAIN(TestHdeckCli)
#include "tst_hdeckcli.moc"
