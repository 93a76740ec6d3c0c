#include "eventjson.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

class TestEventJson : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_fullEventIsLossless();
    void roundTrip_minimalEventKeepsAbsentFactsAbsent();
    void toJson_usesSchemaFieldNames();
    void fromJson_rejectsUnknownCategoryWithClearMessage();
    void fromJson_rejectsWrongSchema();
    void enums_everyValueHasAStringForm();
    void boundsFields_roundTripAndStayAbsentWhenUnset();
    void hugeNumbers_areAbsentNotUndefined();
    void hostileLines_areErrorsNotCrashes_data();
    void hostileLines_areErrorsNotCrashes();
    void outOfRangeNumbers_areLeftOutNotConverted();
    void networkFacts_timingTlsHealthProxy_roundTripWithSchemaNames();
    void networkFacts_absentWhenUnknown();
};

static ApiEvent fullEvent()
{
    ApiEvent e;
    e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-000000000001");
    e.timeMs = 1795298400123;
    e.environment = QStringLiteral("prod");
    e.endpoint = QStringLiteral("orders.list");
    e.profile = QStringLiteral("tradovate");
    e.attempt = 2;
    e.request = RequestInfo{QStringLiteral("POST"),
                            QStringLiteral("https://api.example.test/order"),
                            {{QStringLiteral("Authorization"), QStringLiteral("Bearer [REDACTED]")},
                             {QStringLiteral("Accept"), QStringLiteral("application/json")}},
                            QStringLiteral("{\"qty\":1}")};
    e.response = ResponseInfo{{{QStringLiteral("Set-Cookie"), QStringLiteral("a")},
                               {QStringLiteral("Set-Cookie"), QStringLiteral("b")},
                               {QStringLiteral("Retry-After"), QStringLiteral("30")}},
                              QStringLiteral("{\"errorText\":\"x\"}"),
                              17};
    e.durationMs = 12.5;
    e.outcome = Outcome::ClientError;
    e.category = Category::RateLimited;
    e.httpStatus = 429;
    e.error = ErrorInfo{QStringLiteral("MaxPosLimitReached"),
                        ErrorType::RateLimit,
                        QStringLiteral("slow down"),
                        {{QStringLiteral("qty"), QStringLiteral("too big")}}};
    e.identifiers.traceId = QStringLiteral("trx-123");
    e.identifiers.orderId = QStringLiteral("42");
    e.identifiers.conflictingTradeId = QStringLiteral("t-9");
    e.retry = RetryDecision{true, RetryAction::RetryAfter, 30000, QStringLiteral("wait")};
    e.rateLimit = RateLimitInfo{
        100, 0, 17.0, 30.0, QStringLiteral("burst;w=60"), QStringLiteral("RateLimit-Policy")};
    e.token = TokenInfo{120, QStringLiteral("client@clients"), {QStringLiteral("read:orders")}};
    return e;
}

void TestEventJson::roundTrip_fullEventIsLossless()
{
    const ApiEvent e = fullEvent();
    const auto parsed = eventFromJsonText(toJsonLine(e));
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QCOMPARE(toJsonLine(*parsed.event), toJsonLine(e));
    QVERIFY(*parsed.event == e);
}

void TestEventJson::roundTrip_minimalEventKeepsAbsentFactsAbsent()
{
    ApiEvent e;
    e.id = QStringLiteral("x");
    e.timeMs = 1795298400000;
    e.outcome = Outcome::ConnectionError;
    e.category = Category::ConnectionReset;
    e.networkError = QStringLiteral("ECONNRESET");
    const OrderedJson j = toJson(e);
    QVERIFY(j["http_status"].is_null());
    QVERIFY(j["rate_limit"].is_null());
    QVERIFY(j["token"].is_null());
    QVERIFY(j["response"].is_null());
    QVERIFY(j["retry"]["delay_ms"].is_null());
    const auto parsed = eventFromJsonText(toJsonLine(e));
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QVERIFY(*parsed.event == e);
}

void TestEventJson::toJson_usesSchemaFieldNames()
{
    const OrderedJson j = toJson(fullEvent());
    QCOMPARE(QString::fromStdString(j["schema"].get<std::string>()),
             QStringLiteral("healthdeck.event/1"));
    QCOMPARE(QString::fromStdString(j["time"].get<std::string>()),
             QStringLiteral("2026-11-21T22:00:00.123Z"));
    for (const char *key :
         {"id", "time", "environment", "endpoint", "profile", "attempt", "request", "response",
          "duration_ms", "outcome", "category", "http_status", "network_error", "error",
          "identifiers", "retry", "rate_limit", "token"})
        QVERIFY2(j.contains(key), key);
    QVERIFY(j["outcome"] == "client_error");
    QVERIFY(j["category"] == "rate_limited");
    QVERIFY(j["retry"]["action"] == "retry_after");
    QVERIFY(j["rate_limit"]["reset_s"] == 17.0);
    QVERIFY(j["identifiers"]["traceId"] == "trx-123");
    QVERIFY(j["response"]["headers"]["Set-Cookie"].is_array());
}

void TestEventJson::networkFacts_timingTlsHealthProxy_roundTripWithSchemaNames()
{
    ApiEvent e = fullEvent();
    TimingInfo t;
    t.dnsMs = 1.25;
    t.tlsMs = 3.5;
    t.sentMs = 0.125;
    t.firstByteMs = 7.75;
    t.transferMs = 0.5;
    t.reusedConnection = false;
    e.timing = t;
    TlsInfo tls;
    tls.protocol = QStringLiteral("TLSv1.3");
    tls.subject = QStringLiteral("CN=api.example.test, O=Example");
    tls.issuer = QStringLiteral("CN=Example CA");
    tls.notAfterMs = 1795298400000 + 41LL * 86400000;
    tls.daysLeft = 41;
    tls.problems = {QStringLiteral("CERT_HAS_EXPIRED: The certificate has expired")};
    tls.chain = {{tls.subject, tls.issuer, tls.notAfterMs},
                 {tls.issuer, tls.issuer, tls.notAfterMs + 86400000}};
    e.tls = tls;
    e.health = Health::Degraded;
    e.proxy = QStringLiteral("http://proxy.corp.test:3128");
    const OrderedJson j = toJson(e);
    QVERIFY(j["timing"]["dns_ms"] == 1.25);
    QVERIFY(j["timing"]["tls_ms"] == 3.5);
    QVERIFY(j["timing"]["first_byte_ms"] == 7.75);
    QVERIFY(!j["timing"].contains("connect_ms")); // not observed: left out
    QVERIFY(j["timing"]["reused_connection"] == false);
    QVERIFY(j["tls"]["days_left"] == 41);
    QVERIFY(j["tls"]["not_after"] == "2027-01-01T22:00:00.000Z");
    QVERIFY(j["tls"]["subject"] == "CN=api.example.test, O=Example");
    QVERIFY(j["tls"]["chain"].size() == 2);
    QVERIFY(j["health"] == "degraded");
    QVERIFY(j["proxy"] == "http://proxy.corp.test:3128");
    const auto parsed = eventFromJsonText(toJsonLine(e));
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QVERIFY(*parsed.event == e);
}

void TestEventJson::networkFacts_absentWhenUnknown()
{
    const OrderedJson j = toJson(fullEvent());
    for (const char *key : {"timing", "tls", "health", "proxy"})
        QVERIFY2(!j.contains(key), key);
    // Hostile shapes are ignored, never a crash.
    const auto parsed = eventFromJsonText(
        R"({"schema":"healthdeck.event/1","time":"2026-11-21T22:00:00.000Z","outcome":"success",)"
        R"("category":"ok","timing":{"dns_ms":"x","tls_ms":1e300},"tls":{"chain":[1,2,{}],)"
        R"("days_left":1e300,"problems":[null]},"health":"sideways","proxy":7})");
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QVERIFY(!parsed.event->health);
    QVERIFY(parsed.event->proxy.isEmpty());
    QVERIFY(parsed.event->tls && !parsed.event->tls->daysLeft);
    QCOMPARE(parsed.event->tls->chain.size(), 1);
}

void TestEventJson::fromJson_rejectsUnknownCategoryWithClearMessage()
{
    OrderedJson j = toJson(fullEvent());
    j["category"] = "exploded";
    const auto parsed = eventFromJsonText(QByteArray::fromStdString(j.dump()));
    QVERIFY(!parsed.event);
    QVERIFY2(parsed.error.contains(QStringLiteral("category")), qPrintable(parsed.error));
    QVERIFY2(parsed.error.contains(QStringLiteral("exploded")), qPrintable(parsed.error));
}

void TestEventJson::fromJson_rejectsWrongSchema()
{
    QVERIFY(!eventFromJsonText(R"({"schema":"other/1"})").event);
    QVERIFY(!eventFromJsonText("[1,2").event);
}

void TestEventJson::hostileLines_areErrorsNotCrashes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("1e999") << QByteArray(R"({"schema":"healthdeck.event/1","x":1e999})")
                           << QStringLiteral("not valid JSON at byte 40: number overflow");
    QTest::newRow("100000 x [") << QByteArray(100000, '[')
                                << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("deep headers")
        << QByteArray(R"({"schema":"healthdeck.event/1","request":{"headers":{"h":)")
               + QByteArray(200, '[') + QByteArray(200, ']') + "}}}"
        << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("type error") << QByteArray(
        R"({"schema":"healthdeck.event/1","time":"2026-11-21T22:00:00Z","outcome":"success","category":"ok","retry":{"retryable":"yes","action":"none"}})")
                                << QStringLiteral("type");
    QTest::newRow("invalid UTF-8")
        << QByteArray("{\"schema\":\"\xc3\x28\"}") << QStringLiteral("not valid JSON");
}

void TestEventJson::hostileLines_areErrorsNotCrashes()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    const auto parsed = eventFromJsonText(line);
    QVERIFY(!parsed.event);
    QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
}

void TestEventJson::outOfRangeNumbers_areLeftOutNotConverted()
{
    // 1e300 as an int attempt or a huge unsigned as a status would be undefined behaviour or a
    // silent wrap; they are read as absent.
    OrderedJson j = toJson(fullEvent());
    j["attempt"] = 1e300;
    j["http_status"] = 18446744073709551615ULL;
    j["response"]["size"] = -1e300;
    j["retry"]["delay_ms"] = 9.3e18;
    const auto parsed = eventFromJsonText(QByteArray::fromStdString(j.dump()));
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QCOMPARE(parsed.event->attempt, 1);
    QVERIFY(!parsed.event->httpStatus);
    QCOMPARE(parsed.event->response->size, qint64(0));
    QVERIFY(!parsed.event->retry.delayMs);
}

void TestEventJson::enums_everyValueHasAStringForm()
{
    for (int i = 0; i < CategoryCount; ++i) {
        const auto s = toString(Category(i));
        QVERIFY(!s.empty());
        HD_COMPARE_ENUM(categoryFromString(s).value(), Category(i));
    }
    for (int i = 0; i < RetryActionCount; ++i)
        HD_COMPARE_ENUM(retryActionFromString(toString(RetryAction(i))).value(), RetryAction(i));
    for (int i = 0; i < ErrorTypeCount; ++i)
        HD_COMPARE_ENUM(errorTypeFromString(toString(ErrorType(i))).value(), ErrorType(i));
    HD_COMPARE_ENUM(outcomeOf(Category::BusinessRejected), Outcome::BusinessError);
    HD_COMPARE_ENUM(outcomeOf(Category::LockoutWarning), Outcome::ClientError);
    HD_COMPARE_ENUM(outcomeOf(Category::StreamDropped), Outcome::ConnectionError);
}

void TestEventJson::boundsFields_roundTripAndStayAbsentWhenUnset()
{
    // Optional members added for docs/limits.md: present only when something was clamped or
    // cut, so every event written before them reads and writes exactly as it did.
    const QByteArray plain = toJsonLine(fullEvent());
    QVERIFY(!plain.contains("clamped"));
    QVERIFY(!plain.contains("truncated"));
    QVERIFY(!plain.contains("notes"));

    ApiEvent e = fullEvent();
    e.rateLimit->clamped = true;
    e.response->truncated = true;
    e.token->clamped = true;
    e.notes = {QStringLiteral("Retry-After of 315360000 s clamped to 3600 s"),
               QStringLiteral("response body larger than 16 MiB")};
    const QByteArray line = toJsonLine(e);
    QVERIFY(line.contains(R"("source":"RateLimit-Policy","clamped":true})"));
    QVERIFY(line.contains(R"("size":17,"truncated":true})"));
    QVERIFY(line.contains(R"("scopes":["read:orders"],"clamped":true})"));
    QVERIFY(line.endsWith(
        R"("notes":["Retry-After of 315360000 s clamped to 3600 s","response body larger than 16 MiB"]})"));
    const auto parsed = eventFromJsonText(line);
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    QVERIFY(*parsed.event == e);
}

void TestEventJson::hugeNumbers_areAbsentNotUndefined()
{
    // A hand-edited or hostile events file: numbers no integer can hold read as absent (or the
    // default), never through an undefined float-to-integer conversion.
    QByteArray line = toJsonLine(fullEvent());
    line.replace(R"("attempt":2)", R"("attempt":1e300)");
    line.replace(R"("size":17)", R"("size":-1e300)");
    line.replace(R"("http_status":429)", R"("http_status":18446744073709551615)");
    line.replace(R"("delay_ms":30000)", R"("delay_ms":1e300)");
    line.replace(R"("limit":100)", R"("limit":9.3e18)");
    line.replace(R"("expires_in_s":120)", R"("expires_in_s":-9.3e18)");
    const auto parsed = eventFromJsonText(line);
    QVERIFY2(parsed.event, qPrintable(parsed.error));
    const ApiEvent &e = *parsed.event;
    QCOMPARE(e.attempt, 1);
    QCOMPARE(e.response->size, qint64(0));
    QCOMPARE(e.httpStatus, std::nullopt);
    QCOMPARE(e.retry.delayMs, std::nullopt);
    QCOMPARE(e.rateLimit->limit, std::nullopt);
    QCOMPARE(e.token->expiresInS, std::nullopt);
    // In range, a float that is integral still reads.
    QByteArray ok = toJsonLine(fullEvent());
    ok.replace(R"("delay_ms":30000)", R"("delay_ms":30000.0)");
    QCOMPARE(eventFromJsonText(ok).event->retry.delayMs, std::optional<qint64>(30000));
}

QTEST_GUILESS_MAIN(TestEventJson)
#include "tst_eventjson.moc"
