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
    qint64 size = 0;    // full size in bytes as received
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

    bool isEmpty() const { return *this == RateLimitInfo{}; }
    bool exhausted() const { return remaining && *remaining <= 0; }
    bool operator==(const RateLimitInfo &) const = default;
};

struct TokenInfo
{
    std::optional<qint64> expiresInS;
    QString subject;
    QStringList scopes;
    bool operator==(const TokenInfo &) const = default;
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

    bool isFailure() const { return outcome != Outcome::Success; }
    bool operator==(const ApiEvent &) const = default;
};

// A new random event id (UUID without braces).
QString newEventId();

// ISO 8601 UTC with milliseconds: 2026-11-21T22:00:00.123Z
QString formatEventTime(qint64 msSinceEpoch);
std::optional<qint64> parseEventTime(const QString &iso);

} // namespace hd
