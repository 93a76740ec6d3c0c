// TokenResponse::parse: what a token endpoint's body says, in both dialects, with the clamps
// that keep server-supplied numbers from reaching an integer cast or a lifetime of centuries.
#include "tokenresponse.h"

#include <QTest>

using namespace hd;

namespace {
constexpr qint64 Now = 1795298400000; // 2026-11-21T22:00:00Z
constexpr qint64 TenYearsMs = qint64(10) * 365 * 24 * 3600 * 1000;
} // namespace

class TestTokenResponse : public QObject
{
    Q_OBJECT
private slots:
    void oauth2_tokenAndExpiresIn();
    void oauth2_expiresInAsStringAndAbsurdValues();
    void oauth2_errorBody_givesTheVendorsWords();
    void tradovate_expirationTimeIsAbsolute();
    void tradovate_penaltyTicketIsNotAToken();
    void tradovate_captchaWithAbsurdPTime();
    void jwtExp_extendsTheHold();
    void notJson_isNoToken();
};

void TestTokenResponse::oauth2_tokenAndExpiresIn()
{
    const auto r = TokenResponse::parse(R"({"access_token":"abc","expires_in":3600})",
                                        TokenResponse::Dialect::OAuth2, Now);
    QCOMPARE(r.token, QStringLiteral("abc"));
    QCOMPARE(r.expiresInS, std::optional<double>(3600));
    QCOMPARE(r.holdForMs, std::optional<qint64>(3600 * 1000));
    QVERIFY(r.vendorReason.isEmpty());
}

void TestTokenResponse::oauth2_expiresInAsStringAndAbsurdValues()
{
    auto r = TokenResponse::parse(R"({"access_token":"abc","expires_in":" 120 "})",
                                  TokenResponse::Dialect::OAuth2, Now);
    QCOMPARE(r.expiresInS, std::optional<double>(120));
    r = TokenResponse::parse(R"({"access_token":"abc","expires_in":1e300})",
                             TokenResponse::Dialect::OAuth2, Now);
    QCOMPARE(r.holdForMs, std::optional<qint64>(TenYearsMs)); // clamped, never cast raw
    for (const char *bad : {R"(-5)", R"(0)", R"("soon")", R"(null)", R"(true)"}) {
        r = TokenResponse::parse(QByteArray(R"({"access_token":"abc","expires_in":)") + bad + "}",
                                 TokenResponse::Dialect::OAuth2, Now);
        QVERIFY2(!r.expiresInS, bad);
        QVERIFY2(!r.holdForMs, bad); // held for the session instead
    }
}

void TestTokenResponse::oauth2_errorBody_givesTheVendorsWords()
{
    const auto r = TokenResponse::parse(
        R"({"error":"invalid_client","error_description":"Client authentication failed"})",
        TokenResponse::Dialect::OAuth2, Now);
    QVERIFY(r.token.isEmpty());
    QCOMPARE(r.vendorReason, QStringLiteral("Client authentication failed"));
    const auto huge
        = TokenResponse::parse(QByteArray(R"({"message":")") + QByteArray(100000, 'x') + R"("})",
                               TokenResponse::Dialect::OAuth2, Now);
    QCOMPARE(huge.vendorReason.size(), TokenResponse::MaxReasonChars);
}

void TestTokenResponse::tradovate_expirationTimeIsAbsolute()
{
    const auto r = TokenResponse::parse(
        R"({"accessToken":"tok","expirationTime":"2026-11-21T23:20:00.000Z"})",
        TokenResponse::Dialect::Tradovate, Now);
    QCOMPARE(r.token, QStringLiteral("tok"));
    QCOMPARE(r.expirationWallMs, std::optional<qint64>(Now + 80 * 60 * 1000));
    QCOMPARE(r.holdForMs, std::optional<qint64>(80 * 60 * 1000));
}

void TestTokenResponse::tradovate_penaltyTicketIsNotAToken()
{
    const auto r = TokenResponse::parse(
        R"({"accessToken":"looks-like-one","p-ticket":"tkt","p-time":15,"p-captcha":false})",
        TokenResponse::Dialect::Tradovate, Now);
    QVERIFY(r.token.isEmpty());
    QCOMPARE(r.pTicket, QStringLiteral("tkt"));
    QCOMPARE(r.pTimeS, qint64(15));
    QVERIFY(!r.captcha);
}

void TestTokenResponse::tradovate_captchaWithAbsurdPTime()
{
    const auto r = TokenResponse::parse(R"({"p-captcha":true,"p-time":1e308})",
                                        TokenResponse::Dialect::Tradovate, Now);
    QVERIFY(r.captcha);
    QCOMPARE(r.pTimeS, qint64(24 * 3600));
}

void TestTokenResponse::jwtExp_extendsTheHold()
{
    // header {"alg":"none"}, payload {"exp": Now/1000 + 7200}: longer than expires_in.
    const QByteArray payload
        = QByteArray(R"({"exp":)") + QByteArray::number(Now / 1000 + 7200) + "}";
    const QByteArray jwt
        = QByteArray(R"({"alg":"none"})")
              .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
          + '.' + payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
          + '.';
    const auto r
        = TokenResponse::parse(QByteArray(R"({"access_token":")") + jwt + R"(","expires_in":60})",
                               TokenResponse::Dialect::OAuth2, Now);
    QCOMPARE(r.holdForMs, std::optional<qint64>(7200 * 1000));
}

void TestTokenResponse::notJson_isNoToken()
{
    for (const QByteArray &body : {QByteArray(), QByteArray("<html>502</html>"),
                                   QByteArray("[1,2]"), QByteArray("{\"access_token\":42}")}) {
        const auto r = TokenResponse::parse(body, TokenResponse::Dialect::OAuth2, Now);
        QVERIFY(r.token.isEmpty());
        QVERIFY(!r.holdForMs);
    }
}

QTEST_GUILESS_MAIN(TestTokenResponse)
#include "tst_tokenresponse.moc"
