#include "simcodemessageapi.h"

#include "simoauth.h"
#include "simratelimitheaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hd {

QStringList SimCodeMessageApi::scopes()
{
    return {QStringLiteral("data:read"), QStringLiteral("data:write")};
}

int SimCodeMessageApi::numericCode(int status)
{
    return status * 100 + 1;
}

SimResponse SimCodeMessageApi::error(SimContext &ctx, int status, const QString &,
                                     const QString &message)
{
    SimResponse r = SimResponse::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("code"), numericCode(status)},
                                          {QStringLiteral("message"), message},
                                          {QStringLiteral("details"), QJsonArray()}}));
    r.setHeader("X-Trace-Id", ctx.traceId());
    return r;
}

SimResponse SimCodeMessageApi::handle(const SimRequest &req, const QString &sub, SimContext &ctx)
{
    if (sub == u"/oauth/token")
        return SimOAuth::token(req, ctx, QStringLiteral("s002"), scopes());
    if (sub == u"/v1/health")
        return SimResponse::json(200, QByteArrayLiteral(R"({"status":"ok"})"));
    if (sub == u"/v1/quotes/stream")
        return SimResponse::faulted(SimFault::Hang);
    if (sub == u"/v1/quotes/slow")
        return SimResponse::faulted(SimFault::Slow);
    if (sub == u"/v1/status/legacy")
        return SimResponse::faulted(SimFault::Malformed);

    QJsonObject claims;
    const QString scope
        = req.method == "GET" ? QStringLiteral("data:read") : QStringLiteral("data:write");
    if (auto denied = SimOAuth::authorize(req, ctx, QStringLiteral("s002"), scope,
                                          &SimCodeMessageApi::error, &claims))
        return *denied;
    const QString subject = claims.value(QStringLiteral("sub")).toString();
    const SimQuota::Result quota = ctx.quota().consume(
        QStringLiteral("s002/") + subject, SimOAuth::quotaFor(subject, ctx.config()),
        ctx.config().quotaWindowS * 1000LL, ctx.nowMs());
    if (!quota.allowed) {
        SimResponse r
            = error(ctx, 429, {},
                    QStringLiteral("Too many requests: reuse access tokens until they expire"));
        SimRateLimitHeaders::oneHeader(r, quota);
        SimRateLimitHeaders::retryAfter(r, quota.resetMs);
        return r;
    }
    static const QStringList known{QStringLiteral("ES"), QStringLiteral("NQ"), QStringLiteral("CL"),
                                   QStringLiteral("GC")};
    SimResponse r = [&]() -> SimResponse {
        if (sub == u"/v1/instruments") {
            if (req.method == "GET") {
                QJsonArray list;
                for (const QString &s : known)
                    list.append(QJsonObject{{QStringLiteral("symbol"), s}});
                return SimResponse::json(
                    200, QJsonDocument(QJsonObject{{QStringLiteral("instruments"), list}}));
            }
            if (req.method != "POST")
                return error(ctx, 405, {}, QStringLiteral("Method not allowed"));
            const QJsonObject o = QJsonDocument::fromJson(req.body).object();
            if (o.value(QStringLiteral("symbol")).toString().isEmpty()) {
                SimResponse b = SimResponse::json(
                    400,
                    QJsonDocument(QJsonObject{{QStringLiteral("code"), 40001},
                                              {QStringLiteral("message"),
                                               QStringLiteral("Required attribute is missing")},
                                              {QStringLiteral("details"),
                                               QJsonArray{QStringLiteral("symbol: required")}}}));
                b.setHeader("X-Trace-Id", ctx.traceId());
                return b;
            }
            return SimResponse::json(201, QJsonDocument(o));
        }
        if (sub.startsWith(u"/v1/instruments/")) {
            const QString id = sub.mid(16);
            if (!known.contains(id))
                return error(ctx, 404, {}, QStringLiteral("Instrument %1 not found").arg(id));
            return SimResponse::json(200,
                                     QJsonDocument(QJsonObject{{QStringLiteral("symbol"), id}}));
        }
        if (sub.startsWith(u"/v1/archive/"))
            return error(ctx, 410, {}, QStringLiteral("Archived data was removed after 90 days"));
        if (sub.startsWith(u"/v1/legacy/"))
            return error(ctx, 501, {},
                         QStringLiteral("Legacy export is not implemented on this cluster"));
        return error(ctx, 404, {}, QStringLiteral("No route %1").arg(req.path));
    }();
    SimRateLimitHeaders::oneHeader(r, quota);
    return r;
}

} // namespace hd
