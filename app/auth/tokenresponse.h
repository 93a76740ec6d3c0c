#pragma once

// What a token endpoint's answer says, read from its body alone: the access token, its
// lifetime in every form a vendor gives it (OAuth2 expires_in, Tradovate's absolute
// expirationTime, the JWT's exp), Tradovate's penalty ticket and captcha (seed 003), and the
// vendor's words when there is no token. Pure — no network, no clock, no state — so the
// parser of this untrusted input has its own fuzz target (tests/fuzz/fuzz_tokenresponse.cpp);
// TokenService acts on the result (registers the token with the redactor, schedules the
// ticket, classifies, refreshes). Server-supplied numbers are clamped here, never cast raw.

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

struct TokenResponse
{
    enum class Dialect { OAuth2, Tradovate };

    QString token; // empty: no token in the answer (or a penalty ticket instead of one)
    std::optional<double> expiresInS;       // OAuth2 expires_in: positive, finite
    std::optional<qint64> expirationWallMs; // Tradovate expirationTime: absolute, server clock
    // Seed 003: a penalty ticket to send again with after pTimeS (0–24 h), or a captcha only
    // a human can solve.
    QString pTicket;
    qint64 pTimeS = 0;
    bool captcha = false;
    // Why there is no token, in the vendor's words (errorText, error_description, message,
    // error), first found; bounded.
    QString vendorReason;
    // How long the redactor must hold the token: the longest lifetime any source gives,
    // clamped to ten years; empty when none does (then it is held for the session).
    std::optional<qint64> holdForMs;

    static constexpr qsizetype MaxReasonChars = 500;

    // nowWallMs: our clock when the answer arrived (for absolute expiries).
    static TokenResponse parse(const QByteArray &body, Dialect dialect, qint64 nowWallMs);
};

} // namespace hd
