#include "simpki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace hd {
namespace {

struct Free
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

Key newKey()
{
    return Key(EVP_EC_gen("P-256"));
}

QByteArray bioText(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? QByteArray(data, qsizetype(n)) : QByteArray();
}

QByteArray certPem(X509 *cert)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioText(bio.get());
}

QByteArray keyPem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioText(bio.get());
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

bool setName(X509_NAME *name, const QString &commonName, const char *organization)
{
    const QByteArray cn = commonName.toUtf8();
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(organization), -1, -1,
                                      0)
               == 1
           && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char *>(cn.constData()),
                                         -1, -1, 0)
                  == 1;
}

// A fresh certificate skeleton: v3, random serial, validity relative to now.
Cert skeleton(EVP_PKEY *key, qint64 notBeforeS, qint64 notAfterS)
{
    Cert cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        return {};
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return {};
    serial[0] &= 0x7f; // positive
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialOk = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    if (!serialOk || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), long(notBeforeS))
        || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(notAfterS))
        || X509_set_pubkey(cert.get(), key) != 1)
        return {};
    return cert;
}

} // namespace

bool SimPki::create()
{
    Key key = newKey();
    Cert cert = key ? skeleton(key.get(), -3600, 365LL * 86400) : Cert();
    if (!cert
        || !setName(X509_get_subject_name(cert.get()), QStringLiteral("HealthDeck Simulator CA"),
                    "HealthDeck simulator")
        || X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1
        || !addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE")
        || !addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign")
        || !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash")
        || X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
        m_error = QStringLiteral("OpenSSL could not make the simulator's CA");
        return false;
    }
    m_ca = {certPem(cert.get()), keyPem(key.get())};
    return !m_ca.certificatePem.isEmpty() && !m_ca.keyPem.isEmpty();
}

SimCertificate SimPki::issue(const QString &commonName, const QStringList &names, qint64 notBeforeS,
                             qint64 notAfterS, bool client)
{
    // Read the CA back from PEM: it is small and this keeps the class free of OpenSSL types.
    Bio caCertBio(
        BIO_new_mem_buf(m_ca.certificatePem.constData(), int(m_ca.certificatePem.size())));
    Bio caKeyBio(BIO_new_mem_buf(m_ca.keyPem.constData(), int(m_ca.keyPem.size())));
    Cert caCert(caCertBio ? PEM_read_bio_X509(caCertBio.get(), nullptr, nullptr, nullptr)
                          : nullptr);
    Key caKey(caKeyBio ? PEM_read_bio_PrivateKey(caKeyBio.get(), nullptr, nullptr, nullptr)
                       : nullptr);
    Key key = newKey();
    Cert cert = key ? skeleton(key.get(), notBeforeS, notAfterS) : Cert();
    if (!caCert || !caKey || !cert
        || !setName(X509_get_subject_name(cert.get()), commonName, "HealthDeck simulator")
        || X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert.get())) != 1
        || !addExtension(cert.get(), caCert.get(), NID_basic_constraints, "CA:FALSE")
        || !addExtension(cert.get(), caCert.get(), NID_ext_key_usage,
                         client ? "clientAuth" : "serverAuth")
        || (!names.isEmpty()
            && !addExtension(cert.get(), caCert.get(), NID_subject_alt_name,
                             names.join(u',').toLatin1()))
        || !addExtension(cert.get(), caCert.get(), NID_authority_key_identifier, "keyid")
        || X509_sign(cert.get(), caKey.get(), EVP_sha256()) <= 0) {
        m_error = QStringLiteral("OpenSSL could not issue the certificate \"%1\"").arg(commonName);
        return {};
    }
    return {certPem(cert.get()), keyPem(key.get())};
}

} // namespace hd
