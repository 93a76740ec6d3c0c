#pragma once

// WWW-Authenticate challenges (RFC 9110 §11.6.1, RFC 6750 §3):
//   Bearer realm="api", error="insufficient_scope", error_description="…", scope="orders:write"
// A single forward scan; quoted strings with backslash escapes; several challenges in one header.
// Values are capped; at most 16 challenges and 32 parameters are read.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hd {

struct AuthChallenge
{
    QString scheme;                            // "Bearer", "Basic", …
    QList<std::pair<QString, QString>> params; // names lower-cased
    QString param(const char *name) const;
};

class WwwAuthenticate
{
public:
    static QList<AuthChallenge> parse(const QByteArray &value);
    // The first challenge carrying an RFC 6750 error (error="invalid_token"), if any.
    static std::optional<AuthChallenge> withError(const QByteArray &value);
};

} // namespace hd
