#pragma once

// The simulator's throw-away PKI, made in memory when its HTTPS listeners start: a private CA
// (EC P-256, valid a year) and certificates it signs for the TLS routes — a good server
// certificate for 127.0.0.1 and localhost, one that expired yesterday, one for another host
// name, one that expires in a few days — plus a client certificate for the route that
// requires one. Made with OpenSSL's library (the same OpenSSL Qt's TLS backend uses), so the
// simulator needs no `openssl` command and starts in milliseconds. Fresh keys every start;
// nothing is ever written but the CA certificate and the client certificate and key, which
// writeFiles() exports so tests and the demo workspace can trust and present them.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace hd {

struct SimCertificate
{
    QByteArray certificatePem;
    QByteArray keyPem; // unencrypted PKCS#8
};

class SimPki
{
public:
    // Makes the CA. False with error() when OpenSSL fails.
    bool create();
    QString error() const { return m_error; }

    // A certificate signed by the CA, valid from now + notBeforeS to now + notAfterS.
    // names: "IP:127.0.0.1", "DNS:localhost", … (subjectAltName entries).
    SimCertificate issue(const QString &commonName, const QStringList &names, qint64 notBeforeS,
                         qint64 notAfterS, bool client);

    const SimCertificate &ca() const { return m_ca; }

private:
    SimCertificate m_ca;
    QString m_error;
};

} // namespace hd
