#include "harwriter.h"

#include "eventjson.h"
#include "healthdeck/version.h"

#include <QUrl>
#include <QUrlQuery>

namespace hd {
namespace {

QString headerValue(const HeaderList &headers, QStringView name)
{
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

OrderedJson headersJson(const HeaderList &headers)
{
    OrderedJson out = OrderedJson::array();
    for (const auto &[n, v] : headers)
        out.push_back({{"name", toStd(n)}, {"value", toStd(v)}});
    return out;
}

QString reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QStringLiteral("OK");
    case 201:
        return QStringLiteral("Created");
    case 204:
        return QStringLiteral("No Content");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 409:
        return QStringLiteral("Conflict");
    case 413:
        return QStringLiteral("Payload Too Large");
    case 422:
        return QStringLiteral("Unprocessable Content");
    case 423:
        return QStringLiteral("Locked");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

OrderedJson entryJson(const ApiEvent &e)
{
    const RequestInfo &rq = *e.request;
    const QString url = HarWriter::harUrl(rq.url);
    OrderedJson query = OrderedJson::array();
    const QUrl parsed(url);
    for (const auto &[n, v] : QUrlQuery(parsed).queryItems(QUrl::FullyDecoded))
        query.push_back({{"name", toStd(n)}, {"value", toStd(v)}});

    OrderedJson request
        = {{"method", toStd(rq.method.isEmpty() ? QStringLiteral("GET") : rq.method)},
           {"url", toStd(url)},
           // The request went over the protocol its answer came back on.
           {"httpVersion", toStd(e.response ? e.response->httpVersion : QString())},
           {"cookies", OrderedJson::array()},
           {"headers", headersJson(rq.headers)},
           {"queryString", query},
           {"headersSize", -1},
           {"bodySize", rq.body.isEmpty() ? 0 : qint64(rq.body.toUtf8().size())}};
    if (!rq.body.isEmpty()) {
        QString mime = headerValue(rq.headers, u"Content-Type");
        if (mime.isEmpty())
            mime = QStringLiteral("application/octet-stream");
        request["postData"] = {{"mimeType", toStd(mime)}, {"text", toStd(rq.body)}};
    }

    OrderedJson response;
    if (e.response) {
        const ResponseInfo &rs = *e.response;
        QString mime = headerValue(rs.headers, u"Content-Type");
        if (mime.isEmpty())
            mime = QStringLiteral("x-unknown");
        const qint64 shown = rs.body.toUtf8().size();
        OrderedJson content
            = {{"size", rs.size}, {"mimeType", toStd(mime)}, {"text", toStd(rs.body)}};
        if (rs.size > shown)
            content["comment"] = "body cut to the first 64 KiB (and redacted) by HealthDeck";
        const int status = e.httpStatus.value_or(0);
        response = {{"status", status},
                    {"statusText", toStd(reasonPhrase(status))},
                    {"httpVersion", toStd(rs.httpVersion)},
                    {"cookies", OrderedJson::array()},
                    {"headers", headersJson(rs.headers)},
                    {"content", content},
                    {"redirectURL", toStd(headerValue(rs.headers, u"Location"))},
                    {"headersSize", -1},
                    {"bodySize", rs.size}};
    } else {
        // No response at all (a connection error): HAR's convention is status 0.
        response = {{"status", 0},
                    {"statusText", ""},
                    {"httpVersion", ""},
                    {"cookies", OrderedJson::array()},
                    {"headers", OrderedJson::array()},
                    {"content", {{"size", 0}, {"mimeType", "x-unknown"}}},
                    {"redirectURL", ""},
                    {"headersSize", -1},
                    {"bodySize", -1},
                    {"_error", toStd(e.networkError)}};
    }

    const double ms = std::max(0.0, e.durationMs);
    OrderedJson entry = {{"startedDateTime", toStd(formatEventTime(e.timeMs))},
                         {"time", ms},
                         {"request", request},
                         {"response", response},
                         {"cache", OrderedJson::object()},
                         {"timings", {{"send", 0}, {"wait", ms}, {"receive", 0}}}};
    OrderedJson hd = {{"id", toStd(e.id)},
                      {"environment", toStd(e.environment)},
                      {"endpoint", toStd(e.endpoint)},
                      {"attempt", e.attempt},
                      {"outcome", std::string(toString(e.outcome))},
                      {"category", std::string(toString(e.category))}};
    if (e.error) {
        hd["error_code"] = toStd(e.error->code);
        hd["error_message"] = toStd(e.error->message);
    }
    OrderedJson ids = OrderedJson::object();
    for (std::string_view name : Identifiers::names())
        if (const QString *v = e.identifiers.field(name); v && !v->isEmpty())
            ids[std::string(name)] = toStd(*v);
    if (!ids.empty())
        hd["identifiers"] = ids;
    hd["retry_action"] = std::string(toString(e.retry.action));
    if (!e.retry.advice.isEmpty())
        hd["advice"] = toStd(e.retry.advice);
    entry["_healthdeck"] = hd;
    entry["comment"] = toStd(QStringLiteral("%1 %2 attempt %3: %4")
                                 .arg(e.environment, e.endpoint)
                                 .arg(e.attempt)
                                 .arg(toQString(toString(e.category))));
    return entry;
}

} // namespace

QString HarWriter::harUrl(const QString &url)
{
    QString out = url;
    out.replace(QStringLiteral("[REDACTED]"), QStringLiteral("%5BREDACTED%5D"));
    const QUrl parsed(out, QUrl::TolerantMode);
    if (parsed.isValid() && !parsed.scheme().isEmpty())
        return QString::fromLatin1(parsed.toEncoded(QUrl::FullyEncoded));
    return out;
}

QByteArray HarWriter::write(const QList<const ApiEvent *> &events, const QString &comment)
{
    OrderedJson entries = OrderedJson::array();
    for (const ApiEvent *e : events)
        if (e->request)
            entries.push_back(entryJson(*e));
    OrderedJson log = {{"version", "1.2"},
                       {"creator", {{"name", "HealthDeck"}, {"version", HEALTHDECK_VERSION}}},
                       {"entries", entries},
                       {"comment", toStd(comment)}};
    const OrderedJson doc = {{"log", log}};
    const std::string text = doc.dump(1, '\t', false, OrderedJson::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size()));
}

} // namespace hd
