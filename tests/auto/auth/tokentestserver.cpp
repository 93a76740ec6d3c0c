#include "tokentestserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace hd::test {

TokenTestServer::TokenTestServer(QObject *parent)
    : QTcpServer(parent)
{}

bool TokenTestServer::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

QString TokenTestServer::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path);
}

void TokenTestServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void TokenTestServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray pending = socket->property("pending").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype end = pending.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        const QList<QByteArray> lines = pending.left(end).split('\n');
        QHash<QByteArray, QByteArray> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.insert(lines[i].left(colon).trimmed().toLower(),
                               lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = headers.value("content-length").toLongLong();
        if (pending.size() < end + 4 + length)
            break;
        const QByteArray body = pending.mid(end + 4, length);
        pending = pending.mid(end + 4 + length);
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        int delayMs = 0;
        const QByteArray out
            = handle(requestLine.value(0), requestLine.value(1), headers, body, &delayMs);
        if (delayMs > 0)
            QTimer::singleShot(delayMs, socket, [socket, out] { socket->write(out); });
        else
            socket->write(out);
    }
    socket->setProperty("pending", pending);
}

QByteArray TokenTestServer::reply(int status, const QByteArray &body) const
{
    const QDateTime date
        = QDateTime::fromMSecsSinceEpoch(m_clock->nowMs(), Qt::UTC).addSecs(m_dateSkewS);
    const QByteArray dateText
        = QLocale::c().toString(date, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
    return "HTTP/1.1 " + QByteArray::number(status)
           + " Status\r\nContent-Type: application/json\r\nDate: " + dateText
           + "\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\nConnection: keep-alive\r\n\r\n" + body;
}

QString TokenTestServer::mint(const QString &subject, const QString &audience)
{
    const qint64 now = m_clock->nowMs() / 1000 + m_dateSkewS;
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    // jti makes every token unique even when two are minted in the same second.
    const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://issuer.test/")},
                             {QStringLiteral("sub"), subject},
                             {QStringLiteral("aud"), audience},
                             {QStringLiteral("iat"), now},
                             {QStringLiteral("exp"), now + m_lifetimeS},
                             {QStringLiteral("jti"), ++m_serial},
                             {QStringLiteral("scope"), m_scopes.join(u' ')}};
    const auto enc = [](const QJsonObject &o) {
        return QJsonDocument(o)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QString token = QString::fromLatin1(enc(header) + '.' + enc(claims) + ".c2lnbmF0dXJl");
    m_issued.append(token);
    m_expiry.insert(token, m_clock->nowMs() + qint64(m_dateSkewS + m_lifetimeS) * 1000);
    m_tokenScopes.insert(token, m_scopes);
    return token;
}

bool TokenTestServer::accepted(const QByteArray &authorization, QStringList *scopes) const
{
    if (!authorization.startsWith("Bearer "))
        return false;
    const QString token = QString::fromLatin1(authorization.mid(7));
    if (!m_issued.contains(token) || m_revoked.contains(token))
        return false;
    if (m_checkExpiry && m_clock->nowMs() + qint64(m_dateSkewS) * 1000 >= m_expiry.value(token))
        return false;
    *scopes = m_tokenScopes.value(token);
    return true;
}

QByteArray TokenTestServer::handle(const QByteArray &method, const QByteArray &path,
                                   const QHash<QByteArray, QByteArray> &headers,
                                   const QByteArray &body, int *delayMs)
{
    const auto json = [](const QJsonObject &o) {
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    const bool tokenRoute = path == "/oauth/token" || path == "/auth/accesstokenrequest"
                            || path == "/auth/renewaccesstoken";
    if (tokenRoute) {
        ++m_tokenRequests;
        *delayMs = m_tokenDelayMs;
        m_lastContentType = headers.value("content-type");
        if (m_tokenFailure)
            return reply(m_tokenFailure,
                         json({{QStringLiteral("error"), QStringLiteral("temporarily_unavailable")},
                               {QStringLiteral("error_description"),
                                QStringLiteral("token service is down")}}));
    }
    if (path == "/oauth/token" && method == "POST") {
        m_lastForm.clear();
        for (const auto &[k, v] : QUrlQuery(QString::fromUtf8(body)).queryItems(QUrl::FullyDecoded))
            m_lastForm.insert(k, v);
        if (m_lastForm.value(QStringLiteral("client_id")) != QLatin1String(ClientId)
            || m_lastForm.value(QStringLiteral("client_secret")) != QLatin1String(ClientSecret))
            return reply(401, json({{QStringLiteral("error"), QStringLiteral("invalid_client")}}));
        const QString token = mint(m_lastForm.value(QStringLiteral("client_id")),
                                   m_lastForm.value(QStringLiteral("audience")));
        return reply(200, json({{QStringLiteral("access_token"), token},
                                {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                {QStringLiteral("expires_in"), m_lifetimeS},
                                {QStringLiteral("scope"), m_scopes.join(u' ')}}));
    }
    const auto tradovateToken = [&] {
        const QString token = mint(QLatin1String(UserName), QStringLiteral("tradovate"));
        const QDateTime exp = QDateTime::fromMSecsSinceEpoch(m_clock->nowMs(), Qt::UTC)
                                  .addSecs(m_dateSkewS + m_lifetimeS);
        return reply(200, json({{QStringLiteral("accessToken"), token},
                                {QStringLiteral("expirationTime"), exp.toString(Qt::ISODateWithMs)},
                                {QStringLiteral("userStatus"), QStringLiteral("Active")}}));
    };
    if (path == "/auth/accesstokenrequest" && method == "POST") {
        m_lastJson = QJsonDocument::fromJson(body).object();
        if (m_lastJson.value(QStringLiteral("name")).toString() != QLatin1String(UserName)
            || m_lastJson.value(QStringLiteral("password")).toString() != QLatin1String(Password))
            return reply(200, json({{QStringLiteral("errorText"),
                                     QStringLiteral("Incorrect username or password.")}}));
        if (m_penaltyS >= 0
            && (m_captcha
                || m_lastJson.value(QStringLiteral("p-ticket")).toString()
                       != QLatin1String(Ticket)))
            return reply(200, json({{QStringLiteral("p-ticket"), QLatin1String(Ticket)},
                                    {QStringLiteral("p-time"), m_penaltyS},
                                    {QStringLiteral("p-captcha"), m_captcha}}));
        return tradovateToken();
    }
    if (path == "/auth/renewaccesstoken") {
        ++m_renewals;
        QStringList scopes;
        if (m_refuseRenewal || !accepted(headers.value("authorization"), &scopes))
            return reply(401,
                         json({{QStringLiteral("errorText"), QStringLiteral("Access is denied")}}));
        return tradovateToken();
    }
    if (path.startsWith("/api/")) {
        ++m_apiRequests;
        QStringList scopes;
        if (!accepted(headers.value("authorization"), &scopes)) {
            ++m_unauthorized;
            return reply(
                401, json({{QStringLiteral("message"),
                            QStringLiteral("Your JWT token is missing, invalid, or expired")}}));
        }
        if (path.startsWith("/api/admin") && !scopes.contains(QStringLiteral("admin:write")))
            return reply(403,
                         json({{QStringLiteral("message"), QStringLiteral("insufficient scope")}}));
        return reply(200, json({{QStringLiteral("ok"), true}}));
    }
    return reply(404, json({{QStringLiteral("message"), QStringLiteral("no route")}}));
}

} // namespace hd::test
