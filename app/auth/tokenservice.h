#pragma once

// TokenService: the access token of one credential (OAuth2 client credentials as Auth0 expects
// them, or a Tradovate-style access-token request with its renewal call), shared by every
// endpoint that uses the credential. Seed 000: tokens expiring mid-session cause half the
// intermittent failures; seed 002: re-requesting a token per call gets you rate limited. So:
//  - a token is fetched once and reused until refreshAt × its lifetime has passed;
//  - at most ONE token request is in flight per credential, however many endpoints ask;
//  - a 401 refreshes once (and a token fresh from such a refresh that is refused too is not
//    refreshed again before its normal refresh point: no loop);
//  - every token request is an ApiEvent on endpoint "token:<credential id>", so a failed
//    refresh is an event of its own (and the refresh_failed alert sees it); failures back off;
//  - token requests are counted per hour and a churn warning is raised when there are too many;
//  - what the server says is bounded (resourcelimits.h): a response over 1 MiB is aborted and
//    fails, and a lifetime outside [0, 30 days] is clamped and noted in the event.
// Every secret and token is registered with Redactor::shared() the moment it is read or received.
// Lives on the thread that created it (the engine's, normally the main thread); network I/O is
// asynchronous on its own QNetworkAccessManager. All timing goes through the injected Clock.

#include "apievent.h"
#include "classifier.h"
#include "clock.h"
#include "environmentnetwork.h"
#include "jwt.h"
#include "workspace.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>
#include <optional>

class QNetworkReply;

namespace hd {

struct TokenServiceOptions
{
    QUrl tokenUrl;       // resolved absolute URL of the token endpoint
    QString environment; // written to token request events
    // Secret values by name (keychain cache or HDECK_SECRET_<NAME>).
    std::function<std::optional<QString>(const QString &name)> secrets;
    int timeoutMs = 10000;
    // The environment's TLS, HTTP/2 and proxy (null: system defaults).
    std::shared_ptr<const EnvironmentNetwork> network;
    // Churn warning above this many token requests per hour; 0: twice what the token lifetime
    // implies, plus 4 (12 while the lifetime is unknown).
    int churnPerHour = 0;
    qint64 failureBackoffMs = 5000;      // first wait after a failed token request…
    qint64 maxFailureBackoffMs = 300000; // …doubling up to this
};

class TokenService : public QObject
{
    Q_OBJECT
public:
    TokenService(Credential credential, TokenServiceOptions options,
                 const Clock &clock = Clock::system(), QObject *parent = nullptr);
    ~TokenService() override;

    // Methods that need a token service (OAuth2 client credentials, Tradovate token).
    static bool handles(Credential::Method method);
    // Tradovate's renewal call beside the access-token request: …/auth/renewaccesstoken.
    static QUrl renewalUrl(const QUrl &tokenUrl);

    const Credential &credential() const { return m_credential; }

    // The token to send now, or empty when there is no usable one. Never blocks: when the
    // token is missing or past its refresh point it starts (at most one) token request and
    // tokenReady()/tokenFailed() follow. A token past its refresh point but not yet expired is
    // still returned, so endpoints keep working while the refresh is in flight.
    QString token();
    bool hasUsableToken() const;
    bool isRequesting() const { return !m_reply.isNull(); }

    // A request sent with usedToken was answered 401. Returns true when one retry makes sense
    // (a refresh is now in flight, or another endpoint already replaced that token); false
    // when the token that was refused came from a 401-triggered refresh itself — asking again
    // would loop — or the token endpoint is backing off after failures.
    bool rejected(const QString &usedToken);

    // Summary of the current token for events (never the token itself).
    TokenInfo summary() const;
    std::optional<Jwt> jwt() const { return m_jwt; }
    // Wall-clock expiry (local clock, skew-corrected) and lifetime; nullopt when unknown.
    std::optional<qint64> expiresAtMs() const;
    std::optional<qint64> lifetimeMs() const;
    // Server Date minus local time at the last token response (positive: server ahead).
    std::optional<qint64> clockSkewMs() const { return m_skewMs; }
    int requestsLastHour() const;
    qint64 requestsTotal() const { return m_requestsTotal; }
    QString lastError() const { return m_lastError; }
    // Tradovate asked for a captcha (p-captcha): a human must solve it; no token request goes
    // out for this credential until the service is recreated (workspace reloaded).
    bool captchaRequired() const { return m_captchaStop; }
    // While backing off after a failure: when the next token request may go (wall clock).
    std::optional<qint64> retryNotBeforeMs() const;

signals:
    void tokenReady();
    void tokenFailed(const QString &message);
    // One event per token request, success or failure, on endpoint "token:<credential id>".
    void eventReady(const hd::ApiEvent &event);
    void churnWarning(const QString &message);

private:
    enum class RequestKind { OAuth2, TradovateFull, TradovateRenew };
    void startRequest(bool forced);
    void send(RequestKind kind);
    void onReadyRead();
    void onFinished();
    void onDeadline();
    void fail(ApiEvent &event, const QString &message);
    void countRequest();
    qint64 usableMarginMs() const;

    Credential m_credential;
    TokenServiceOptions m_options;
    const Clock &m_clock;
    Classifier m_classifier;
    QNetworkAccessManager *m_nam = nullptr; // created on first use, on this object's thread
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    bool m_deadlineHit = false;
    RequestKind m_kind = RequestKind::OAuth2;
    bool m_forced = false;
    qint64 m_sentMono = 0;
    qint64 m_sentWall = 0;
    QString m_requestBody;      // for the event; redacted before it leaves
    QByteArray m_responseBody;  // read as it arrives, at most limits::MaxTokenResponseBytes
    qint64 m_responseBytes = 0; // bytes that arrived (decompressed), past the limit too
    bool m_responseTooLarge = false;

    QString m_token;
    std::optional<Jwt> m_jwt;
    bool m_fromRejection = false;
    qint64 m_receivedMono = 0;
    std::optional<qint64> m_expiresMono;
    std::optional<qint64> m_refreshMono;
    std::optional<qint64> m_lifetimeMs;
    bool m_lifetimeClamped = false; // the server claimed more than limits::MaxTokenLifetimeS
    std::optional<qint64> m_skewMs;

    int m_failures = 0;
    qint64 m_retryNotBeforeMono = 0;
    QString m_lastError;
    std::deque<qint64> m_requestTimes; // monotonic ms of token requests in the last hour
    qint64 m_requestsTotal = 0;
    std::optional<qint64> m_lastChurnWarningMono;
    // Tradovate's penalty ticket: sent with the next access-token request, not before
    // m_ticketNotBeforeMono (p-time seconds after it arrived).
    QString m_pTicket;
    qint64 m_ticketNotBeforeMono = 0;
    bool m_captchaStop = false;
};

} // namespace hd
