#include "eventtypes.h"

#include <array>

namespace hd {
namespace {

constexpr std::array<std::string_view, 5> kOutcomes{"success", "client_error", "server_error",
                                                    "business_error", "connection_error"};

constexpr std::array<std::string_view, CategoryCount> kCategories{
    "ok",
    "connection_reset",
    "broken_pipe",
    "connection_refused",
    "timeout",
    "remote_closed",
    "dns_failure",
    "tls_failure",
    "stream_dropped",
    "network_other",
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "payload_too_large",
    "unprocessable",
    "locked",
    "lockout_warning",
    "rate_limited",
    "client_error_other",
    "internal_error",
    "bad_gateway",
    "unavailable",
    "gateway_timeout",
    "server_error_other",
    "business_rejected",
};

constexpr std::array<std::string_view, ErrorTypeCount> kErrorTypes{
    "validation", "authentication", "authorization", "not_found", "conflict",
    "rate_limit", "concurrency",    "business_rule", "internal",  "unavailable",
    "timeout",    "network",        "unknown"};

constexpr std::array<std::string_view, RetryActionCount> kRetryActions{
    "none",        "retry_backoff",    "retry_after",    "refresh_token", "request_scope",
    "fix_request", "resolve_conflict", "reduce_payload", "slow_down",     "stop_lockout"};

template<typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N> &table, std::string_view s)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i] == s)
            return E(int(i));
    }
    return std::nullopt;
}

} // namespace

std::string_view toString(Outcome v)
{
    return kOutcomes[std::size_t(v)];
}
std::string_view toString(Category v)
{
    return kCategories[std::size_t(v)];
}
std::string_view toString(ErrorType v)
{
    return kErrorTypes[std::size_t(v)];
}
std::string_view toString(RetryAction v)
{
    return kRetryActions[std::size_t(v)];
}

std::optional<Outcome> outcomeFromString(std::string_view s)
{
    return lookup<Outcome>(kOutcomes, s);
}
std::optional<Category> categoryFromString(std::string_view s)
{
    return lookup<Category>(kCategories, s);
}
std::optional<ErrorType> errorTypeFromString(std::string_view s)
{
    return lookup<ErrorType>(kErrorTypes, s);
}
std::optional<RetryAction> retryActionFromString(std::string_view s)
{
    return lookup<RetryAction>(kRetryActions, s);
}

bool isConnectionCategory(Category c)
{
    return c >= Category::ConnectionReset && c <= Category::NetworkOther;
}

Outcome outcomeOf(Category c)
{
    if (c == Category::Ok)
        return Outcome::Success;
    if (isConnectionCategory(c))
        return Outcome::ConnectionError;
    if (c >= Category::BadRequest && c <= Category::ClientErrorOther)
        return Outcome::ClientError;
    if (c >= Category::InternalError && c <= Category::ServerErrorOther)
        return Outcome::ServerError;
    return Outcome::BusinessError;
}

} // namespace hd
