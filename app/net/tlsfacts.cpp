#include "tlsfacts.h"

#include <QSslCertificate>

#include <cmath>

namespace hd {
namespace {

QString distinguishedName(const QSslCertificate &c, bool subject)
{
    auto info = [&](QSslCertificate::SubjectInfo field) {
        return subject ? c.subjectInfo(field) : c.issuerInfo(field);
    };
    QStringList parts;
    for (const auto &[field, label] :
         {std::pair{QSslCertificate::CommonName, QStringLiteral("CN")},
          std::pair{QSslCertificate::Organization, QStringLiteral("O")},
          std::pair{QSslCertificate::OrganizationalUnitName, QStringLiteral("OU")}}) {
        for (const QString &v : info(field))
            parts.append(label + u'=' + v.left(200));
    }
    if (!parts.isEmpty())
        return parts.join(QStringLiteral(", "));
    return (subject ? c.subjectDisplayName() : c.issuerDisplayName()).left(200);
}

QString problemName(QSslError::SslError e)
{
    // The names tlsdiagnosis gives a refused handshake, so the log reads the same either way.
    switch (e) {
    case QSslError::CertificateExpired:
        return QStringLiteral("CERT_HAS_EXPIRED");
    case QSslError::CertificateNotYetValid:
        return QStringLiteral("CERT_NOT_YET_VALID");
    case QSslError::HostNameMismatch:
        return QStringLiteral("ERR_TLS_CERT_ALTNAME_INVALID");
    case QSslError::SelfSignedCertificate:
        return QStringLiteral("DEPTH_ZERO_SELF_SIGNED_CERT");
    case QSslError::SelfSignedCertificateInChain:
        return QStringLiteral("SELF_SIGNED_CERT_IN_CHAIN");
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return QStringLiteral("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    case QSslError::CertificateRevoked:
        return QStringLiteral("CERT_REVOKED");
    default:
        return QStringLiteral("TLS_ERROR");
    }
}

} // namespace

QString TlsFacts::subjectOf(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, true);
}

QString TlsFacts::issuerOf(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, false);
}

int TlsFacts::daysLeft(qint64 notAfterMs, qint64 nowMs)
{
    return int(std::floor(double(notAfterMs - nowMs) / 86400000.0));
}

QString TlsFacts::protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    case QSsl::DtlsV1_2:
        return QStringLiteral("DTLSv1.2");
    default:
        return {};
    }
}

std::optional<TlsInfo> TlsFacts::of(const QSslConfiguration &session,
                                    const QList<QSslError> &errors, qint64 nowMs)
{
    QList<QSslCertificate> chain = session.peerCertificateChain();
    if (chain.isEmpty() && !session.peerCertificate().isNull())
        chain.append(session.peerCertificate());
    // A refused handshake leaves the session without a peer: the errors carry the certificates.
    if (chain.isEmpty())
        for (const QSslError &e : errors)
            if (!e.certificate().isNull() && !chain.contains(e.certificate()))
                chain.append(e.certificate());
    if (chain.isEmpty())
        return std::nullopt;

    TlsInfo t;
    t.protocol = protocolName(session.sessionProtocol());
    const QSslCertificate &leaf = chain.first();
    t.subject = subjectOf(leaf);
    t.issuer = issuerOf(leaf);
    const QDateTime expiry = leaf.expiryDate();
    if (expiry.isValid()) {
        t.notAfterMs = expiry.toMSecsSinceEpoch();
        t.daysLeft = daysLeft(t.notAfterMs, nowMs);
    }
    for (const QSslCertificate &c : std::as_const(chain)) {
        if (t.chain.size() >= MaxChain)
            break;
        t.chain.append({subjectOf(c), issuerOf(c),
                        c.expiryDate().isValid() ? c.expiryDate().toMSecsSinceEpoch() : 0});
    }
    for (const QSslError &e : errors) {
        if (t.problems.size() >= 16)
            break;
        const QString line = problemName(e.error()) + QStringLiteral(": ") + e.errorString();
        if (!t.problems.contains(line))
            t.problems.append(line);
    }
    // Facts Qt does not raise as errors once a CA is trusted but that an operator wants to see.
    if (t.daysLeft && *t.daysLeft < 0 && errors.isEmpty())
        t.problems.append(QStringLiteral("CERT_HAS_EXPIRED: the leaf certificate has expired"));
    return t;
}

} // namespace hd
