#include "tokenresponse.h"

#include "jwt.h"
#include "saturating.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace hd {

namespace {

// expires_in as seconds: a positive number or a numeric string ("3600", as some providers
// send). Returned unconverted; the caller clamps it. 1e300 is a valid JSON number and must not
// reach an integer cast.
std::optional<double> jsonSeconds(const QJsonValue &v)
{
    if (v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() > 0)
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double n = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(n) && n > 0)
            return n;
    }
    return std::nullopt;
}

} // namespace

TokenResponse TokenResponse::parse(const QByteArray &body, Dialect dialect, qint64 nowWallMs)
{
    TokenResponse r;
    nowWallMs = std::clamp<qint64>(nowWallMs, 0, qint64(1) << 50);
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (dialect == Dialect::OAuth2) {
        r.token = o.value(QStringLiteral("access_token")).toString();
        r.expiresInS = jsonSeconds(o.value(QStringLiteral("expires_in")));
    } else {
        r.token = o.value(QStringLiteral("accessToken")).toString();
        const QDateTime exp = QDateTime::fromString(
            o.value(QStringLiteral("expirationTime")).toString(), Qt::ISODateWithMs);
        if (exp.isValid())
            r.expirationWallMs = exp.toMSecsSinceEpoch();
        // Seed 003: a penalty ticket is not a token. Wait p-time, then repeat the request with
        // the ticket — or, with p-captcha, stop: only a human can solve the captcha.
        r.pTicket = o.value(QStringLiteral("p-ticket")).toString();
        r.captcha = o.value(QStringLiteral("p-captcha")).toBool();
        if (!r.pTicket.isEmpty() || r.captcha) {
            r.token.clear();
            r.pTimeS = std::clamp<qint64>(
                saturatingToInt64(o.value(QStringLiteral("p-time")).toDouble()), 0, 24 * 3600);
        }
    }
    // Vendors say why in the body even with a 200 (Tradovate: errorText).
    for (const char *key : {"errorText", "error_description", "message", "error"}) {
        if (r.vendorReason.isEmpty())
            r.vendorReason = o.value(QLatin1String(key)).toString().left(MaxReasonChars);
    }
    if (r.token.isEmpty())
        return r;

    // Held while it may be in use: the longest lifetime any source gives. Clamped: these are
    // server-supplied numbers.
    constexpr qint64 MaxS = qint64(10) * 365 * 24 * 3600;
    const auto atLeast = [&r](qint64 ms) {
        r.holdForMs = r.holdForMs ? std::max(*r.holdForMs, ms) : ms;
    };
    if (r.expiresInS)
        atLeast(secondsToMs(*r.expiresInS, MaxS * 1000)); // never a raw double → qint64
    if (r.expirationWallMs)
        atLeast(std::clamp<qint64>(std::clamp<qint64>(*r.expirationWallMs, 0, qint64(1) << 50)
                                       - nowWallMs,
                                   0, MaxS * 1000));
    if (const auto jwt = Jwt::decode(r.token); jwt && jwt->expiresAtS())
        atLeast(std::clamp<qint64>(std::clamp<qint64>(*jwt->expiresAtS(), 0, qint64(1) << 40)
                                       - nowWallMs / 1000,
                                   0, MaxS)
                * 1000);
    return r;
}

} // namespace hd
