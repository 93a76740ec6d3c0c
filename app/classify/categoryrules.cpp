#include "categoryrules.h"

#include <array>

namespace hd {
namespace {

using C = Category;
using T = ErrorType;
using A = RetryAction;

constexpr std::array<CategoryRule, CategoryCount> kRules{{
    /* ok */ {T::Unknown, A::None, false, ""},
    /* connection_reset */
    {T::Network, A::RetryBackoff, true,
     "The connection was reset by the peer (ECONNRESET); usually a temporary network problem, so "
     "retry with exponential backoff on a new connection."},
    /* broken_pipe */
    {T::Network, A::RetryBackoff, true,
     "The connection broke while the request was being sent (EPIPE); retry with exponential "
     "backoff on a new connection."},
    /* connection_refused */
    {T::Network, A::RetryBackoff, true,
     "Nothing accepted the connection (ECONNREFUSED); check that you are using the correct API "
     "endpoint for this environment, then retry with exponential backoff."},
    /* timeout */
    {T::Timeout, A::RetryBackoff, true,
     "The request timed out (ETIMEDOUT); timeouts are usually caused by network latency, so retry "
     "with exponential backoff and choose a timeout that fits the latency to this server."},
    /* remote_closed */
    {T::Network, A::RetryBackoff, true,
     "The other side closed the connection (e.g. a load balancer's idle timeout, 10 minutes on an "
     "ALB); reconnect and retry with backoff, and keep idle connections shorter than the "
     "balancer's timeout."},
    /* dns_failure */
    {T::Network, A::None, false,
     "The host name does not exist (NXDOMAIN); retrying cannot help: check that you are using the "
     "correct API endpoint for this environment."},
    /* tls_failure */
    {T::Network, A::None, false,
     "The TLS handshake failed; check the server certificate and the environment's CA file before "
     "retrying."},
    /* stream_dropped */
    {T::Unavailable, A::RetryBackoff, true,
     "The stream dropped (gRPC 14 UNAVAILABLE); reconnect with exponential backoff and check "
     "keepalive settings."},
    /* network_other */
    {T::Network, A::RetryBackoff, true,
     "A network error prevented a response; temporary connectivity problems are best handled by "
     "retrying with exponential backoff."},
    /* bad_request */
    {T::Validation, A::FixRequest, false,
     "Your request format is invalid (invalid JSON, missing required fields, invalid values or "
     "parameter combinations); fix the request instead of retrying."},
    /* unauthorized */
    {T::Authentication, A::RefreshToken, true,
     "The token is missing, invalid or expired; request a new token and retry the request once."},
    /* forbidden */
    {T::Authorization, A::RequestScope, false,
     "The token is valid but lacks the required scope for this endpoint; the request won't succeed "
     "until additional scopes are added to your credentials."},
    /* not_found */
    {T::NotFound, A::None, false,
     "The endpoint or resource doesn't exist; check the API path, the resource id and the URL for "
     "typos."},
    /* method_not_allowed */
    {T::Validation, A::FixRequest, false,
     "The HTTP method is not supported for this endpoint; use the correct HTTP method."},
    /* conflict */
    {T::Conflict, A::ResolveConflict, false,
     "The request conflicts with the current state of the resource (e.g. a duplicate ClOrdID, an "
     "already-filled order, a resource that already exists); resolve the conflict first."},
    /* payload_too_large */
    {T::Validation, A::ReducePayload, false,
     "The request body exceeds the maximum allowed size; send fewer items per bulk request or "
     "smaller fields."},
    /* unprocessable */
    {T::Validation, A::FixRequest, false,
     "The request is well-formed but semantically invalid (e.g. quantity exceeds position limits, "
     "instrument not tradable, risk limits); fix the validation errors."},
    /* locked */
    {T::Concurrency, A::RetryBackoff, true,
     "The resource is locked by a concurrent operation; retry with exponential backoff once the "
     "other operation finishes."},
    /* lockout_warning */
    {T::RateLimit, A::SlowDown, true,
     "423 precedes a 429: you are about to be locked out of the API for a rolling hour, so slow "
     "down now."},
    /* rate_limited */
    {T::RateLimit, A::RetryAfter, true,
     "You've exceeded the rate limit; wait for the Retry-After period before retrying, and reuse "
     "access tokens until they expire."},
    /* client_error_other */
    {T::Unknown, A::None, false,
     "The server rejected the request with an unusual client error; examine the request and the "
     "response body."},
    /* internal_error */
    {T::Internal, A::RetryBackoff, true,
     "An unexpected server error, usually temporary; retry after a short delay (1-2 seconds) and "
     "contact support if errors persist for more than a few minutes."},
    /* bad_gateway */
    {T::Unavailable, A::RetryBackoff, true,
     "The API gateway cannot reach the backend service; this usually resolves within 60 seconds, "
     "so retry with exponential backoff."},
    /* unavailable */
    {T::Unavailable, A::RetryBackoff, true,
     "The API is temporarily unavailable; this usually resolves within 60 seconds, so retry with "
     "exponential backoff and check the status page if it persists."},
    /* gateway_timeout */
    {T::Timeout, A::RetryBackoff, true,
     "The request took too long to process (over 30 seconds); use pagination or smaller "
     "operations, and retry with exponential backoff."},
    /* server_error_other */
    {T::Internal, A::RetryBackoff, true,
     "The server failed with an unusual 5xx status; retry with exponential backoff and contact "
     "support if it persists."},
    /* business_rejected */
    {T::BusinessRule, A::None, false,
     "The API answered 200 but rejected the operation at the business level; read the error text "
     "and fix the cause before sending it again."},
}};

} // namespace

const CategoryRule &CategoryRules::of(Category c)
{
    return kRules[std::size_t(c)];
}

Category CategoryRules::forStatus(int status)
{
    switch (status) {
    case 400:
        return C::BadRequest;
    case 401:
        return C::Unauthorized;
    case 403:
        return C::Forbidden;
    case 404:
        return C::NotFound;
    case 405:
        return C::MethodNotAllowed;
    case 409:
        return C::Conflict;
    case 413:
        return C::PayloadTooLarge;
    case 422:
        return C::Unprocessable;
    case 423:
        return C::Locked;
    case 429:
        return C::RateLimited;
    case 500:
        return C::InternalError;
    case 502:
        return C::BadGateway;
    case 503:
        return C::Unavailable;
    case 504:
        return C::GatewayTimeout;
    default:
        break;
    }
    if (status >= 200 && status < 400)
        return C::Ok;
    if (status >= 400 && status < 500)
        return C::ClientErrorOther;
    if (status >= 500 && status < 600)
        return C::ServerErrorOther;
    return C::NetworkOther; // 1xx as final, or outside 100-599: not valid HTTP
}

QString CategoryRules::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QStringLiteral("OK");
    case 201:
        return QStringLiteral("Created");
    case 202:
        return QStringLiteral("Accepted");
    case 204:
        return QStringLiteral("No Content");
    case 301:
        return QStringLiteral("Moved Permanently");
    case 302:
        return QStringLiteral("Found");
    case 304:
        return QStringLiteral("Not Modified");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 408:
        return QStringLiteral("Request Timeout");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 413:
        return QStringLiteral("Payload Too Large");
    case 415:
        return QStringLiteral("Unsupported Media Type");
    case 418:
        return QStringLiteral("I'm a teapot");
    case 422:
        return QStringLiteral("Unprocessable Entity");
    case 423:
        return QStringLiteral("Locked");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    case 520:
        return QStringLiteral("Unknown Error (CDN)");
    case 522:
        return QStringLiteral("Connection Timed Out (CDN)");
    case 524:
        return QStringLiteral("A Timeout Occurred (CDN)");
    default:
        return {};
    }
}

} // namespace hd
