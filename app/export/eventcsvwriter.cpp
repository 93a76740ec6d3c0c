#include "eventcsvwriter.h"

namespace hd {
namespace {

QByteArray number(const std::optional<qint64> &v)
{
    return v ? QByteArray::number(*v) : QByteArray();
}

} // namespace

QByteArray EventCsvWriter::header()
{
    return "id,time,environment,endpoint,profile,attempt,method,url,http_status,network_error,"
           "outcome,category,duration_ms,error_code,error_type,error_message,traceId,accountId,"
           "orderId,execId,tradeId,clOrdId,retry_action,retry_delay_ms,rate_limit_limit,"
           "rate_limit_remaining,token_expires_in_s\r\n";
}

QByteArray EventCsvWriter::cell(const QString &text)
{
    QString t = text;
    if (!t.isEmpty()
        && (t.front() == u'=' || t.front() == u'+' || t.front() == u'@' || t.front() == u'\t'
            || t.front() == u'\r' || (t.front() == u'-' && t.size() > 1 && !t[1].isDigit())))
        t.prepend(u'\'');
    if (t.contains(u',') || t.contains(u'"') || t.contains(u'\n') || t.contains(u'\r')) {
        t.replace(u'"', QStringLiteral("\"\""));
        return '"' + t.toUtf8() + '"';
    }
    return t.toUtf8();
}

QByteArray EventCsvWriter::row(const ApiEvent &e)
{
    QByteArray out;
    out.reserve(256);
    const auto add = [&out](const QByteArray &v) {
        if (!out.isEmpty())
            out += ',';
        out += v;
    };
    add(cell(e.id));
    add(formatEventTime(e.timeMs).toLatin1());
    add(cell(e.environment));
    add(cell(e.endpoint));
    add(cell(e.profile));
    add(QByteArray::number(e.attempt));
    add(cell(e.request ? e.request->method : QString()));
    add(cell(e.request ? e.request->url : QString()));
    add(e.httpStatus ? QByteArray::number(*e.httpStatus) : QByteArray());
    add(cell(e.networkError));
    add(QByteArray(toString(e.outcome).data(), qsizetype(toString(e.outcome).size())));
    add(QByteArray(toString(e.category).data(), qsizetype(toString(e.category).size())));
    add(QByteArray::number(e.durationMs, 'f', 1));
    add(cell(e.error ? e.error->code : QString()));
    add(e.error
            ? QByteArray(toString(e.error->type).data(), qsizetype(toString(e.error->type).size()))
            : QByteArray());
    add(cell(e.error ? e.error->message : QString()));
    add(cell(e.identifiers.traceId));
    add(cell(e.identifiers.accountId));
    add(cell(e.identifiers.orderId));
    add(cell(e.identifiers.execId));
    add(cell(e.identifiers.tradeId));
    add(cell(e.identifiers.clOrdId));
    add(QByteArray(toString(e.retry.action).data(), qsizetype(toString(e.retry.action).size())));
    add(number(e.retry.delayMs));
    add(e.rateLimit ? number(e.rateLimit->limit) : QByteArray());
    add(e.rateLimit ? number(e.rateLimit->remaining) : QByteArray());
    add(e.token ? number(e.token->expiresInS) : QByteArray());
    out += "\r\n";
    return out;
}

} // namespace hd
