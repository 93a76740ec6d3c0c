#pragma once

// A decoded JSON Web Token: header and the claims HealthDeck tracks (DESIGN §4). Decoding only —
// the signature is never verified (we are not the resource server and hold no key) and the
// token text is never kept here or logged, so a Jwt can be shown and passed around freely.

#include "apievent.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace hd {

class Jwt
{
public:
    // Decodes "header.payload.signature" (base64url, padding optional). On failure returns
    // nullopt and, if error is given, one sentence saying what is wrong — never the token.
    static std::optional<Jwt> decode(const QString &token, QString *error = nullptr);
    // True when the text has the shape of a JWS compact token (three base64url parts).
    static bool looksLikeJwt(QStringView token);

    QJsonObject header() const { return m_header; }
    QJsonObject claims() const { return m_claims; }
    QString algorithm() const { return m_header.value(QStringLiteral("alg")).toString(); }

    // Registered claims; absent or mistyped claims stay absent.
    std::optional<qint64> expiresAtS() const { return m_exp; }
    std::optional<qint64> issuedAtS() const { return m_iat; }
    std::optional<qint64> notBeforeS() const { return m_nbf; }
    QString subject() const { return m_sub; }
    QString issuer() const { return m_iss; }
    QStringList audience() const { return m_aud; }
    // Scopes from "scope" (space-separated, OAuth2/Auth0), "scp" (string or array, Azure/Okta)
    // and "permissions" (Auth0 RBAC), merged in that order without duplicates.
    QStringList scopes() const { return m_scopes; }

    // Claims that were present but ignored (exp as a string, a date past year 9999 …), one
    // sentence each; never the claim's text beyond the number.
    QStringList notes() const { return m_notes; }

    // Seconds from nowMs until exp (negative once expired); nullopt without exp.
    std::optional<qint64> expiresInS(qint64 nowMs) const;
    // exp − iat in seconds; nullopt unless both are present.
    std::optional<qint64> lifetimeS() const;
    // True when nbf lies in the future of nowMs.
    bool notYetValid(qint64 nowMs) const;

    // The event's token summary (DESIGN §2): expires_in_s, subject, scopes.
    TokenInfo summary(qint64 nowMs) const;

private:
    QJsonObject m_header;
    QJsonObject m_claims;
    std::optional<qint64> m_exp;
    std::optional<qint64> m_iat;
    std::optional<qint64> m_nbf;
    QString m_sub;
    QString m_iss;
    QStringList m_aud;
    QStringList m_scopes;
    QStringList m_notes;
};

} // namespace hd
