#include "retrysafety.h"

#include "httpattempt.h"

#include <QUuid>

#include <nlohmann/json.hpp>

namespace hd {

bool RetrySafety::isIdempotent(const QString &method, std::optional<bool> marked)
{
    if (marked)
        return *marked;
    const QString m = method.toUpper();
    return m != u"POST" && m != u"PATCH";
}

QString RetrySafety::newKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool RetrySafety::stampKey(HttpRequestSpec &spec, QString *error)
{
    if (spec.idempotencyKey.isEmpty())
        return true;
    if (!spec.idempotencyHeader.isEmpty()) {
        spec.headers.removeIf([&](const Header &h) {
            return h.first.compare(spec.idempotencyHeader, Qt::CaseInsensitive) == 0;
        });
        spec.headers.append({spec.idempotencyHeader, spec.idempotencyKey});
    }
    if (!spec.idempotencyBodyField.isEmpty()) {
        // Depth-limited parse of our own workspace body; never throws.
        nlohmann::json body = nlohmann::json::parse(
            spec.body.isEmpty() ? QByteArray("{}") : spec.body, nullptr, false);
        if (!body.is_object()) {
            if (error)
                *error = QStringLiteral("the body is not a JSON object, so the idempotency field "
                                        "\"%1\" cannot be set")
                             .arg(spec.idempotencyBodyField);
            return false;
        }
        body[spec.idempotencyBodyField.toStdString()] = spec.idempotencyKey.toStdString();
        spec.body = QByteArray::fromStdString(body.dump());
    }
    return true;
}

void RetrySafety::apply(const HttpRequestSpec &spec, bool requestSent, ApiEvent &e)
{
    if (e.outcome == Outcome::Success || isIdempotent(spec.method, spec.idempotent))
        return;
    const bool keyed = !spec.idempotencyKey.isEmpty();
    const QString method = spec.method.toUpper();
    if (e.outcome == Outcome::ConnectionError && requestSent) {
        const QString what
            = keyed ? QStringLiteral("Outcome unknown: the %1 was sent but no complete answer "
                                     "came back, so the server may or may not have acted on "
                                     "it. It is retried with the same idempotency key (%2), "
                                     "which the server uses to ignore a duplicate.")
                          .arg(method, spec.idempotencyKey)
                    : QStringLiteral("Outcome unknown: the %1 was sent but no complete answer "
                                     "came back, so the server may or may not have acted on "
                                     "it (an order may have been placed). Not retried: this "
                                     "endpoint declares no idempotency key. Check by the "
                                     "order's identifiers (client order id, order id) before "
                                     "sending it again.")
                          .arg(method);
        e.retry.advice = what;
        if (!keyed) {
            e.retry.retryable = false;
            e.retry.action = RetryAction::None;
            e.retry.delayMs.reset();
        }
        return;
    }
    if (keyed)
        return;
    // Statuses that say the server did not act (401: not authenticated, 429: not admitted)
    // keep their retry; anything else (5xx, 423, a failure before sending) is not repeated
    // automatically for a request that could act twice.
    if (e.retry.action == RetryAction::RefreshToken || e.retry.action == RetryAction::RetryAfter
        || e.retry.action == RetryAction::StopLockout || e.retry.action == RetryAction::SlowDown)
        return;
    if (e.retry.action != RetryAction::RetryBackoff && !e.retry.retryable)
        return;
    const bool notSent = e.outcome == Outcome::ConnectionError && !requestSent;
    e.retry.retryable = false;
    e.retry.action = RetryAction::None;
    e.retry.delayMs.reset();
    e.retry.advice
        = notSent
              ? QStringLiteral("The %1 never left this machine (%2), so nothing happened on the "
                               "server; it is not retried automatically because the endpoint "
                               "is not idempotent and declares no idempotency key. The next "
                               "poll sends it again.")
                    .arg(method, e.networkError)
              : QStringLiteral("Not retried: a %1 is not idempotent and this endpoint declares "
                               "no idempotency key, so a retry could act twice (place the "
                               "same order again). Check by the request's identifiers whether "
                               "it took effect before sending it again. %2")
                    .arg(method, e.retry.advice);
}

} // namespace hd
