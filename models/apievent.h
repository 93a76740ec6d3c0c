#pragma once

// ApiEvent: one request attempt, normalised. Its JSON form is healthdeck.event/1 (DESIGN §2),
// which other tools read; field names and vocabularies are fixed.
// Absent facts stay absent (std::nullopt / empty) and serialise as null or are omitted.

#include "eventtypes.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <string>
#include <utility>

namespace hd {

inline constexpr std::string_view EventSchema = "healthdeck.event/1";

using Header = std::pair<QString, QString>;
using HeaderList = QList<Header>;

struct RequestInfo
{
    QString method;
    QString url;        // redacted
    HeaderList headers; // redacted
    QString body;       // redacted, capped
    bool operator==(const RequestInfo &) const = default;
};

struct ResponseInfo
{
    HeaderList headers; // redacted
    QString body;       // first 64 KiB, redacted; binary bodies are described, not copied
    qint64 size = 0;    // full size in bytes as received (as far as it was read)
    // The body was longer than limits::MaxResponseBodyBytes (after decompression) and the
    // transfer was aborted there; size is what had arrived. JSON: "truncated": true, only when set.
    bool truncated = false;
    // The protocol the answer came over: "HTTP/2" when Qt negotiated it through ALPN, else
    // "HTTP/1.1"; empty when unknown (an event from another tool). JSON "http_version".
    QString httpVersion;
    bool operator==(const ResponseInfo &) const = default;
};

struct ErrorDetail
{
    QString field;
    QString message;
    bool operator==(const ErrorDetail &) const = default;
};

struct ErrorInfo
{
    QString code; // vendor codes are strings, numeric ones too (seed 002)
    ErrorType type = ErrorType::Unknown;
    QString message;
    QList<ErrorDetail> details;
    bool operator==(const ErrorInfo &) const = default;
};

struct Identifiers
{
    QString traceId;
    QString accountId;
    QString orderId;
    QString execId;
    QString tradeId;
    QString clOrdId;
    QString conflictingSignalId;
    QString conflictingTradeId;

    bool isEmpty() const { return *this == Identifiers{}; }
    bool operator==(const Identifiers &) const = default;

    // Field access by schema name ("traceId", …) for profiles and filters.
    QString *field(std::string_view name);
    const QString *field(std::string_view name) const;
    static const std::array<std::string_view, 8> &names();
};

struct RetryDecision
{
    bool retryable = false;
    RetryAction action = RetryAction::None;
    std::optional<qint64> delayMs;
    QString advice;
    bool operator==(const RetryDecision &) const = default;
};

struct RateLimitInfo
{
    std::optional<qint64> limit;
    std::optional<qint64> remaining;
    std::optional<double> resetS;      // seconds from the response until the quota resets
    std::optional<double> retryAfterS; // Retry-After, always as seconds
    QString policy;                    // e.g. "burst;w=60" from RateLimit-Policy
    QString source;                    // header family the numbers came from
    // reset_s or retry_after_s was out of range (too long, NaN, negative) and was clamped to the
    // limits::MaxRetryAfterS / MaxRateLimitResetS bound; the event's notes say from what.
    // JSON: "clamped": true, only when set.
    bool clamped = false;

    bool isEmpty() const { return *this == RateLimitInfo{}; }
    bool exhausted() const { return remaining && *remaining <= 0; }
    bool operator==(const RateLimitInfo &) const = default;
};

struct TokenInfo
{
    std::optional<qint64> expiresInS;
    QString subject;
    QStringList scopes;
    // The lifetime the server claimed was outside [0, limits::MaxTokenLifetimeS] and was clamped.
    // JSON: "clamped": true, only when set.
    bool clamped = false;
    bool operator==(const TokenInfo &) const = default;
};

// Endpoint health of one attempt (models/endpointhealth.h). JSON "health".
enum class Health { Up, Degraded, Down };

// Per-phase timings of one attempt (docs/network.md, "Timings"): what Qt 6.4's QNetworkReply
// signals let us observe, in milliseconds from the start of the attempt's phases. A phase that
// was not observed (a reused connection has no connect or TLS phase) stays unset.
struct TimingInfo
{
    std::optional<double> dnsMs;       // start → socketStartedConnecting (lookup and queueing)
    std::optional<double> connectMs;   // http: socketStartedConnecting → requestSent
    std::optional<double> tlsMs;       // https: socketStartedConnecting → encrypted (TCP + TLS)
    std::optional<double> sentMs;      // → requestSent (from encrypted, or from the start)
    std::optional<double> firstByteMs; // requestSent → metaDataChanged (response head)
    std::optional<double> transferMs;  // metaDataChanged → finished
    std::optional<bool> reusedConnection; // no socketStartedConnecting: a kept-alive connection

    bool isEmpty() const { return *this == TimingInfo{}; }
    bool operator==(const TimingInfo &) const = default;
};

// One certificate of the chain the server presented: names and validity, never keys.
struct TlsCertificateSummary
{
    QString subject;
    QString issuer;
    qint64 notAfterMs = 0;
    bool operator==(const TlsCertificateSummary &) const = default;
};

// TLS facts of an https attempt (the server's leaf certificate and chain as received, whether
// or not it was trusted). JSON "tls" (DESIGN §2); only on https attempts that got a certificate.
struct TlsInfo
{
    QString protocol;            // "TLSv1.3"
    QString subject;             // leaf: "CN=api.example.com, O=…"
    QString issuer;              // leaf's issuer
    qint64 notAfterMs = 0;       // leaf's not-after, UTC ms
    std::optional<int> daysLeft; // whole days from the attempt to not-after (negative: expired)
    QStringList problems;        // chain problems: "CERT_HAS_EXPIRED: …", one per QSslError
    QList<TlsCertificateSummary> chain; // leaf first, as the server sent it (at most 8)

    bool operator==(const TlsInfo &) const = default;
};

struct ApiEvent
{
    QString id;
    qint64 timeMs = 0; // UTC, milliseconds since the epoch
    QString environment;
    QString endpoint;
    QString profile;
    int attempt = 1;
    std::optional<RequestInfo> request;
    std::optional<ResponseInfo> response;
    double durationMs = 0;
    Outcome outcome = Outcome::Success;
    Category category = Category::Ok;
    std::optional<int> httpStatus;
    QString networkError; // seed 000 names: ECONNRESET, EPIPE, …
    std::optional<ErrorInfo> error;
    Identifiers identifiers;
    RetryDecision retry;
    std::optional<RateLimitInfo> rateLimit;
    std::optional<TokenInfo> token;
    std::optional<TimingInfo> timing;
    std::optional<TlsInfo> tls;
    // Stamped by the engine from the endpoint's degraded threshold (endpointhealth.h); unset in
    // events read from older files (then derived without a latency threshold).
    std::optional<Health> health;
    QString proxy; // the proxy that carried the request ("http://proxy:3128"); empty: direct
    // One sentence per value HealthDeck clamped or ignored on the way (a Retry-After of ten
    // years, a body cut at the memory limit…), so the event says what it did not take at face
    // value. JSON: "notes": [ … ], only when not empty.
    QStringList notes;

    bool isFailure() const { return outcome != Outcome::Success; }
    bool operator==(const ApiEvent &) const = default;
};

// A new random event id (UUID without braces).
QString newEventId();

// ISO 8601 UTC with milliseconds: 2026-11-21T22:00:00.123Z
QString formatEventTime(qint64 msSinceEpoch);
std::optional<qint64> parseEventTime(const QString &iso);

} // namespace hd
