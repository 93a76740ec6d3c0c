#include "httpattempt.h"

#include "clock.h"
#include "networkerrors.h"
#include "redactor.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace hd {

HttpAttempt::HttpAttempt(QNetworkAccessManager *nam, const Classifier *classifier, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_classifier(classifier)
{
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &HttpAttempt::onDeadline);
}

HttpAttempt::~HttpAttempt()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpAttempt::start(const HttpRequestSpec &spec, int attempt)
{
    m_spec = spec;
    m_attempt = attempt;
    m_body.clear();
    m_bodySize = 0;
    m_deadlineHit = false;
    m_truncated = false;

    QNetworkRequest request(spec.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    for (const auto &[name, value] : spec.headers)
        request.setRawHeader(name.toUtf8(), value.toUtf8());
    if (!spec.body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));

    m_startMs = Clock::system().nowMs();
    m_elapsed.start();
    m_reply = m_nam->sendCustomRequest(request, spec.method.toLatin1(), spec.body);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpAttempt::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpAttempt::onFinished);
    m_deadline.start(std::max(1, spec.timeoutMs));
}

void HttpAttempt::abort()
{
    if (m_reply)
        m_reply->abort();
}

void HttpAttempt::onReadyRead()
{
    // Drain what Qt holds (already decompressed) in bounded steps; past the limit stop reading
    // and abort, so a gzip bomb is never inflated beyond MaxBodyBytes.
    while (m_reply && m_reply->isOpen() && !m_truncated && m_reply->bytesAvailable() > 0) {
        const QByteArray chunk = m_reply->read(256 * 1024);
        if (chunk.isEmpty())
            break;
        m_bodySize += chunk.size();
        if (m_body.size() < MaxBodyBytes)
            m_body.append(chunk.left(MaxBodyBytes - m_body.size()));
        if (m_bodySize > MaxBodyBytes) {
            m_truncated = true;
            m_reply->abort(); // emits finished() synchronously
            return;
        }
    }
}

void HttpAttempt::onDeadline()
{
    if (!m_reply || m_reply->isFinished())
        return;
    m_deadlineHit = true;
    m_reply->abort(); // emits finished() synchronously
}

void HttpAttempt::onFinished()
{
    m_deadline.stop();
    if (!m_reply)
        return;
    onReadyRead(); // what is left in the reply's buffer (may abort at the limit: re-entrant)
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;

    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_startMs;
    e.environment = m_spec.environment;
    e.endpoint = m_spec.endpoint;
    e.attempt = m_attempt;
    e.durationMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    e.request = RequestInfo{m_spec.method, m_spec.url.toString(), m_spec.headers,
                            QString::fromUtf8(m_spec.body.left(65536))};

    ClassifyInput in;
    in.profile = m_spec.profile;
    in.nowMs = Clock::system().nowMs();
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const bool gotStatus = statusAttr.isValid();
    if (gotStatus)
        in.status = statusAttr.toInt();
    in.headers = reply->rawHeaderPairs();
    in.body = m_body;

    const QNetworkReply::NetworkError err = reply->error();
    // Qt inflates gzip/deflate/br itself and refuses output that grows suspiciously faster than
    // its input (its archive-bomb check, before our byte limit is reached): that is the same
    // "body too large" story, told by Qt.
    const bool qtRefusedInflation
        = !m_truncated && gotStatus && err != QNetworkReply::NoError && !m_deadlineHit
          && reply->errorString().contains(QStringLiteral("decompress"), Qt::CaseInsensitive);
    // Qt reports HTTP error statuses as errors too; only failures without a status are
    // connection-level. A deadline hit or a cut mid-body is connection-level even with headers.
    // A transfer we cut at the body limit ourselves is a complete answer as far as we go.
    const bool connectionLevel = m_deadlineHit || (!gotStatus && err != QNetworkReply::NoError)
                                 || (gotStatus && !m_truncated && !qtRefusedInflation
                                     && (err == QNetworkReply::RemoteHostClosedError
                                         || err == QNetworkReply::OperationCanceledError));
    if (connectionLevel) {
        NetworkErrorName ne = NetworkErrors::fromReply(err, m_deadlineHit);
        if (ne.category == Category::RemoteClosed) {
            // Qt folds a reset (RST) and an orderly close (FIN) into one error; its message
            // keeps the difference where the OS reported it.
            const QString msg = reply->errorString();
            if (msg.contains(QStringLiteral("reset"), Qt::CaseInsensitive))
                ne = {QStringLiteral("ECONNRESET"), Category::ConnectionReset};
        }
        in.networkError = ne.name;
        if (ne.category == Category::RemoteClosed && gotStatus)
            in.networkError = QStringLiteral("other side closed");
    }
    m_classifier->classify(in, e);
    if (connectionLevel && e.error) {
        e.error->message = reply->errorString();
        if (gotStatus)
            e.error->message += QStringLiteral(" (after HTTP %1 headers and %2 body bytes)")
                                    .arg(*in.status)
                                    .arg(m_bodySize);
        else if (m_deadlineHit)
            e.error->message = QStringLiteral("no complete response within the %1 ms deadline")
                                   .arg(m_spec.timeoutMs);
    }
    if (e.response)
        e.response->size = m_bodySize;
    if (qtRefusedInflation) {
        if (e.response)
            e.response->truncated = true;
        QString why = reply->errorString().trimmed();
        while (why.endsWith(u':'))
            why.chop(1);
        e.notes.append(QStringLiteral("response body refused while decompressing after %1 bytes: "
                                      "Qt's archive-bomb check stopped an output growing far "
                                      "faster than its compressed input (%2); the event keeps "
                                      "the first 64 KiB")
                           .arg(m_bodySize)
                           .arg(why));
    } else if (m_truncated) {
        if (e.response)
            e.response->truncated = true;
        e.notes.append(
            QStringLiteral("response body larger than %1 MiB (counted after decompression): the "
                           "transfer was aborted after %2 bytes and the event keeps the first "
                           "64 KiB")
                .arg(MaxBodyBytes / (1024 * 1024))
                .arg(m_bodySize));
    }
    Redactor::shared().redactEvent(e);

    m_reply = nullptr;
    reply->deleteLater();
    emit finished(e);
}

} // namespace hd
