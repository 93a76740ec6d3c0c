#include "metricsrequest.h"

#include <QList>

namespace hd {

namespace {

MetricsRequest refused(int status, const char *reason, const char *message)
{
    MetricsRequest r;
    r.state = MetricsRequest::State::Refused;
    r.status = status;
    r.reason = reason;
    r.message = message;
    return r;
}

} // namespace

MetricsRequest MetricsRequest::parse(const QByteArray &buffer, bool acceptPost)
{
    qsizetype end = buffer.indexOf("\r\n\r\n");
    qsizetype bodyStart = end + 4;
    if (end < 0) {
        end = buffer.indexOf("\n\n");
        bodyStart = end + 2;
    }
    if (end < 0 || end > MaxHeaderBytes) {
        if (buffer.size() > MaxHeaderBytes)
            return refused(431, "Request Header Fields Too Large", "request headers too large\n");
        return {};
    }
    const qsizetype lineEnd = buffer.indexOf('\n');
    const QList<QByteArray> parts = buffer.left(lineEnd).trimmed().split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1."))
        return refused(400, "Bad Request", "bad request line\n");
    MetricsRequest r;
    r.method = parts[0];
    r.path = parts[1];
    if (const qsizetype q = r.path.indexOf('?'); q >= 0)
        r.path.truncate(q);
    // POST goes to the handler (PagerDuty's webhooks), never to the scrape paths.
    if (!acceptPost || r.method != "POST" || r.path == "/metrics" || r.path == "/") {
        r.state = State::Complete;
        return r;
    }
    for (const QByteArray &line : buffer.mid(lineEnd + 1, end - lineEnd - 1).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    bool ok = false;
    const qlonglong length = r.headers.value("content-length").toLongLong(&ok);
    if (!ok || length < 0 || r.headers.contains("transfer-encoding"))
        return refused(411, "Length Required", "a Content-Length is required\n");
    if (length > MaxBodyBytes)
        return refused(413, "Content Too Large", "the body is larger than 256 KiB\n");
    if (buffer.size() - bodyStart < length)
        return {}; // the rest of the body is on its way
    r.body = buffer.mid(bodyStart, length);
    r.state = State::Complete;
    return r;
}

} // namespace hd
