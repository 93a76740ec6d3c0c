#include "tlstestserver.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace hd::test {

TlsTestServer::TlsTestServer(QObject *parent)
    : QSslServer(parent)
{
    connect(this, &QTcpServer::pendingConnectionAvailable, this, &TlsTestServer::onNewConnection);
    connect(this, &QSslServer::errorOccurred, this,
            [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_handshakeFailures; });
    connect(this, &QSslServer::peerVerifyError, this,
            [this](QSslSocket *, const QSslError &) { ++m_handshakeFailures; });
}

bool TlsTestServer::start(const QString &certFile, const QString &keyFile,
                          const QString &clientCaFile, bool maxTls12)
{
    QFile cert(certFile);
    QFile key(keyFile);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return false;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
    conf.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem));
    conf.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    if (maxTls12)
        conf.setProtocol(QSsl::TlsV1_2);
    if (!clientCaFile.isEmpty()) {
        QFile ca(clientCaFile);
        if (!ca.open(QIODevice::ReadOnly))
            return false;
        conf.setCaCertificates(QSslCertificate::fromData(ca.readAll(), QSsl::Pem));
        conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    setSslConfiguration(conf);
    return listen(QHostAddress::LocalHost, 0);
}

QString TlsTestServer::url(const QString &host, const QString &path) const
{
    return QStringLiteral("https://%1:%2%3").arg(host).arg(serverPort()).arg(path);
}

void TlsTestServer::onNewConnection()
{
    while (QTcpSocket *socket = nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray pending = socket->property("pending").toByteArray() + socket->readAll();
            for (;;) {
                const qsizetype end = pending.indexOf("\r\n\r\n");
                if (end < 0)
                    break;
                qsizetype length = 0;
                for (const QByteArray &line : pending.left(end).split('\n'))
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                if (pending.size() < end + 4 + length)
                    break;
                pending = pending.mid(end + 4 + length);
                ++m_requests;
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: 11\r\n\r\n{\"ok\":true}");
            }
            socket->setProperty("pending", pending);
        });
    }
}

} // namespace hd::test
