#include "simtradingapi.h"

#include "simoauth.h"
#include "simratelimitheaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hd {

QStringList SimTradingApi::scopes()
{
    return {QStringLiteral("orders:read"), QStringLiteral("orders:write"),
            QStringLiteral("reports:read")};
}

SimResponse SimTradingApi::error(SimContext &ctx, int status, const QString &code,
                                 const QString &message)
{
    const QByteArray trace = ctx.traceId();
    SimResponse r = SimResponse::json(
        status,
        QJsonDocument(QJsonObject{{QStringLiteral("code"), code.toUpper()},
                                  {QStringLiteral("message"), message},
                                  {QStringLiteral("traceId"), QString::fromLatin1(trace)}}));
    r.setHeader("X-Request-Id", trace);
    return r;
}

std::optional<SimResponse> SimTradingApi::onHead(const SimRequest &req, const QString &sub,
                                                 SimContext &)
{
    // The upload service drops the connection without reading the body: a client still
    // writing it gets EPIPE ("broken pipe") or ECONNRESET.
    if (sub == u"/v1/orders/upload" && req.method == "POST")
        return SimResponse::faulted(SimFault::Reset);
    return std::nullopt;
}

SimResponse SimTradingApi::handle(const SimRequest &req, const QString &sub, SimContext &ctx)
{
    if (sub == u"/oauth/token")
        return SimOAuth::token(req, ctx, QStringLiteral("s000"), scopes());
    if (sub == u"/v1/health")
        return SimResponse::json(200, QByteArrayLiteral(R"({"status":"ok"})"));

    // Connection faults of the seed 000 guide, on the routes where they bite in practice.
    if (sub == u"/v1/marketdata/snapshot")
        return SimResponse::faulted(SimFault::Reset);
    if (sub == u"/v1/reports/daily")
        return SimResponse::faulted(SimFault::Truncate);
    if (sub == u"/v1/accounts") {
        SimResponse r = SimResponse::html(
            502, QByteArrayLiteral(
                     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                     "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                     "</body>\r\n</html>\r\n"));
        r.setHeader("Server", "nginx");
        return r;
    }
    if (sub.startsWith(u"/grpc/")) {
        SimResponse r;
        r.status = 200;
        r.setHeader("Content-Type", "application/grpc");
        if (sub.startsWith(u"/grpc/grpc.health.v1.Health/")) {
            r.setHeader("grpc-status", "0"); // SERVING; the demo schedule drops it now and then
            return r;
        }
        // gRPC over HTTP: a trailers-only response with status 14 UNAVAILABLE.
        r.setHeader("grpc-status", "14");
        r.setHeader("grpc-message", "upstream%20connect%20error%3A%20stream%20dropped");
        return r;
    }

    const bool orders = sub == u"/v1/orders" || sub.startsWith(u"/v1/orders/");
    const bool reports = sub.startsWith(u"/v1/reports/");
    if (!orders && !reports)
        return error(ctx, 404, QStringLiteral("NOT_FOUND"),
                     QStringLiteral("No route %1").arg(req.path));

    QString scope = QStringLiteral("orders:read");
    if (reports)
        scope = QStringLiteral("reports:read");
    else if (req.method != "GET")
        scope = QStringLiteral("orders:write");
    if (sub == u"/v1/orders" && req.method != "GET" && req.method != "POST") {
        SimResponse r = error(ctx, 405, QStringLiteral("METHOD_NOT_ALLOWED"),
                              QStringLiteral("%1 is not supported on /v1/orders")
                                  .arg(QString::fromLatin1(req.method)));
        r.setHeader("Allow", "GET, POST");
        return r;
    }
    QJsonObject claims;
    if (auto denied = SimOAuth::authorize(req, ctx, QStringLiteral("s000"), scope,
                                          &SimTradingApi::error, &claims))
        return *denied;
    const QString subject = claims.value(QStringLiteral("sub")).toString();
    const SimQuota::Result quota = ctx.quota().consume(
        QStringLiteral("s000/") + subject, SimOAuth::quotaFor(subject, ctx.config()),
        ctx.config().quotaWindowS * 1000LL, ctx.nowMs());
    if (!quota.allowed) {
        SimResponse r = error(ctx, 429, QStringLiteral("RATE_LIMITED"),
                              QStringLiteral("Rate limit exceeded"));
        SimRateLimitHeaders::xRateLimit(r, quota);
        SimRateLimitHeaders::retryAfter(r, quota.resetMs);
        return r;
    }
    SimResponse r = [&]() -> SimResponse {
        if (sub == u"/v1/reports/positions") {
            // The report backend is slow; the gateway gives up first.
            SimResponse g
                = error(ctx, 504, QStringLiteral("GATEWAY_TIMEOUT"),
                        QStringLiteral(
                            "The report took too long to generate; use pagination (limit/offset)"));
            g.delayMs = ctx.config().slowReportMs;
            return g;
        }
        if (reports)
            return error(ctx, 404, QStringLiteral("NOT_FOUND"),
                         QStringLiteral("No report %1").arg(sub.mid(12)));
        if (sub == u"/v1/orders" && req.method == "GET") {
            QJsonArray list;
            for (qint64 id = 1000; id < std::min<qint64>(ctx.nextOrderId, 1005); ++id)
                list.append(QJsonObject{{QStringLiteral("orderId"), id},
                                        {QStringLiteral("accountId"), QStringLiteral("ACC-001")},
                                        {QStringLiteral("status"), QStringLiteral("working")}});
            return SimResponse::json(200,
                                     QJsonDocument(QJsonObject{{QStringLiteral("orders"), list}}));
        }
        if (sub == u"/v1/orders/bulk") {
            if (req.method != "POST")
                return error(ctx, 405, QStringLiteral("METHOD_NOT_ALLOWED"),
                             QStringLiteral("use POST"));
            const QJsonArray items = QJsonDocument::fromJson(req.body)
                                         .object()
                                         .value(QStringLiteral("orders"))
                                         .toArray();
            if (req.body.size() > MaxBulkBytes || items.size() > MaxBulkItems)
                return error(ctx, 413, QStringLiteral("PAYLOAD_TOO_LARGE"),
                             QStringLiteral("A bulk request takes at most %1 orders and %2 bytes")
                                 .arg(MaxBulkItems)
                                 .arg(MaxBulkBytes));
            return SimResponse::json(
                202, QJsonDocument(QJsonObject{{QStringLiteral("accepted"), items.size()}}));
        }
        if (sub.startsWith(u"/v1/orders/")) {
            bool ok = false;
            const qint64 id = sub.mid(11).toLongLong(&ok);
            if (req.method != "GET")
                return error(ctx, 405, QStringLiteral("METHOD_NOT_ALLOWED"),
                             QStringLiteral("use GET"));
            if (!ok || id < 1000 || id >= ctx.nextOrderId)
                return error(ctx, 404, QStringLiteral("ORDER_NOT_FOUND"),
                             QStringLiteral("Order %1 does not exist").arg(sub.mid(11)));
            return SimResponse::json(
                200,
                QJsonDocument(QJsonObject{{QStringLiteral("orderId"), id},
                                          {QStringLiteral("accountId"), QStringLiteral("ACC-001")},
                                          {QStringLiteral("status"), QStringLiteral("working")}}));
        }
        // POST /v1/orders
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            return error(ctx, 400, QStringLiteral("INVALID_JSON"),
                         QStringLiteral("Invalid JSON: %1").arg(pe.errorString()));
        const QJsonObject o = doc.object();
        for (const char *field : {"clOrdId", "accountId", "symbol", "qty", "side"})
            if (!o.contains(QLatin1String(field)))
                return error(ctx, 400, QStringLiteral("MISSING_FIELD"),
                             QStringLiteral("Missing required field %1").arg(QLatin1String(field)));
        const QString clOrdId = o.value(QStringLiteral("clOrdId")).toString();
        if (ctx.clOrdIds.contains(clOrdId)) {
            SimResponse c
                = error(ctx, 409, QStringLiteral("DUPLICATE_CLORDID"),
                        QStringLiteral("Duplicate order with the same ClOrdID %1").arg(clOrdId));
            return c;
        }
        const qint64 qty = qint64(o.value(QStringLiteral("qty")).toDouble());
        if (qty > PositionLimit)
            return error(ctx, 422, QStringLiteral("POSITION_LIMIT_EXCEEDED"),
                         QStringLiteral("Order quantity %1 exceeds the position limit of %2")
                             .arg(qty)
                             .arg(PositionLimit));
        if (ctx.clOrdIds.size() < 100000)
            ctx.clOrdIds.insert(clOrdId);
        const qint64 id = ctx.nextOrderId++;
        return SimResponse::json(
            201, QJsonDocument(QJsonObject{
                     {QStringLiteral("orderId"), id},
                     {QStringLiteral("clOrdId"), clOrdId},
                     {QStringLiteral("accountId"), o.value(QStringLiteral("accountId"))},
                     {QStringLiteral("status"), QStringLiteral("accepted")}}));
    }();
    SimRateLimitHeaders::xRateLimit(r, quota);
    return r;
}

} // namespace hd
