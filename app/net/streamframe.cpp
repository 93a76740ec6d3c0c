#include "streamframe.h"

#include "responsebody.h"

namespace hd {

namespace {
StreamFrame malformed(QString problem)
{
    StreamFrame f;
    f.type = StreamFrame::Type::Malformed;
    f.problem = std::move(problem);
    return f;
}
} // namespace

StreamFrame StreamFrame::parse(const QString &text)
{
    if (text == u"o") {
        StreamFrame f;
        f.type = Type::Open;
        return f;
    }
    if (text == u"h") {
        StreamFrame f;
        f.type = Type::Heartbeat;
        return f;
    }
    if (text.isEmpty())
        return malformed(QStringLiteral("empty frame"));
    if (text.size() > MaxFrameChars)
        return malformed(QStringLiteral("frame of %1 characters is larger than the %2 parsed")
                             .arg(text.size())
                             .arg(MaxFrameChars));
    const QChar kind = text.front();
    if (kind != u'a' && kind != u'c')
        return malformed(QStringLiteral("unknown frame type '%1'").arg(text.left(1)));
    const QByteArray json = text.mid(1).toUtf8();
    if (ResponseBody::nestingDepth(json, ResponseBody::MaxDepth) > ResponseBody::MaxDepth)
        return malformed(
            QStringLiteral("JSON nested deeper than %1 levels").arg(ResponseBody::MaxDepth));
    const auto parsed = nlohmann::json::parse(json.constBegin(), json.constEnd(), nullptr, false);
    if (parsed.is_discarded())
        return malformed(QStringLiteral("'%1' frame whose JSON does not parse").arg(kind));
    if (!parsed.is_array())
        return malformed(QStringLiteral("'%1' frame that is not a JSON array").arg(kind));
    StreamFrame f;
    if (kind == u'c') {
        f.type = Type::Close;
        if (!parsed.empty() && parsed[0].is_number_integer())
            f.closeCode = int(std::clamp<qint64>(parsed[0].get<qint64>(), 0, 65535));
        if (parsed.size() > 1 && parsed[1].is_string())
            f.closeReason = QString::fromStdString(parsed[1].get<std::string>()).left(200);
        return f;
    }
    f.type = Type::Messages;
    f.messages.assign(parsed.begin(), parsed.end());
    return f;
}

bool StreamFrame::isResponse(const nlohmann::json &m)
{
    return m.is_object() && m.contains("s") && m["s"].is_number_integer() && m.contains("i")
           && (m["i"].is_number_integer() || m["i"].is_string());
}

bool StreamFrame::isPush(const nlohmann::json &m)
{
    return m.is_object() && m.contains("e") && m["e"].is_string();
}

QString StreamFrame::requestId(const nlohmann::json &m)
{
    if (!m.is_object() || !m.contains("i"))
        return {};
    const auto &i = m["i"];
    if (i.is_number_integer())
        return QString::number(i.get<qint64>());
    if (i.is_string())
        return QString::fromStdString(i.get<std::string>()).left(200);
    return {};
}

} // namespace hd
