#include "testpki.h"

#include <QFile>
#include <QProcess>

namespace hd::test {

bool TestPki::run(const QStringList &args, QString *error, QByteArray *out) const
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForStarted(10000)) {
        *error = QStringLiteral("openssl cannot be started: %1").arg(p.errorString());
        return false;
    }
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2")
                     .arg(args.join(u' '), QString::fromLocal8Bit(p.readAllStandardError()));
        p.kill();
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    return true;
}

bool TestPki::issue(const QString &name, const QString &ca, const QString &subject,
                    const QString &extensions, int days, QString *error)
{
    QFile ext(path(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write(extensions.toUtf8());
    ext.close();
    return run({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                QStringLiteral("-nodes"), QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"),
                subject},
               error)
           && run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                   name + QStringLiteral(".csr"), QStringLiteral("-CA"),
                   ca + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
                   ca + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"),
                   QStringLiteral("-days"), QString::number(days), QStringLiteral("-extfile"),
                   name + QStringLiteral(".ext"), QStringLiteral("-out"),
                   name + QStringLiteral(".pem")},
                  error);
}

bool TestPki::create(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    auto makeCa = [&](const QString &name, const QString &cn) {
        return run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                    QStringLiteral("-out"), name + QStringLiteral(".pem"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=") + cn, QStringLiteral("-days"), QStringLiteral("30"),
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                   error);
    };
    const QString serverExt
        = QStringLiteral("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                         "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    return makeCa(QStringLiteral("ca"), QStringLiteral("HealthDeck Test CA"))
           && makeCa(QStringLiteral("otherca"), QStringLiteral("Somebody Else's CA"))
           && issue(QStringLiteral("server"), QStringLiteral("ca"), QStringLiteral("/CN=127.0.0.1"),
                    serverExt, 20, error)
           && issue(QStringLiteral("soon"), QStringLiteral("ca"), QStringLiteral("/CN=soon"),
                    serverExt, 3, error)
           && issue(QStringLiteral("expired"), QStringLiteral("ca"), QStringLiteral("/CN=expired"),
                    serverExt, -1, error)
           && issue(QStringLiteral("wronghost"), QStringLiteral("ca"),
                    QStringLiteral("/CN=api.example.test"),
                    QStringLiteral("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                                   "subjectAltName=DNS:api.example.test\n"),
                    20, error)
           && issue(QStringLiteral("client-plain"), QStringLiteral("ca"),
                    QStringLiteral("/CN=healthdeck-client"),
                    QStringLiteral("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"), 20,
                    error)
           && run({QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-in"),
                   QStringLiteral("client-plain.key"), QStringLiteral("-v2"),
                   QStringLiteral("aes-256-cbc"), QStringLiteral("-passout"),
                   QStringLiteral("pass:") + passphrase(), QStringLiteral("-out"),
                   QStringLiteral("client.key")},
                  error)
           && QFile::copy(path(QStringLiteral("client-plain.pem")),
                          path(QStringLiteral("client.pem")))
           && run({QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-inkey"),
                   QStringLiteral("client-plain.key"), QStringLiteral("-in"),
                   QStringLiteral("client.pem"), QStringLiteral("-passout"),
                   QStringLiteral("pass:") + passphrase(), QStringLiteral("-out"),
                   QStringLiteral("client.p12")},
                  error);
}

QString TestPki::opensslPin(const QString &certFile, QString *error) const
{
    QByteArray pub;
    QByteArray der;
    QByteArray digest;
    if (!run({QStringLiteral("x509"), QStringLiteral("-in"), certFile, QStringLiteral("-pubkey"),
              QStringLiteral("-noout"), QStringLiteral("-out"), QStringLiteral("pin.pub")},
             error)
        || !run({QStringLiteral("pkey"), QStringLiteral("-pubin"), QStringLiteral("-in"),
                 QStringLiteral("pin.pub"), QStringLiteral("-outform"), QStringLiteral("der"),
                 QStringLiteral("-out"), QStringLiteral("pin.der")},
                error)
        || !run({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-binary"),
                 QStringLiteral("-out"), QStringLiteral("pin.bin"), QStringLiteral("pin.der")},
                error))
        return {};
    QFile f(path(QStringLiteral("pin.bin")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll().toBase64());
}

} // namespace hd::test
