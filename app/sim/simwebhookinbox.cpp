#include "simwebhookinbox.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace hd {

SimResponse SimWebhookInbox::handle(const SimRequest &req, qint64 nowMs)
{
    if (req.method == "GET") {
        QJsonArray list;
        for (const QJsonObject &e : std::as_const(m_entries))
            list.append(e);
        return SimResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("received"), double(m_received)},
                                           {QStringLiteral("kept"), int(m_entries.size())},
                                           {QStringLiteral("entries"), list}}));
    }
    if (req.method == "DELETE") {
        clear();
        return SimResponse::json(200,
                                 QJsonDocument(QJsonObject{{QStringLiteral("cleared"), true}}));
    }
    if (req.method != "POST")
        return SimResponse::json(
            405, QJsonDocument(QJsonObject{
                     {QStringLiteral("error"), QStringLiteral("GET, POST or DELETE")}}));
    if (req.query.hasQueryItem(QStringLiteral("fail"))) {
        m_failNext = std::clamp(req.query.queryItemValue(QStringLiteral("fail")).toInt(), 0, 100);
        return SimResponse::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("failNext"), m_failNext}}));
    }
    if (m_failNext > 0) {
        --m_failNext;
        return SimResponse::json(
            503, QJsonDocument(
                     QJsonObject{{QStringLiteral("error"), QStringLiteral("inbox told to fail")}}));
    }
    ++m_received;
    QJsonObject entry{
        {QStringLiteral("time_ms"), double(nowMs)},
        {QStringLiteral("contentType"), QString::fromLatin1(req.header("Content-Type"))},
        {QStringLiteral("userAgent"), QString::fromLatin1(req.header("User-Agent"))},
        {QStringLiteral("bytes"), double(req.body.size())}};
    const QByteArray body = req.body.left(MaxBodyBytes);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        entry.insert(QStringLiteral("json"), doc.object());
    else
        entry.insert(QStringLiteral("text"), QString::fromUtf8(body));
    m_entries.append(entry);
    while (m_entries.size() > MaxEntries)
        m_entries.removeFirst();
    return SimResponse::json(202, QJsonDocument(QJsonObject{{QStringLiteral("accepted"), true}}));
}

void SimWebhookInbox::clear()
{
    m_entries.clear();
    m_failNext = 0;
}

} // namespace hd
