#include "tokenservice.h"

#include "networkerrors.h"
#include "ratelimitheaders.h"
#include "redactor.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

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

std::optional<qint64> jsonSeconds(const QJsonValue &v)
{
    if (v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() > 0)
        return qint64(v.toDouble());
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        if (ok && n > 0)
            return n;
    }
    return std::nullopt;
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
    if (m_failures > 0 && now < m_retryNotBeforeMono)
        return;
    m_forced = forced;
    if (m_credential.method == Credential::Method::OAuth2ClientCredentials)
        send(RequestKind::OAuth2);
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
    countRequest();
    m_reply = m_nam->sendCustomRequest(request, verb, body);
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

void TokenService::onFinished()
{
    m_deadline.stop();
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const qint64 nowMono = m_clock.monotonicMs();
    const qint64 nowWall = m_clock.nowMs();
    const QByteArray responseBody = reply->readAll();

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
    if (m_deadlineHit || (!in.status && reply->error() != QNetworkReply::NoError))
        in.networkError = NetworkErrors::fromReply(reply->error(), m_deadlineHit).name;

    // Parse the token before anything is classified or redacted, and register it at once.
    QString token;
    std::optional<qint64> expiresInS;
    std::optional<qint64> expirationWallMs; // Tradovate: absolute, server clock
    QString refusal;
    const QJsonObject o = QJsonDocument::fromJson(responseBody).object();
    if (oauth) {
        token = o.value(QStringLiteral("access_token")).toString();
        expiresInS = jsonSeconds(o.value(QStringLiteral("expires_in")));
    } else {
        token = o.value(QStringLiteral("accessToken")).toString();
        const QDateTime exp = QDateTime::fromString(
            o.value(QStringLiteral("expirationTime")).toString(), Qt::ISODateWithMs);
        if (exp.isValid())
            expirationWallMs = exp.toMSecsSinceEpoch();
        if (o.contains(QStringLiteral("p-ticket")))
            refusal = QStringLiteral(
                          "the server asks for a captcha (p-ticket); wait %1 s before trying again")
                          .arg(o.value(QStringLiteral("p-time")).toInt());
    }
    if (!token.isEmpty())
        Redactor::shared().addSecretValue(token);

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

    const bool success = e.outcome == Outcome::Success && !token.isEmpty() && refusal.isEmpty();
    if (!success) {
        if (e.outcome == Outcome::Success) {
            // A 2xx without a token is a failed token request whatever the status says.
            e.outcome = Outcome::BusinessError;
            e.category = Category::BusinessRejected;
            // Vendors say why in the body even with a 200 (Tradovate: errorText).
            QString why = refusal;
            for (const char *key : {"errorText", "error_description", "message", "error"})
                if (why.isEmpty())
                    why = o.value(QLatin1String(key)).toString();
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
        fail(e, e.error ? e.error->message : QStringLiteral("token request failed"));
        return;
    }

    // Lifetime and expiry. Relative facts (expires_in) are immune to clock skew; absolute ones
    // (Tradovate's expirationTime, the JWT's exp) are read against the server's clock when its
    // Date header is known.
    QString jwtError;
    m_jwt = Jwt::decode(token, &jwtError);
    // A Date header has whole seconds: a skew under 2 s is its rounding, not a clock problem,
    // and reading expiry against it would cost up to a second of a short token's life.
    const qint64 serverNow = (m_skewMs && qAbs(*m_skewMs) >= 2000) ? *serverNowMs : nowWall;
    std::optional<qint64> remainingMs;
    if (expiresInS)
        remainingMs = *expiresInS * 1000;
    else if (expirationWallMs)
        remainingMs = *expirationWallMs - serverNow;
    // The JWT's exp is what the resource server checks, in whole seconds: when it comes
    // before the response's own figure (a token minted at x.9 s), the earlier one wins.
    if (m_jwt && m_jwt->expiresAtS()) {
        const qint64 jwtRemaining = *m_jwt->expiresAtS() * 1000 - serverNow;
        remainingMs = remainingMs ? std::min(*remainingMs, jwtRemaining) : jwtRemaining;
    }
    m_lifetimeMs.reset();
    if (m_jwt && m_jwt->lifetimeS() && *m_jwt->lifetimeS() > 0)
        m_lifetimeMs = *m_jwt->lifetimeS() * 1000;
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
