#include "simsignalapi.h"

#include "simoauth.h"
#include "simratelimitheaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hd {

SimResponse SimSignalApi::error(SimContext &ctx, int status, const QString &code,
                                const QString &message, const QJsonValue &details)
{
    QJsonObject o{{QStringLiteral("error"), message}, {QStringLiteral("code"), code}};
    if (!details.isUndefined() && !details.isNull())
        o.insert(QStringLiteral("details"), details);
    SimResponse r = SimResponse::json(status, QJsonDocument(o));
    r.setHeader("X-Request-Id", ctx.traceId());
    return r;
}

SimResponse SimSignalApi::handle(const SimRequest &req, const QString &sub, SimContext &ctx)
{
    if (sub == u"/api/v1/health")
        return SimResponse::json(200, QByteArrayLiteral(R"({"status":"ok"})"));
    const QString key = QString::fromUtf8(req.header("X-API-Key"));
    if (key != u"sim-key" && key != u"sim-key-readonly" && key != u"sim-key-tiny")
        return error(ctx, 401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("Invalid API key"));
    const SimQuota::Result quota
        = ctx.quota().consume(QStringLiteral("s001/") + key, SimOAuth::quotaFor(key, ctx.config()),
                              ctx.config().quotaWindowS * 1000LL, ctx.nowMs());
    if (!quota.allowed) {
        SimResponse r
            = error(ctx, 429, QStringLiteral("RATE_LIMITED"), QStringLiteral("Rate limited"));
        SimRateLimitHeaders::draft(r, quota);
        SimRateLimitHeaders::retryAfter(r, quota.resetMs);
        return r;
    }
    SimResponse r = [&]() -> SimResponse {
        if (req.method != "GET" && key == u"sim-key-readonly")
            return error(ctx, 403, QStringLiteral("FORBIDDEN"),
                         QStringLiteral("Insufficient permissions: this API key is read-only"));
        if (sub == u"/api/v1/signals" && req.method == "GET")
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{
                         {QStringLiteral("signals"),
                          QJsonArray{QJsonObject{
                              {QStringLiteral("id"), QStringLiteral("sig-100")},
                              {QStringLiteral("status"), QStringLiteral("executed")}}}}}));
        if (sub.startsWith(u"/api/v1/reconciliation/repair/")) {
            if (req.method != "POST")
                return error(ctx, 405, QStringLiteral("METHOD_NOT_ALLOWED"),
                             QStringLiteral("use POST"));
            return error(
                ctx, 409, QStringLiteral("RECALC_WOULD_OVER_EXPOSE"),
                QStringLiteral(
                    "Rebuilding the trade would exceed the broker's gross open quantity"),
                QJsonObject{{QStringLiteral("exceedsBy"), 25},
                            {QStringLiteral("conflictingTradeIds"),
                             QJsonArray{QStringLiteral("trd-812"), QStringLiteral("trd-799")}}});
        }
        if (sub != u"/api/v1/signals")
            return error(ctx, 404, QStringLiteral("NOT_FOUND"), QStringLiteral("Not found"));
        if (req.method != "POST")
            return error(ctx, 405, QStringLiteral("METHOD_NOT_ALLOWED"),
                         QStringLiteral("use GET or POST"));

        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(req.body, &pe).object();
        QJsonArray problems;
        for (const char *field : {"accountId", "strategyId", "symbol", "action"})
            if (o.value(QLatin1String(field)).toString().isEmpty())
                problems.append(
                    QJsonObject{{QStringLiteral("path"), QJsonArray{QLatin1String(field)}},
                                {QStringLiteral("message"), QStringLiteral("Required")}});
        if (pe.error != QJsonParseError::NoError || !problems.isEmpty())
            return error(ctx, 400, QStringLiteral("VALIDATION_ERROR"),
                         QStringLiteral("Request body failed validation"), problems);
        const QString account = o.value(QStringLiteral("accountId")).toString();
        const QString strategy = o.value(QStringLiteral("strategyId")).toString();
        const QString symbol = o.value(QStringLiteral("symbol")).toString();
        const QString action = o.value(QStringLiteral("action")).toString();
        const QString source = o.value(QStringLiteral("sourceId")).toString();
        if (account == u"acct-missing")
            return error(ctx, 404, QStringLiteral("ACCOUNT_NOT_FOUND"),
                         QStringLiteral("Account ID not found or no access"));
        if (strategy == u"strat-missing")
            return error(ctx, 404, QStringLiteral("STRATEGY_NOT_FOUND"),
                         QStringLiteral("Strategy ID not found or no access"));
        if (strategy == u"strat-disabled")
            return error(ctx, 503, QStringLiteral("SERVICE_DISABLED"),
                         QStringLiteral("Signal processing is disabled"));
        if (!source.isEmpty() && ctx.signalSources.contains(source))
            return error(ctx, 400, QStringLiteral("SIGNAL_REJECTED"),
                         QStringLiteral("Signal rejected: duplicate sourceId %1").arg(source));
        if (symbol == u"MKTCLOSED")
            return error(ctx, 400, QStringLiteral("MARKET_CLOSED"),
                         QStringLiteral("Market is closed for this symbol"));
        if (o.value(QStringLiteral("qty")).toDouble() > 1e6)
            return error(ctx, 400, QStringLiteral("INSUFFICIENT_FUNDS"),
                         QStringLiteral("Account has insufficient buying power"));
        if (symbol == u"DUPE")
            return error(
                ctx, 409, QStringLiteral("DUPLICATE_INTENT"),
                QStringLiteral("A same-direction live signal already exists for this account, "
                               "strategy, symbol and action"),
                QJsonObject{{QStringLiteral("conflictingSignalId"), QStringLiteral("sig-4711")}});
        if (symbol == u"NETTED" && action == u"sell")
            return error(
                ctx, 409, QStringLiteral("OPPOSING_POSITION_OPEN"),
                QStringLiteral("The signal would open the opposing side of an existing trade on a "
                               "netting broker"),
                QJsonObject{{QStringLiteral("conflictingTradeId"), QStringLiteral("trd-2024")}});
        if (!source.isEmpty() && ctx.signalSources.size() < 100000)
            ctx.signalSources.insert(source);
        const bool scheduled = o.value(QStringLiteral("execute")).toString() == u"scheduled";
        return SimResponse::json(
            scheduled ? 202 : 201,
            QJsonDocument(
                QJsonObject{{QStringLiteral("id"), QStringLiteral("sig-%1").arg(ctx.nextOrderId++)},
                            {QStringLiteral("status"), scheduled ? QStringLiteral("scheduled")
                                                                 : QStringLiteral("executed")}}));
    }();
    SimRateLimitHeaders::draft(r, quota);
    return r;
}

} // namespace hd
