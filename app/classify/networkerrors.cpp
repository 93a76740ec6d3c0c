#include "networkerrors.h"

namespace hd {
namespace {

struct Alias
{
    const char *alias;
    const char *canonical;
    Category category;
};

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
    {"EAI_AGAIN", "EAI_AGAIN", Category::DnsFailure},
    {"EAI_NONAME", "ENOTFOUND", Category::DnsFailure},
    {"dns_failure", "ENOTFOUND", Category::DnsFailure},
    {"CERT_HAS_EXPIRED", "CERT_HAS_EXPIRED", Category::TlsFailure},
    {"DEPTH_ZERO_SELF_SIGNED_CERT", "DEPTH_ZERO_SELF_SIGNED_CERT", Category::TlsFailure},
    {"UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", Category::TlsFailure},
    {"ERR_TLS_CERT_ALTNAME_INVALID", "ERR_TLS_CERT_ALTNAME_INVALID", Category::TlsFailure},
    {"EPROTO", "EPROTO", Category::TlsFailure},
    {"tls_failure", "TLS handshake failed", Category::TlsFailure},
    {"TLS handshake failed", "TLS handshake failed", Category::TlsFailure},
    {"ECONNREFUSED (proxy)", "ECONNREFUSED (proxy)", Category::ConnectionRefused},
    {"other side closed (proxy)", "other side closed (proxy)", Category::RemoteClosed},
    {"ENOTFOUND (proxy)", "ENOTFOUND (proxy)", Category::DnsFailure},
    {"ETIMEDOUT (proxy)", "ETIMEDOUT (proxy)", Category::Timeout},
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
            return NetworkErrorName{QString::fromLatin1(a.canonical), a.category};
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
    case E::ProtocolFailure:
        return {QStringLiteral("malformed HTTP response"), Category::NetworkOther};
    default:
        return {QStringLiteral("network error %1").arg(int(error)), Category::NetworkOther};
    }
}

} // namespace hd
