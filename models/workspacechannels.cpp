#include "workspacechannels.h"

#include <QUrl>

namespace hd::workspacejson {
namespace {

// A URL written in the workspace must not be a secret: only the simulator and loopback.
bool nonSecretTarget(const QString &url)
{
    if (url.startsWith(QStringLiteral("sim:")))
        return true;
    const QUrl u(url);
    const QString host = u.host();
    return (u.scheme() == u"http" || u.scheme() == u"https")
           && (host == u"localhost" || host == u"127.0.0.1" || host == u"::1");
}

} // namespace

void readChannels(const Reader &root, Workspace &ws)
{
    const Json *channels = root.array("channels");
    if (!channels)
        return;
    for (std::size_t i = 0; i < channels->size(); ++i) {
        const std::string where = "/channels/" + std::to_string(i);
        Reader cr((*channels)[i], where);
        NotificationChannel c;
        c.id = cr.str("id", true);
        for (const NotificationChannel &other : std::as_const(ws.channels))
            if (other.id == c.id)
                throw Invalid{where + "/id", QStringLiteral("\"%1\" is used twice").arg(c.id)};
        c.kind = cr.str("kind", true);
        if (!channelKinds().contains(c.kind))
            throw Invalid{where + "/kind",
                          QStringLiteral("unknown channel kind \"%1\"; known: %2")
                              .arg(c.kind, channelKinds().join(QStringLiteral(", ")))};
        c.name = cr.str("name", false, c.id);
        c.secretName = cr.str("secretName");
        c.url = cr.str("url");
        if (!c.url.isEmpty() && !nonSecretTarget(c.url))
            throw Invalid{where + "/url",
                          QStringLiteral("a channel's address lets anyone who reads it post: keep "
                                         "it in the keychain and name it with secretName (url "
                                         "is only for sim: and loopback receivers)")};
        if (c.kind == u"pagerduty" ? c.secretName.isEmpty()
                                   : c.secretName.isEmpty() == c.url.isEmpty())
            throw Invalid{where, c.kind == u"pagerduty"
                                     ? QStringLiteral("needs secretName (the routing key)")
                                     : QStringLiteral("needs secretName (the webhook address "
                                                      "in the keychain) or url, not both")};
        ws.channels.append(c);
    }
}

void readAlertRouting(const Reader &rule, const Workspace &ws, AlertRule &a)
{
    if (const Json *channels = rule.array("channels")) {
        for (std::size_t i = 0; i < channels->size(); ++i) {
            const std::string where = rule.where() + "/channels/" + std::to_string(i);
            if (!(*channels)[i].is_string())
                throw Invalid{where, QStringLiteral("must be a channel id")};
            const QString id = q((*channels)[i].get<std::string>());
            const bool known
                = std::any_of(ws.channels.cbegin(), ws.channels.cend(),
                              [&](const NotificationChannel &c) { return c.id == id; });
            if (!known)
                throw Invalid{where, QStringLiteral("no channel \"%1\"").arg(id)};
            if (!a.channels.contains(id))
                a.channels.append(id);
        }
    }
    a.remindEveryS = int(rule.num("remindEveryS", 0, 0, 86400 * 7));
    if (a.remindEveryS > 0 && a.remindEveryS < 60)
        throw Invalid{rule.where() + "/remindEveryS",
                      QStringLiteral("must be 0 (no reminders) or at least 60 seconds")};
}

Json channelsJson(const Workspace &ws)
{
    Json list = Json::array();
    for (const NotificationChannel &c : ws.channels) {
        Json o = {{"id", s(c.id)}, {"kind", s(c.kind)}};
        if (c.name != c.id)
            o["name"] = s(c.name);
        if (!c.secretName.isEmpty())
            o["secretName"] = s(c.secretName);
        if (!c.url.isEmpty())
            o["url"] = s(c.url);
        list.push_back(o);
    }
    return list;
}

void writeAlertRouting(const AlertRule &a, Json &rule)
{
    if (!a.channels.isEmpty()) {
        Json ids = Json::array();
        for (const QString &id : a.channels)
            ids.push_back(s(id));
        rule["channels"] = ids;
    }
    if (a.remindEveryS > 0)
        rule["remindEveryS"] = a.remindEveryS;
}

} // namespace hd::workspacejson
