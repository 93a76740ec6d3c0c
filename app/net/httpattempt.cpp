#include "httpattempt.h"

#include "clock.h"
#include "endpointhealth.h"
#include "networkerrors.h"
#include "redactor.h"
#include "retrysafety.h"
#include "tlsdiagnosis.h"
#include "tlsfacts.h"

#include <QHostInfo>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace hd {

HttpAttempt::HttpAttempt(QNetworkAccessManager *nam, const Classifier *classifier, QObject *parent,
                         const Clock &clock)
    : QObject(parent)
    , m_nam(nam)
    , m_classifier(classifier)
    , m_clock(clock)
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
    m_requestSent = false;
    m_sslErrors.clear();
    m_pinFailure.clear();
    m_dnsRechecked = false;
    m_dnsTemporary = false;

    QNetworkRequest request(spec.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // HTTP/2 where the server offers it through ALPN, unless the environment turns it off.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    if (spec.network)
        spec.network->applyTo(request);
    for (const auto &[name, value] : spec.headers)
        request.setRawHeader(name.toUtf8(), value.toUtf8());
    if (spec.closeConnection)
        request.setRawHeader("Connection", "close");
    if (!spec.body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));

    m_startMs = m_clock.nowMs();
    m_phases.start(spec.url.scheme() == u"https", !spec.body.isEmpty());
    m_reply = m_nam->sendCustomRequest(request, spec.method.toLatin1(), spec.body);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpAttempt::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpAttempt::onFinished);
    connect(m_reply, &QNetworkReply::socketStartedConnecting, this,
            [this] { m_phases.markConnecting(); });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        m_phases.markHead();
        m_requestSent = true; // an answer proves it, with or without requestSent
    });
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        m_requestSent = true;
        m_phases.markSent();
    });
    connect(m_reply, &QNetworkReply::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
    connect(m_reply, &QNetworkReply::encrypted, this, [this] {
        m_phases.markEncrypted();
        if (!m_reply || !m_spec.network || !m_spec.network->hasPins())
            return;
        m_pinFailure
            = m_spec.network->checkPins(m_reply->sslConfiguration().peerCertificateChain());
        if (!m_pinFailure.isEmpty())
            m_reply->abort(); // before the request is written
    });
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
        m_phases.markFirstBody();
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
    m_phases.markFinished();
    onReadyRead(); // what is left in the reply's buffer (may abort at the limit: re-entrant)
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (reply->error() == QNetworkReply::HostNotFoundError && !m_dnsRechecked && !m_deadlineHit) {
        // Qt 6.4 reports NXDOMAIN (EAI_NONAME) and a resolver that could not answer
        // (EAI_AGAIN) as the same HostNotFoundError; QHostInfo keeps the difference
        // (HostNotFound vs UnknownError), so ask once more to tell which.
        m_dnsRechecked = true;
        QHostInfo::lookupHost(m_spec.url.host(), this, [this](const QHostInfo &info) {
            m_dnsTemporary = info.error() != QHostInfo::HostNotFound;
            onFinished();
        });
        return;
    }

    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_startMs;
    e.environment = m_spec.environment;
    e.endpoint = m_spec.endpoint;
    e.attempt = m_attempt;
    e.durationMs = m_phases.elapsedMs();
    e.request = RequestInfo{m_spec.method, m_spec.url.toString(), m_spec.headers,
                            QString::fromUtf8(m_spec.body.left(65536))};

    ClassifyInput in;
    in.profile = m_spec.profile;
    in.nowMs = m_clock.nowMs();
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
    const bool connectionLevel = m_deadlineHit || !m_pinFailure.isEmpty()
                                 || (!gotStatus && err != QNetworkReply::NoError)
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
        // With an explicit proxy every connection this request opens goes to the proxy, so a
        // refused connection is the proxy's even where Qt reports a plain refusal (http://).
        const bool viaProxy = m_spec.network && m_spec.network->explicitProxy()
                              && m_spec.network->explicitProxy()->type() != QNetworkProxy::NoProxy;
        // Qt 6.4 reports a refused CONNECT proxy (https://) as UnknownNetworkError with the
        // text "Proxy connection refused".
        if (viaProxy && !gotStatus
            && (err == QNetworkReply::ConnectionRefusedError
                || (err == QNetworkReply::UnknownNetworkError
                    && reply->errorString().contains(QStringLiteral("proxy connection refused"),
                                                     Qt::CaseInsensitive))))
            ne = NetworkErrors::fromReply(QNetworkReply::ProxyConnectionRefusedError, false);
        if (err == QNetworkReply::HostNotFoundError && m_dnsTemporary)
            ne = {QStringLiteral("EAI_AGAIN"), Category::DnsFailure};
        const TlsDiagnosis tls
            = TlsDiagnosis::of(err, reply->errorString(), m_sslErrors, m_pinFailure);
        if (!tls.name.isEmpty())
            ne = {tls.name, Category::TlsFailure};
        in.networkError = ne.name;
        if (ne.category == Category::RemoteClosed && gotStatus)
            in.networkError = QStringLiteral("other side closed");
        if ((ne.category == Category::RemoteClosed || ne.category == Category::ConnectionReset)
            && !NetworkErrors::isProxyError(err) && !m_deadlineHit && !(viaProxy && !gotStatus))
            in.networkErrorDetail
                = closeDetail(reply, gotStatus ? in.status : std::optional<int>());
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
        const bool viaProxy = m_spec.network && m_spec.network->explicitProxy()
                              && m_spec.network->explicitProxy()->type() != QNetworkProxy::NoProxy;
        if (m_spec.network && (NetworkErrors::isProxyError(err) || (viaProxy && !gotStatus)))
            // Name the proxy: "connection refused" alone sends people to the wrong server.
            e.error->message = QStringLiteral("proxy %1: %2")
                                   .arg(m_spec.network->proxyLabel(), reply->errorString());
        if (e.category == Category::TlsFailure)
            e.error->message
                = TlsDiagnosis::of(err, reply->errorString(), m_sslErrors, m_pinFailure).message;
    }
    if (connectionLevel && e.category == Category::RemoteClosed && !gotStatus
        && m_spec.url.scheme() == u"https" && m_spec.network
        && m_spec.network->sslConfiguration().localCertificate().isNull()
        && reply->sslConfiguration().sessionProtocol() == QSsl::TlsV1_3)
        // A TLS 1.3 server that demands a client certificate finishes the handshake and then
        // closes with an alert Qt 6.4 does not pass on: the close is all we see.
        e.retry.advice += QStringLiteral(
            " If this server requires a client certificate (mutual TLS), set one for the "
            "environment: a TLS 1.3 server that wants one closes the connection right after the "
            "handshake, before answering.");
    if (!in.networkErrorDetail.isEmpty() && e.error) {
        e.error->message = in.networkErrorDetail;
        if (!e.retry.advice.contains(QStringLiteral("mutual TLS")))
            e.retry.advice += u' ' + closeAdvice();
    }
    RetrySafety::apply(m_spec, m_requestSent, e);
    const TimingInfo timing = m_phases.timing();
    if (!timing.isEmpty())
        e.timing = timing;
    if (m_spec.url.scheme() == u"https")
        e.tls = TlsFacts::of(reply->sslConfiguration(), m_sslErrors, in.nowMs);
    if (m_spec.network)
        e.proxy = m_spec.network->proxyFor(m_spec.url);
    e.health = healthOf(e, m_spec.degradedLatencyMs);
    if (e.response) {
        e.response->size = m_bodySize;
        e.response->httpVersion = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()
                                      ? QStringLiteral("HTTP/2")
                                      : QStringLiteral("HTTP/1.1");
    }
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

QString HttpAttempt::closeDetail(const QNetworkReply *reply, std::optional<int> status) const
{
    // Qt 6.4 maps a reset (ECONNRESET) and an orderly close (FIN) to the same
    // RemoteHostClosedError with the same text, so the event says what was observed — where in
    // the exchange the connection ended and whether it was a reused one — not a guess.
    QString message = QStringLiteral("%1: the connection ended %2")
                          .arg(reply->errorString(), m_phases.failurePhase());
    if (status)
        message += QStringLiteral(" (after HTTP %1 headers and %2 body bytes)")
                       .arg(*status)
                       .arg(m_bodySize);
    return message;
}

QString HttpAttempt::closeAdvice() const
{
    if (m_phases.freshConnection() && m_spec.url.scheme() == u"https" && !m_phases.gotHead()
        && m_phases.failurePhase().startsWith(QStringLiteral("during the TLS handshake")))
        return QStringLiteral("The server ended the connection before the request could be "
                              "sent: a TLS problem the server did not name (a client "
                              "certificate it wants, a protocol version it refuses) is likely.");
    if (m_phases.sentObservable() && !m_phases.sent())
        return QStringLiteral("The request never completely left this machine.");
    if (!m_phases.gotHead())
        return m_phases.freshConnection()
                   ? QStringLiteral("The server (or a proxy or firewall in front of it) took the "
                                    "request and closed without answering: look in its logs at "
                                    "this time, by the request's identifiers.")
                   : QStringLiteral("A kept-alive connection closed under the request: the usual "
                                    "cause is a load balancer's or server's idle timeout shorter "
                                    "than the client's.");
    return QStringLiteral("The answer was cut mid-transfer: a server or proxy that crashed, "
                          "restarted or hit a response size or time limit.");
}

} // namespace hd
