#include "tlsdiagnosis.h"

#include <QSslCertificate>

namespace hd {
namespace {

QString subjectOf(const QSslError &e)
{
    const QSslCertificate c = e.certificate();
    if (c.isNull())
        return QStringLiteral("the server's certificate");
    const QStringList cn = c.subjectInfo(QSslCertificate::CommonName);
    return QStringLiteral("certificate \"%1\"").arg(cn.value(0, c.subjectDisplayName()));
}

bool mentionsClientCertificate(const QString &s)
{
    // OpenSSL's alert texts: "tlsv13 alert certificate required", "sslv3 alert handshake
    // failure" (TLS 1.2 servers that demand a certificate), "peer did not return a certificate".
    return s.contains(QStringLiteral("certificate required"), Qt::CaseInsensitive)
           || s.contains(QStringLiteral("did not return a certificate"), Qt::CaseInsensitive)
           || s.contains(QStringLiteral("alert handshake failure"), Qt::CaseInsensitive)
           || s.contains(QStringLiteral("alert bad certificate"), Qt::CaseInsensitive)
           || s.contains(QStringLiteral("alert unknown ca"), Qt::CaseInsensitive);
}

} // namespace

TlsDiagnosis TlsDiagnosis::of(QNetworkReply::NetworkError error, const QString &errorString,
                              const QList<QSslError> &sslErrors, const QString &pinFailure)
{
    if (!pinFailure.isEmpty())
        return {QStringLiteral("CERT_PIN_MISMATCH"), pinFailure};
    for (const QSslError &e : sslErrors) {
        switch (e.error()) {
        case QSslError::CertificateExpired:
            return {
                QStringLiteral("CERT_HAS_EXPIRED"),
                QStringLiteral("%1 expired on %2")
                    .arg(subjectOf(e), e.certificate().expiryDate().toUTC().toString(Qt::ISODate))};
        case QSslError::CertificateNotYetValid:
            return {QStringLiteral("CERT_NOT_YET_VALID"),
                    QStringLiteral("%1 is not valid before %2 (check this machine's clock)")
                        .arg(subjectOf(e),
                             e.certificate().effectiveDate().toUTC().toString(Qt::ISODate))};
        case QSslError::HostNameMismatch: {
            QStringList names = e.certificate().subjectAlternativeNames().values(QSsl::DnsEntry);
            names += e.certificate().subjectAlternativeNames().values(QSsl::IpAddressEntry);
            return {QStringLiteral("ERR_TLS_CERT_ALTNAME_INVALID"),
                    QStringLiteral("%1 is not issued for this host name (it names: %2)")
                        .arg(subjectOf(e),
                             names.isEmpty() ? QStringLiteral("nothing") : names.join(u", "))};
        }
        case QSslError::SelfSignedCertificate:
            return {QStringLiteral("DEPTH_ZERO_SELF_SIGNED_CERT"),
                    QStringLiteral("%1 is self-signed and not trusted by this environment")
                        .arg(subjectOf(e))};
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::CertificateUntrusted:
            return {QStringLiteral("UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
                    QStringLiteral("%1 is signed by a CA this environment does not trust (%2)")
                        .arg(subjectOf(e), e.errorString())};
        case QSslError::CertificateRevoked:
            return {QStringLiteral("CERT_REVOKED"),
                    QStringLiteral("%1 has been revoked").arg(subjectOf(e))};
        default:
            break;
        }
    }
    if (!sslErrors.isEmpty())
        return {QStringLiteral("TLS handshake failed"),
                QStringLiteral("the server's certificate was refused: %1")
                    .arg(sslErrors.first().errorString())};
    if (error == QNetworkReply::SslHandshakeFailedError
        || (mentionsClientCertificate(errorString)
            && (error == QNetworkReply::RemoteHostClosedError
                || error == QNetworkReply::UnknownNetworkError
                || error == QNetworkReply::ProtocolFailure))) {
        if (mentionsClientCertificate(errorString))
            return {QStringLiteral("CLIENT_CERT_REJECTED"),
                    QStringLiteral("the server refused the TLS handshake for want of an acceptable "
                                   "client certificate (%1)")
                        .arg(errorString)};
        return {QStringLiteral("TLS handshake failed"), errorString};
    }
    return {};
}

} // namespace hd
