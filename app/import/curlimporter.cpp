// Why this file is long: curl's command line as people paste it — about a hundred options, in
// short and long forms, each either read (method, headers, bodies, auth, cookies, TLS files)
// or named in the result as ignored — each a short case.

#include "curlimporter.h"

#include "importbuilder.h"
#include "redactor.h"
#include "shellwords.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

namespace hd {

namespace {

// Options that take an argument (the next word, or the rest of a short-option cluster).
const QSet<QString> &argumentOptions()
{
    static const QSet<QString> set{
        QStringLiteral("--request"),
        QStringLiteral("--header"),
        QStringLiteral("--data"),
        QStringLiteral("--data-ascii"),
        QStringLiteral("--data-raw"),
        QStringLiteral("--data-binary"),
        QStringLiteral("--data-urlencode"),
        QStringLiteral("--json"),
        QStringLiteral("--user"),
        QStringLiteral("--url"),
        QStringLiteral("--user-agent"),
        QStringLiteral("--referer"),
        QStringLiteral("--cookie"),
        QStringLiteral("--cookie-jar"),
        QStringLiteral("--max-time"),
        QStringLiteral("--connect-timeout"),
        QStringLiteral("--output"),
        QStringLiteral("--form"),
        QStringLiteral("--form-string"),
        QStringLiteral("--upload-file"),
        QStringLiteral("--proxy"),
        QStringLiteral("--proxy-user"),
        QStringLiteral("--write-out"),
        QStringLiteral("--cert"),
        QStringLiteral("--cacert"),
        QStringLiteral("--capath"),
        QStringLiteral("--key"),
        QStringLiteral("--cert-type"),
        QStringLiteral("--key-type"),
        QStringLiteral("--pass"),
        QStringLiteral("--config"),
        QStringLiteral("--range"),
        QStringLiteral("--dump-header"),
        QStringLiteral("--retry"),
        QStringLiteral("--retry-delay"),
        QStringLiteral("--retry-max-time"),
        QStringLiteral("--resolve"),
        QStringLiteral("--connect-to"),
        QStringLiteral("--oauth2-bearer"),
        QStringLiteral("--interface"),
        QStringLiteral("--limit-rate"),
        QStringLiteral("--max-redirs"),
        QStringLiteral("--unix-socket"),
        QStringLiteral("--aws-sigv4"),
        QStringLiteral("--ciphers"),
        QStringLiteral("--tls-max"),
        QStringLiteral("--noproxy"),
        QStringLiteral("--proxy-header"),
        QStringLiteral("--request-target"),
        QStringLiteral("--trace"),
        QStringLiteral("--trace-ascii"),
        QStringLiteral("--stderr"),
        QStringLiteral("--variable"),
        QStringLiteral("--url-query"),
        QStringLiteral("--max-filesize"),
        QStringLiteral("--pinnedpubkey"),
        QStringLiteral("--dns-servers"),
        QStringLiteral("--doh-url"),
        QStringLiteral("--preproxy"),
        QStringLiteral("--socks5"),
        QStringLiteral("--socks5-hostname"),
        QStringLiteral("--keepalive-time"),
        QStringLiteral("--expect100-timeout"),
        QStringLiteral("--local-port"),
        QStringLiteral("--happy-eyeballs-timeout-ms"),
        QStringLiteral("--time-cond"),
        QStringLiteral("--continue-at"),
        QStringLiteral("--ftp-port"),
        QStringLiteral("--quote"),
        QStringLiteral("--telnet-option"),
        QStringLiteral("--mail-from"),
        QStringLiteral("--mail-rcpt"),
        QStringLiteral("--proto"),
        QStringLiteral("--proto-redir"),
        QStringLiteral("--netrc-file"),
        QStringLiteral("--speed-limit"),
        QStringLiteral("--speed-time"),
        QStringLiteral("--parallel-max"),
    };
    return set;
}

// Short options that take an argument, with their long names.
QString longNameOf(QChar s)
{
    switch (s.unicode()) {
    case 'X':
        return QStringLiteral("--request");
    case 'H':
        return QStringLiteral("--header");
    case 'd':
        return QStringLiteral("--data");
    case 'u':
        return QStringLiteral("--user");
    case 'A':
        return QStringLiteral("--user-agent");
    case 'e':
        return QStringLiteral("--referer");
    case 'b':
        return QStringLiteral("--cookie");
    case 'c':
        return QStringLiteral("--cookie-jar");
    case 'm':
        return QStringLiteral("--max-time");
    case 'o':
        return QStringLiteral("--output");
    case 'F':
        return QStringLiteral("--form");
    case 'T':
        return QStringLiteral("--upload-file");
    case 'x':
        return QStringLiteral("--proxy");
    case 'U':
        return QStringLiteral("--proxy-user");
    case 'w':
        return QStringLiteral("--write-out");
    case 'E':
        return QStringLiteral("--cert");
    case 'K':
        return QStringLiteral("--config");
    case 'r':
        return QStringLiteral("--range");
    case 'D':
        return QStringLiteral("--dump-header");
    case 'y':
        return QStringLiteral("--speed-time");
    case 'Y':
        return QStringLiteral("--speed-limit");
    case 'z':
        return QStringLiteral("--time-cond");
    case 'C':
        return QStringLiteral("--continue-at");
    case 'Q':
        return QStringLiteral("--quote");
    case 't':
        return QStringLiteral("--telnet-option");
    case 'P':
        return QStringLiteral("--ftp-port");
    default:
        return {};
    }
}

QString flagLongName(QChar s)
{
    switch (s.unicode()) {
    case 'G':
        return QStringLiteral("--get");
    case 'I':
        return QStringLiteral("--head");
    case 'k':
        return QStringLiteral("--insecure");
    case 'L':
        return QStringLiteral("--location");
    default:
        return {};
    }
}

struct CurlRequest
{
    int line = 1;
    QString method;
    bool get = false;
    bool head = false;
    QStringList urls;
    QList<std::pair<QString, QString>> headers;
    QStringList data;
    bool json = false;
    std::optional<QString> user;
    std::optional<QString> bearer;
    int timeoutMs = 0;
    QStringList queryParts; // --url-query
    QStringList problems;   // why the request cannot be polled as it is (not selected)
};

QString urlEncoded(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// --data-urlencode's forms: "content", "=content", "name=content", "@file", "name@file".
std::optional<QString> urlencodeData(const QString &arg)
{
    const qsizetype eq = arg.indexOf(u'=');
    const qsizetype at = arg.indexOf(u'@');
    if (at >= 0 && (eq < 0 || at < eq))
        return std::nullopt;
    if (eq < 0)
        return urlEncoded(arg);
    if (eq == 0)
        return urlEncoded(arg.mid(1));
    return arg.left(eq) + u'=' + urlEncoded(arg.mid(eq + 1));
}

bool isCurl(const QString &word)
{
    return word == u"curl" || word.endsWith(u"/curl")
           || word.compare(u"curl.exe", Qt::CaseInsensitive) == 0;
}

class CurlImport
{
public:
    explicit CurlImport(ImportBuilder &b)
        : m_b(b)
    {}

    void run(const QString &text)
    {
        const QList<ShellCommand> commands = ShellWords::split(text);
        int curls = 0;
        for (const ShellCommand &c : commands) {
            QStringList words = c.words;
            // A prompt ("$ curl …"), assignments (TOKEN=… curl, export TOKEN=…), sudo.
            while (!words.isEmpty()
                   && (words.first() == u"$" || words.first() == u">" || words.first() == u"sudo"
                       || words.first() == u"export" || words.first() == u"set"
                       || isAssignment(words.first()))) {
                const QString w = words.takeFirst();
                if (isAssignment(w))
                    m_b.setVariable(w.section(u'=', 0, 0), w.section(u'=', 1));
            }
            if (words.isEmpty())
                continue;
            if (!isCurl(words.first())) {
                m_b.skip(
                    QStringLiteral("line %1").arg(c.line),
                    QStringLiteral("\"%1\" is not a curl command").arg(words.first().left(40)));
                continue;
            }
            ++curls;
            words.removeFirst();
            request(parse(words, c.line));
        }
        if (curls == 0)
            m_b.fail({}, QStringLiteral("no curl command found"));
    }

private:
    static bool isAssignment(const QString &w)
    {
        static const QRegularExpression re(QStringLiteral(R"(^[A-Za-z_][A-Za-z0-9_]*=)"));
        return re.match(w).hasMatch();
    }

    CurlRequest parse(const QStringList &words, int line)
    {
        CurlRequest r;
        r.line = line;
        const QString where = QStringLiteral("line %1").arg(line);
        for (qsizetype i = 0; i < words.size(); ++i) {
            const QString w = words.at(i);
            auto nextArg = [&](const QString &opt) {
                if (i + 1 >= words.size())
                    m_b.fail(where, QStringLiteral("%1 needs a value").arg(opt));
                return words.at(++i);
            };
            if (w == u"--") {
                for (++i; i < words.size(); ++i)
                    r.urls.append(words.at(i));
                break;
            }
            if (w.startsWith(u"--")) {
                QString name = w;
                std::optional<QString> inlineValue;
                if (const qsizetype eq = w.indexOf(u'='); eq > 2) {
                    name = w.left(eq);
                    inlineValue = w.mid(eq + 1);
                }
                if (argumentOptions().contains(name))
                    option(r, name, inlineValue ? *inlineValue : nextArg(name), where);
                else
                    flag(r, name, where);
                continue;
            }
            if (w.startsWith(u'-') && w.size() > 1) {
                for (qsizetype k = 1; k < w.size(); ++k) {
                    const QChar s = w.at(k);
                    const QString longName = longNameOf(s);
                    if (!longName.isEmpty()) {
                        const QString rest = w.mid(k + 1);
                        option(r, longName,
                               rest.isEmpty() ? nextArg(QStringLiteral("-") + s) : rest, where);
                        break;
                    }
                    const QString f = flagLongName(s);
                    if (!f.isEmpty())
                        flag(r, f, where);
                }
                continue;
            }
            r.urls.append(w);
        }
        return r;
    }

    void flag(CurlRequest &r, const QString &name, const QString &where)
    {
        if (name == u"--get")
            r.get = true;
        else if (name == u"--head")
            r.head = true;
        else if (name == u"--insecure")
            m_b.note(QStringLiteral("%1: the curl line turned TLS verification off (-k); "
                                    "HealthDeck always verifies — give the environment a CA "
                                    "file if the server uses a private CA")
                         .arg(where));
    }

    void option(CurlRequest &r, const QString &name, const QString &value, const QString &where)
    {
        if (name == u"--request")
            r.method = value.toUpper();
        else if (name == u"--header") {
            const qsizetype colon = value.indexOf(u':');
            if (colon <= 0) // "Name;" sends an empty header, "Name:" removes one: nothing to keep
                return;
            const QString v = value.mid(colon + 1).trimmed();
            if (!v.isEmpty())
                r.headers.append({value.left(colon).trimmed(), v});
        } else if (name == u"--data" || name == u"--data-ascii" || name == u"--data-binary"
                   || name == u"--json") {
            if (value.startsWith(u'@')) {
                r.problems.append(
                    QStringLiteral("the body comes from the file %1, which is not imported")
                        .arg(value.mid(1)));
                return;
            }
            QString v = value;
            if (name != u"--data-binary" && name != u"--json")
                v.remove(u'\n').remove(u'\r'); // curl strips them from -d @file; harmless here
            r.data.append(v);
            r.json = r.json || name == u"--json";
        } else if (name == u"--data-raw")
            r.data.append(value);
        else if (name == u"--data-urlencode") {
            if (const auto v = urlencodeData(value))
                r.data.append(*v);
            else
                r.problems.append(
                    QStringLiteral("part of the body comes from a file (%1)").arg(value));
        } else if (name == u"--user")
            r.user = value;
        else if (name == u"--oauth2-bearer")
            r.bearer = value;
        else if (name == u"--url")
            r.urls.append(value);
        else if (name == u"--url-query")
            r.queryParts.append(value);
        else if (name == u"--user-agent")
            r.headers.append({QStringLiteral("User-Agent"), value});
        else if (name == u"--referer")
            r.headers.append({QStringLiteral("Referer"), value});
        else if (name == u"--cookie")
            m_b.skip(where, QStringLiteral("cookies (-b) are session state, not a credential; "
                                           "not imported"));
        else if (name == u"--max-time") {
            bool ok = false;
            const double s = value.toDouble(&ok);
            if (ok && s > 0)
                r.timeoutMs = int(std::clamp(s * 1000.0, 1.0, 600000.0));
        } else if (name == u"--form" || name == u"--form-string")
            r.problems.append(QStringLiteral("multipart form bodies (-F) are not supported"));
        else if (name == u"--upload-file")
            r.problems.append(QStringLiteral("uploads a file (-T), which is not imported"));
        else if (name == u"--proxy")
            m_b.note(QStringLiteral("%1: the curl line uses a proxy (%2); set one for the "
                                    "environment if HealthDeck needs it too")
                         .arg(where, QUrl(value).host().isEmpty() ? QStringLiteral("-x")
                                                                  : QUrl(value).host()));
        else if (name == u"--cert" || name == u"--key" || name == u"--cacert")
            m_b.note(QStringLiteral("%1: %2 is not imported; set TLS files on the environment")
                         .arg(where, name));
    }

    // A token request (grant_type=client_credentials) is a credential, not an endpoint.
    bool tokenRequest(const CurlRequest &r, const QUrl &url, const QString &body,
                      const QString &where)
    {
        QUrlQuery form(body);
        QString grant = form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded);
        QString clientId = form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
        QString secret = form.queryItemValue(QStringLiteral("client_secret"), QUrl::FullyDecoded);
        QString scope = form.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded);
        QString audience = form.queryItemValue(QStringLiteral("audience"), QUrl::FullyDecoded);
        if (grant != u"client_credentials")
            return false;
        QString userSecret;
        if (clientId.isEmpty() && r.user) { // client id and secret sent as Basic auth
            clientId = r.user->section(u':', 0, 0);
            userSecret = r.user->section(u':', 1);
        }
        if (secret.isEmpty())
            secret = userSecret;
        const QString base = ImportBuilder::originOf(url);
        const QString envId = m_b.environmentFor(base);
        Credential c;
        c.method = Credential::Method::OAuth2ClientCredentials;
        c.environment = envId;
        c.id = envId + QStringLiteral("-oauth2");
        c.tokenUrl = url.toString(QUrl::RemoveQuery);
        c.clientId = clientId;
        c.scope = scope;
        c.audience = audience;
        QString named;
        if (ImportBuilder::isPlaceholder(secret, &named))
            c.secretName
                = named.isEmpty()
                      ? ImportBuilder::secretNameFor(envId, QStringLiteral("CLIENT_SECRET"))
                      : named;
        else
            c.secretName = ImportBuilder::secretNameFor(envId, QStringLiteral("CLIENT_SECRET"));
        const QString id
            = m_b.addCredential(c, ImportBuilder::isPlaceholder(secret) ? QString() : secret,
                                where + QStringLiteral(": client_secret of the token request"));
        m_b.skip(where, QStringLiteral("a client-credentials token request: became credential %1 "
                                       "(HealthDeck requests tokens itself)")
                            .arg(id));
        return true;
    }

    void request(CurlRequest r)
    {
        const QString where = QStringLiteral("line %1").arg(r.line);
        if (r.urls.isEmpty()) {
            m_b.skip(where, QStringLiteral("curl without a URL"));
            return;
        }
        QString body = r.data.join(u'&');
        QString method = r.method;
        if (method.isEmpty())
            method = r.head ? QStringLiteral("HEAD")
                            : (!r.data.isEmpty() && !r.get ? QStringLiteral("POST")
                                                           : QStringLiteral("GET"));
        if (!ImportBuilder::isHttpMethod(method)) {
            m_b.skip(where, QStringLiteral("method %1 is not supported").arg(method.left(20)));
            return;
        }
        for (QString urlText : std::as_const(r.urls)) {
            // Variables the text set (BASE=https://… curl "$BASE/v1") are expanded in URLs.
            static const QRegularExpression var(
                QStringLiteral(R"(\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?)"));
            int expansions = 0;
            for (auto m = var.match(urlText); m.hasMatch() && expansions < 32;
                 m = var.match(urlText, m.capturedStart() + 1), ++expansions) {
                const auto value = m_b.variable(m.captured(1));
                if (!value)
                    continue;
                urlText.replace(m.capturedStart(), m.capturedLength(), *value);
            }
            if (!urlText.contains(QStringLiteral("://")))
                urlText.prepend(QStringLiteral("http://")); // what curl assumes
            QUrl url(urlText, QUrl::TolerantMode);
            if (!url.isValid() || url.host().isEmpty() || url.host().contains(u'$')) {
                m_b.skip(where, QStringLiteral("\"%1\" is not a URL HealthDeck can poll")
                                    .arg(urlText.left(80)));
                continue;
            }
            const QString scheme = url.scheme().toLower();
            if (scheme != u"http" && scheme != u"https") {
                m_b.skip(where, QStringLiteral("%1:// is not HTTP").arg(scheme.left(10)));
                continue;
            }
            if (tokenRequest(r, url, body, where))
                continue;
            endpoint(r, url, method, body, where);
        }
    }

    void endpoint(const CurlRequest &r, QUrl url, const QString &method, QString body,
                  const QString &where)
    {
        const QString base = ImportBuilder::originOf(url);
        const QString envId = m_b.environmentFor(base);
        QStringList credentials;
        QStringList problems = r.problems;
        if (!url.userName().isEmpty())
            credentials.append(m_b.basicCredential(
                url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded), envId,
                where + QStringLiteral(": user:password in the URL")));
        url.setUserInfo({});
        if (r.user)
            credentials.append(
                m_b.basicCredential(r.user->section(u':', 0, 0),
                                    r.user->contains(u':') ? r.user->section(u':', 1) : QString(),
                                    envId, where + QStringLiteral(": -u")));
        if (r.bearer)
            credentials.append(m_b.bearerCredential(*r.bearer, envId,
                                                    where + QStringLiteral(": --oauth2-bearer")));

        Endpoint e;
        e.environment = envId;
        e.method = method;
        e.intervalMs = 60000;
        if (r.timeoutMs > 0)
            e.timeoutMs = r.timeoutMs;
        bool hasContentType = false;
        for (const auto &[name, value] : r.headers) {
            if (name.compare(u"Content-Length", Qt::CaseInsensitive) == 0
                || name.compare(u"Host", Qt::CaseInsensitive) == 0
                || name.compare(u"Accept-Encoding", Qt::CaseInsensitive) == 0)
                continue; // set by the network stack itself
            if (name.compare(u"Cookie", Qt::CaseInsensitive) == 0) {
                m_b.skip(where, QStringLiteral("the Cookie header is session state, not a "
                                               "credential; not imported"));
                continue;
            }
            if (const auto id = m_b.credentialFromHeader(
                    name, value, envId, where + QStringLiteral(": header ") + name)) {
                credentials.append(*id);
                continue;
            }
            hasContentType
                = hasContentType || name.compare(u"Content-Type", Qt::CaseInsensitive) == 0;
            e.headers.append({name, value});
        }
        // Query: secret parameters become a credential and leave the path.
        QUrlQuery query(url);
        for (const QString &part : r.queryParts)
            query.addQueryItem(part.section(u'=', 0, 0), part.section(u'=', 1));
        if (r.get && !body.isEmpty()) {
            for (const QString &pair : body.split(u'&', Qt::SkipEmptyParts))
                query.addQueryItem(pair.section(u'=', 0, 0), pair.section(u'=', 1));
            body.clear();
        }
        QUrlQuery kept;
        for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded)) {
            if (const auto id = m_b.credentialFromQuery(
                    k, v, envId, where + QStringLiteral(": query parameter ") + k))
                credentials.append(*id);
            else
                kept.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(k)),
                                  QString::fromLatin1(QUrl::toPercentEncoding(v)));
        }
        url.setQuery(kept);
        QString path = url.path(QUrl::FullyEncoded);
        if (path.isEmpty())
            path = QStringLiteral("/");
        if (!kept.isEmpty())
            path += u'?' + kept.toString(QUrl::FullyEncoded);
        e.path = path;
        if (!body.isEmpty()) {
            if (!hasContentType)
                e.headers.append({QStringLiteral("Content-Type"),
                                  r.json ? QStringLiteral("application/json")
                                         : QStringLiteral("application/x-www-form-urlencoded")});
            if (r.json && !std::any_of(e.headers.cbegin(), e.headers.cend(), [](const auto &h) {
                    return h.first.compare(u"Accept", Qt::CaseInsensitive) == 0;
                }))
                e.headers.append({QStringLiteral("Accept"), QStringLiteral("application/json")});
            static const Redactor rules;
            const QString redacted = rules.redactBody(body);
            if (redacted != body) {
                problems.append(QStringLiteral("the body carried secret fields; their values were "
                                               "left out (HealthDeck sends secrets only through "
                                               "credentials)"));
                body = redacted;
            }
        }
        e.body = body;
        credentials.removeDuplicates();
        if (!credentials.isEmpty())
            e.credential = credentials.first();
        if (credentials.size() > 1)
            problems.append(QStringLiteral("it sends %1 credentials; HealthDeck sends one (%2)")
                                .arg(credentials.size())
                                .arg(credentials.first()));
        if (method != u"GET" && method != u"HEAD" && method != u"OPTIONS")
            problems.append(QStringLiteral("%1 may change data on the server; select it only if "
                                           "repeating it every interval is safe")
                                .arg(method));
        m_b.addEndpoint(e, problems.isEmpty(), problems.join(QStringLiteral("; ")));
    }

    ImportBuilder &m_b;
};

} // namespace

ImportResult importCurl(const QByteArray &text, const QString &origin)
{
    return ImportBuilder::run(QStringLiteral("curl"), origin, text, [&](ImportBuilder &b) {
        CurlImport(b).run(QString::fromUtf8(text));
        b.setName(QStringLiteral("Imported from curl"));
    });
}

} // namespace hd
