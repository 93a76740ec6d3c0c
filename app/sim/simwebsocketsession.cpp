#include "simwebsocketsession.h"

#include "simcontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QWebSocket>

namespace hd {

SimWebSocketSession::SimWebSocketSession(QWebSocket *socket, SimContext *ctx, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_ctx(ctx)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SimWebSocketSession::onText);
    connect(m_socket, &QWebSocket::disconnected, this, &QObject::deleteLater);
    connect(&m_heartbeat, &QTimer::timeout, this,
            [this] { m_socket->sendTextMessage(QStringLiteral("h")); });
    connect(&m_quotes, &QTimer::timeout, this, [this] {
        ++m_tick;
        const QJsonObject quote{
            {QStringLiteral("contractId"), 1},
            {QStringLiteral("timestamp"), m_ctx->nowMs()},
            {QStringLiteral("entries"),
             QJsonObject{
                 {QStringLiteral("Bid"),
                  QJsonObject{{QStringLiteral("price"), 5321.25 + 0.25 * double(m_tick % 8)}}}}}};
        const QJsonArray frame{QJsonObject{
            {QStringLiteral("e"), QStringLiteral("md")},
            {QStringLiteral("d"), QJsonObject{{QStringLiteral("quotes"), QJsonArray{quote}}}}}};
        m_socket->sendTextMessage(
            QStringLiteral("a")
            + QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    });
    m_heartbeat.start(m_ctx->config().heartbeatMs);
    m_socket->sendTextMessage(QStringLiteral("o"));
    const QUrlQuery query(m_socket->requestUrl());
    auto control = [&query](const char *name, int absent) {
        bool ok = false;
        const int v = query.queryItemValue(QLatin1String(name)).toInt(&ok);
        return ok && v >= 0 ? v : absent;
    };
    m_unauthorizeAfter = control("unauthorize_after", -1);
    m_malformedAfterMs = control("malformed_after_ms", -1);
    if (const int stopAfter = control("heartbeat_stop_after_ms", -1); stopAfter >= 0)
        QTimer::singleShot(stopAfter, this, [this] { m_heartbeat.stop(); });
    const int dropAfter = control("drop_after_ms", 0);
    if (dropAfter > 0) {
        QTimer::singleShot(dropAfter, this, [this] {
            // No close frame: the TCP connection just goes away, as when a proxy drops it.
            m_socket->abort();
        });
    }
}

void SimWebSocketSession::reply(int status, const QString &id, const QJsonValue &data)
{
    QJsonObject o{{QStringLiteral("s"), status}};
    bool numeric = false;
    const qint64 n = id.toLongLong(&numeric);
    o.insert(QStringLiteral("i"), numeric ? QJsonValue(n) : QJsonValue(id));
    if (!data.isUndefined() && !data.isNull())
        o.insert(QStringLiteral("d"), data);
    m_socket->sendTextMessage(
        QStringLiteral("a")
        + QString::fromUtf8(QJsonDocument(QJsonArray{o}).toJson(QJsonDocument::Compact)));
}

void SimWebSocketSession::onText(const QString &message)
{
    if (message == u"[]")
        return; // client heartbeat
    const QStringList parts = message.split(u'\n');
    const QString endpoint = parts.value(0);
    const QString id = parts.value(1);
    const QString body = parts.mid(3).join(u'\n');
    if (endpoint == u"authorize") {
        QJsonObject claims;
        const SimJwt::Check c
            = m_ctx->jwt().verify(body.trimmed().toLatin1(), m_ctx->nowMs() / 1000, &claims);
        m_authorized = c == SimJwt::Check::Valid
                       && claims.value(QStringLiteral("aud")).toString() == u"s003";
        if (m_authorized) {
            reply(200, id);
            if (m_malformedAfterMs >= 0) {
                QTimer::singleShot(std::exchange(m_malformedAfterMs, -1), this, [this] {
                    // A truncated answer and a frame type the protocol does not have.
                    m_socket->sendTextMessage(QStringLiteral("a[{\"s\":200,\"i\":"));
                    m_socket->sendTextMessage(QStringLiteral("x{not a frame}"));
                });
            }
        } else
            reply(401, id, QStringLiteral("Access is denied"));
        return;
    }
    if (!m_authorized) {
        reply(401, id);
        return;
    }
    if (m_unauthorizeAfter >= 0 && m_answered >= m_unauthorizeAfter) {
        // As if the server had expired the session's token: this once, then authorize again.
        m_unauthorizeAfter = -1;
        m_authorized = false;
        reply(401, id, QStringLiteral("Access is denied"));
        return;
    }
    ++m_answered;
    if (endpoint == u"logout") {
        reply(200, id);
        m_socket->sendTextMessage(QStringLiteral("c[1000,\"Closed by request\"]"));
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("logout"));
        return;
    }
    if (endpoint == u"user/syncrequest") {
        reply(200, id,
              QJsonObject{{QStringLiteral("users"),
                           QJsonArray{QJsonObject{{QStringLiteral("id"), 4242}}}}});
        return;
    }
    if (endpoint == u"md/subscribequote") {
        reply(200, id);
        if (!m_quotes.isActive())
            m_quotes.start(500);
        return;
    }
    reply(404, id, QStringLiteral("Not found: %1").arg(endpoint.left(100)));
}

} // namespace hd
