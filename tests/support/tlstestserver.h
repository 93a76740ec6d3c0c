#pragma once

// An HTTPS/1.1 server on 127.0.0.1 (port 0) built on Qt 6.4's QSslServer: a given certificate,
// optionally demanding a client certificate signed by a given CA (mutual TLS). Answers every
// request with 200 {"ok":true} on a kept-alive connection.

#include <QSslServer>
#include <QString>

namespace hd::test {

class TlsTestServer : public QSslServer
{
    Q_OBJECT
public:
    explicit TlsTestServer(QObject *parent = nullptr);
    // certFile/keyFile: PEM. clientCaFile non-empty: a client certificate from that CA is
    // required. maxTls12: refuse TLS 1.3 (for minimum-version tests).
    bool start(const QString &certFile, const QString &keyFile, const QString &clientCaFile = {},
               bool maxTls12 = false);
    QString url(const QString &host = QStringLiteral("127.0.0.1"),
                const QString &path = QStringLiteral("/")) const;
    int requestCount() const { return m_requests; }
    int handshakeFailures() const { return m_handshakeFailures; }

private:
    void onNewConnection();

    int m_requests = 0;
    int m_handshakeFailures = 0;
};

} // namespace hd::test
