// JWT decoding (DESIGN §4): claims, scopes in every spelling, expiry and lifetime arithmetic,
// and malformed tokens refused with a sentence that never repeats the token.
#include "jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace hd;

namespace {

QString encode(const QByteArray &part)
{
    return QString::fromLatin1(
        part.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString makeToken(const QJsonObject &claims,
                  const QJsonObject &header = {{QStringLiteral("alg"), QStringLiteral("RS256")}})
{
    return encode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + u'.'
           + encode(QJsonDocument(claims).toJson(QJsonDocument::Compact))
           + QStringLiteral(".bm90LWEtc2lnbmF0dXJl");
}

constexpr qint64 Now = 1795298400000; // 2026-11-21T22:00:00Z

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT
private slots:
    void decode_readsRegisteredClaims();
    void decode_acceptsBearerPrefixAndPadding();
    void scopes_mergeScopeScpAndPermissions();
    void audience_stringOrArray();
    void expiry_countsDownAndGoesNegative();
    void notBefore_inTheFuture();
    void summary_carriesNoToken();
    void malformed_isRefusedWithoutEchoingTheToken_data();
    void malformed_isRefusedWithoutEchoingTheToken();
    void mistypedClaims_stayAbsent();
    void numericDates_outOfRange_areIgnoredAndNoted_data();
    void numericDates_outOfRange_areIgnoredAndNoted();
    void anyInput_neverCrashes();
};

void TestJwt::decode_readsRegisteredClaims()
{
    const QString token
        = makeToken({{QStringLiteral("sub"), QStringLiteral("client@clients")},
                     {QStringLiteral("iss"), QStringLiteral("https://tenant.auth0.com/")},
                     {QStringLiteral("aud"), QStringLiteral("https://api.example")},
                     {QStringLiteral("iat"), 1795298000},
                     {QStringLiteral("nbf"), 1795298000},
                     {QStringLiteral("exp"), 1795301600}});
    QString error;
    const auto jwt = Jwt::decode(token, &error);
    QVERIFY2(jwt, qPrintable(error));
    QCOMPARE(jwt->algorithm(), QStringLiteral("RS256"));
    QCOMPARE(jwt->subject(), QStringLiteral("client@clients"));
    QCOMPARE(jwt->issuer(), QStringLiteral("https://tenant.auth0.com/"));
    QCOMPARE(jwt->audience(), QStringList{QStringLiteral("https://api.example")});
    QCOMPARE(jwt->issuedAtS(), 1795298000);
    QCOMPARE(jwt->notBeforeS(), 1795298000);
    QCOMPARE(jwt->expiresAtS(), 1795301600);
    QCOMPARE(jwt->lifetimeS(), 3600);
}

void TestJwt::decode_acceptsBearerPrefixAndPadding()
{
    const QString token = makeToken({{QStringLiteral("sub"), QStringLiteral("x")}});
    QVERIFY(Jwt::decode(QStringLiteral("Bearer ") + token));
    // Some issuers pad base64url; padding must not break decoding.
    const QStringList parts = token.split(u'.');
    QString padded = parts[0];
    while (padded.size() % 4)
        padded += u'=';
    QVERIFY(Jwt::decode(padded + u'.' + parts[1] + u'.' + parts[2]));
    QVERIFY(Jwt::looksLikeJwt(token));
    QVERIFY(!Jwt::looksLikeJwt(QStringLiteral("opaque-token-value")));
}

void TestJwt::scopes_mergeScopeScpAndPermissions()
{
    const auto jwt = Jwt::decode(makeToken(
        {{QStringLiteral("scope"), QStringLiteral("read:orders write:orders")},
         {QStringLiteral("scp"), QJsonArray{QStringLiteral("read:orders"), QStringLiteral("md")}},
         {QStringLiteral("permissions"), QJsonArray{QStringLiteral("admin")}}}));
    QVERIFY(jwt);
    QCOMPARE(jwt->scopes(),
             (QStringList{QStringLiteral("read:orders"), QStringLiteral("write:orders"),
                          QStringLiteral("md"), QStringLiteral("admin")}));
    const auto scpString = Jwt::decode(makeToken({{QStringLiteral("scp"), QStringLiteral("a b")}}));
    QCOMPARE(scpString->scopes(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestJwt::audience_stringOrArray()
{
    const auto jwt = Jwt::decode(
        makeToken({{QStringLiteral("aud"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}}));
    QCOMPARE(jwt->audience(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestJwt::expiry_countsDownAndGoesNegative()
{
    const auto jwt = Jwt::decode(makeToken({{QStringLiteral("exp"), Now / 1000 + 120}}));
    QCOMPARE(jwt->expiresInS(Now), 120);
    QCOMPARE(jwt->expiresInS(Now + 119500), 0);
    QCOMPARE(jwt->expiresInS(Now + 120500), -1);
    // A clock at either end of the range saturates instead of overflowing (found by fuzz_jwt).
    constexpr qint64 Max = std::numeric_limits<qint64>::max();
    constexpr qint64 Min = std::numeric_limits<qint64>::min();
    QCOMPARE(jwt->expiresInS(Min), Max / 1000);
    QCOMPARE(jwt->expiresInS(Max), (Now + 120000 - Max) / 1000 - 1);
    QCOMPARE(jwt->lifetimeS(), std::nullopt); // no iat: lifetime unknown, not guessed
    const auto noExp = Jwt::decode(makeToken({{QStringLiteral("sub"), QStringLiteral("x")}}));
    QCOMPARE(noExp->expiresInS(Now), std::nullopt);
}

void TestJwt::notBefore_inTheFuture()
{
    const auto jwt = Jwt::decode(makeToken({{QStringLiteral("nbf"), Now / 1000 + 30}}));
    QVERIFY(jwt->notYetValid(Now));
    QVERIFY(!jwt->notYetValid(Now + 30000));
}

void TestJwt::summary_carriesNoToken()
{
    const QString token = makeToken({{QStringLiteral("sub"), QStringLiteral("svc")},
                                     {QStringLiteral("exp"), Now / 1000 + 60},
                                     {QStringLiteral("scope"), QStringLiteral("read")}});
    const TokenInfo info = Jwt::decode(token)->summary(Now);
    QCOMPARE(info.expiresInS, 60);
    QCOMPARE(info.subject, QStringLiteral("svc"));
    QCOMPARE(info.scopes, QStringList{QStringLiteral("read")});
}

void TestJwt::malformed_isRefusedWithoutEchoingTheToken_data()
{
    QTest::addColumn<QString>("token");
    const QString good = makeToken({{QStringLiteral("sub"), QStringLiteral("x")}});
    const QStringList p = good.split(u'.');
    QTest::newRow("empty") << QString();
    QTest::newRow("opaque") << QStringLiteral("2YotnFZFEjr1zCsicMWpAA");
    QTest::newRow("two parts") << p[0] + u'.' + p[1];
    QTest::newRow("four parts") << good + QStringLiteral(".x");
    QTest::newRow("jwe five parts") << QStringLiteral("a.b.c.d.e");
    QTest::newRow("header not base64") << QStringLiteral("!!!.") + p[1] + u'.' + p[2];
    QTest::newRow("payload not json") << p[0] + u'.' + encode("not json") + u'.' + p[2];
    QTest::newRow("payload json array") << p[0] + u'.' + encode("[1,2]") + u'.' + p[2];
    QTest::newRow("empty payload") << p[0] + QStringLiteral("..") + p[2];
    QTest::newRow("header not object") << encode("\"alg\"") + u'.' + p[1] + u'.' + p[2];
    QTest::newRow("truncated base64")
        << p[0] + u'.' + p[1].left(p[1].size() - 3) + QStringLiteral("=x.") + p[2];
}

void TestJwt::malformed_isRefusedWithoutEchoingTheToken()
{
    QFETCH(QString, token);
    QString error;
    QVERIFY(!Jwt::decode(token, &error));
    QVERIFY(!error.isEmpty());
    if (token.size() > 8)
        QVERIFY2(!error.contains(token), qPrintable(error));
}

void TestJwt::mistypedClaims_stayAbsent()
{
    const auto jwt = Jwt::decode(makeToken({{QStringLiteral("exp"), QStringLiteral("1795301600")},
                                            {QStringLiteral("iat"), QJsonValue::Null},
                                            {QStringLiteral("sub"), 42},
                                            {QStringLiteral("scope"), 7}}));
    QVERIFY(jwt);
    QCOMPARE(jwt->expiresAtS(), std::nullopt);
    QCOMPARE(jwt->issuedAtS(), std::nullopt);
    QCOMPARE(jwt->subject(), QString());
    QVERIFY(jwt->scopes().isEmpty());
}

void TestJwt::numericDates_outOfRange_areIgnoredAndNoted_data()
{
    QTest::addColumn<QByteArray>("exp");
    QTest::addColumn<std::optional<qint64>>("expected");
    QTest::addColumn<bool>("noted");
    using O = std::optional<qint64>;
    QTest::newRow("plain") << QByteArray("1795301600") << O(1795301600) << false;
    QTest::newRow("fractional floors") << QByteArray("1795301600.9") << O(1795301600) << false;
    QTest::newRow("zero") << QByteArray("0") << O(0) << false;
    QTest::newRow("year 9999") << QByteArray("253402300799") << O(253402300799) << false;
    QTest::newRow("past year 9999") << QByteArray("253402300800") << O() << true;
    QTest::newRow("1e300") << QByteArray("1e300") << O() << true;
    QTest::newRow("-1e300") << QByteArray("-1e300") << O() << true;
    QTest::newRow("negative") << QByteArray("-5") << O() << true;
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << O() << true;
    QTest::newRow("2^64") << QByteArray("18446744073709551616") << O() << true;
    QTest::newRow("string") << QByteArray(R"("1795301600")") << O() << true;
    QTest::newRow("object") << QByteArray(R"({"a":1})") << O() << true;
    QTest::newRow("null") << QByteArray("null") << O() << false;
}

void TestJwt::numericDates_outOfRange_areIgnoredAndNoted()
{
    QFETCH(QByteArray, exp);
    QFETCH(std::optional<qint64>, expected);
    QFETCH(bool, noted);
    const QByteArray claims = R"({"exp":)" + exp + R"(,"iat":)" + exp + R"(,"nbf":)" + exp + "}";
    const QString token
        = encode(R"({"alg":"none"})") + u'.' + encode(claims) + QStringLiteral(".eA");
    const auto jwt = Jwt::decode(token);
    QVERIFY(jwt);
    QCOMPARE(jwt->expiresAtS(), expected);
    QCOMPARE(jwt->issuedAtS(), expected);
    QCOMPARE(jwt->notBeforeS(), expected);
    QCOMPARE(jwt->notes().size(), noted ? 3 : 0);
    // The arithmetic on what was kept cannot overflow.
    if (expected) {
        QVERIFY(jwt->expiresInS(Now));
        QCOMPARE(jwt->lifetimeS(), std::optional<qint64>(0));
        jwt->notYetValid(Now);
    } else {
        QCOMPARE(jwt->expiresInS(Now), std::nullopt);
        QVERIFY(!jwt->notYetValid(Now));
    }
}

void TestJwt::anyInput_neverCrashes()
{
    // Not a fuzzer (tests/fuzz has that), a fixed sample of hostile shapes.
    const QList<QByteArray> payloads{"{}",
                                     "[]",
                                     "1e999",
                                     R"({"exp":1e999})",
                                     R"({"exp":-0.0})",
                                     R"({"exp":true})",
                                     R"({"exp":[1,2]})",
                                     R"({"scope":[1,{"a":null},"ok"]})",
                                     R"({"aud":{"x":1}})",
                                     QByteArray(100000, '['),
                                     "{\"exp\":" + QByteArray(400, '9') + "}",
                                     "\xff\xfe\x00",
                                     ""};
    for (const QByteArray &p : payloads) {
        QString error;
        const auto jwt = Jwt::decode(
            encode(R"({"alg":"none"})") + u'.' + encode(p) + QStringLiteral(".eA"), &error);
        if (jwt) {
            jwt->summary(Now);
            jwt->lifetimeS();
        } else {
            QVERIFY(!error.isEmpty());
        }
    }
    for (const QString &raw :
         {QStringLiteral(".."), QStringLiteral("a.b.c.d.e"), QString(70000, u'.'),
          QStringLiteral("Bearer "), QStringLiteral("===.===.==="), QString(1 << 20, u'A')}) {
        QString error;
        QVERIFY(!Jwt::decode(raw, &error));
    }
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
