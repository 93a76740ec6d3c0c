#pragma once

// Retries that cannot double an order (DESIGN §2): a non-idempotent request (POST, PATCH, or a
// method the endpoint marks) is not retried unless the endpoint declares an idempotency key
// that stays the same across the retries of one poll. A connection failure after such a
// request left this machine means the outcome is unknown: the event says so in plain words.

#include "apievent.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

struct HttpRequestSpec;

class RetrySafety
{
public:
    // By method when the endpoint says nothing: GET, HEAD, OPTIONS, PUT and DELETE are
    // idempotent (RFC 9110 §9.2.2), POST and PATCH are not.
    static bool isIdempotent(const QString &method, std::optional<bool> marked);
    // A fresh key for one poll (a UUID without braces).
    static QString newKey();
    // Puts the key into the request: the header, or a top-level member of the JSON object body.
    // False (and *error) when the body is not a JSON object.
    static bool stampKey(HttpRequestSpec &spec, QString *error = nullptr);
    // After classification: takes back a retry the request's method makes unsafe, and says
    // "outcome unknown" for a connection failure after the request was sent.
    static void apply(const HttpRequestSpec &spec, bool requestSent, ApiEvent &e);
};

} // namespace hd
