#include "simresponse.h"

#include <QDateTime>
#include <QLocale>

namespace hd {

void SimResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

SimResponse SimResponse::json(int status, const QJsonDocument &doc)
{
    return json(status, doc.toJson(QJsonDocument::Compact));
}

SimResponse SimResponse::json(int status, const QByteArray &body)
{
    SimResponse r;
    r.status = status;
    r.body = body;
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

SimResponse SimResponse::html(int status, const QByteArray &body)
{
    SimResponse r;
    r.status = status;
    r.body = body;
    r.headers.append(
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8")});
    return r;
}

SimResponse SimResponse::faulted(SimFault fault)
{
    SimResponse r;
    r.fault = fault;
    r.close = true;
    return r;
}

QByteArray SimResponse::httpDate(qint64 nowMs)
{
    // Cached per second: formatting a date per request would dominate small responses.
    static thread_local qint64 cachedSecond = -1;
    static thread_local QByteArray cachedDate;
    const qint64 nowS = nowMs / 1000;
    if (nowS != cachedSecond) {
        cachedSecond = nowS;
        cachedDate = QLocale::c()
                         .toString(QDateTime::fromSecsSinceEpoch(nowS, Qt::UTC),
                                   QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                         .toLatin1();
    }
    return cachedDate;
}

QByteArray SimResponse::serialize(bool keepAlive, qint64 nowMs) const
{
    QByteArray out;
    out.reserve(256 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Server: healthdeck-sim\r\n";
    out += "Date: " + httpDate(nowMs) + "\r\n";
    for (const auto &[k, v] : headers)
        out += k + ": " + v + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += (keepAlive && !close) ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    out += body;
    return out;
}

QByteArray SimResponse::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

namespace {
struct FaultName
{
    SimFault fault;
    const char *name;
};
constexpr FaultName kFaultNames[] = {
    {SimFault::None, "none"},           {SimFault::Reset, "reset"},
    {SimFault::CloseNoAnswer, "close"}, {SimFault::Hang, "hang"},
    {SimFault::Slow, "slow"},           {SimFault::IdleCut, "idle_cut"},
    {SimFault::Truncate, "truncate"},   {SimFault::Malformed, "malformed"},
};
} // namespace

const char *SimResponse::faultName(SimFault fault)
{
    for (const auto &f : kFaultNames)
        if (f.fault == fault)
            return f.name;
    return "none";
}

SimFault SimResponse::faultFromName(const QString &name, bool *ok)
{
    for (const auto &f : kFaultNames) {
        if (name == QLatin1String(f.name)) {
            if (ok)
                *ok = true;
            return f.fault;
        }
    }
    if (ok)
        *ok = false;
    return SimFault::None;
}

} // namespace hd
