#include "simhttpparser.h"

#include <QUrl>

namespace hd {

SimHttpParser::SimHttpParser(int maxHeaderBytes, int maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
{}

SimHttpParser::State SimHttpParser::fail(int status, const char *text)
{
    m_errorStatus = status;
    m_errorText = text;
    m_buffer.clear();
    return State::Error;
}

SimHttpParser::State SimHttpParser::feed(const QByteArray &data)
{
    if (m_errorStatus)
        return State::Error;
    m_buffer += data;
    return advance();
}

SimRequest SimHttpParser::takeRequest()
{
    SimRequest r = std::move(m_request);
    m_request = SimRequest();
    m_headDone = false;
    m_headReported = false;
    return r;
}

SimHttpParser::State SimHttpParser::advance()
{
    if (m_errorStatus)
        return State::Error;
    if (!m_headDone) {
        const State s = parseHead();
        if (s != State::HeadComplete)
            return s;
    }
    if (!m_headReported) {
        m_headReported = true;
        return State::HeadComplete;
    }
    if (m_buffer.size() < m_request.contentLength)
        return State::NeedMore;
    m_request.body = m_buffer.left(m_request.contentLength);
    m_buffer.remove(0, m_request.contentLength);
    return State::Complete;
}

SimHttpParser::State SimHttpParser::parseHead()
{
    // Tolerate blank lines between pipelined requests (RFC 9112 §2.2).
    while (m_buffer.startsWith("\r\n"))
        m_buffer.remove(0, 2);
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > m_maxHeaderBytes)
            return fail(431, "request head too large");
        // Anything that cannot begin a request line is garbage: answer at once, don't wait.
        for (qsizetype i = 0; i < std::min<qsizetype>(m_buffer.size(), 16); ++i) {
            const char c = m_buffer.at(i);
            if (c == ' ')
                break;
            if (c < 'A' || c > 'Z')
                return fail(400, "malformed request line");
        }
        return State::NeedMore;
    }
    if (end > m_maxHeaderBytes)
        return fail(431, "request head too large");
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);

    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.front().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return fail(400, "malformed request line");
    SimRequest &r = m_request;
    r = SimRequest();
    r.method = requestLine[0];
    for (char c : r.method)
        if (c < 'A' || c > 'Z')
            return fail(400, "malformed method");
    r.target = requestLine[1];
    if (!r.target.startsWith('/'))
        return fail(400, "request target must be a path");
    const bool http10 = requestLine[2] == "HTTP/1.0";
    r.keepAlive = !http10;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, "malformed header line");
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (r.headers.size() >= 100)
            return fail(431, "too many headers");
        r.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            r.contentLength = value.toLongLong(&ok);
            if (!ok || r.contentLength < 0)
                return fail(400, "bad Content-Length");
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            return fail(501, "chunked request bodies are not supported");
        } else if (name.compare("Connection", Qt::CaseInsensitive) == 0) {
            const QByteArray v = value.toLower();
            if (v.contains("close"))
                r.keepAlive = false;
            else if (v.contains("keep-alive"))
                r.keepAlive = true;
        }
    }
    if (r.contentLength > m_maxBodyBytes) {
        // Report the head so the route can refuse it with the API's own 413 body.
        m_headDone = true;
        m_errorStatus = 0;
        return State::HeadComplete;
    }

    splitTarget(r);
    m_headDone = true;
    return State::HeadComplete;
}

void SimHttpParser::splitTarget(SimRequest &r)
{
    const qsizetype q = r.target.indexOf('?');
    const QByteArray rawPath = q < 0 ? r.target : r.target.left(q);
    r.path = QUrl::fromPercentEncoding(rawPath);
    r.query = q >= 0 ? QUrlQuery(QString::fromUtf8(r.target.mid(q + 1))) : QUrlQuery();
    r.environment.clear();
    // An optional environment segment lets dev, preprod and prod share one simulator while
    // incidents hit only one of them.
    for (const char *env : {"/dev/", "/preprod/", "/prod/"}) {
        if (r.path.startsWith(QLatin1String(env))) {
            const qsizetype len = qsizetype(qstrlen(env));
            r.environment = r.path.mid(1, len - 2);
            r.path = r.path.mid(len - 1);
            break;
        }
    }
}

} // namespace hd
