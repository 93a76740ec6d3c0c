#include "simjwt.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace hd {
namespace {
constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

SimJwt::SimJwt(QByteArray secret)
    : m_secret(std::move(secret))
{}

QByteArray SimJwt::sign(const QByteArray &signingInput) const
{
    return QMessageAuthenticationCode::hash(signingInput, m_secret, QCryptographicHash::Sha256)
        .toBase64(kB64);
}

QByteArray SimJwt::mint(const QString &subject, const QString &audience, const QStringList &scopes,
                        qint64 issuedAtS, qint64 lifetimeS) const
{
    const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(kB64);
    QJsonObject claims{
        {QStringLiteral("iss"), QStringLiteral("https://auth.healthdeck-sim.invalid/")},
        {QStringLiteral("sub"), subject},
        {QStringLiteral("aud"), audience},
        {QStringLiteral("iat"), issuedAtS},
        {QStringLiteral("exp"), issuedAtS + lifetimeS},
        {QStringLiteral("scope"), scopes.join(u' ')}};
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kB64);
    const QByteArray input = header + '.' + payload;
    return input + '.' + sign(input);
}

SimJwt::Check SimJwt::verify(const QByteArray &token, qint64 nowS, QJsonObject *claims) const
{
    if (token.isEmpty())
        return Check::Missing;
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return Check::Malformed;
    const QByteArray expected = sign(parts[0] + '.' + parts[1]);
    // Constant-time comparison is not needed for a simulator, but costs nothing.
    if (expected.size() != parts[2].size())
        return Check::BadSignature;
    int diff = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        diff |= expected[i] ^ parts[2][i];
    if (diff)
        return Check::BadSignature;
    const QJsonObject payload
        = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], kB64)).object();
    if (payload.isEmpty())
        return Check::Malformed;
    if (claims)
        *claims = payload;
    if (qint64(payload.value(QStringLiteral("exp")).toDouble()) <= nowS)
        return Check::Expired;
    return Check::Valid;
}

QStringList SimJwt::scopes(const QJsonObject &claims)
{
    return claims.value(QStringLiteral("scope")).toString().split(u' ', Qt::SkipEmptyParts);
}

const char *SimJwt::checkText(Check c)
{
    switch (c) {
    case Check::Valid:
        return "valid";
    case Check::Missing:
        return "missing bearer token";
    case Check::Malformed:
        return "malformed token";
    case Check::BadSignature:
        return "invalid token signature";
    case Check::Expired:
        return "token expired";
    }
    return "invalid token";
}

} // namespace hd
