#include "simoauth.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace hd {

SimResponse SimOAuth::token(const SimRequest &req, SimContext &ctx, const QString &audience,
                            const QStringList &allScopes)
{
    auto oauthError = [](int status, const char *error, const QString &description) {
        SimResponse r = SimResponse::json(
            status, QJsonDocument(QJsonObject{{QStringLiteral("error"), QLatin1String(error)},
                                              {QStringLiteral("error_description"), description}}));
        r.setHeader("Cache-Control", "no-store");
        return r;
    };
    if (auto failed = switchedOff(ctx, true))
        return *failed;
    if (req.method != "POST") {
        SimResponse r = oauthError(405, "invalid_request", QStringLiteral("use POST"));
        r.setHeader("Allow", "POST");
        return r;
    }
    // Form encoding per RFC 6749; JSON too, as Auth0 accepts it.
    QHash<QString, QString> p;
    if (req.header("Content-Type").contains("json")) {
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        for (auto it = o.begin(); it != o.end(); ++it)
            p.insert(it.key(), it.value().toString());
    } else {
        const QUrlQuery form(QString::fromUtf8(req.body));
        for (const auto &[k, v] : form.queryItems(QUrl::FullyDecoded))
            p.insert(k, v);
    }
    // Client credentials may also come as HTTP Basic (RFC 6749 §2.3.1).
    const QByteArray basic = req.header("Authorization");
    if (basic.startsWith("Basic ")) {
        const QByteArray pair = QByteArray::fromBase64(basic.mid(6).trimmed());
        const qsizetype colon = pair.indexOf(':');
        if (colon > 0) {
            p.insert(QStringLiteral("client_id"), QString::fromUtf8(pair.left(colon)));
            p.insert(QStringLiteral("client_secret"), QString::fromUtf8(pair.mid(colon + 1)));
        }
    }
    if (p.value(QStringLiteral("grant_type")) != u"client_credentials")
        return oauthError(400, "unsupported_grant_type",
                          QStringLiteral("only grant_type=client_credentials is supported"));
    const QString clientId = p.value(QStringLiteral("client_id"));
    static const QStringList known{QStringLiteral("sim-client"), QStringLiteral("sim-readonly"),
                                   QStringLiteral("sim-metered"), QStringLiteral("sim-busy")};
    if (!known.contains(clientId) || p.value(QStringLiteral("client_secret")) != u"sim-secret")
        return oauthError(401, "invalid_client",
                          QStringLiteral("Unknown client or wrong client secret"));
    QStringList scopes = allScopes;
    if (clientId == u"sim-readonly")
        scopes = scopes.filter(QStringLiteral(":read"));
    const QString wanted = p.value(QStringLiteral("scope"));
    if (!wanted.isEmpty()) {
        const QStringList asked = wanted.split(u' ', Qt::SkipEmptyParts);
        for (const QString &s : asked)
            if (!scopes.contains(s))
                return oauthError(
                    400, "invalid_scope",
                    QStringLiteral("scope '%1' is not granted to this client").arg(s));
        scopes = asked;
    }
    const qint64 nowS = ctx.nowMs() / 1000;
    int lifetime = ctx.config().tokenLifetimeS;
    // A per-request lifetime lets the demo show a token about to expire.
    if (const int asked = p.value(QStringLiteral("lifetime_s")).toInt(); asked > 0)
        lifetime = std::min(asked, 86400);
    const QByteArray jwt = ctx.jwt().mint(clientId, audience, scopes, nowS, lifetime);
    SimResponse r = SimResponse::json(
        200, QJsonDocument(QJsonObject{{QStringLiteral("access_token"), QString::fromLatin1(jwt)},
                                       {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                       {QStringLiteral("expires_in"), lifetime},
                                       {QStringLiteral("scope"), scopes.join(u' ')}}));
    r.setHeader("Cache-Control", "no-store");
    return r;
}

std::optional<SimResponse> SimOAuth::authorize(const SimRequest &req, SimContext &ctx,
                                               const QString &audience, const QString &scope,
                                               ErrorBody errorBody, QJsonObject *claims)
{
    QJsonObject c;
    const SimJwt::Check check = ctx.bearer(req, &c);
    if (check != SimJwt::Check::Valid || c.value(QStringLiteral("aud")).toString() != audience) {
        const QString why = check == SimJwt::Check::Valid
                                ? QStringLiteral("token audience is not %1").arg(audience)
                                : QString::fromLatin1(SimJwt::checkText(check));
        SimResponse r = errorBody(ctx, 401, QStringLiteral("unauthorized"),
                                  QStringLiteral("JWT %1").arg(why));
        r.setHeader("WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"" + why.toLatin1() + '"');
        return r;
    }
    if (!scope.isEmpty() && !SimJwt::scopes(c).contains(scope)) {
        SimResponse r = errorBody(ctx, 403, QStringLiteral("insufficient_scope"),
                                  QStringLiteral("token lacks the required scope %1").arg(scope));
        r.setHeader("WWW-Authenticate",
                    "Bearer error=\"insufficient_scope\", scope=\"" + scope.toLatin1() + '"');
        return r;
    }
    if (claims)
        *claims = c;
    return std::nullopt;
}

std::optional<SimResponse> SimOAuth::switchedOff(SimContext &ctx, bool oauth2Body)
{
    const int status = ctx.config().tokenFailureStatus;
    if (status == 0)
        return std::nullopt;
    const QString text
        = QStringLiteral("the token service is switched to fail (token_failure_status "
                         "%1)")
              .arg(status);
    if (!oauth2Body)
        return SimResponse::json(status,
                                 QJsonDocument(QJsonObject{{QStringLiteral("errorText"), text},
                                                           {QStringLiteral("ok"), false}}));
    const char *error = status == 401   ? "invalid_client"
                        : status == 400 ? "invalid_request"
                        : status >= 500 ? "temporarily_unavailable"
                                        : "access_denied";
    SimResponse r = SimResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("error"), QLatin1String(error)},
                                          {QStringLiteral("error_description"), text}}));
    r.setHeader("Cache-Control", "no-store");
    return r;
}

qint64 SimOAuth::quotaFor(const QString &subject, const SimConfig &config)
{
    if (subject == u"sim-metered" || subject == u"sim-busy" || subject == u"sim-key-tiny")
        return 1;
    return config.defaultQuota;
}

} // namespace hd
