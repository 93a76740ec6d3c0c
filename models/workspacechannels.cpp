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

// An e-mail address as a header and an SMTP envelope take it: no spaces, brackets or line
// breaks (they would let a value write its own headers), one @ with text on both sides.
bool plainAddress(const QString &a)
{
    if (a.size() > 254 || a.count(u'@') != 1 || a.startsWith(u'@') || a.endsWith(u'@'))
        return false;
    for (const QChar c : a)
        if (c.isSpace() || c == u'<' || c == u'>' || c == u',' || c == u'"' || c.unicode() < 32)
            return false;
    return true;
}

void readEmail(const Reader &cr, const std::string &where, NotificationChannel &c)
{
    const QUrl u(c.url);
    if (c.url.isEmpty() || !u.isValid() || (u.scheme() != u"smtp" && u.scheme() != u"smtps")
        || u.host().isEmpty())
        throw Invalid{where + "/url",
                      QStringLiteral("needs the SMTP server as smtp://host:port (STARTTLS) or "
                                     "smtps://host:port")};
    if (!u.userInfo().isEmpty())
        throw Invalid{where + "/url",
                      QStringLiteral("must not carry a user or password: name the login in "
                                     "username and keep the password in the keychain "
                                     "(secretName)")};
    c.from = cr.str("from", true);
    if (!plainAddress(c.from))
        throw Invalid{where + "/from",
                      QStringLiteral("\"%1\" is not a plain e-mail address").arg(c.from)};
    const Json *to = cr.array("to");
    if (!to || to->empty() || to->size() > 50)
        throw Invalid{where + "/to", QStringLiteral("needs 1 to 50 recipient addresses")};
    for (std::size_t i = 0; i < to->size(); ++i) {
        const QString a = (*to)[i].is_string() ? q((*to)[i].get<std::string>()) : QString();
        if (!plainAddress(a))
            throw Invalid{where + "/to/" + std::to_string(i),
                          QStringLiteral("must be a plain e-mail address")};
        c.to.append(a);
    }
    c.username = cr.str("username");
    c.requireTls = cr.boolean("requireTls", true);
    c.caFile = cr.str("caFile");
    if (!c.secretName.isEmpty() && c.username.isEmpty())
        throw Invalid{where + "/username",
                      QStringLiteral("is required with secretName (the SMTP password)")};
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
        c.webhookSecretName = cr.str("webhookSecretName");
        if (!c.webhookSecretName.isEmpty() && c.kind != u"pagerduty")
            throw Invalid{where + "/webhookSecretName",
                          QStringLiteral("only a pagerduty channel takes PagerDuty's webhooks")};
        if (c.kind == u"email") {
            readEmail(cr, where, c);
            ws.channels.append(c);
            continue;
        }
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
    a.groupBy = rule.str("groupBy", false, QStringLiteral("host"));
    if (a.groupBy != u"host" && a.groupBy != u"environment" && a.groupBy != u"none")
        throw Invalid{rule.where() + "/groupBy",
                      QStringLiteral("must be host, environment or none")};
    a.groupWindowS = int(rule.num("groupWindowS", 60, 0, 3600));
    a.flapCount = int(rule.num("flapCount", 3, 0, 100));
    a.flapWindowS = int(rule.num("flapWindowS", 1800, 60, 86400));
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
        if (!c.webhookSecretName.isEmpty())
            o["webhookSecretName"] = s(c.webhookSecretName);
        if (c.kind == u"email") {
            o["from"] = s(c.from);
            Json to = Json::array();
            for (const QString &a : c.to)
                to.push_back(s(a));
            o["to"] = to;
            if (!c.username.isEmpty())
                o["username"] = s(c.username);
            if (!c.requireTls)
                o["requireTls"] = false;
            if (!c.caFile.isEmpty())
                o["caFile"] = s(c.caFile);
        }
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
    if (a.groupBy != u"host")
        rule["groupBy"] = s(a.groupBy);
    if (a.groupWindowS != 60)
        rule["groupWindowS"] = a.groupWindowS;
    if (a.flapCount != 3)
        rule["flapCount"] = a.flapCount;
    if (a.flapWindowS != 1800)
        rule["flapWindowS"] = a.flapWindowS;
}

} // namespace hd::workspacejson
