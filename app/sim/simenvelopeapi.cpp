#include "simenvelopeapi.h"

#include "simoauth.h"
#include "simratelimitheaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace hd {

QStringList SimEnvelopeApi::scopes()
{
    return {QStringLiteral("positions:read"), QStringLiteral("positions:write")};
}

SimResponse SimEnvelopeApi::envelope(SimContext &ctx, int status, const QString &code,
                                     const QString &type, const QString &message,
                                     const QJsonArray &details)
{
    const QByteArray trace = ctx.traceId();
    QJsonObject o{{QStringLiteral("error_code"), code},
                  {QStringLiteral("error_type"), type},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("trace_id"), QString::fromLatin1(trace)}};
    if (!details.isEmpty())
        o.insert(QStringLiteral("details"), details);
    SimResponse r = SimResponse::json(status, QJsonDocument(o));
    r.setHeader("X-Trace-Id", trace);
    return r;
}

SimResponse SimEnvelopeApi::error(SimContext &ctx, int status, const QString &,
                                  const QString &message)
{
    switch (status) {
    case 401:
        return envelope(ctx, 401, QStringLiteral("unauthorized_request"),
                        QStringLiteral("unauthorized"), message);
    case 403:
        return envelope(ctx, 403, QStringLiteral("forbidden"), QStringLiteral("unauthorized"),
                        message);
    case 404:
        return envelope(ctx, 404, QStringLiteral("resource_not_found"), QStringLiteral("not_found"),
                        message);
    case 423:
        return envelope(ctx, 423, QStringLiteral("resource_locked"), QStringLiteral("concurrency"),
                        message);
    case 503:
        return envelope(ctx, 503, QStringLiteral("service_unavailable"),
                        QStringLiteral("unavailable"), message);
    default:
        if (status >= 500)
            return envelope(ctx, status, QStringLiteral("internal_server_error"),
                            QStringLiteral("internal_error"), message);
        return envelope(ctx, status, QStringLiteral("invalid_request"),
                        QStringLiteral("validation"), message);
    }
}

SimResponse SimEnvelopeApi::handle(const SimRequest &req, const QString &sub, SimContext &ctx)
{
    if (sub == u"/oauth/token")
        return SimOAuth::token(req, ctx, QStringLiteral("s004"), scopes());
    if (sub == u"/v1/health")
        return SimResponse::json(200, QByteArrayLiteral(R"({"status":"ok"})"));
    if (sub == u"/v1/session/keepalive")
        return SimResponse::faulted(SimFault::IdleCut);
    if (sub == u"/v1/maintenance/status")
        return error(ctx, 503, {},
                     QStringLiteral("The service is temporarily down for maintenance"));

    QJsonObject claims;
    const QString scope = req.method == "GET" ? QStringLiteral("positions:read")
                                              : QStringLiteral("positions:write");
    if (auto denied = SimOAuth::authorize(req, ctx, QStringLiteral("s004"), scope,
                                          &SimEnvelopeApi::error, &claims))
        return *denied;
    const QString subject = claims.value(QStringLiteral("sub")).toString();
    const int windowS = ctx.config().quotaWindowS;
    const SimQuota::Result quota = ctx.quota().consume(QStringLiteral("s004/") + subject,
                                                       SimOAuth::quotaFor(subject, ctx.config()),
                                                       windowS * 1000LL, ctx.nowMs());
    if (!quota.allowed) {
        // This API refuses an exhausted quota with 403; the headers say why.
        SimResponse r
            = envelope(ctx, 403, QStringLiteral("quota_exceeded"), QStringLiteral("rate_limit"),
                       QStringLiteral("Request quota exhausted for this client"));
        SimRateLimitHeaders::structured(r, quota, windowS);
        return r;
    }
    SimResponse r = [&]() -> SimResponse {
        if (sub == u"/v1/reports/risk")
            return error(ctx, 500, {}, QStringLiteral("an unexpected error occurred"));
        if (sub == u"/v1/positions" && req.method == "GET")
            return SimResponse::json(
                200, QJsonDocument(
                         QJsonObject{{QStringLiteral("positions"),
                                      QJsonArray{QJsonObject{
                                          {QStringLiteral("id"), QStringLiteral("pos-1")},
                                          {QStringLiteral("instrument_id"), QStringLiteral("ESZ6")},
                                          {QStringLiteral("qty"), 3}}}}}));
        if (sub.startsWith(u"/v1/positions/")) {
            const QString id = sub.mid(14);
            // A nightly rebalancer holds this position's lock: a concurrent update is refused.
            if (id == u"pos-busy" && req.method != "GET")
                return error(ctx, 423, {},
                             QStringLiteral(
                                 "The resource is currently locked due to a concurrent operation"));
            if (id != u"pos-1" && id != u"pos-busy")
                return error(ctx, 404, {}, QStringLiteral("position %1 not found").arg(id));
            return SimResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("id"), id}}));
        }
        if (sub.startsWith(u"/v1/instruments/")) {
            const QString id = sub.mid(16);
            static const QRegularExpression valid(
                QStringLiteral("^[A-Z]{2,4}[FGHJKMNQUVXZ][0-9]$"));
            if (!valid.match(id).hasMatch())
                return envelope(ctx, 400, QStringLiteral("invalid_request"),
                                QStringLiteral("validation"),
                                QStringLiteral("invalid request data"),
                                QJsonArray{QJsonObject{
                                    {QStringLiteral("field"), QStringLiteral("instrument_id")},
                                    {QStringLiteral("description"),
                                     QStringLiteral("invalid instrument_id format")}}});
            if (id != u"ESZ6" && id != u"NQZ6")
                return error(ctx, 404, {}, QStringLiteral("instrument %1 not found").arg(id));
            return SimResponse::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("instrument_id"), id}}));
        }
        return error(ctx, 404, {}, QStringLiteral("no route %1").arg(req.path));
    }();
    SimRateLimitHeaders::structured(r, quota, windowS);
    return r;
}

} // namespace hd
