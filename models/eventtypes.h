#pragma once

// The closed vocabularies of the healthdeck.event/1 schema (DESIGN §2).
// Their string forms are a contract: other tools read them, so they never change spelling.

#include <QString>

#include <optional>
#include <string_view>

namespace hd {

enum class Outcome { Success, ClientError, ServerError, BusinessError, ConnectionError };

enum class Category {
    // success
    Ok,
    // connection level (seed 000)
    ConnectionReset,
    BrokenPipe,
    ConnectionRefused,
    Timeout,
    RemoteClosed,
    DnsFailure,
    TlsFailure,
    StreamDropped,
    NetworkOther,
    // HTTP 4xx
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    Unprocessable,
    Locked,
    LockoutWarning,
    RateLimited,
    ClientErrorOther,
    // HTTP 5xx
    InternalError,
    BadGateway,
    Unavailable,
    GatewayTimeout,
    ServerErrorOther,
    // a 2xx whose body says it failed (seed 003)
    BusinessRejected,
};
inline constexpr int CategoryCount = int(Category::BusinessRejected) + 1;

enum class ErrorType {
    Validation,
    Authentication,
    Authorization,
    NotFound,
    Conflict,
    RateLimit,
    Concurrency,
    BusinessRule,
    Internal,
    Unavailable,
    Timeout,
    Network,
    Unknown,
};
inline constexpr int ErrorTypeCount = int(ErrorType::Unknown) + 1;

enum class RetryAction {
    None,
    RetryBackoff,
    RetryAfter,
    RefreshToken,
    RequestScope,
    FixRequest,
    ResolveConflict,
    ReducePayload,
    SlowDown,
    StopLockout,
};
inline constexpr int RetryActionCount = int(RetryAction::StopLockout) + 1;

std::string_view toString(Outcome v);
std::string_view toString(Category v);
std::string_view toString(ErrorType v);
std::string_view toString(RetryAction v);

std::optional<Outcome> outcomeFromString(std::string_view s);
std::optional<Category> categoryFromString(std::string_view s);
std::optional<ErrorType> errorTypeFromString(std::string_view s);
std::optional<RetryAction> retryActionFromString(std::string_view s);

inline QString toQString(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The outcome a category belongs to; categories partition outcomes.
Outcome outcomeOf(Category c);
bool isConnectionCategory(Category c);

} // namespace hd
