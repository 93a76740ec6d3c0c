// Profiles are data (DESIGN §3): built-ins load, user files are picked up and may override,
// broken files are reported with the file name and the problem — never silently skipped.

#include "classifier.h"
#include "profileregistry.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

ApiEvent classifyWith(std::shared_ptr<const ProfileRegistry> registry, int status,
                      const QByteArray &body, const QString &profile = QStringLiteral("auto"))
{
    const Classifier c(std::move(registry));
    ClassifyInput in;
    in.status = status;
    in.body = body;
    in.profile = profile;
    in.nowMs = 1795298400000;
    return c.classify(in);
}

const QByteArray kUserProfile = R"({
  "schema": "healthdeck.profile/1",
  "name": "acme",
  "description": "ACME gateway: {fault: {faultCode, faultString}, reqId}",
  "detect": { "priority": 5, "shapes": [ { "all": ["fault"], "types": { "fault": "object" } } ] },
  "fields": {
    "code": ["/fault/faultCode"],
    "message": ["/fault/faultString"],
    "details": [ { "pointer": "/fault/fields", "field": ["/name"], "message": ["/problem"] } ]
  },
  "identifiers": { "traceId": ["/reqId"] },
  "businessFailure": [ { "pointer": "/fault/faultCode", "nonEmpty": true } ],
  "statuses": { "418": { "category": "rate_limited", "action": "retry_after", "delayMs": 2000,
                         "advice": "The ACME gateway says 418 when throttling." } },
  "codes": { "ACME-42": { "type": "conflict", "retryable": false, "action": "resolve_conflict",
                          "advice": "Order already exists at ACME." } }
})";

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT
private slots:
    void builtIns_allLoadWithoutErrors_data();
    void builtIns_allLoadWithoutErrors();
    void userProfile_isPickedUpFromADirectory();
    void userProfile_canOverrideABuiltIn();
    void brokenProfile_reportsFileAndProblem_data();
    void brokenProfile_reportsFileAndProblem();
    void brokenProfile_isSkippedNotFatal();
    void missingDirectory_isIgnored();
    void language_templatesConstantsDelaysAndHeaderCodes_data();
    void language_templatesConstantsDelaysAndHeaderCodes();
};

void TestProfiles::builtIns_allLoadWithoutErrors_data()
{
    QTest::addColumn<QString>("name");
    for (const char *n : {"tradovate", "signals", "code-message", "error-envelope", "problem-json",
                          "oauth2", "generic", "auto", "code-msg", "json-rpc", "graphql",
                          "error-array", "xml-error", "soap", "spring-boot"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void TestProfiles::builtIns_allLoadWithoutErrors()
{
    QFETCH(QString, name);
    const ProfileRegistry registry;
    QVERIFY2(registry.errors().isEmpty(), qPrintable(registry.errors().join(u'\n')));
    const Profile *p = registry.find(name);
    QVERIFY(p);
    QCOMPARE(p->name, name);
    QCOMPARE(p->origin, QStringLiteral("built-in"));
    QVERIFY(!p->description.isEmpty());
    QCOMPARE(registry.all().size(), 15);
    QVERIFY(Classifier(std::make_shared<ProfileRegistry>()).knowsProfile(name));
}

void TestProfiles::userProfile_isPickedUpFromADirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("acme.json")), kUserProfile));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("notes.txt")), "not a profile"));

    auto registry = std::make_shared<ProfileRegistry>();
    registry->addDirectory(dir.path());
    QVERIFY2(registry->errors().isEmpty(), qPrintable(registry->errors().join(u'\n')));
    const Profile *acme = registry->find(QStringLiteral("acme"));
    QVERIFY(acme);
    QCOMPARE(acme->origin, dir.filePath(QStringLiteral("acme.json")));

    const QByteArray body = R"({"fault":{"faultCode":"ACME-42","faultString":"duplicate order",
        "fields":[{"name":"clOrdId","problem":"already used"}]},"reqId":"acme-req-1"})";
    const ApiEvent e = classifyWith(registry, 409, body);
    QCOMPARE(e.profile, QStringLiteral("acme"));
    QCOMPARE(e.error->code, QStringLiteral("ACME-42"));
    QCOMPARE(e.error->message, QStringLiteral("duplicate order"));
    QCOMPARE(e.error->details.size(), 1);
    QCOMPARE(e.error->details[0].field, QStringLiteral("clOrdId"));
    QCOMPARE(e.identifiers.traceId, QStringLiteral("acme-req-1"));
    HD_COMPARE_ENUM(e.retry.action, RetryAction::ResolveConflict);
    QCOMPARE(e.retry.advice, QStringLiteral("Order already exists at ACME."));

    const ApiEvent teapot = classifyWith(registry, 418, {}, QStringLiteral("acme"));
    HD_COMPARE_ENUM(teapot.category, Category::RateLimited);
    HD_COMPARE_ENUM(teapot.retry.action, RetryAction::RetryAfter);
    QCOMPARE(teapot.retry.delayMs, std::optional<qint64>(2000));

    const ApiEvent business
        = classifyWith(registry, 200, R"({"fault":{"faultCode":"ACME-42","faultString":"dup"}})");
    HD_COMPARE_ENUM(business.category, Category::BusinessRejected);
}

void TestProfiles::userProfile_canOverrideABuiltIn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray override = R"({
      "schema": "healthdeck.profile/1", "name": "tradovate", "description": "site override",
      "detect": { "priority": 30, "shapes": [ { "all": ["errorText"] } ] },
      "fields": { "message": ["/errorText"] },
      "statuses": { "423": { "category": "locked", "action": "retry_backoff", "advice": "Our proxy says 423 for locks." } }
    })";
    QVERIFY(writeFile(dir.filePath(QStringLiteral("tradovate.json")), override));
    auto registry = std::make_shared<ProfileRegistry>();
    registry->addDirectory(dir.path());
    QVERIFY2(registry->errors().isEmpty(), qPrintable(registry->errors().join(u'\n')));
    QCOMPARE(registry->all().size(), 15);
    QCOMPARE(registry->find(QStringLiteral("tradovate"))->origin,
             dir.filePath(QStringLiteral("tradovate.json")));

    const ApiEvent e = classifyWith(registry, 423, R"({"errorText":"busy"})");
    QCOMPARE(e.profile, QStringLiteral("tradovate"));
    HD_COMPARE_ENUM(e.category, Category::Locked);
    QCOMPARE(e.retry.advice, QStringLiteral("Our proxy says 423 for locks."));
}

void TestProfiles::brokenProfile_reportsFileAndProblem_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("mentions");

    QTest::newRow("invalid JSON") << QByteArray(
        "{\n  \"schema\": \"healthdeck.profile/1\",\n  \"name\": ,\n}")
                                  << QStringList{QStringLiteral("broken.json:3:11"),
                                                 QStringLiteral("not valid JSON")};
    QTest::newRow("truncated JSON")
        << QByteArray("{\"schema\": \"healthdeck.profile/1\"")
        << QStringList{QStringLiteral("broken.json:1:"), QStringLiteral("not valid JSON")};
    QTest::newRow("empty file") << QByteArray()
                                << QStringList{QStringLiteral("broken.json:1:"),
                                               QStringLiteral("not valid JSON")};
    QTest::newRow("number out of range")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","detect":{"priority":3E6694}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("not valid JSON"),
                       QStringLiteral("number overflow")};
    QTest::newRow("not an object")
        << QByteArray("[1,2]")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("JSON object")};
    // Issue #16: nesting used to reach nlohmann's recursion (and the stack limit).
    QTest::newRow("100000 x [") << QByteArray(100000, '[')
                                << QStringList{QStringLiteral("broken.json:1:65"),
                                               QStringLiteral("nested deeper than 64 levels")};
    QTest::newRow("deep inside a valid profile")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","x":)")
               + QByteArray(100000, '{').replace("{{", "{\"a\":{") + "}"
        << QStringList{QStringLiteral("broken.json:1:"),
                       QStringLiteral("nested deeper than 64 levels")};
    QTest::newRow("priority wraps")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","detect":{"priority":1.5}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/detect/priority"),
                       QStringLiteral("integer")};
    QTest::newRow("wrong schema") << QByteArray(R"({"schema":"healthdeck.profile/9","name":"x"})")
                                  << QStringList{QStringLiteral("broken.json"),
                                                 QStringLiteral("/schema"),
                                                 QStringLiteral("healthdeck.profile/1")};
    QTest::newRow("missing name") << QByteArray(R"({"schema":"healthdeck.profile/1"})")
                                  << QStringList{QStringLiteral("broken.json"),
                                                 QStringLiteral("/name")};
    QTest::newRow("bad name") << QByteArray(R"({"schema":"healthdeck.profile/1","name":"a b/c"})")
                              << QStringList{QStringLiteral("broken.json"), QStringLiteral("/name"),
                                             QStringLiteral("letters")};
    QTest::newRow("unknown category in statuses") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","statuses":{"423":{"category":"sort_of_locked"}}})")
                                                  << QStringList{
                                                         QStringLiteral("broken.json"),
                                                         QStringLiteral("/statuses/423/category"),
                                                         QStringLiteral("unknown category "
                                                                        "\"sort_of_locked\"")};
    QTest::newRow("unknown action in codes")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","codes":{"E1":{"action":"pray"}}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/codes/E1/action"),
                       QStringLiteral("unknown retry action \"pray\"")};
    QTest::newRow("unknown type in typeMap")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","typeMap":{"v":"weird"}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/typeMap/v"),
                       QStringLiteral("unknown error type \"weird\"")};
    QTest::newRow("status that is not a status")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","statuses":{"abc":{}}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/statuses/abc"),
                       QStringLiteral("not an HTTP status")};
    QTest::newRow("bad pointer") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","fields":{"code":["code"]}})")
                                 << QStringList{QStringLiteral("broken.json"),
                                                QStringLiteral("/fields/code/0"),
                                                QStringLiteral("not a JSON pointer")};
    QTest::newRow("pointer of wrong type")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","fields":{"message":42}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/fields/message"),
                       QStringLiteral("JSON pointer")};
    QTest::newRow("bad detail pointer") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","fields":{"details":[{"pointer":"/d","field":["f"]}]}})")
                                        << QStringList{QStringLiteral("broken.json"),
                                                       QStringLiteral("/fields/details/0/field/0"),
                                                       QStringLiteral("not a JSON pointer")};
    QTest::newRow("unknown identifier")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","identifiers":{"userId":["/u"]}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/identifiers/userId"),
                       QStringLiteral("unknown identifier")};
    QTest::newRow("rule without pointer") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","businessFailure":[{"equals":false}]})")
                                          << QStringList{QStringLiteral("broken.json"),
                                                         QStringLiteral("/businessFailure/0"),
                                                         QStringLiteral("pointer")};
    QTest::newRow("retryable not a bool")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","codes":{"E":{"retryable":"yes"}}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/codes/E/retryable"),
                       QStringLiteral("true or false")};
    QTest::newRow("shape keys not strings")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","detect":{"shapes":[{"all":[1]}]}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/detect/shapes/0")};
    QTest::newRow("shape type name unknown") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","detect":{"shapes":[{"all":["a"],"types":{"a":"int"}}]}})")
                                             << QStringList{
                                                    QStringLiteral("broken.json"),
                                                    QStringLiteral("/detect/shapes/0/types/a"),
                                                    QStringLiteral("JSON type name")};
    QTest::newRow("search keys not strings")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","search":{"messageKeys":["m",2]}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/search/messageKeys/1"),
                       QStringLiteral("expected a string")};
    QTest::newRow("statuses not an object")
        << QByteArray(R"({"schema":"healthdeck.profile/1","name":"x","statuses":[429]})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/statuses"),
                       QStringLiteral("expected an object")};
    QTest::newRow("priority not a number")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","detect":{"priority":"high"}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/detect/priority")};
    QTest::newRow("constant without a when rule")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","fields":{"code":[{"value":"X"}]}})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/fields/code/0"),
                       QStringLiteral("needs a \"when\" rule")};
    QTest::newRow("rule pointer without a slash") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","businessFailure":[{"pointer":"ok","equals":false}]})")
                                                  << QStringList{QStringLiteral("broken.json"),
                                                                 QStringLiteral(
                                                                     "/businessFailure/0/pointer")};
    QTest::newRow("delayUnit unknown") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","codes":{"A":{"delayFrom":"/t","delayUnit":"min"}}})")
                                       << QStringList{QStringLiteral("broken.json"),
                                                      QStringLiteral("/codes/A/delayUnit")};
    QTest::newRow("headerCodes without a header")
        << QByteArray(
               R"({"schema":"healthdeck.profile/1","name":"x","headerCodes":[{"codes":{}}]})")
        << QStringList{QStringLiteral("broken.json"), QStringLiteral("/headerCodes/0")};
    QTest::newRow("identifierHeaders unknown field") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","identifierHeaders":{"spanId":["X"]}})")
                                                     << QStringList{
                                                            QStringLiteral("broken.json"),
                                                            QStringLiteral(
                                                                "/identifierHeaders/spanId")};
    QTest::newRow("delayMs not a number") << QByteArray(
        R"({"schema":"healthdeck.profile/1","name":"x","statuses":{"429":{"delayMs":"1s"}}})")
                                          << QStringList{QStringLiteral("broken.json"),
                                                         QStringLiteral("/statuses/429/delayMs")};
}

void TestProfiles::brokenProfile_reportsFileAndProblem()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, mentions);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QVERIFY(writeFile(path, text));
    ProfileRegistry registry;
    const QString error = registry.addFile(path);
    QVERIFY(!error.isEmpty());
    QVERIFY(registry.errors().contains(error));
    QVERIFY2(error.startsWith(path), qPrintable(error));
    for (const QString &m : mentions)
        QVERIFY2(error.contains(m), qPrintable(QStringLiteral("'%1' not in: %2").arg(m, error)));
    QVERIFY2(!error.contains(u'\n'), "one line per problem");
}

void TestProfiles::brokenProfile_isSkippedNotFatal()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a-broken.json")), "{ nope"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("b-acme.json")), kUserProfile));
    ProfileRegistry registry;
    registry.addDirectory(dir.path());
    QCOMPARE(registry.errors().size(), 1);
    QVERIFY(registry.errors().front().contains(QStringLiteral("a-broken.json")));
    QVERIFY(registry.find(QStringLiteral("acme")));
    QVERIFY(registry.find(QStringLiteral("tradovate")));
}

void TestProfiles::missingDirectory_isIgnored()
{
    ProfileRegistry registry;
    registry.addDirectory(QStringLiteral("/nonexistent/healthdeck/profiles"));
    QVERIFY(registry.errors().isEmpty());
    const QString error = registry.addFile(QStringLiteral("/nonexistent/x.json"));
    QVERIFY(error.contains(QStringLiteral("/nonexistent/x.json")));
}

void TestProfiles::language_templatesConstantsDelaysAndHeaderCodes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("delayMs");
    QTest::addColumn<QString>("traceId");

    QTest::newRow("template with every segment")
        << 500 << QByteArray() << QByteArray(R"({"kind":"E","what":"broke","where":"/x"})")
        << "internal_error"
        << "E"
        << "broke at /x (E)" << qint64(-1) << "";
    QTest::newRow("template drops an empty segment")
        << 500 << QByteArray() << QByteArray(R"({"kind":"E","what":"broke"})") << "internal_error"
        << "E"
        << "broke (E)" << qint64(-1) << "";
    QTest::newRow("required template pointer missing: next source")
        << 500 << QByteArray() << QByteArray(R"({"kind":"E","alt":"fallback text"})")
        << "internal_error"
        << "E"
        << "fallback text" << qint64(-1) << "";
    QTest::newRow("constant code with a delay from the body")
        << 200 << QByteArray() << QByteArray(R"({"penalty":true,"waitMs":1500})") << "rate_limited"
        << "PENALTY"
        << "penalty" << qint64(1500) << "";
    QTest::newRow("twin: no penalty")
        << 200 << QByteArray() << QByteArray(R"({"penalty":false,"kind2":1})") << "ok"
        << ""
        << "" << qint64(-1) << "";
    QTest::newRow("header code decides a 200")
        << 200 << QByteArray("X-Acme-Status: 7") << QByteArray(R"({"kind2":1})") << "conflict"
        << "ACME 7"
        << "dup order" << qint64(-1) << "acme-1";
}

void TestProfiles::language_templatesConstantsDelaysAndHeaderCodes()
{
    QFETCH(int, status);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, category);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(qint64, delayMs);
    QFETCH(QString, traceId);

    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("lang.json")), R"({
      "schema": "healthdeck.profile/1", "name": "lang",
      "detect": { "priority": 1, "shapes": [ { "all": ["kind"] }, { "all": ["penalty"] }, { "all": ["kind2"] } ] },
      "fields": {
        "code": [ { "when": { "pointer": "/penalty", "equals": true }, "value": "PENALTY" }, "/kind" ],
        "message": [ { "template": "{/what}[ at {/where}][ ({/kind})]" }, "/alt",
                     { "when": { "pointer": "/penalty", "equals": true }, "value": "penalty" } ]
      },
      "identifierHeaders": { "traceId": ["X-Acme-Req"] },
      "quotaExceeded": [ { "pointer": "/penalty", "equals": true } ],
      "headerCodes": [ { "header": "X-Acme-Status", "messageHeader": "X-Acme-Message",
                         "codes": { "7": { "code": "ACME 7", "category": "conflict", "action": "resolve_conflict" } } } ],
      "codes": { "PENALTY": { "action": "retry_after", "retryable": true, "delayFrom": "/waitMs", "delayUnit": "ms" } }
    })"));
    auto registry = std::make_shared<ProfileRegistry>();
    registry->addDirectory(dir.path());
    QVERIFY2(registry->errors().isEmpty(), qPrintable(registry->errors().join(u'\n')));

    const Classifier c(registry);
    ClassifyInput in;
    in.status = status;
    in.body = body;
    in.nowMs = 1795298400000;
    if (!headers.isEmpty())
        in.headers = {{headers.left(headers.indexOf(':')), headers.mid(headers.indexOf(':') + 2)},
                      {"X-Acme-Message", "dup order"},
                      {"X-Acme-Req", "acme-1"}};
    Explanation why;
    const ApiEvent e = c.classify(in, &why);
    QCOMPARE(e.profile, QStringLiteral("lang"));
    QCOMPARE(toQString(toString(e.category)), category);
    QCOMPARE(e.identifiers.traceId, traceId);
    if (category == u"ok") {
        QVERIFY(!e.error);
        return;
    }
    QCOMPARE(e.error->code, code);
    QCOMPARE(e.error->message, message);
    QCOMPARE(e.retry.delayMs,
             delayMs < 0 ? std::optional<qint64>() : std::optional<qint64>(delayMs));
    QVERIFY2(why.code.startsWith(QStringLiteral("lang:/")), qPrintable(why.code));
}

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
