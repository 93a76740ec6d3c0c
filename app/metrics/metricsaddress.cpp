#include "metricsaddress.h"

namespace hd {
namespace {

std::optional<MetricsAddress> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

std::optional<MetricsAddress> MetricsAddress::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, QStringLiteral("expected HOST:PORT (e.g. 127.0.0.1:9464), got nothing"));

    QString hostText;
    QString portText;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return fail(error,
                        QStringLiteral("'%1': missing ']' after the IPv6 address").arg(text));
        hostText = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.startsWith(u':'))
            return fail(error,
                        QStringLiteral("'%1': expected :PORT after the IPv6 address").arg(text));
        portText = rest.mid(1);
        if (hostText.isEmpty())
            return fail(error, QStringLiteral("'%1': empty IPv6 address in brackets").arg(text));
    } else {
        const qsizetype colons = text.count(u':');
        if (colons > 1)
            return fail(
                error,
                QStringLiteral("'%1': put an IPv6 address in brackets, e.g. [::1]:9464").arg(text));
        if (colons == 0) {
            portText = text; // a bare port: loopback
        } else {
            const qsizetype colon = text.indexOf(u':');
            hostText = text.left(colon);
            portText = text.mid(colon + 1);
        }
    }

    bool ok = false;
    const uint port = portText.toUInt(&ok, 10);
    bool digitsOnly = !portText.isEmpty();
    for (QChar c : portText)
        digitsOnly = digitsOnly && c.isDigit() && c.unicode() < 128;
    if (!ok || !digitsOnly || port > 65535) {
        if (portText.isEmpty())
            return fail(error, QStringLiteral("'%1': the port is missing (HOST:PORT, e.g. "
                                              "127.0.0.1:9464; 0 picks a free port)")
                                   .arg(text));
        return fail(error,
                    QStringLiteral("'%1': the port must be a number from 0 to 65535, not '%2'")
                        .arg(text, portText));
    }

    MetricsAddress a;
    a.port = quint16(port);
    if (hostText.isEmpty() || hostText.compare(u"localhost", Qt::CaseInsensitive) == 0) {
        a.host = QHostAddress(QHostAddress::LocalHost);
        return a;
    }
    QHostAddress host;
    if (!host.setAddress(hostText))
        return fail(error, QStringLiteral("'%1': '%2' is not an IP address; use one such as "
                                          "127.0.0.1, 0.0.0.0 or [::1] (or localhost)")
                               .arg(text, hostText));
    const bool bracketed = text.startsWith(u'[');
    if (bracketed != (host.protocol() == QAbstractSocket::IPv6Protocol))
        return fail(error, QStringLiteral("'%1': only IPv6 addresses go in brackets").arg(text));
    if (host.isMulticast())
        return fail(error, QStringLiteral("'%1': '%2' cannot be listened on").arg(text, hostText));
    a.host = host;
    return a;
}

QString MetricsAddress::format(const QHostAddress &host, quint16 port)
{
    if (host.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(host.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(host.toString()).arg(port);
}

} // namespace hd
