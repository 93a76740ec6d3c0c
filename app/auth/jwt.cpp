#include "jwt.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "resourcelimits.h"
#include "saturating.h"

#include <cmath>
#include <limits>

namespace hd {

namespace {

bool isBase64UrlChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-'
           || u == '_';
}

std::optional<QByteArray> decodePart(QStringView part)
{
    if (part.isEmpty())
        return std::nullopt;
    for (QChar c : part)
        if (!isBase64UrlChar(c) && c != u'=')
            return std::nullopt;
    const auto r = QByteArray::fromBase64Encoding(
        part.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return r.decoded;
}

std::optional<QJsonObject> decodeObject(QStringView part)
{
    const auto bytes = decodePart(part);
    if (!bytes)
        return std::nullopt;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// NumericDate (RFC 7519 §2): seconds, possibly fractional. Strings are not numbers here:
// guessing would invent facts. A number outside [0, year 9999] (1e300, -5, NaN cannot reach us
// through JSON but huge and negative values can) is ignored as if absent and noted: converting
// it would be undefined behaviour, and exp × 1000 must never overflow.
std::optional<qint64> numericDate(const QJsonObject &o, const char *name, QStringList &notes)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble()) {
        notes.append(QStringLiteral("JWT claim \"%1\" is not a number and was ignored")
                         .arg(QLatin1String(name)));
        return std::nullopt;
    }
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < 0 || d > double(limits::MaxJwtNumericDateS)) {
        notes.append(QStringLiteral("JWT claim \"%1\" = %2 is outside 1970-9999 and was ignored")
                         .arg(QLatin1String(name), secondsText(d)));
        return std::nullopt;
    }
    return qint64(std::floor(d));
}

QStringList stringOrArray(const QJsonValue &v, bool splitSpaces)
{
    QStringList out;
    if (v.isString()) {
        if (splitSpaces)
            out = v.toString().split(u' ', Qt::SkipEmptyParts);
        else
            out.append(v.toString());
    } else if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            if (item.isString() && !item.toString().isEmpty())
                out.append(item.toString());
    }
    return out;
}

} // namespace

bool Jwt::looksLikeJwt(QStringView token)
{
    if (token.count(u'.') != 2)
        return false;
    for (QChar c : token)
        if (!isBase64UrlChar(c) && c != u'.' && c != u'=')
            return false;
    return true;
}

std::optional<Jwt> Jwt::decode(const QString &text, QString *error)
{
    QStringView token = text;
    auto fail = [&](const QString &msg) -> std::optional<Jwt> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    token = token.trimmed();
    if (token.startsWith(u"Bearer ", Qt::CaseInsensitive))
        token = token.mid(7).trimmed();
    if (token.isEmpty())
        return fail(QStringLiteral("empty token"));
    const auto parts = token.split(u'.');
    if (parts.size() == 5)
        return fail(
            QStringLiteral("an encrypted JWT (JWE, 5 parts) cannot be decoded without its key"));
    if (parts.size() != 3)
        return fail(QStringLiteral("not a JWT: %1 part(s) instead of 3").arg(parts.size()));
    const auto header = decodeObject(parts[0]);
    if (!header)
        return fail(QStringLiteral("not a JWT: the header is not base64url-encoded JSON object"));
    const auto claims = decodeObject(parts[1]);
    if (!claims)
        return fail(
            QStringLiteral("not a JWT: the payload is not a base64url-encoded JSON object"));

    Jwt jwt;
    jwt.m_header = *header;
    jwt.m_claims = *claims;
    jwt.m_exp = numericDate(*claims, "exp", jwt.m_notes);
    jwt.m_iat = numericDate(*claims, "iat", jwt.m_notes);
    jwt.m_nbf = numericDate(*claims, "nbf", jwt.m_notes);
    jwt.m_sub = claims->value(QStringLiteral("sub")).toString();
    jwt.m_iss = claims->value(QStringLiteral("iss")).toString();
    jwt.m_aud = stringOrArray(claims->value(QStringLiteral("aud")), false);
    for (const char *name : {"scope", "scp", "permissions"})
        for (const QString &s : stringOrArray(claims->value(QLatin1String(name)), true))
            if (!jwt.m_scopes.contains(s))
                jwt.m_scopes.append(s);
    return jwt;
}

std::optional<qint64> Jwt::expiresInS(qint64 nowMs) const
{
    if (!m_exp)
        return std::nullopt;
    // Saturating (nowMs is anyone's clock), then floor division so a token 0.5 s past exp
    // reads -1, not 0.
    qint64 diffMs = 0;
    if (__builtin_sub_overflow(*m_exp * 1000, nowMs, &diffMs))
        diffMs
            = nowMs < 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return diffMs / 1000 - (diffMs % 1000 < 0 ? 1 : 0);
}

std::optional<qint64> Jwt::lifetimeS() const
{
    if (!m_exp || !m_iat)
        return std::nullopt;
    return *m_exp - *m_iat;
}

bool Jwt::notYetValid(qint64 nowMs) const
{
    return m_nbf && *m_nbf * 1000 > nowMs; // nbf ≤ year 9999: no overflow
}

TokenInfo Jwt::summary(qint64 nowMs) const
{
    return TokenInfo{expiresInS(nowMs), m_sub, m_scopes};
}

} // namespace hd
