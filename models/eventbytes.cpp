#include "eventbytes.h"

namespace hd {

namespace {

qint64 text(const QString &s)
{
    return qint64(s.size()) * qint64(sizeof(QChar));
}

qint64 headers(const HeaderList &list)
{
    qint64 n = qint64(list.size()) * qint64(sizeof(Header));
    for (const auto &[name, value] : list)
        n += text(name) + text(value);
    return n;
}

qint64 strings(const QStringList &list)
{
    qint64 n = qint64(list.size()) * qint64(sizeof(QString));
    for (const QString &s : list)
        n += text(s);
    return n;
}

} // namespace

qint64 approxEventBytes(const ApiEvent &e)
{
    qint64 n = qint64(sizeof(ApiEvent));
    n += text(e.id) + text(e.environment) + text(e.endpoint) + text(e.profile)
         + text(e.networkError) + text(e.retry.advice) + strings(e.notes);
    if (e.request)
        n += qint64(sizeof(RequestInfo)) + text(e.request->method) + text(e.request->url)
             + headers(e.request->headers) + text(e.request->body);
    if (e.response)
        n += qint64(sizeof(ResponseInfo)) + headers(e.response->headers) + text(e.response->body);
    if (e.error) {
        n += qint64(sizeof(ErrorInfo)) + text(e.error->code) + text(e.error->message);
        for (const ErrorDetail &d : e.error->details)
            n += qint64(sizeof(ErrorDetail)) + text(d.field) + text(d.message);
    }
    for (auto name : Identifiers::names())
        n += text(*e.identifiers.field(name));
    if (e.rateLimit)
        n += qint64(sizeof(RateLimitInfo)) + text(e.rateLimit->policy) + text(e.rateLimit->source);
    if (e.token)
        n += qint64(sizeof(TokenInfo)) + text(e.token->subject) + strings(e.token->scopes);
    if (e.timing)
        n += qint64(sizeof(TimingInfo));
    if (e.tls) {
        n += qint64(sizeof(TlsInfo)) + text(e.tls->protocol) + text(e.tls->subject)
             + text(e.tls->issuer) + strings(e.tls->problems);
        for (const auto &c : e.tls->chain)
            n += qint64(sizeof(TlsCertificateSummary)) + text(c.subject) + text(c.issuer);
    }
    n += text(e.proxy);
    return n;
}

} // namespace hd
