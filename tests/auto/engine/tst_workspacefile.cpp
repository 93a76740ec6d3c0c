#include "testsupport.h"
#include "workspacefile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestWorkspaceFile : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_saveThenLoadIsEqual();
    void networkMembers_roundTripAndAreChecked();
    void brokenFiles_nameFileAndPointer_data();
    void brokenFiles_nameFileAndPointer();
    void secretValues_areRefused();
    void unknownMembers_surviveASave();
    void save_isAtomicAndLeavesNoTempFiles();
    void streams_roundTripAndAreChecked();
    void hostileFiles_giveOneLineErrorsNotCrashes_data();
    void hostileFiles_giveOneLineErrorsNotCrashes();
    void deepNestingInsideStrings_isNotCountedAsDepth();
    void tooLargeFile_isRefusedBeforeParsing();
    void directoryOrMissingFile_isAnErrorNotACrash();
    void problem_comesAsPointerAndMessage();
    void inMemoryDocument_isCheckedWithoutText();
    void emailChannelAndNoiseControl_roundTripAndAreChecked();
};

static const char *kGood = R"({
  "schema": "healthdeck.workspace/1",
  "name": "Desk",
  "environments": [ { "id": "prod", "name": "Production", "baseUrl": "https://api.example.test" } ],
  "credentials": [ { "id": "key", "method": "api_key_header", "headerName": "X-Api-Key", "secretName": "SIGNALS_KEY" } ],
  "endpoints": [ { "id": "orders.list", "environment": "prod", "path": "/orders", "intervalMs": 5000,
                   "credential": "key", "quotaShare": 0.2,
                   "expect": { "statuses": [200], "bodyPointer": "/ok", "bodyEquals": true, "maxLatencyMs": 800 } } ],
  "alerts": [ { "id": "slo", "kind": "error_rate", "threshold": 0.01, "windowS": 1800 } ],
  "x-team": { "owner": "ops" }
})";

void TestWorkspaceFile::roundTrip_saveThenLoadIsEqual()
{
    const auto first = WorkspaceFile::parse(kGood, QStringLiteral("good.json"));
    QVERIFY2(first.workspace, qPrintable(first.error));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QCOMPARE(WorkspaceFile::save(*first.workspace, path), QString());
    const auto second = WorkspaceFile::load(path);
    QVERIFY2(second.workspace, qPrintable(second.error));
    QVERIFY(*second.workspace == *first.workspace);
    QCOMPARE(second.workspace->endpoints[0].expect.maxLatencyMs.value_or(0), 800);
}

void TestWorkspaceFile::networkMembers_roundTripAndAreChecked()
{
    // docs/network.md: TLS, proxy and retry-safety members of environments and endpoints.
    const QByteArray text = R"({"schema":"healthdeck.workspace/1","name":"n",
      "environments":[{"id":"uat","baseUrl":"https://uat.example","caFile":"/ca.pem",
        "caMode":"replace","pins":["r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E="],
        "clientCertificate":{"file":"/desk.p12","passphraseSecret":"p12"},
        "minTls":"1.3","http2":false,
        "proxy":{"mode":"socks5","host":"10.0.0.1","port":1080,"username":"u",
                 "passwordSecret":"proxy-pw"}}],
      "endpoints":[{"id":"orders.place","environment":"uat","method":"POST","path":"/orders",
        "body":"{}","idempotency":{"bodyField":"clOrdId"},
        "idempotent":false}]})";
    const auto first = WorkspaceFile::parse(text, QStringLiteral("n.json"));
    QVERIFY2(first.workspace, qPrintable(first.error));
    const Environment &env = first.workspace->environments[0];
    QVERIFY(env.caMode == Environment::CaMode::Replace);
    QCOMPARE(env.pins.size(), 1);
    QCOMPARE(env.clientCertFile, QStringLiteral("/desk.p12"));
    QCOMPARE(env.clientKeySecret, QStringLiteral("p12"));
    QCOMPARE(env.minTls, QStringLiteral("1.3"));
    QVERIFY(!env.http2);
    QVERIFY(env.proxy.mode == ProxySettings::Mode::Socks5);
    QCOMPARE(env.proxy.port, 1080);
    QCOMPARE(first.workspace->endpoints[0].idempotency.bodyField, QStringLiteral("clOrdId"));
    QVERIFY(first.workspace->endpoints[0].idempotent == std::optional<bool>(false));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("n.json"));
    QCOMPARE(WorkspaceFile::save(*first.workspace, path), QString());
    const auto second = WorkspaceFile::load(path);
    QVERIFY2(second.workspace, qPrintable(second.error));
    QVERIFY(*second.workspace == *first.workspace);

    const auto refuse = [](const QByteArray &env, const char *pointer) {
        const QByteArray t = R"({"schema":"healthdeck.workspace/1","environments":[)" + env + "]}";
        const auto r = WorkspaceFile::parse(t, QStringLiteral("x.json"));
        return !r.workspace && r.error.contains(QString::fromLatin1(pointer));
    };
    QVERIFY(refuse(R"({"id":"a","baseUrl":"https://a","caMode":"sometimes"})",
                   "/environments/0/caMode"));
    QVERIFY(
        refuse(R"({"id":"a","baseUrl":"https://a","pins":["short"]})", "/environments/0/pins/0"));
    QVERIFY(refuse(
        R"({"id":"a","baseUrl":"https://a","clientCertificate":{"file":"c","passphrase":"x"}})",
        "/environments/0/clientCertificate/passphrase"));
    QVERIFY(refuse(R"({"id":"a","baseUrl":"https://a","proxy":{"mode":"http"}})",
                   "/environments/0/proxy"));
    QVERIFY(refuse(
        R"({"id":"a","baseUrl":"https://a","proxy":{"mode":"http","host":"h","port":1,"password":"x"}})",
        "/environments/0/proxy/password"));
    QVERIFY(refuse(R"({"id":"a","baseUrl":"https://a","minTls":"1.0"})", "/environments/0/minTls"));
}

void TestWorkspaceFile::brokenFiles_nameFileAndPointer_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax") << QByteArray("{\n  \"schema\": \"healthdeck.workspace/1\",\n  oops\n}")
                            << QStringLiteral("ws.json:3:");
    QTest::newRow("schema") << QByteArray(R"({"schema":"other"})") << QStringLiteral("at /schema");
    QTest::newRow("unknown env") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","environments":[],"endpoints":[{"id":"a","environment":"prod","path":"/"}]})")
                                 << QStringLiteral(
                                        "at /endpoints/0/environment: no environment \"prod\"");
    QTest::newRow("interval") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","environments":[{"id":"p","baseUrl":"http://x"}],"endpoints":[{"id":"a","environment":"p","path":"/","intervalMs":5}]})")
                              << QStringLiteral("at /endpoints/0/intervalMs");
    QTest::newRow("duplicate id") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","environments":[{"id":"p","baseUrl":"http://x"},{"id":"p","baseUrl":"http://y"}]})")
                                  << QStringLiteral("at /environments/1/id");
    QTest::newRow("method") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","credentials":[{"id":"c","method":"magic"}]})")
                            << QStringLiteral("at /credentials/0/method: unknown method \"magic\"");
}

void TestWorkspaceFile::brokenFiles_nameFileAndPointer()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto r = WorkspaceFile::parse(text, QStringLiteral("ws.json"));
    QVERIFY(!r.workspace);
    QVERIFY2(r.error.startsWith(QStringLiteral("ws.json")), qPrintable(r.error));
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
}

void TestWorkspaceFile::secretValues_areRefused()
{
    const auto r = WorkspaceFile::parse(
        R"({"schema":"healthdeck.workspace/1","credentials":[{"id":"c","method":"bearer","secretName":"T","token":"abc"}]})",
        QStringLiteral("ws.json"));
    QVERIFY(!r.workspace);
    QVERIFY2(r.error.contains(QStringLiteral("/credentials/0/token")), qPrintable(r.error));
    QVERIFY(!r.error.contains(QStringLiteral("abc")));
}

void TestWorkspaceFile::unknownMembers_surviveASave()
{
    const auto r = WorkspaceFile::parse(kGood, QStringLiteral("good.json"));
    QVERIFY(r.workspace);
    const auto j = WorkspaceFile::toJson(*r.workspace);
    QVERIFY(j.contains("x-team"));
    QVERIFY(j["x-team"]["owner"] == "ops");
}

void TestWorkspaceFile::save_isAtomicAndLeavesNoTempFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    const auto r = WorkspaceFile::parse(kGood, QStringLiteral("good.json"));
    QCOMPARE(WorkspaceFile::save(*r.workspace, path), QString());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("ws.json")});
    // Saving into a folder that does not exist fails with a message and creates nothing.
    const QString bad = dir.filePath(QStringLiteral("missing/ws.json"));
    QVERIFY(!WorkspaceFile::save(*r.workspace, bad).isEmpty());
    QVERIFY(!QFile::exists(bad));
}

void TestWorkspaceFile::streams_roundTripAndAreChecked()
{
    const QByteArray text = R"({"schema":"healthdeck.workspace/1","name":"s",
        "environments":[{"id":"prod","baseUrl":"sim:/prod"}],
        "credentials":[{"id":"t","method":"bearer","secretName":"T"}],
        "endpoints":[{"id":"a","environment":"prod","path":"/"}],
        "streams":[{"id":"md","environment":"prod","credential":"t","heartbeatTimeoutMs":5000,
            "subscribe":[{"endpoint":"md/subscribequote","body":"{}"}],
            "requests":[{"endpoint":"user/syncrequest","query":"q"}],
            "reconnect":{"baseMs":500,"capMs":8000,"maxAttempts":4,"stableMs":1000}}]})";
    const auto first = WorkspaceFile::parse(text, QStringLiteral("s.json"));
    QVERIFY2(first.workspace, qPrintable(first.error));
    const StreamEndpoint *st = first.workspace->stream(QStringLiteral("md"));
    QVERIFY(st);
    QCOMPARE(st->path, QStringLiteral("/s003/v1/websocket"));
    QCOMPARE(st->profile, QStringLiteral("tradovate"));
    QCOMPARE(st->heartbeatMs, 2500);
    QCOMPARE(st->heartbeatTimeoutMs, 5000);
    QCOMPARE(st->subscribe.size(), 1);
    QCOMPARE(st->requests.value(0).query, QStringLiteral("q"));
    QCOMPARE(st->reconnect.maxAttempts, 4);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QCOMPARE(WorkspaceFile::save(*first.workspace, path), QString());
    const auto second = WorkspaceFile::load(path);
    QVERIFY2(second.workspace, qPrintable(second.error));
    QVERIFY(*second.workspace == *first.workspace);

    // Stream ids share the endpoint namespace; environments and credentials must exist.
    auto error = [](const QByteArray &streams) {
        return WorkspaceFile::parse(R"({"schema":"healthdeck.workspace/1",
            "environments":[{"id":"prod","baseUrl":"sim:"}],
            "endpoints":[{"id":"a","environment":"prod","path":"/"}],"streams":[)"
                                        + streams + "]}",
                                    QStringLiteral("s.json"))
            .error;
    };
    QVERIFY(error(R"({"id":"a","environment":"prod"})").contains(QStringLiteral("/streams/0/id")));
    QVERIFY(error(R"({"id":"s","environment":"dev"})").contains(QStringLiteral("no environment")));
    QVERIFY(error(R"({"id":"s","environment":"prod","credential":"x"})")
                .contains(QStringLiteral("no credential")));
    QVERIFY(error(R"({"id":"s","environment":"prod","subscribe":[{"endpoint":"a\nb"}]})")
                .contains(QStringLiteral("/streams/0/subscribe/0/endpoint")));
    QVERIFY(error(R"({"id":"s","environment":"prod","heartbeatMs":1})")
                .contains(QStringLiteral("/streams/0/heartbeatMs")));
    QCOMPARE(error(R"({"id":"s","environment":"prod"})"), QString());
}

void TestWorkspaceFile::hostileFiles_giveOneLineErrorsNotCrashes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    // Issue #16: this used to escape as nlohmann::out_of_range and abort hdeck watch (exit 134).
    QTest::newRow("1e999") << QByteArray(R"({"schema":"healthdeck.workspace/1","x":1e999})")
                           << QStringLiteral("ws.json:1:44: not valid JSON: number overflow");
    QTest::newRow("-1e999 in an endpoint") << QByteArray(
        "{\"schema\":\"healthdeck.workspace/1\",\n\"endpoints\":[{\"intervalMs\":-1e999}]}")
                                           << QStringLiteral("number overflow parsing '-1e999'");
    QTest::newRow("100000 x [") << QByteArray(100000, '[')
                                << QStringLiteral("ws.json:1:65: not valid JSON: nested deeper "
                                                  "than 64 levels");
    QTest::newRow("balanced 100000 deep")
        << QByteArray("{\"schema\":\"healthdeck.workspace/1\",\"x\":") + QByteArray(100000, '[')
               + QByteArray(100000, ']') + QByteArray("}")
        << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("deep objects") << QByteArray(5000, '{') << QStringLiteral("nested deeper");
    QTest::newRow("65 levels in simulator")
        << QByteArray("{\"schema\":\"healthdeck.workspace/1\",\"simulator\":") + QByteArray(64, '[')
               + QByteArray(64, ']') + "}"
        << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("status wraps") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","environments":[{"id":"p","baseUrl":"http://x"}],"endpoints":[{"id":"a","environment":"p","path":"/","expect":{"statuses":[4294967496]}}]})")
                                  << QStringLiteral("at /endpoints/0/expect/statuses/0");
    QTest::newRow("huge seed") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","simulator":{"seed":1e308}})")
                               << QStringLiteral("at /simulator/seed");
    QTest::newRow("invalid UTF-8")
        << QByteArray("{\"schema\":\"healthdeck.workspace/1\",\"name\":\"\xff\"}")
        << QStringLiteral("ws.json:1:");
    QTest::newRow("NUL bytes") << QByteArray("{\0\0}", 4) << QStringLiteral("ws.json:1:");
    QTest::newRow("array root") << QByteArray("[]") << QStringLiteral("at /: must be an object");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("ws.json:1:");
    QTest::newRow("header not string") << QByteArray(
        R"({"schema":"healthdeck.workspace/1","environments":[{"id":"p","baseUrl":"http://x"}],"endpoints":[{"id":"a","environment":"p","path":"/","headers":{"X":[1]}}]})")
                                       << QStringLiteral("at /endpoints/0/headers/X");
}

void TestWorkspaceFile::hostileFiles_giveOneLineErrorsNotCrashes()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto r = WorkspaceFile::parse(text, QStringLiteral("ws.json"));
    QVERIFY(!r.workspace);
    QVERIFY2(r.error.startsWith(QStringLiteral("ws.json")), qPrintable(r.error));
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    QVERIFY2(!r.error.contains(u'\n'), qPrintable(r.error));
    QVERIFY2(!r.error.contains(QStringLiteral("json.exception")), qPrintable(r.error));
}

void TestWorkspaceFile::deepNestingInsideStrings_isNotCountedAsDepth()
{
    // Brackets inside strings (and escaped quotes) are text, not nesting.
    const QByteArray text = QByteArray(R"({"schema":"healthdeck.workspace/1","name":"\")")
                            + QByteArray(1000, '[') + QByteArray(R"(","x-deep":)")
                            + QByteArray(60, '[') + QByteArray(60, ']') + "}";
    const auto r = WorkspaceFile::parse(text, QStringLiteral("ws.json"));
    QVERIFY2(r.workspace, qPrintable(r.error));
    QCOMPARE(r.workspace->name.size(), 1001);
    // 60 levels survive a save and load.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("deep.json"));
    QCOMPARE(WorkspaceFile::save(*r.workspace, path), QString());
    QVERIFY(WorkspaceFile::load(path).workspace);
}

void TestWorkspaceFile::tooLargeFile_isRefusedBeforeParsing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(WorkspaceFile::MaxBytes + 1));
    f.close();
    const auto r = WorkspaceFile::load(path);
    QVERIFY(!r.workspace);
    QCOMPARE(r.error, path + QStringLiteral(": larger than 16 MiB; not a workspace"));
}

void TestWorkspaceFile::directoryOrMissingFile_isAnErrorNotACrash()
{
    QTemporaryDir dir;
    auto r = WorkspaceFile::load(dir.path());
    QVERIFY(!r.workspace);
    QVERIFY2(r.error.startsWith(dir.path() + QStringLiteral(": cannot open")), qPrintable(r.error));
    r = WorkspaceFile::load(dir.filePath(QStringLiteral("missing.json")));
    QVERIFY(!r.workspace);
    QVERIFY2(r.error.contains(QStringLiteral("missing.json: cannot open")), qPrintable(r.error));
}

void TestWorkspaceFile::problem_comesAsPointerAndMessage()
{
    // A pointer with ": " inside a key must not confuse anybody: the pointer is a field.
    const auto r = WorkspaceFile::parse(
        R"({"schema":"healthdeck.workspace/1","environments":[{"id":"e","baseUrl":"http://x"}],
            "endpoints":[{"id":"a","environment":"e","path":"/","intervalMs":5000},
                         {"id":"b","environment":"e","path":"/","headers":{"X: y":5}}]})",
        QStringLiteral("ws.json"));
    QVERIFY(!r.workspace);
    QCOMPARE(r.errorPointer, QStringLiteral("/endpoints/1/headers/X: y"));
    QCOMPARE(r.problem, QStringLiteral("must be a string"));
    QCOMPARE(r.error, QStringLiteral("ws.json: at %1: %2").arg(r.errorPointer, r.problem));

    // A syntax error has no pointer: the text as a whole is wrong.
    const auto syntax
        = WorkspaceFile::parse(QByteArray("{\"schema\": "), QStringLiteral("ws.json"));
    QVERIFY(!syntax.workspace);
    QVERIFY(syntax.errorPointer.isEmpty());
    QVERIFY(!syntax.error.isEmpty());

    // A good file has neither.
    const auto good = WorkspaceFile::parse(kGood, QStringLiteral("good.json"));
    QVERIFY(good.workspace);
    QVERIFY(good.errorPointer.isEmpty() && good.problem.isEmpty() && good.error.isEmpty());
}

void TestWorkspaceFile::inMemoryDocument_isCheckedWithoutText()
{
    const auto first = WorkspaceFile::parse(kGood, QStringLiteral("good.json"));
    QVERIFY2(first.workspace, qPrintable(first.error));
    Workspace ws = *first.workspace;
    const auto same = WorkspaceFile::parseJson(WorkspaceFile::toJson(ws), QStringLiteral("memory"));
    QVERIFY2(same.workspace, qPrintable(same.error));
    QVERIFY(*same.workspace == ws);

    ws.endpoints[0].environment = QStringLiteral("nowhere");
    const auto bad = WorkspaceFile::parseJson(WorkspaceFile::toJson(ws), QStringLiteral("memory"));
    QVERIFY(!bad.workspace);
    QCOMPARE(bad.errorPointer, QStringLiteral("/endpoints/0/environment"));
    QVERIFY2(bad.problem.contains(QStringLiteral("nowhere")), qPrintable(bad.problem));
    QVERIFY(bad.error.startsWith(QStringLiteral("memory: at /endpoints/0/environment: ")));
}

void TestWorkspaceFile::emailChannelAndNoiseControl_roundTripAndAreChecked()
{
    const QByteArray text = R"({"schema":"healthdeck.workspace/1","name":"n",
      "channels":[{"id":"mail","kind":"email","url":"smtp://mail.example.test:587",
        "from":"hd@example.test","to":["a@example.test","b@example.test"],
        "username":"hd","secretName":"SMTP_PW","caFile":"/ca.pem"},
        {"id":"relay","kind":"email","url":"smtp://127.0.0.1:2525","from":"hd@example.test",
         "to":["ops@example.test"],"requireTls":false}],
      "alerts":[{"id":"down","kind":"down","channels":["mail","relay"],"groupBy":"environment",
        "groupWindowS":120,"flapCount":5,"flapWindowS":3600},
        {"id":"rate","kind":"error_rate"}]})";
    const auto first = WorkspaceFile::parse(text, QStringLiteral("n.json"));
    QVERIFY2(first.workspace, qPrintable(first.error));
    const NotificationChannel &mail = first.workspace->channels[0];
    QCOMPARE(mail.url, QStringLiteral("smtp://mail.example.test:587"));
    QCOMPARE(mail.to,
             (QStringList{QStringLiteral("a@example.test"), QStringLiteral("b@example.test")}));
    QCOMPARE(mail.username, QStringLiteral("hd"));
    QCOMPARE(mail.secretName, QStringLiteral("SMTP_PW"));
    QVERIFY(mail.requireTls);
    QVERIFY(!first.workspace->channels[1].requireTls);
    const AlertRule &down = first.workspace->alerts[0];
    QCOMPARE(down.groupBy, QStringLiteral("environment"));
    QCOMPARE(down.groupWindowS, 120);
    QCOMPARE(down.flapCount, 5);
    QCOMPARE(down.flapWindowS, 3600);
    const AlertRule &rate = first.workspace->alerts[1]; // the defaults
    QCOMPARE(rate.groupBy, QStringLiteral("host"));
    QCOMPARE(rate.groupWindowS, 60);
    QCOMPARE(rate.flapCount, 3);
    QCOMPARE(rate.flapWindowS, 1800);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("n.json"));
    QCOMPARE(WorkspaceFile::save(*first.workspace, path), QString());
    const auto second = WorkspaceFile::load(path);
    QVERIFY2(second.workspace, qPrintable(second.error));
    QVERIFY(*second.workspace == *first.workspace);

    const auto refuse = [](const QByteArray &channel, const char *pointer) {
        const QByteArray t = R"({"schema":"healthdeck.workspace/1","channels":[)" + channel + "]}";
        const auto r = WorkspaceFile::parse(t, QStringLiteral("x.json"));
        return !r.workspace && r.error.contains(QString::fromLatin1(pointer));
    };
    const QByteArray ok = R"("from":"hd@x.test","to":["a@x.test"])";
    QVERIFY(refuse(R"({"id":"m","kind":"email","url":"smtp://hd:pw@mail.x.test",)" + ok + "}",
                   "/channels/0/url"));
    QVERIFY(refuse(R"({"id":"m","kind":"email","url":"http://mail.x.test",)" + ok + "}",
                   "/channels/0/url"));
    QVERIFY(
        refuse(R"({"id":"m","kind":"email","url":"smtp://mail.x.test","from":"hd@x.test","to":[]})",
               "/channels/0/to"));
    QVERIFY(refuse(
        R"({"id":"m","kind":"email","url":"smtp://mail.x.test","from":"hd@x.test","to":["a@x.test\r\nBcc: e@vil.test"]})",
        "/channels/0/to/0"));
    QVERIFY(refuse(
        R"({"id":"m","kind":"email","url":"smtp://mail.x.test","from":"Desk <hd@x.test>","to":["a@x.test"]})",
        "/channels/0/from"));
    QVERIFY(refuse(R"({"id":"m","kind":"email","url":"smtp://mail.x.test","secretName":"PW",)" + ok
                       + "}",
                   "/channels/0/username"));
    const auto refuseRule = [](const char *member, const char *pointer) {
        const QByteArray t
            = R"({"schema":"healthdeck.workspace/1","alerts":[{"id":"a","kind":"down",)"
              + QByteArray(member) + "}]}";
        const auto r = WorkspaceFile::parse(t, QStringLiteral("x.json"));
        return !r.workspace && r.error.contains(QString::fromLatin1(pointer));
    };
    QVERIFY(refuseRule(R"("groupBy":"region")", "/alerts/0/groupBy"));
    QVERIFY(refuseRule(R"("groupWindowS":-1)", "/alerts/0/groupWindowS"));
    QVERIFY(refuseRule(R"("flapWindowS":10)", "/alerts/0/flapWindowS"));
}

QTEST_GUILESS_MAIN(TestWorkspaceFile)
#include "tst_workspacefile.moc"
