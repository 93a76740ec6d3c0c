#pragma once

// The TLS facts of one https attempt for the event's "tls" object (DESIGN §2): protocol, the
// leaf certificate's subject, issuer, not-after and whole days left, the chain as the server
// sent it (names and dates only — never a key), and the chain's problems (every QSslError Qt
// reported, named like TlsDiagnosis names them). Read from the reply's TLS configuration after
// the handshake, or, when the handshake was refused, from the certificates the errors carry.

#include "apievent.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>

#include <optional>

namespace hd {

class TlsFacts
{
public:
    // nullopt when no certificate was seen (plain http, a failure before the handshake).
    static std::optional<TlsInfo> of(const QSslConfiguration &session,
                                     const QList<QSslError> &errors, qint64 nowMs);

    // "CN=api.example.com, O=Example Ltd" (CN, O, OU; or Qt's display name).
    static QString subjectOf(const QSslCertificate &certificate);
    static QString issuerOf(const QSslCertificate &certificate);
    // Whole days from nowMs to notAfterMs, rounded down (an expired certificate: negative).
    static int daysLeft(qint64 notAfterMs, qint64 nowMs);
    // "TLSv1.3", "TLSv1.2", … or empty when unknown.
    static QString protocolName(QSsl::SslProtocol protocol);

    static constexpr int MaxChain = 8;
};

} // namespace hd
