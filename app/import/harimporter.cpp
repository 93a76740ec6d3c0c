#include "harimporter.h"

#include "importbuilder.h"
#include "redactor.h"
#include "structureddocument.h"

#include <QSet>
#include <QUrl>
#include <QUrlQuery>

namespace hd {

namespace {

using Json = nlohmann::json;

QString q(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

const Json &member(const Json &j, const char *key)
{
    static const Json null;
    if (!j.is_object())
        return null;
    const auto it = j.find(key);
    return it == j.end() ? null : *it;
}

QString str(const Json &j, const char *key)
{
    const Json &m = member(j, key);
    return m.is_string() ? q(m.get<std::string>()) : QString();
}

// Headers a browser adds on its own: replaying them from a poller is noise or wrong.
bool browserHeader(const QString &name)
{
    static const QSet<QString> names{
        QStringLiteral("host"),
        QStringLiteral("connection"),
        QStringLiteral("content-length"),
        QStringLiteral("accept-encoding"),
        QStringLiteral("accept-language"),
        QStringLiteral("user-agent"),
        QStringLiteral("referer"),
        QStringLiteral("origin"),
        QStringLiteral("cache-control"),
        QStringLiteral("pragma"),
        QStringLiteral("upgrade-insecure-requests"),
        QStringLiteral("dnt"),
        QStringLiteral("te"),
        QStringLiteral("priority"),
        QStringLiteral("if-none-match"),
        QStringLiteral("if-modified-since"),
        QStringLiteral("keep-alive"),
        QStringLiteral("purpose"),
    };
    const QString n = name.toLower();
    return n.startsWith(u':') || n.startsWith(QStringLiteral("sec-")) || names.contains(n);
}

bool staticAsset(const QUrl &url, const QString &mime)
{
    static const QStringList exts{
        QStringLiteral(".js"),   QStringLiteral(".mjs"),   QStringLiteral(".css"),
        QStringLiteral(".png"),  QStringLiteral(".jpg"),   QStringLiteral(".jpeg"),
        QStringLiteral(".gif"),  QStringLiteral(".svg"),   QStringLiteral(".ico"),
        QStringLiteral(".woff"), QStringLiteral(".woff2"), QStringLiteral(".ttf"),
        QStringLiteral(".map"),  QStringLiteral(".webp"),  QStringLiteral(".html"),
        QStringLiteral(".htm")};
    const QString path = url.path().toLower();
    for (const QString &e : exts)
        if (path.endsWith(e))
            return true;
    const QString m = mime.toLower();
    return m.startsWith(QStringLiteral("image/")) || m.startsWith(QStringLiteral("font/"))
           || m.startsWith(QStringLiteral("text/css")) || m.startsWith(QStringLiteral("text/html"))
           || m.contains(QStringLiteral("javascript"));
}

} // namespace

ImportResult importHar(const QByteArray &text, const QString &origin)
{
    return ImportBuilder::run(QStringLiteral("har"), origin, text, [&](ImportBuilder &b) {
        const Json root = StructuredDocument::parseJson(text);
        const Json &log = member(root, "log");
        if (!log.is_object())
            b.fail({}, QStringLiteral("not a HAR file (no \"log\")"));
        const Json &entries = member(log, "entries");
        if (!entries.is_array())
            b.fail(QStringLiteral("/log/entries"), QStringLiteral("must be an array"));
        const QString version = str(log, "version");
        if (!version.isEmpty() && !version.startsWith(QStringLiteral("1.")))
            b.fail(
                QStringLiteral("/log/version"),
                QStringLiteral("HAR %1 is not supported (1.1 and 1.2 are)").arg(version.left(10)));
        const QString creator = str(member(log, "creator"), "name");
        b.setName(creator.isEmpty()
                      ? QStringLiteral("Imported from HAR")
                      : QStringLiteral("Imported from HAR (%1)").arg(creator.left(40)));
        QSet<QString> seen;
        int assets = 0;
        int preflights = 0;
        int repeats = 0;
        bool cookies = false;
        static const Redactor rules;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const QString where = QStringLiteral("/log/entries/%1").arg(i);
            const Json &entry = entries[i];
            const Json &req = member(entry, "request");
            const QString method = str(req, "method").toUpper();
            const QString urlText = str(req, "url");
            if (method.isEmpty() || urlText.isEmpty()) {
                b.skip(where, QStringLiteral("no method or URL"));
                continue;
            }
            QUrl url(urlText, QUrl::TolerantMode);
            const QString scheme = url.scheme().toLower();
            if (scheme == u"ws" || scheme == u"wss") {
                b.skip(where, QStringLiteral("a WebSocket (%1); add it as a stream monitor")
                                  .arg(url.host().left(80)));
                continue;
            }
            if ((scheme != u"http" && scheme != u"https") || url.host().isEmpty()) {
                continue; // data:, blob:, chrome-extension: — never an API
            }
            if (method == u"OPTIONS") {
                ++preflights;
                continue;
            }
            const Json &response = member(entry, "response");
            const QString mime = str(member(response, "content"), "mimeType");
            if (staticAsset(url, mime)) {
                ++assets;
                continue;
            }
            if (!ImportBuilder::isHttpMethod(method)) {
                b.skip(where, QStringLiteral("method %1 is not supported").arg(method.left(20)));
                continue;
            }
            // Distinct by method and URL with the query's names but not its values.
            QUrlQuery query(url);
            QStringList names;
            for (const auto &[k, v] : query.queryItems())
                names.append(k);
            names.sort();
            const QString key
                = method + u' '
                  + url.toString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                  + u'?' + names.join(u'&');
            if (seen.contains(key)) {
                ++repeats;
                continue;
            }
            seen.insert(key);

            const QString base = ImportBuilder::originOf(url);
            const QString envId = b.environmentFor(base);
            Endpoint e;
            e.environment = envId;
            e.method = method;
            e.intervalMs = 60000;
            QStringList credentials;
            QStringList problems;
            const Json &headers = member(req, "headers");
            if (headers.is_array()) {
                for (const auto &h : headers) {
                    const QString name = str(h, "name");
                    const QString value = str(h, "value");
                    if (name.isEmpty() || browserHeader(name))
                        continue;
                    if (name.compare(u"Cookie", Qt::CaseInsensitive) == 0) {
                        cookies = true;
                        continue;
                    }
                    if (const auto id = b.credentialFromHeader(
                            name, value, envId, where + QStringLiteral(": header ") + name)) {
                        credentials.append(*id);
                        continue;
                    }
                    if (!std::any_of(e.headers.cbegin(), e.headers.cend(), [&](const auto &x) {
                            return x.first.compare(name, Qt::CaseInsensitive) == 0;
                        }))
                        e.headers.append({name, value});
                }
            }
            QUrlQuery kept;
            for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded)) {
                if (const auto id
                    = b.credentialFromQuery(k, v, envId, where + QStringLiteral(": query ") + k))
                    credentials.append(*id);
                else
                    kept.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(k)),
                                      QString::fromLatin1(QUrl::toPercentEncoding(v)));
            }
            QString path = url.path(QUrl::FullyEncoded);
            if (path.isEmpty())
                path = QStringLiteral("/");
            e.path = path + (kept.isEmpty() ? QString() : u'?' + kept.toString(QUrl::FullyEncoded));
            const QString bodyText = str(member(req, "postData"), "text");
            if (!bodyText.isEmpty()) {
                e.body = rules.redactBody(bodyText);
                if (e.body != bodyText)
                    problems.append(QStringLiteral("the body carried secret fields; their values "
                                                   "were left out"));
            }
            const Json &status = member(response, "status");
            const int code = status.is_number_integer() ? status.get<int>() : 0;
            if (code == 0)
                problems.append(QStringLiteral("the browser recorded no response"));
            else if (code >= 400)
                problems.append(QStringLiteral("it answered %1 when recorded").arg(code));
            if (method != u"GET" && method != u"HEAD")
                problems.append(QStringLiteral("%1 may change data on the server").arg(method));
            credentials.removeDuplicates();
            if (!credentials.isEmpty())
                e.credential = credentials.first();
            if (credentials.size() > 1)
                problems.append(QStringLiteral("it sends %1 credentials; HealthDeck sends one (%2)")
                                    .arg(credentials.size())
                                    .arg(credentials.first()));
            b.addEndpoint(e, problems.isEmpty(), problems.join(QStringLiteral("; ")));
        }
        if (assets)
            b.skip(QStringLiteral("entries"),
                   QStringLiteral("%1 static assets (scripts, styles, images, pages)").arg(assets));
        if (preflights)
            b.skip(QStringLiteral("entries"),
                   QStringLiteral("%1 CORS preflight requests (OPTIONS)").arg(preflights));
        if (repeats)
            b.skip(QStringLiteral("entries"),
                   QStringLiteral("%1 repeats of a request already listed").arg(repeats));
        if (cookies)
            b.note(QStringLiteral("the browser sent cookies; they are session state and were not "
                                  "imported — if the API authenticates by cookie, give its "
                                  "endpoints a credential"));
    });
}

} // namespace hd
