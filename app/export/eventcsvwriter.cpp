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

bool EventCsvWriter::needsFormulaGuard(const QString &text)
{
    // OWASP CSV injection: a spreadsheet reads a cell as a formula when it starts with = + - @
    // (tab and CR too, which some strip first), also after leading spaces. A plain signed number
    // ("-1013", a vendor error code) cannot be a formula and stays as it is.
    qsizetype i = 0;
    while (i < text.size() && (text[i] == u' ' || text[i] == u'\n' || text[i] == u'\u00a0'))
        ++i;
    if (i == text.size())
        return false;
    const QChar c = text[i];
    if (c == u'\t' || c == u'\r')
        return true;
    if (c != u'=' && c != u'+' && c != u'-' && c != u'@')
        return false;
    if (c == u'=' || c == u'@' || i > 0)
        return true;
    // Leading sign: safe only if the rest is digits with at most one decimal point.
    qsizetype digits = 0;
    bool point = false;
    for (qsizetype k = 1; k < text.size(); ++k) {
        if (text[k] >= u'0' && text[k] <= u'9')
            ++digits;
        else if (text[k] == u'.' && !point)
            point = true;
        else
            return true;
    }
    return digits == 0;
}

QByteArray EventCsvWriter::cell(const QString &text)
{
    QString t = text;
    if (needsFormulaGuard(t))
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
