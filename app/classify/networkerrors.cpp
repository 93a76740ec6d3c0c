#include "networkerrors.h"

namespace hd {
namespace {

struct Alias
{
    const char *alias;
    const char *canonical;
    Category category;
    const char *advice = nullptr; // more precise than the category's
    int retryable = -1;           // -1: the category's; 0 or 1 overrides it
};

constexpr const char *kTemporaryDns
    = "The resolver could not answer for now (EAI_AGAIN: temporary failure in name resolution); "
      "retry with exponential backoff, and check the DNS servers if it persists.";

constexpr Alias kAliases[] = {
    {"ECONNRESET", "ECONNRESET", Category::ConnectionReset},
    {"connection_reset", "ECONNRESET", Category::ConnectionReset},
    {"EPIPE", "EPIPE", Category::BrokenPipe},
    {"broken_pipe", "EPIPE", Category::BrokenPipe},
    {"ECONNREFUSED", "ECONNREFUSED", Category::ConnectionRefused},
    {"connection_refused", "ECONNREFUSED", Category::ConnectionRefused},
    {"ETIMEDOUT", "ETIMEDOUT", Category::Timeout},
    {"ESOCKETTIMEDOUT", "ETIMEDOUT", Category::Timeout},
    {"ECONNABORTED", "ETIMEDOUT", Category::Timeout},
    {"timeout", "ETIMEDOUT", Category::Timeout},
    {"other side closed", "other side closed", Category::RemoteClosed},
    {"SocketError: other side closed", "other side closed", Category::RemoteClosed},
    {"UND_ERR_SOCKET", "other side closed", Category::RemoteClosed},
    {"remote_closed", "other side closed", Category::RemoteClosed},
    {"ENOTFOUND", "ENOTFOUND", Category::DnsFailure},
    {"EAI_AGAIN", "EAI_AGAIN", Category::DnsFailure, kTemporaryDns, 1},
    {"EAI_NONAME", "ENOTFOUND", Category::DnsFailure},
    {"NXDOMAIN", "ENOTFOUND", Category::DnsFailure},
    {"dns_failure", "ENOTFOUND", Category::DnsFailure},
    {"CERT_HAS_EXPIRED", "CERT_HAS_EXPIRED", Category::TlsFailure,
     "The server's certificate has expired; the server's operator must renew it (retrying cannot "
     "help, and trusting it anyway would hide a real problem)."},
    {"CERT_NOT_YET_VALID", "CERT_NOT_YET_VALID", Category::TlsFailure,
     "The server's certificate is not valid yet; check this machine's clock, then the "
     "certificate's start date."},
    {"DEPTH_ZERO_SELF_SIGNED_CERT", "DEPTH_ZERO_SELF_SIGNED_CERT", Category::TlsFailure,
     "The server presents a self-signed certificate; if it is expected, put it (or its CA) in "
     "the environment's CA file."},
    {"UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", Category::TlsFailure,
     "The server's certificate is signed by a CA this environment does not trust; set the "
     "environment's CA file to the private CA's certificate (caMode \"add\" keeps the system "
     "store), or check that you are talking to the right server."},
    {"ERR_TLS_CERT_ALTNAME_INVALID", "ERR_TLS_CERT_ALTNAME_INVALID", Category::TlsFailure,
     "The server's certificate is not issued for the host name in the URL; use the host name the "
     "certificate names, or ask the server's operator for a certificate with this name."},
    {"CERT_REVOKED", "CERT_REVOKED", Category::TlsFailure,
     "The server's certificate has been revoked; do not trust this server until its operator "
     "installs a new certificate."},
    {"CERT_PIN_MISMATCH", "CERT_PIN_MISMATCH", Category::TlsFailure,
     "The server's public key matches none of the environment's pins: either the server's key "
     "was rotated (update the pins) or something is intercepting the connection."},
    {"CLIENT_CERT_REJECTED", "CLIENT_CERT_REJECTED", Category::TlsFailure,
     "The server requires a client certificate (mutual TLS) and refused the one sent or its "
     "absence; set the environment's client certificate and key, and check that the server "
     "trusts its issuer."},
    {"EPROTO", "EPROTO", Category::TlsFailure},
    {"tls_failure", "TLS handshake failed", Category::TlsFailure},
    {"TLS handshake failed", "TLS handshake failed", Category::TlsFailure},
    {"ECONNREFUSED (proxy)", "ECONNREFUSED (proxy)", Category::ConnectionRefused,
     "The proxy refused the connection: the request never reached the server. Check that the "
     "environment's proxy (or the system's http_proxy / https_proxy) is running and its "
     "address is right."},
    {"other side closed (proxy)", "other side closed (proxy)", Category::RemoteClosed},
    {"ENOTFOUND (proxy)", "ENOTFOUND (proxy)", Category::DnsFailure},
    {"ETIMEDOUT (proxy)", "ETIMEDOUT (proxy)", Category::Timeout},
    {"proxy authentication required", "proxy authentication required", Category::NetworkOther,
     "The proxy refused the credentials (407); check the environment's proxy user and the "
     "password secret in the keychain.",
     0},
    {"proxy error", "proxy error", Category::NetworkOther},
    {"malformed HTTP response", "malformed HTTP response", Category::NetworkOther},
    {"14 UNAVAILABLE", "14 UNAVAILABLE", Category::StreamDropped},
    {"UNAVAILABLE", "14 UNAVAILABLE", Category::StreamDropped},
    {"stream_dropped", "14 UNAVAILABLE", Category::StreamDropped},
    // Stream monitors (docs/streams.md): a WebSocket lost without a close frame or closed by
    // the server, a server heartbeat that stopped, a frame outside the protocol.
    {"websocket dropped", "websocket dropped", Category::StreamDropped},
    {"websocket closed", "websocket closed", Category::StreamDropped},
    {"heartbeat missed", "heartbeat missed", Category::Timeout},
    {"malformed frame", "malformed frame", Category::NetworkOther},
    {"EHOSTUNREACH", "EHOSTUNREACH", Category::NetworkOther},
    {"ENETUNREACH", "ENETUNREACH", Category::NetworkOther},
    {"ENETDOWN", "ENETDOWN", Category::NetworkOther},
    {"network_other", "network error", Category::NetworkOther},
};

} // namespace

std::optional<NetworkErrorName> NetworkErrors::fromName(const QString &name)
{
    const QString n = name.trimmed();
    for (const Alias &a : kAliases) {
        if (n.compare(QLatin1String(a.alias), Qt::CaseInsensitive) == 0)
            return NetworkErrorName{QString::fromLatin1(a.canonical), a.category,
                                    a.advice ? QString::fromUtf8(a.advice) : QString(),
                                    a.retryable < 0 ? std::nullopt
                                                    : std::optional<bool>(a.retryable == 1)};
    }
    return std::nullopt;
}

QStringList NetworkErrors::knownNames()
{
    QStringList out;
    for (const Alias &a : kAliases)
        out.append(QString::fromLatin1(a.alias));
    return out;
}

bool NetworkErrors::isProxyError(QNetworkReply::NetworkError error)
{
    using E = QNetworkReply::NetworkError;
    return error == E::ProxyConnectionRefusedError || error == E::ProxyConnectionClosedError
           || error == E::ProxyNotFoundError || error == E::ProxyTimeoutError
           || error == E::ProxyAuthenticationRequiredError || error == E::UnknownProxyError;
}

NetworkErrorName NetworkErrors::fromReply(QNetworkReply::NetworkError error, bool deadlineHit)
{
    using E = QNetworkReply::NetworkError;
    if (deadlineHit)
        return {QStringLiteral("ETIMEDOUT"), Category::Timeout};
    switch (error) {
    case E::ConnectionRefusedError:
        return {QStringLiteral("ECONNREFUSED"), Category::ConnectionRefused};
    case E::RemoteHostClosedError:
        // Qt reports a reset (RST) and an orderly close (FIN) before a complete response the same
        // way; the prober refines this with what it saw on the wire (see Prober).
        return {QStringLiteral("other side closed"), Category::RemoteClosed};
    case E::HostNotFoundError:
        return {QStringLiteral("ENOTFOUND"), Category::DnsFailure};
    case E::TimeoutError:
        return {QStringLiteral("ETIMEDOUT"), Category::Timeout};
    case E::OperationCanceledError:
        return {QStringLiteral("ECONNABORTED"), Category::NetworkOther};
    case E::SslHandshakeFailedError:
        return {QStringLiteral("TLS handshake failed"), Category::TlsFailure};
    case E::TemporaryNetworkFailureError:
    case E::NetworkSessionFailedError:
        return {QStringLiteral("ENETDOWN"), Category::NetworkOther};
    case E::ProxyConnectionRefusedError:
        return {QStringLiteral("ECONNREFUSED (proxy)"), Category::ConnectionRefused};
    case E::ProxyConnectionClosedError:
        return {QStringLiteral("other side closed (proxy)"), Category::RemoteClosed};
    case E::ProxyNotFoundError:
        return {QStringLiteral("ENOTFOUND (proxy)"), Category::DnsFailure};
    case E::ProxyTimeoutError:
        return {QStringLiteral("ETIMEDOUT (proxy)"), Category::Timeout};
    case E::ProxyAuthenticationRequiredError:
        return {QStringLiteral("proxy authentication required"), Category::NetworkOther};
    case E::UnknownProxyError:
        return {QStringLiteral("proxy error"), Category::NetworkOther};
    case E::ProtocolFailure:
        return {QStringLiteral("malformed HTTP response"), Category::NetworkOther};
    default:
        return {QStringLiteral("network error %1").arg(int(error)), Category::NetworkOther};
    }
}

} // namespace hd
