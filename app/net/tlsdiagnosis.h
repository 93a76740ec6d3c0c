#pragma once

// Names a failed TLS exchange the way ops staff search for it (CERT_HAS_EXPIRED,
// ERR_TLS_CERT_ALTNAME_INVALID, …) with a message that says what exactly was wrong: Qt reports
// every refused certificate as one SslHandshakeFailedError; the reasons are in the sslErrors()
// list and, for an alert from the server (a missing client certificate), in the error string.

#include <QList>
#include <QNetworkReply>
#include <QSslError>
#include <QString>

namespace hd {

struct TlsDiagnosis
{
    QString name;    // empty: not a TLS failure
    QString message; // one line for error.message

    static TlsDiagnosis of(QNetworkReply::NetworkError error, const QString &errorString,
                           const QList<QSslError> &sslErrors, const QString &pinFailure);
};

} // namespace hd
