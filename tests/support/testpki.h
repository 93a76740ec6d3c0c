#pragma once

// A throw-away PKI made with the `openssl` command at test time, in a temporary directory: a
// private CA, a second CA nobody trusts, server certificates (good for 127.0.0.1 and
// localhost, a wrong host name, expired, expiring in a few days), a client certificate (PEM
// with an encrypted key, and PKCS#12). Nothing is checked in; every run makes fresh keys.

#include <QString>
#include <QTemporaryDir>

namespace hd::test {

class TestPki
{
public:
    // Files: ca.pem, otherca.pem, server.pem/.key, wronghost.pem/.key, expired.pem/.key,
    // soon.pem/.key (expires in 3 days), client.pem, client.key (encrypted with passphrase()),
    // client.p12 (same passphrase).
    bool create(QString *error);
    QString path(const QString &file) const { return m_dir.filePath(file); }
    static QString passphrase() { return QStringLiteral("correct horse"); }
    // base64(SHA-256(SPKI)) of a certificate file, computed by openssl (not by the code
    // under test).
    QString opensslPin(const QString &certFile, QString *error) const;

private:
    bool run(const QStringList &args, QString *error, QByteArray *out = nullptr) const;
    bool issue(const QString &name, const QString &ca, const QString &subject,
               const QString &extensions, int days, QString *error);

    QTemporaryDir m_dir;
};

} // namespace hd::test
