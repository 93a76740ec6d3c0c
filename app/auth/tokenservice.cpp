#include "tokenservice.h"

#include "networkerrors.h"
#include "ratelimitheaders.h"
#include "redactor.h"
#include "resourcelimits.h"
#include "saturating.h"
#include "tokenresponse.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <cmath>

namespace hd {

namespace {

constexpr qint64 HourMs = 3600000;

QString formField(const QString &name, const QString &value)
{
    // Percent-encode everything but unreserved characters: a '+' or '&' in a client secret
    // must reach the server as itself (QUrlQuery leaves '+' alone, which forms read as space).
    return name + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString bytesText(qint64 bytes)
{
    return bytes >= 1024 * 1024
               ? QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
               : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

TokenService::TokenService(Credential credential, TokenServiceOptions options, const Clock &clock,
                           QObject *parent)
    : QObject(parent)
    , m_credential(std::move(credential))
    , m_options(std::move(options))
    , m_clock(clock)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &TokenService::onDeadline);
    // A refresh share outside (0, 1) would refresh on every call or only after expiry.
    m_credential.refreshAt = std::clamp(m_credential.refreshAt, 0.1, 0.95);
}

TokenService::~TokenService()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

bool TokenService::handles(Credential::Method method)
{
    return method == Credential::Method::OAuth2ClientCredentials
           || method == Credential::Method::TradovateToken;
}

QUrl TokenService::renewalUrl(const QUrl &tokenUrl)
{
    QUrl url = tokenUrl;
    QString path = url.path();
    const qsizetype slash = path.lastIndexOf(u'/');
    path = path.left(slash + 1) + QStringLiteral("renewaccesstoken");
    url.setPath(path);
    url.setQuery(QString());
    return url;
}

qint64 TokenService::usableMarginMs() const
{
    // Stop sending a token shortly before it expires: the request still has to travel, and
    // the server's clock may be ahead.
    return m_lifetimeMs ? std::min<qint64>(5000, *m_lifetimeMs / 20) : 0;
}

bool TokenService::hasUsableToken() const
{
    if (m_token.isEmpty())
        return false;
    return !m_expiresMono || m_clock.monotonicMs() < *m_expiresMono - usableMarginMs();
}

QString TokenService::token()
{
    const qint64 now = m_clock.monotonicMs();
    if (m_token.isEmpty() || (m_refreshMono && now >= *m_refreshMono))
        startRequest(false);
    return hasUsableToken() ? m_token : QString();
}

bool TokenService::rejected(const QString &usedToken)
{
    if (usedToken.isEmpty())
        return false;
    if (usedToken != m_token)
        return !m_token.isEmpty() || isRequesting(); // already replaced by another endpoint
    if (m_fromRejection) {
        m_lastError
            = QStringLiteral("a token fresh from a refresh after a 401 was refused too; not "
                             "requesting another before its normal refresh point");
        return false;
    }
    // The server says this token is no good, whatever its exp claims.
    m_token.clear();
    m_jwt.reset();
    startRequest(true);
    return isRequesting();
}

void TokenService::startRequest(bool forced)
{
    if (isRequesting())
        return; // single flight: everyone waits for the request already out
    const qint64 now = m_clock.monotonicMs();
    if (m_captchaStop)
        return; // a human must solve Tradovate's captcha first; asking again extends the penalty
    if (!m_pTicket.isEmpty() && now < m_ticketNotBeforeMono)
        return; // Tradovate's penalty: wait p-time before repeating the request with the ticket
    if (m_failures > 0 && now < m_retryNotBeforeMono)
        return;
    m_forced = forced;
    if (m_credential.method == Credential::Method::OAuth2ClientCredentials)
        send(RequestKind::OAuth2);
    else if (!m_pTicket.isEmpty())
        send(RequestKind::TradovateFull); // the penalty ticket goes with a full request
    else if (!forced && !m_token.isEmpty() && hasUsableToken())
        send(RequestKind::TradovateRenew); // renewal needs a token the server still accepts
    else
        send(RequestKind::TradovateFull);
}

void TokenService::countRequest()
{
    const qint64 now = m_clock.monotonicMs();
    ++m_requestsTotal;
    m_requestTimes.push_back(now);
    while (!m_requestTimes.empty() && m_requestTimes.front() <= now - HourMs)
        m_requestTimes.pop_front();
    int threshold = m_options.churnPerHour;
    if (threshold <= 0) {
        threshold = 12;
        if (m_lifetimeMs && *m_lifetimeMs > 0) {
            const double perToken = m_credential.refreshAt * double(*m_lifetimeMs);
            threshold = 2 * int(std::ceil(double(HourMs) / std::max(1.0, perToken))) + 4;
        }
    }
    const int count = int(m_requestTimes.size());
    if (count > threshold && (!m_lastChurnWarningMono || now - *m_lastChurnWarningMono >= HourMs)) {
        m_lastChurnWarningMono = now;
        emit churnWarning(
            QStringLiteral("credential %1: %2 token requests in the last hour (more than %3): "
                           "tokens are not being reused until they expire, which APIs "
                           "punish with rate limits (seed 002)")
                .arg(m_credential.id)
                .arg(count)
                .arg(threshold));
    }
}

int TokenService::requestsLastHour() const
{
    const qint64 now = m_clock.monotonicMs();
    return int(std::count_if(m_requestTimes.begin(), m_requestTimes.end(),
                             [now](qint64 t) { return t > now - HourMs; }));
}

void TokenService::send(RequestKind kind)
{
    auto secret = [this](const QString &name) -> std::optional<QString> {
        if (name.isEmpty() || !m_options.secrets)
            return std::nullopt;
        auto v = m_options.secrets(name);
        if (v)
            Redactor::shared().addSecretValue(*v);
        return v;
    };
    QString missing;
    QNetworkRequest request;
    QByteArray verb = "POST";
    QByteArray body;
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    if (m_options.network)
        m_options.network->applyTo(request); // the same TLS and proxy as the environment's polls
    request.setRawHeader("Accept", "application/json");
    if (kind == RequestKind::OAuth2) {
        const auto clientSecret = secret(m_credential.secretName);
        if (!clientSecret)
            missing = m_credential.secretName;
        // RFC 6749 §4.4 with Auth0's audience parameter; client credentials in the body
        // (client_secret_post), which Auth0 and most providers accept.
        QStringList fields{
            formField(QStringLiteral("grant_type"), QStringLiteral("client_credentials")),
            formField(QStringLiteral("client_id"), m_credential.clientId),
            formField(QStringLiteral("client_secret"), clientSecret.value_or(QString()))};
        if (!m_credential.audience.isEmpty())
            fields.append(formField(QStringLiteral("audience"), m_credential.audience));
        if (!m_credential.scope.isEmpty())
            fields.append(formField(QStringLiteral("scope"), m_credential.scope));
        body = fields.join(u'&').toUtf8();
        request.setUrl(m_options.tokenUrl);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    } else if (kind == RequestKind::TradovateFull) {
        const auto password = secret(m_credential.secretName);
        if (!password)
            missing = m_credential.secretName;
        QJsonObject o{{QStringLiteral("name"), m_credential.username},
                      {QStringLiteral("password"), password.value_or(QString())}};
        if (!m_credential.appId.isEmpty())
            o.insert(QStringLiteral("appId"), m_credential.appId);
        if (!m_credential.cid.isEmpty()) {
            bool numeric = false;
            const qint64 cid = m_credential.cid.toLongLong(&numeric);
            o.insert(QStringLiteral("cid"),
                     numeric ? QJsonValue(cid) : QJsonValue(m_credential.cid));
        }
        if (!m_credential.secondSecretName.isEmpty()) {
            const auto sec = secret(m_credential.secondSecretName);
            if (!sec)
                missing = m_credential.secondSecretName;
            o.insert(QStringLiteral("sec"), sec.value_or(QString()));
        }
        if (!m_pTicket.isEmpty())
            o.insert(QStringLiteral("p-ticket"), m_pTicket); // used once
        m_pTicket.clear();
        body = QJsonDocument(o).toJson(QJsonDocument::Compact);
        request.setUrl(m_options.tokenUrl);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    } else {
        verb = "GET";
        request.setUrl(renewalUrl(m_options.tokenUrl));
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    }
    if (!missing.isEmpty()) {
        // A configuration problem, not a server answer: no request, no event, no retry storm.
        m_lastError = QStringLiteral("credential %1: secret \"%2\" is not available")
                          .arg(m_credential.id, missing);
        ++m_failures;
        m_retryNotBeforeMono = m_clock.monotonicMs() + m_options.maxFailureBackoffMs;
        QMetaObject::invokeMethod(
            this, [this, msg = m_lastError] { emit tokenFailed(msg); }, Qt::QueuedConnection);
        return;
    }

    if (!m_nam) {
        m_nam = new QNetworkAccessManager(this);
        m_nam->setAutoDeleteReplies(false);
        if (m_options.network)
            m_options.network->applyTo(*m_nam);
    }
    m_kind = kind;
    m_deadlineHit = false;
    m_sentMono = m_clock.monotonicMs();
    m_sentWall = m_clock.nowMs();
    m_requestBody = QString::fromUtf8(body);
    m_responseBody.clear();
    m_responseBytes = 0;
    m_responseTooLarge = false;
    countRequest();
    m_reply = m_nam->sendCustomRequest(request, verb, body);
    // Read as it arrives (after Qt undid any Content-Encoding), so a huge or decompressing-to-
    // huge answer is cut at the limit instead of being buffered whole.
    connect(m_reply, &QNetworkReply::readyRead, this, &TokenService::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &TokenService::onFinished);
    m_deadline.start(std::max(1, m_options.timeoutMs));
}

void TokenService::onDeadline()
{
    if (!m_reply || m_reply->isFinished())
        return;
    m_deadlineHit = true;
    m_reply->abort();
}

void TokenService::onReadyRead()
{
    // Drain what Qt holds in bounded steps; stop and abort once past the limit.
    while (m_reply && m_reply->isOpen() && !m_responseTooLarge && m_reply->bytesAvailable() > 0) {
        const QByteArray chunk = m_reply->read(64 * 1024);
        if (chunk.isEmpty())
            break;
        m_responseBytes += chunk.size();
        const qint64 room = limits::MaxTokenResponseBytes - m_responseBody.size();
        if (room > 0)
            m_responseBody.append(chunk.left(room));
        if (m_responseBytes > limits::MaxTokenResponseBytes) {
            m_responseTooLarge = true;
            m_reply->abort(); // emits finished() synchronously
            return;
        }
    }
}

void TokenService::onFinished()
{
    m_deadline.stop();
    if (!m_reply)
        return;
    onReadyRead(); // what is left in the reply's buffer
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const qint64 nowMono = m_clock.monotonicMs();
    const qint64 nowWall = m_clock.nowMs();
    const QByteArray responseBody = std::exchange(m_responseBody, QByteArray());
    const bool tooLarge = std::exchange(m_responseTooLarge, false);

    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_sentWall;
    e.environment = m_options.environment;
    e.endpoint = QStringLiteral("token:") + m_credential.id;
    e.attempt = 1;
    e.durationMs = double(nowMono - m_sentMono);
    const bool oauth = m_kind == RequestKind::OAuth2;
    e.profile = oauth ? QStringLiteral("oauth2") : QStringLiteral("tradovate");
    const QUrl url = m_kind == RequestKind::TradovateRenew ? renewalUrl(m_options.tokenUrl)
                                                           : m_options.tokenUrl;
    HeaderList requestHeaders;
    if (m_kind == RequestKind::TradovateRenew)
        requestHeaders.append(
            {QStringLiteral("Authorization"), QStringLiteral("Bearer ") + m_token});
    else
        requestHeaders.append({QStringLiteral("Content-Type"),
                               oauth ? QStringLiteral("application/x-www-form-urlencoded")
                                     : QStringLiteral("application/json")});
    e.request = RequestInfo{m_kind == RequestKind::TradovateRenew ? QStringLiteral("GET")
                                                                  : QStringLiteral("POST"),
                            url.toString(), requestHeaders, m_requestBody};
    m_requestBody.clear();

    ClassifyInput in;
    in.profile = e.profile;
    in.nowMs = nowWall;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (statusAttr.isValid())
        in.status = statusAttr.toInt();
    in.headers = reply->rawHeaderPairs();
    in.body = responseBody;
    if (!tooLarge && (m_deadlineHit || (!in.status && reply->error() != QNetworkReply::NoError)))
        in.networkError = NetworkErrors::fromReply(reply->error(), m_deadlineHit).name;
    const QString tooLargeText
        = QStringLiteral("the token response was larger than %1 (%2 read before the transfer "
                         "was aborted); no token was taken from it")
              .arg(bytesText(limits::MaxTokenResponseBytes), bytesText(m_responseBytes));
    if (tooLarge)
        e.notes.append(tooLargeText);

    // Parse the token before anything is classified or redacted, and register it at once.
    // A response cut at the limit is never parsed: half a JSON document is no token.
    const TokenResponse parsed
        = tooLarge ? TokenResponse()
                   : TokenResponse::parse(responseBody,
                                          oauth ? TokenResponse::Dialect::OAuth2
                                                : TokenResponse::Dialect::Tradovate,
                                          nowWall);
    const QString token = parsed.token;
    const std::optional<double> expiresInS = parsed.expiresInS;
    const std::optional<qint64> expirationWallMs = parsed.expirationWallMs;
    QString refusal;
    // A penalty ticket is a credential of its own: never in an event, whatever comes with it.
    if (!parsed.pTicket.isEmpty())
        Redactor::shared().addSecretValue(parsed.pTicket);
    if (parsed.captcha) {
        m_captchaStop = true;
        refusal = QStringLiteral(
            "Tradovate requires a captcha (p-captcha): a human must solve it by logging in once "
            "in the Tradovate web trader; no more token requests are sent for this credential "
            "until the workspace is reloaded");
    } else if (!parsed.pTicket.isEmpty()) {
        m_pTicket = parsed.pTicket;
        m_ticketNotBeforeMono = nowMono + parsed.pTimeS * 1000;
        refusal = QStringLiteral("Tradovate penalty ticket (p-ticket): the access-token request "
                                 "is repeated with the ticket after p-time %1 s")
                      .arg(parsed.pTimeS);
    }
    // Held while it may be in use (the longest lifetime any source gives); the redactor adds
    // its grace period and then drops the value, so refreshed tokens do not pile up.
    if (!token.isEmpty())
        Redactor::shared().addSecretValue(token, parsed.holdForMs);

    // Clock skew: the server's Date against our clock at the moment the answer arrived.
    std::optional<qint64> serverNowMs;
    const QByteArray date = reply->rawHeader("Date");
    if (!date.isEmpty()) {
        serverNowMs = RateLimitHeaders::parseHttpDate(date);
        if (serverNowMs)
            m_skewMs = *serverNowMs - nowWall;
    }

    m_classifier.classify(in, e);
    if (m_deadlineHit && e.error)
        e.error->message = QStringLiteral("no complete token response within the %1 ms deadline")
                               .arg(m_options.timeoutMs);
    if (tooLarge) {
        if (e.response) {
            e.response->truncated = true;
            e.response->size = m_responseBytes;
        }
        if (e.outcome == Outcome::Success) {
            e.outcome = Outcome::BusinessError;
            e.category = Category::BusinessRejected;
        }
        e.error = ErrorInfo{QStringLiteral("token_response_too_large"),
                            ErrorType::Authentication,
                            tooLargeText.left(1).toUpper() + tooLargeText.mid(1),
                            {}};
        e.retry = {false, RetryAction::None, std::nullopt,
                   QStringLiteral("A token endpoint answers with a few KiB; check the token URL "
                                  "points at the token endpoint and not at a download.")};
    }

    const bool success = e.outcome == Outcome::Success && !token.isEmpty() && refusal.isEmpty();
    if (!success) {
        if (e.outcome == Outcome::Success) {
            // A 2xx without a token is a failed token request whatever the status says.
            e.outcome = Outcome::BusinessError;
            e.category = Category::BusinessRejected;
            // Vendors say why in the body even with a 200 (Tradovate: errorText).
            const QString why = refusal.isEmpty() ? parsed.vendorReason : refusal;
            e.error = ErrorInfo{QStringLiteral("no_access_token"),
                                ErrorType::Authentication,
                                why.isEmpty()
                                    ? QStringLiteral("the token response holds no access token")
                                    : QStringLiteral("no access token: ") + why,
                                {}};
        }
        if (m_kind == RequestKind::TradovateRenew && in.networkError.isEmpty()) {
            // A refused renewal: the token may be past renewing. Ask for a new one at once.
            Redactor::shared().redactEvent(e);
            emit eventReady(e);
            send(RequestKind::TradovateFull);
            return;
        }
        if (!m_pTicket.isEmpty() || m_captchaStop) {
            // The penalty sets its own wait (or none at all, for a captcha): no backoff on top.
            m_lastError = QStringLiteral("credential %1: %2").arg(m_credential.id, refusal);
            if (e.error)
                e.error->message = refusal;
            Redactor::shared().redactEvent(e);
            emit eventReady(e);
            emit tokenFailed(m_lastError);
            return;
        }
        fail(e, e.error ? e.error->message : QStringLiteral("token request failed"));
        return;
    }

    // Lifetime and expiry. Relative facts (expires_in) are immune to clock skew; absolute ones
    // (Tradovate's expirationTime, the JWT's exp) are read against the server's clock when its
    // Date header is known.
    QString jwtError;
    m_jwt = Jwt::decode(token, &jwtError);
    if (m_jwt)
        e.notes.append(m_jwt->notes());
    // A Date header has whole seconds: a skew under 2 s is its rounding, not a clock problem,
    // and reading expiry against it would cost up to a second of a short token's life.
    const qint64 serverNow = (m_skewMs && qAbs(*m_skewMs) >= 2000) ? *serverNowMs : nowWall;
    // Every figure is bounded (resourcelimits.h): expires_in saturates on conversion, and a
    // lifetime beyond 30 days is clamped so a refresh still happens; the event says so.
    constexpr qint64 maxLifetimeMs = limits::MaxTokenLifetimeS * 1000;
    m_lifetimeClamped = false;
    std::optional<qint64> remainingMs;
    if (expiresInS) {
        remainingMs = secondsToMs(*expiresInS);
        if (*remainingMs > maxLifetimeMs)
            e.notes.append(QStringLiteral("expires_in of %1 s clamped to %2 s (30 days, the "
                                          "longest token lifetime HealthDeck accepts)")
                               .arg(secondsText(*expiresInS))
                               .arg(limits::MaxTokenLifetimeS));
    } else if (expirationWallMs) {
        remainingMs = saturatingAdd(*expirationWallMs, -serverNow);
    }
    // The JWT's exp is what the resource server checks, in whole seconds: when it comes
    // before the response's own figure (a token minted at x.9 s), the earlier one wins.
    // exp is at most year 9999 (Jwt ignores anything beyond), so × 1000 cannot overflow.
    if (m_jwt && m_jwt->expiresAtS()) {
        const qint64 jwtRemaining = saturatingAdd(*m_jwt->expiresAtS() * 1000, -serverNow);
        remainingMs = remainingMs ? std::min(*remainingMs, jwtRemaining) : jwtRemaining;
    }
    if (remainingMs && *remainingMs > maxLifetimeMs) {
        if (!expiresInS || secondsToMs(*expiresInS) <= maxLifetimeMs)
            e.notes.append(QStringLiteral("token lifetime of %1 s clamped to %2 s (30 days, the "
                                          "longest token lifetime HealthDeck accepts)")
                               .arg(*remainingMs / 1000)
                               .arg(limits::MaxTokenLifetimeS));
        remainingMs = maxLifetimeMs;
        m_lifetimeClamped = true;
    }
    m_lifetimeMs.reset();
    if (m_jwt && m_jwt->lifetimeS() && *m_jwt->lifetimeS() > 0)
        m_lifetimeMs = std::min(maxLifetimeMs, secondsToMs(*m_jwt->lifetimeS()));
    else if (remainingMs)
        m_lifetimeMs = *remainingMs;
    if (remainingMs && m_lifetimeMs && *remainingMs > *m_lifetimeMs)
        m_lifetimeMs = remainingMs;

    m_token = token;
    m_fromRejection = m_forced;
    m_receivedMono = nowMono;
    if (remainingMs) {
        const qint64 age = std::max<qint64>(0, *m_lifetimeMs - *remainingMs);
        m_expiresMono = nowMono + *remainingMs;
        m_refreshMono
            = nowMono
              + std::max<qint64>(0, qint64(m_credential.refreshAt * double(*m_lifetimeMs)) - age);
    } else {
        // No expiry anywhere: keep the token until the server refuses it (401).
        m_expiresMono.reset();
        m_refreshMono.reset();
    }
    m_failures = 0;
    m_retryNotBeforeMono = 0;
    m_lastError.clear();

    e.token = summary();
    Redactor::shared().redactEvent(e);
    emit eventReady(e);
    emit tokenReady();
}

void TokenService::fail(ApiEvent &event, const QString &message)
{
    ++m_failures;
    const qint64 backoff = std::min(m_options.maxFailureBackoffMs,
                                    m_options.failureBackoffMs << std::min(m_failures - 1, 20));
    m_retryNotBeforeMono = m_clock.monotonicMs() + backoff;
    m_lastError
        = QStringLiteral("credential %1: token request failed: %2").arg(m_credential.id, message);
    if (event.error)
        event.error->message
            += QStringLiteral(
                   " (token request %1 in a row failed; next attempt in %2 s, not before)")
                   .arg(m_failures)
                   .arg(backoff / 1000.0, 0, 'f', 1);
    Redactor::shared().redactEvent(event);
    emit eventReady(event);
    emit tokenFailed(m_lastError);
}

TokenInfo TokenService::summary() const
{
    TokenInfo info;
    if (m_token.isEmpty())
        return info;
    if (m_jwt) {
        info.subject = m_jwt->subject();
        info.scopes = m_jwt->scopes();
    }
    info.clamped = m_lifetimeClamped;
    if (info.scopes.isEmpty() && !m_credential.scope.isEmpty())
        info.scopes = m_credential.scope.split(u' ', Qt::SkipEmptyParts);
    if (m_expiresMono) {
        const qint64 left = *m_expiresMono - m_clock.monotonicMs();
        info.expiresInS = left >= 0 ? left / 1000 : -((-left + 999) / 1000);
    }
    return info;
}

std::optional<qint64> TokenService::expiresAtMs() const
{
    if (!m_expiresMono)
        return std::nullopt;
    return m_clock.nowMs() + (*m_expiresMono - m_clock.monotonicMs());
}

std::optional<qint64> TokenService::lifetimeMs() const
{
    return m_lifetimeMs;
}

std::optional<qint64> TokenService::retryNotBeforeMs() const
{
    if (m_failures == 0)
        return std::nullopt;
    return m_clock.nowMs() + std::max<qint64>(0, m_retryNotBeforeMono - m_clock.monotonicMs());
}

} // namespace hd
