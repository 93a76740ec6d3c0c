#include "simtradovateapi.h"

#include "simoauth.h"
#include "simratelimitheaders.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hd {

const QStringList &SimTradovateApi::failureReasons()
{
    static const QStringList reasons{QStringLiteral("AccountClosed"),
                                     QStringLiteral("AdvancedTrailingStopUnsupported"),
                                     QStringLiteral("AnotherCommandPending"),
                                     QStringLiteral("BackMonthProhibited"),
                                     QStringLiteral("ExecutionProviderNotConfigured"),
                                     QStringLiteral("ExecutionProviderUnavailable"),
                                     QStringLiteral("InvalidContract"),
                                     QStringLiteral("InvalidPrice"),
                                     QStringLiteral("LiquidationOnly"),
                                     QStringLiteral("LiquidationOnlyBeforeExpiration"),
                                     QStringLiteral("MaxOrderQtyIsNotSpecified"),
                                     QStringLiteral("MaxOrderQtyLimitReached"),
                                     QStringLiteral("MaxPosLimitMisconfigured"),
                                     QStringLiteral("MaxPosLimitReached"),
                                     QStringLiteral("MaxTotalPosLimitReached"),
                                     QStringLiteral("MultipleAccountPlanRequired"),
                                     QStringLiteral("NoQuote"),
                                     QStringLiteral("NotEnoughLiquidity"),
                                     QStringLiteral("OtherExecutionRelated"),
                                     QStringLiteral("ParentRejected"),
                                     QStringLiteral("RiskCheckTimeout"),
                                     QStringLiteral("SessionClosed"),
                                     QStringLiteral("TooLate"),
                                     QStringLiteral("TradingLocked"),
                                     QStringLiteral("TrailingStopNonOrderQtyModify"),
                                     QStringLiteral("Unauthorized"),
                                     QStringLiteral("UnknownReason"),
                                     QStringLiteral("Unsupported")};
    return reasons;
}

SimResponse SimTradovateApi::error(SimContext &, int status, const QString &,
                                   const QString &message)
{
    return SimResponse::json(status,
                             QJsonDocument(QJsonObject{{QStringLiteral("errorText"), message},
                                                       {QStringLiteral("ok"), false}}));
}

QString SimTradovateApi::credentialOf(const SimRequest &req, SimContext &ctx)
{
    QJsonObject claims;
    const SimJwt::Check c = ctx.bearer(req, &claims);
    if (c == SimJwt::Check::Valid || c == SimJwt::Check::Expired)
        return claims.value(QStringLiteral("sub")).toString();
    return QStringLiteral("anonymous");
}

SimResponse SimTradovateApi::handle(const SimRequest &req, const QString &sub, SimContext &ctx)
{
    const qint64 now = ctx.nowMs();
    // The penalty box comes first: a locked-out credential gets 429 whatever it asks.
    const SimLockout::Result lock = ctx.lockout().hit(credentialOf(req, ctx), now);
    if (lock.verdict == SimLockout::Verdict::Locked) {
        SimResponse r = SimResponse::json(
            429, QJsonDocument(
                     QJsonObject{{QStringLiteral("p-ticket"), QString::fromLatin1(ctx.traceId())},
                                 {QStringLiteral("p-time"),
                                  qint64(SimRateLimitHeaders::ceilSeconds(lock.lockedForMs))},
                                 {QStringLiteral("p-captcha"), true},
                                 {QStringLiteral("errorText"),
                                  QStringLiteral("Locked out: too many requests. Every request "
                                                 "during the lockout window extends it.")}}));
        SimRateLimitHeaders::retryAfter(r, lock.lockedForMs);
        return r;
    }
    if (lock.verdict == SimLockout::Verdict::Warn)
        return SimResponse::json(
            423, QJsonDocument(QJsonObject{
                     {QStringLiteral("errorText"),
                      QStringLiteral("Too many requests: slow down or you will be locked out")}}));

    if (sub == u"/v1/auth/accesstokenrequest" || sub == u"/v1/auth/renewaccesstoken")
        if (auto failed = SimOAuth::switchedOff(ctx, false))
            return *failed;
    if (sub == u"/v1/auth/accesstokenrequest") {
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        if (o.value(QStringLiteral("name")).toString() != u"sim-user"
            || o.value(QStringLiteral("password")).toString() != u"sim-pass")
            // Tradovate reports bad credentials as a business error inside a 200.
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{
                         {QStringLiteral("errorText"),
                          QStringLiteral("Incorrect username or password. Please try again.")},
                         {QStringLiteral("ok"), false}}));
        const qint64 lifetime = ctx.config().tokenLifetimeS;
        const QByteArray token = ctx.jwt().mint(QStringLiteral("sim-user"), QStringLiteral("s003"),
                                                {QStringLiteral("trade"), QStringLiteral("read")},
                                                now / 1000, lifetime);
        return SimResponse::json(
            200, QJsonDocument(
                     QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1(token)},
                                 {QStringLiteral("mdAccessToken"), QString::fromLatin1(token)},
                                 {QStringLiteral("expirationTime"),
                                  QDateTime::fromMSecsSinceEpoch(now + lifetime * 1000, Qt::UTC)
                                      .toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("userStatus"), QStringLiteral("Active")},
                                 {QStringLiteral("userId"), 4242},
                                 {QStringLiteral("name"), QStringLiteral("sim-user")},
                                 {QStringLiteral("hasLive"), false}}));
    }
    if (sub == u"/v1/user/signup") {
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        if (o.value(QStringLiteral("firstName")).toString().isEmpty())
            return SimResponse::json(
                200,
                QJsonDocument(QJsonObject{
                    {QStringLiteral("violations"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("constraint"), QStringLiteral("required_field_missing")},
                         {QStringLiteral("value"), QString()},
                         {QStringLiteral("description"),
                          QStringLiteral("First Name should be specified")}}}}}));
        if (o.value(QStringLiteral("email")).toString().startsWith(u"taken@"))
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{
                         {QStringLiteral("errorText"), QStringLiteral("Email already registered")},
                         {QStringLiteral("errorCode"), QStringLiteral("EmailAlreadyRegistered")},
                         {QStringLiteral("emailVerified"), false}}));
        return SimResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("errorCode"), QStringLiteral("Success")},
                                           {QStringLiteral("userId"), 4243}}));
    }

    QJsonObject claims;
    const SimJwt::Check check = ctx.bearer(req, &claims);
    if (check != SimJwt::Check::Valid || claims.value(QStringLiteral("aud")).toString() != u"s003")
        return error(
            ctx, 401, {},
            QStringLiteral("Access is denied: %1").arg(QLatin1String(SimJwt::checkText(check))));

    if (sub == u"/v1/auth/me")
        return SimResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("userId"), 4242},
                                           {QStringLiteral("name"), QStringLiteral("sim-user")}}));
    if (sub == u"/v1/auth/renewaccesstoken") {
        const qint64 lifetime = ctx.config().tokenLifetimeS;
        const QByteArray token = ctx.jwt().mint(QStringLiteral("sim-user"), QStringLiteral("s003"),
                                                {QStringLiteral("trade"), QStringLiteral("read")},
                                                now / 1000, lifetime);
        return SimResponse::json(
            200, QJsonDocument(
                     QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1(token)},
                                 {QStringLiteral("expirationTime"),
                                  QDateTime::fromMSecsSinceEpoch(now + lifetime * 1000, Qt::UTC)
                                      .toString(Qt::ISODateWithMs)}}));
    }
    if (sub == u"/v1/account/list")
        return SimResponse::json(
            200,
            QJsonDocument(QJsonArray{QJsonObject{{QStringLiteral("id"), 501},
                                                 {QStringLiteral("name"), QStringLiteral("SIM501")},
                                                 {QStringLiteral("active"), true}}}));
    if (sub == u"/v1/order/item") {
        const qint64 id = req.query.queryItemValue(QStringLiteral("id")).toLongLong();
        if (id < 1000 || id >= ctx.nextOrderId)
            return SimResponse::json(
                404, QJsonDocument(QJsonObject{{QStringLiteral("errorText"),
                                                QStringLiteral("Order %1 not found").arg(id)}}));
        return SimResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                                                {QStringLiteral("ordStatus"),
                                                                 QStringLiteral("Working")}}));
    }
    if (sub == u"/v1/order/placeorder") {
        if (req.method != "POST")
            return error(ctx, 405, {}, QStringLiteral("use POST"));
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        const QString symbol = o.value(QStringLiteral("symbol")).toString();
        // A symbol named after a failureReason makes the order fail with it: every reason of
        // the seed is reachable from a workspace or a test.
        if (failureReasons().contains(symbol))
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("failureReason"), symbol},
                                               {QStringLiteral("failureText"),
                                                QStringLiteral("Order rejected: %1").arg(symbol)},
                                               {QStringLiteral("orderId"), ctx.nextOrderId++}}));
        if (symbol == u"INTERNALTIMEOUT")
            return error(ctx, 500, {}, QStringLiteral("Internal timeout while routing the order"));
        return SimResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("orderId"), ctx.nextOrderId++}}));
    }
    if (sub == u"/v1/order/cancelorder") {
        const qint64 id = qint64(
            QJsonDocument::fromJson(req.body).object().value(QStringLiteral("orderId")).toDouble());
        if (id < 1000 || id >= ctx.nextOrderId)
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{
                         {QStringLiteral("ok"), false},
                         {QStringLiteral("errorText"),
                          QStringLiteral("Order is already filled or does not exist")}}));
        return SimResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("ok"), true}}));
    }
    return SimResponse::json(404, QJsonDocument(QJsonObject{
                                      {QStringLiteral("errorText"),
                                       QStringLiteral("Endpoint not defined: %1").arg(req.path)}}));
}

} // namespace hd
