#pragma once

// Sends one e-mail through libcurl's SMTP client (docs/notifications.md, e-mail): STARTTLS on
// smtp:// (required unless the channel says otherwise), implicit TLS on smtps://, AUTH with the
// login and the password from the keychain, bounded connect and transfer timeouts. send() blocks:
// the Notifier runs it on a worker thread, never on the GUI thread. A failure is described by
// curl's fixed error text and the server's reply code — never curl's error buffer, which can
// quote the server and the login.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>

namespace hd {

struct SmtpMessage
{
    QString url; // smtp://host:port or smtps://host:port
    QString username;
    QString password; // empty: no AUTH
    bool requireTls = true;
    QString caFile;
    QString from;
    QStringList to;
    QByteArray data; // the whole RFC 5322 message, CRLF line ends
    int connectTimeoutMs = 10000;
    int totalTimeoutMs = 30000;
};

struct SmtpResult
{
    bool ok = false;
    bool transient = false; // worth another attempt: no connection, a timeout, a 4xx reply
    int replyCode = 0;      // the server's last reply code, 0 when none came
    QString error;          // empty when ok
};

namespace smtpsender {

// Call once from the main thread before the first send (curl_global_init).
void initialize();
// Blocks until sent, failed, timed out or `abort` turns true.
SmtpResult send(const SmtpMessage &m, const std::atomic<bool> *abort);

} // namespace smtpsender
} // namespace hd
