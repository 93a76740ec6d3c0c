// Why this file is long: Postman collections v2.0 and v2.1 in full — nested folders, auth
// inherited through them, variables at four levels, every body mode, scripts named as not
// run — each handled by a small function; the format is large, not the code.

#include "postmanimporter.h"

#include "importbuilder.h"
#include "redactor.h"
#include "structureddocument.h"

#include <QHash>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace hd {

namespace {

using Json = nlohmann::json;
using Vars = QHash<QString, std::pair<QString, bool>>; // name → (value, secret)

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
    if (m.is_string())
        return q(m.get<std::string>());
    if (m.is_number() || m.is_boolean())
        return q(m.dump());
    return {};
}

bool disabled(const Json &j)
{
    const Json &d = member(j, "disabled");
    const Json &e = member(j, "enabled");
    return (d.is_boolean() && d.get<bool>()) || (e.is_boolean() && !e.get<bool>());
}

bool secretName(const QString &name)
{
    return ImportBuilder::isSecretQuery(name) || ImportBuilder::isSecretHeader(name);
}

Vars readVariables(const Json &list, bool fromEnvironmentFile = false)
{
    Vars vars;
    if (!list.is_array())
        return vars;
    for (const auto &v : list) {
        if (!v.is_object() || disabled(v))
            continue;
        const QString key = str(v, "key");
        if (key.isEmpty())
            continue;
        const bool secret = str(v, "type") == u"secret" || secretName(key);
        vars.insert(key, {str(v, "value"), secret});
        Q_UNUSED(fromEnvironmentFile)
    }
    return vars;
}

// Auth of one request as Postman stores it: [{key, value}, …] per type.
QString authField(const Json &auth, const QString &type, const char *key)
{
    const Json &list = member(auth, type.toUtf8().constData());
    if (list.is_array()) {
        for (const auto &kv : list)
            if (str(kv, "key") == QLatin1String(key))
                return str(kv, "value");
    } else if (list.is_object()) { // v2.0 stores an object
        return str(list, key);
    }
    return {};
}

class PostmanImport
{
public:
    PostmanImport(ImportBuilder &b, const Json &root, const Vars &envVars, const QString &envName)
        : m_b(b)
        , m_root(root)
        , m_env(envVars)
        , m_envName(envName)
    {}

    void run()
    {
        if (!m_root.is_object())
            m_b.fail({},
                     QStringLiteral("not a Postman collection (the top level is not an object)"));
        const Json &info = member(m_root, "info");
        const QString schema = str(info, "schema");
        if (!info.is_object() || !member(m_root, "item").is_array()) {
            if (member(m_root, "requests").is_array())
                m_b.fail({}, QStringLiteral("a Postman v1 collection; export it as v2.1 "
                                            "(Collection → Export → v2.1)"));
            if (member(m_root, "log").is_object())
                m_b.fail({}, QStringLiteral("this is a HAR file; import it as har"));
            m_b.fail({}, QStringLiteral("not a Postman collection (no \"info\" and \"item\")"));
        }
        if (!schema.isEmpty() && !schema.contains(QStringLiteral("/v2.")))
            m_b.fail(QStringLiteral("/info/schema"),
                     QStringLiteral("only Postman collection v2.0/v2.1 is supported"));
        QString name = str(info, "name");
        m_b.setName(name.isEmpty() ? QStringLiteral("Imported from Postman") : name);
        m_collection = readVariables(member(m_root, "variable"));
        items(member(m_root, "item"), {}, {m_collection}, member(m_root, "auth"), 0);
    }

private:
    // {{name}} → value: the environment file first, then folders inner to outer, then the
    // collection. Secret variables are never substituted into the workspace.
    std::optional<std::pair<QString, bool>> lookup(const QString &name,
                                                   const QList<Vars> &scopes) const
    {
        if (m_env.contains(name))
            return m_env.value(name);
        for (qsizetype i = scopes.size() - 1; i >= 0; --i)
            if (scopes.at(i).contains(name))
                return scopes.at(i).value(name);
        return std::nullopt;
    }

    QString substitute(QString text, const QList<Vars> &scopes, QStringList *unresolved,
                       QStringList *secrets, bool allowSecrets = false) const
    {
        static const QRegularExpression var(QStringLiteral(R"(\{\{\s*([^{}]{1,120}?)\s*\}\})"));
        for (int round = 0; round < 5 && text.contains(QStringLiteral("{{")); ++round) {
            QString out;
            qsizetype from = 0;
            bool changed = false;
            for (auto it = var.globalMatch(text); it.hasNext();) {
                const auto m = it.next();
                out += QStringView(text).mid(from, m.capturedStart() - from);
                from = m.capturedEnd();
                const QString name = m.captured(1);
                const auto v = lookup(name, scopes);
                if (v && (!v->second || allowSecrets) && !name.startsWith(u'$')) {
                    out += v->first;
                    changed = true;
                } else {
                    out += m.captured(0);
                    if (v && v->second) {
                        if (secrets && !secrets->contains(name))
                            secrets->append(name);
                    } else if (unresolved && !unresolved->contains(name)) {
                        unresolved->append(name);
                    }
                }
                if (out.size() > 1024 * 1024)
                    m_b.fail({}, QStringLiteral("variables expand to more than 1 MiB"));
            }
            out += QStringView(text).mid(from);
            text = out;
            if (!changed)
                break;
        }
        return text;
    }

    // Tells the builder the value behind each {{variable}} in text, so a credential built
    // from "{{token}}" gets the token as its secret value.
    void exposeVariables(const QString &text, const QList<Vars> &scopes)
    {
        static const QRegularExpression var(QStringLiteral(R"(\{\{\s*([^{}]{1,120}?)\s*\}\})"));
        for (auto it = var.globalMatch(text); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (const auto v = lookup(name, scopes))
                m_b.setVariable(name, substitute(v->first, scopes, nullptr, nullptr, true));
        }
    }

    void items(const Json &list, const QStringList &folders, const QList<Vars> &scopes,
               const Json &auth, int depth)
    {
        if (depth > ImportMaxDepth / 2)
            m_b.fail(folders.join(u'/'), QStringLiteral("folders nested too deep"));
        if (!list.is_array())
            return;
        for (const auto &item : list) {
            if (!item.is_object())
                continue;
            const QString name = str(item, "name");
            const Json &ownAuth = member(item, "auth");
            const Json &useAuth = ownAuth.is_object() ? ownAuth : auth;
            if (member(item, "item").is_array()) { // a folder
                QList<Vars> inner = scopes;
                inner.append(readVariables(member(item, "variable")));
                items(member(item, "item"), folders + QStringList{name}, inner, useAuth, depth + 1);
                continue;
            }
            request(item, folders, scopes, useAuth);
        }
    }

    QString rawUrl(const Json &url) const
    {
        if (url.is_string())
            return q(url.get<std::string>());
        QString raw = str(url, "raw");
        if (!raw.isEmpty())
            return raw;
        // No raw form: protocol://host/path?query from the parts.
        auto joined = [&](const char *key, QChar sep) {
            const Json &v = member(url, key);
            if (v.is_string())
                return q(v.get<std::string>());
            QStringList parts;
            if (v.is_array())
                for (const auto &p : v)
                    parts.append(p.is_string() ? q(p.get<std::string>()) : str(p, "value"));
            return parts.join(sep);
        };
        QString protocol = str(url, "protocol");
        raw = (protocol.isEmpty() ? QString() : protocol + QStringLiteral("://"))
              + joined("host", u'.');
        if (!str(url, "port").isEmpty())
            raw += u':' + str(url, "port");
        const QString path = joined("path", u'/');
        if (!path.isEmpty())
            raw += u'/' + path;
        return raw;
    }

    void request(const Json &item, const QStringList &folders, const QList<Vars> &scopes,
                 const Json &auth)
    {
        const QString name = str(item, "name");
        const QString where = QStringLiteral("item ") + (folders + QStringList{name}).join(u'/');
        const Json &req = member(item, "request");
        if (!req.is_object() && !req.is_string()) {
            m_b.skip(where, QStringLiteral("no request"));
            return;
        }
        QStringList unresolved;
        QStringList secretVars;
        QStringList problems;
        const Json &urlJson = req.is_string() ? req : member(req, "url");
        QList<Vars> scopesWithPath = scopes;
        Vars pathVars; // :id style path variables with values
        for (const auto &v :
             member(urlJson, "variable").is_array() ? member(urlJson, "variable") : Json::array())
            if (v.is_object() && !str(v, "key").isEmpty() && !str(v, "value").isEmpty())
                pathVars.insert(str(v, "key"), {str(v, "value"), false});
        scopesWithPath.append(pathVars);
        QString raw = rawUrl(urlJson).trimmed();
        if (raw.isEmpty()) {
            m_b.skip(where, QStringLiteral("no URL"));
            return;
        }
        // The environment: {{baseUrl}}/path, or the URL's own origin.
        QString base;
        QString rest;
        QString envPreferred;
        static const QRegularExpression leadVar(QStringLiteral(R"(^\{\{\s*([^{}]+?)\s*\}\})"));
        if (const auto m = leadVar.match(raw); m.hasMatch()) {
            const auto v = lookup(m.captured(1), scopes);
            if (!v || v->first.isEmpty()) {
                m_b.skip(where, QStringLiteral("the URL starts with {{%1}}, which no variable "
                                               "defines")
                                    .arg(m.captured(1)));
                return;
            }
            base = substitute(v->first, scopes, &unresolved, &secretVars);
            rest = raw.mid(m.capturedEnd());
            if (m_env.contains(m.captured(1)) && !m_envName.isEmpty())
                envPreferred = m_envName;
        } else {
            QString full = substitute(raw, scopes, &unresolved, &secretVars);
            if (!full.contains(QStringLiteral("://")))
                full.prepend(QStringLiteral("https://"));
            const QUrl u(full, QUrl::TolerantMode);
            base = ImportBuilder::originOf(u);
            const qsizetype hostStart = full.indexOf(QStringLiteral("://")) + 3;
            qsizetype cut = full.size();
            for (QChar c : {u'/', u'?', u'#'})
                if (const qsizetype at = full.indexOf(c, hostStart); at >= 0)
                    cut = std::min(cut, at);
            rest = full.mid(cut);
        }
        if (!base.contains(QStringLiteral("://")))
            base.prepend(QStringLiteral("https://"));
        const QUrl baseUrl(base, QUrl::StrictMode);
        if (!baseUrl.isValid() || baseUrl.host().isEmpty() || base.contains(QStringLiteral("{{"))
            || (baseUrl.scheme() != u"http" && baseUrl.scheme() != u"https")) {
            m_b.skip(where, QStringLiteral("\"%1\" is not an http(s) base URL").arg(base.left(80)));
            return;
        }
        QString envName = envPreferred.isEmpty() ? QString() : m_envName;
        const QString envId = m_b.environmentFor(base, envPreferred, envName);

        // :name path variables (Postman's own) take their values.
        rest = substitute(rest, scopesWithPath, &unresolved, &secretVars);
        static const QRegularExpression colonVar(QStringLiteral(R"(/:([A-Za-z_][A-Za-z0-9_]*))"));
        for (int guard = 0; guard < 32; ++guard) {
            const auto m = colonVar.match(rest);
            if (!m.hasMatch())
                break;
            const auto v = pathVars.value(m.captured(1));
            if (v.first.isEmpty()) {
                problems.append(QStringLiteral("needs path variable :%1").arg(m.captured(1)));
                break;
            }
            rest.replace(m.capturedStart(1) - 1, m.capturedLength(1) + 1,
                         substitute(v.first, scopes, &unresolved, &secretVars));
        }
        QString path = rest.section(u'#', 0, 0);
        QString queryText;
        if (const qsizetype qm = path.indexOf(u'?'); qm >= 0) {
            queryText = path.mid(qm + 1);
            path = path.left(qm);
        }
        if (path.isEmpty())
            path = QStringLiteral("/");
        // Query parameters: the structured list (it knows which are disabled) when present.
        QList<std::pair<QString, QString>> queryItems;
        const Json &qlist = member(urlJson, "query");
        if (qlist.is_array()) {
            for (const auto &p : qlist)
                if (p.is_object() && !disabled(p))
                    queryItems.append({str(p, "key"), str(p, "value")});
        } else {
            for (const auto &[k, v] : QUrlQuery(queryText).queryItems(QUrl::FullyDecoded))
                queryItems.append({k, v});
        }

        Endpoint e;
        e.environment = envId;
        e.method = str(req, "method").toUpper();
        if (e.method.isEmpty())
            e.method = QStringLiteral("GET");
        if (!ImportBuilder::isHttpMethod(e.method)) {
            m_b.skip(where, QStringLiteral("method %1 is not supported").arg(e.method.left(20)));
            return;
        }
        e.name = name.left(120);
        e.intervalMs = 60000;
        QStringList idParts;
        for (const QString &f : folders)
            if (!ImportBuilder::slug(f).isEmpty())
                idParts.append(ImportBuilder::slug(f));
        idParts.append(ImportBuilder::slug(name).isEmpty()
                           ? ImportBuilder::endpointIdFor(e.method, path)
                           : ImportBuilder::slug(name));
        e.id = idParts.join(u'.');

        QStringList credentials;
        // A request's own auth (request.auth) wins over its folder's and the collection's.
        const Json &ownAuth = req.is_object() ? member(req, "auth") : member(Json(), "auth");
        if (const auto c = credentialFromAuth(ownAuth.is_object() ? ownAuth : auth, envId, scopes,
                                              where, &problems))
            credentials.append(*c);
        QUrlQuery kept;
        for (const auto &[k0, v0] : queryItems) {
            const QString k = substitute(k0, scopes, &unresolved, &secretVars);
            exposeVariables(v0, scopes);
            if (const auto id = m_b.credentialFromQuery(k, rawOrVar(v0, scopes), envId,
                                                        where + QStringLiteral(": query ") + k)) {
                credentials.append(*id);
                continue;
            }
            const QString v = substitute(v0, scopes, &unresolved, &secretVars);
            kept.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(k, "{}")),
                              QString::fromLatin1(QUrl::toPercentEncoding(v, "{}")));
        }
        e.path = path + (kept.isEmpty() ? QString() : u'?' + kept.toString(QUrl::FullyEncoded));

        const Json &headers = member(req, "header");
        if (headers.is_array()) {
            for (const auto &h : headers) {
                if (!h.is_object() || disabled(h))
                    continue;
                const QString hn = str(h, "key");
                const QString hv0 = str(h, "value");
                if (hn.isEmpty())
                    continue;
                if (hn.compare(u"Cookie", Qt::CaseInsensitive) == 0) {
                    m_b.skip(where,
                             QStringLiteral("the Cookie header is session state; not imported"));
                    continue;
                }
                if (hn.compare(u"Content-Length", Qt::CaseInsensitive) == 0
                    || hn.compare(u"Host", Qt::CaseInsensitive) == 0)
                    continue;
                exposeVariables(hv0, scopes);
                if (const auto id
                    = m_b.credentialFromHeader(hn, rawOrVar(hv0, scopes), envId,
                                               where + QStringLiteral(": header ") + hn)) {
                    credentials.append(*id);
                    continue;
                }
                e.headers.append({hn, substitute(hv0, scopes, &unresolved, &secretVars)});
            }
        }
        e.body = body(member(req, "body"), scopes, &unresolved, &secretVars, &problems, &e);
        static const Redactor rules;
        if (!e.body.isEmpty() && rules.redactBody(e.body) != e.body) {
            e.body = rules.redactBody(e.body);
            problems.append(
                QStringLiteral("the body carried secret fields; their values were left out"));
        }
        if (!member(item, "event").is_null()) {
            for (const auto &ev :
                 member(item, "event").is_array() ? member(item, "event") : Json::array())
                if (str(ev, "listen") == u"prerequest"
                    && !member(member(ev, "script"), "exec").empty()) {
                    problems.append(QStringLiteral(
                        "it has a pre-request script, which HealthDeck does not run"));
                    break;
                }
        }
        credentials.removeDuplicates();
        if (!credentials.isEmpty())
            e.credential = credentials.first();
        if (credentials.size() > 1)
            problems.append(QStringLiteral("it sends %1 credentials; HealthDeck sends one (%2)")
                                .arg(credentials.size())
                                .arg(credentials.first()));
        for (const QString &u : std::as_const(unresolved))
            problems.append(QStringLiteral("uses {{%1}}, which no variable defines").arg(u));
        for (const QString &s : std::as_const(secretVars))
            problems.append(QStringLiteral("uses the secret {{%1}} outside its auth; left as "
                                           "written")
                                .arg(s));
        if (e.method != u"GET" && e.method != u"HEAD" && e.method != u"OPTIONS")
            problems.append(QStringLiteral("%1 may change data on the server").arg(e.method));
        problems.removeDuplicates();
        m_b.addEndpoint(e, problems.isEmpty(), problems.join(QStringLiteral("; ")));
    }

    // "{{token}}" stays a placeholder (the builder resolves it to a secret value); literal
    // text is used as it is.
    QString rawOrVar(const QString &v, const QList<Vars> &scopes) const
    {
        static const QRegularExpression only(QStringLiteral(R"(^\s*\{\{[^{}]+\}\}\s*$)"));
        if (only.match(v).hasMatch())
            return v;
        // "Bearer {{token}}": keep the scheme, resolve the rest (secrets included, since this
        // goes to a credential, not the workspace).
        static const QRegularExpression schemeVar(
            QStringLiteral(R"(^(\w+)\s+(\{\{[^{}]+\}\})\s*$)"));
        if (const auto m = schemeVar.match(v); m.hasMatch())
            return m.captured(1) + u' ' + m.captured(2);
        return substitute(v, scopes, nullptr, nullptr, true);
    }

    std::optional<QString> credentialFromAuth(const Json &auth, const QString &envId,
                                              const QList<Vars> &scopes, const QString &where,
                                              QStringList *problems)
    {
        if (!auth.is_object())
            return std::nullopt;
        const QString type = str(auth, "type");
        auto field = [&](const char *key) {
            const QString v = authField(auth, type, key);
            exposeVariables(v, scopes);
            return rawOrVar(v, scopes);
        };
        const QString at = where + QStringLiteral(": auth (%1)").arg(type);
        if (type == u"noauth" || type.isEmpty())
            return std::nullopt;
        if (type == u"bearer")
            return m_b.bearerCredential(field("token"), envId, at);
        if (type == u"basic")
            return m_b.basicCredential(
                substitute(authField(auth, type, "username"), scopes, nullptr, nullptr, true),
                field("password"), envId, at);
        if (type == u"apikey") {
            const QString key = substitute(authField(auth, type, "key"), scopes, nullptr, nullptr);
            const QString in = authField(auth, type, "in");
            const QString value = field("value");
            if (key.isEmpty()) {
                problems->append(QStringLiteral("its API key auth has no key name"));
                return std::nullopt;
            }
            if (in == u"query") {
                QString clean;
                Credential c;
                c.method = Credential::Method::ApiKeyQuery;
                c.environment = envId;
                c.queryName = key;
                c.id = envId + u'-' + ImportBuilder::slug(key);
                return addSecretCredential(c, value, envId, key, at);
            }
            Credential c;
            c.method = Credential::Method::ApiKeyHeader;
            c.environment = envId;
            c.headerName = key;
            c.id = envId + u'-' + ImportBuilder::slug(key);
            return addSecretCredential(c, value, envId, key, at);
        }
        if (type == u"oauth2") {
            const QString grant = authField(auth, type, "grant_type");
            if (!grant.isEmpty() && grant != u"client_credentials") {
                problems->append(
                    QStringLiteral("OAuth2 grant %1 needs a user to log in").arg(grant));
                return std::nullopt;
            }
            const QString tokenUrl
                = substitute(authField(auth, type, "accessTokenUrl"), scopes, nullptr, nullptr);
            if (tokenUrl.isEmpty() || tokenUrl.contains(QStringLiteral("{{"))) {
                problems->append(QStringLiteral("its OAuth2 auth has no token URL"));
                return std::nullopt;
            }
            Credential c;
            c.method = Credential::Method::OAuth2ClientCredentials;
            c.environment = envId;
            c.tokenUrl = tokenUrl;
            c.clientId
                = substitute(authField(auth, type, "clientId"), scopes, nullptr, nullptr, true);
            c.scope = substitute(authField(auth, type, "scope"), scopes, nullptr, nullptr);
            c.audience = substitute(authField(auth, type, "audience"), scopes, nullptr, nullptr);
            c.id = envId + QStringLiteral("-oauth2");
            return addSecretCredential(c, field("clientSecret"), envId,
                                       QStringLiteral("CLIENT_SECRET"), at);
        }
        problems->append(QStringLiteral("%1 auth is not supported").arg(type.left(20)));
        return std::nullopt;
    }

    QString addSecretCredential(Credential c, const QString &value, const QString &envId,
                                const QString &kind, const QString &at)
    {
        QString named;
        QString clean;
        if (ImportBuilder::isPlaceholder(value, &named)) {
            // Only a Postman variable ({{name}}) can have a value in the file; other placeholders
            // ("<token>", "$TOKEN") only name the secret.
            const QString trimmed = value.trimmed();
            const bool postmanVariable
                = trimmed.size() >= 4 && trimmed.startsWith(u"{{") && trimmed.endsWith(u"}}");
            const auto known = postmanVariable
                                   ? m_b.variable(trimmed.mid(2, trimmed.size() - 4).trimmed())
                                   : std::nullopt;
            clean = known && !ImportBuilder::isPlaceholder(*known) ? *known : QString();
            c.secretName = named.isEmpty() ? ImportBuilder::secretNameFor(envId, kind) : named;
        } else {
            clean = value;
            c.secretName = ImportBuilder::secretNameFor(envId, kind);
        }
        return m_b.addCredential(c, clean, at);
    }

    QString body(const Json &b, const QList<Vars> &scopes, QStringList *unresolved,
                 QStringList *secrets, QStringList *problems, Endpoint *e)
    {
        if (!b.is_object() || disabled(b))
            return {};
        const QString mode = str(b, "mode");
        auto setType = [&](const QString &type) {
            for (const auto &h : std::as_const(e->headers))
                if (h.first.compare(u"Content-Type", Qt::CaseInsensitive) == 0)
                    return;
            e->headers.append({QStringLiteral("Content-Type"), type});
        };
        if (mode == u"raw") {
            const QString raw = substitute(str(b, "raw"), scopes, unresolved, secrets);
            if (str(member(member(b, "options"), "raw"), "language") == u"json" && !raw.isEmpty())
                setType(QStringLiteral("application/json"));
            return raw;
        }
        if (mode == u"urlencoded") {
            QStringList parts;
            const Json &list = member(b, "urlencoded");
            if (list.is_array())
                for (const auto &p : list)
                    if (p.is_object() && !disabled(p))
                        parts.append(QString::fromLatin1(QUrl::toPercentEncoding(
                                         substitute(str(p, "key"), scopes, unresolved, secrets)))
                                     + u'='
                                     + QString::fromLatin1(QUrl::toPercentEncoding(substitute(
                                         str(p, "value"), scopes, unresolved, secrets))));
            if (!parts.isEmpty())
                setType(QStringLiteral("application/x-www-form-urlencoded"));
            return parts.join(u'&');
        }
        if (mode == u"graphql") {
            const Json &g = member(b, "graphql");
            Json out{{"query", str(g, "query").toStdString()}};
            const QString vars = str(g, "variables");
            if (!vars.isEmpty()) {
                try {
                    out["variables"] = Json::parse(vars.toStdString());
                } catch (const Json::exception &) {
                }
            }
            setType(QStringLiteral("application/json"));
            return substitute(q(out.dump()), scopes, unresolved, secrets);
        }
        if (mode == u"formdata" || mode == u"file") {
            problems->append(QStringLiteral("%1 bodies are not supported").arg(mode));
            return {};
        }
        return {};
    }

    ImportBuilder &m_b;
    const Json &m_root;
    Vars m_env;
    QString m_envName;
    Vars m_collection;
};

} // namespace

ImportResult importPostman(const QByteArray &collection, const QString &origin,
                           const QByteArray &environment, const QString &environmentOrigin)
{
    // The environment file is checked first, so a broken one refuses the whole import.
    Vars envVars;
    QString envName;
    if (!environment.isEmpty()) {
        const ImportResult envCheck = ImportBuilder::run(
            QStringLiteral("postman"), environmentOrigin, environment, [&](ImportBuilder &b) {
                const Json env = StructuredDocument::parseJson(environment);
                if (!env.is_object() || !member(env, "values").is_array())
                    b.fail({}, QStringLiteral("not a Postman environment (no \"values\")"));
                envVars = readVariables(member(env, "values"), true);
                envName = str(env, "name");
            });
        if (!envCheck.ok())
            return envCheck;
    }
    return ImportBuilder::run(QStringLiteral("postman"), origin, collection, [&](ImportBuilder &b) {
        const Json root = StructuredDocument::parseJson(collection);
        PostmanImport(b, root, envVars, envName).run();
    });
}

} // namespace hd
