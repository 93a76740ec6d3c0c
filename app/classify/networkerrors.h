#pragma once

// Connection-level failures (seed 000) by the names ops staff know them: ECONNRESET, EPIPE,
// ECONNREFUSED, ETIMEDOUT, "other side closed", 14 UNAVAILABLE, plus DNS and TLS failures.

#include "eventtypes.h"

#include <QNetworkReply>
#include <QString>

#include <optional>

namespace hd {

struct NetworkErrorName
{
    QString name; // canonical name written to event.network_error
    Category category;
    QString advice;                // empty: the category's advice
    std::optional<bool> retryable; // unset: the category's rule
};

class NetworkErrors
{
public:
    // Accepts seed names (ECONNRESET…), Node/OS spellings (ENOTFOUND, EAI_AGAIN,
    // CERT_HAS_EXPIRED, "SocketError: other side closed", "14 UNAVAILABLE") and category names.
    static std::optional<NetworkErrorName> fromName(const QString &name);
    // QNetworkReply's error for a request that produced no HTTP response. deadlineHit says the
    // caller aborted the request because its hard deadline passed.
    static NetworkErrorName fromReply(QNetworkReply::NetworkError error, bool deadlineHit);
    // The failure was the proxy's (refused, closed, not found, timed out, authentication).
    static bool isProxyError(QNetworkReply::NetworkError error);
    // Names accepted by fromName, for --help and completion.
    static QStringList knownNames();
};

} // namespace hd
