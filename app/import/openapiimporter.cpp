#include "openapiimporter.h"

#include "importbuilder.h"
#include "structureddocument.h"

#include <QHash>
#include <QRegularExpression>
#include <QUrl>

namespace hd {

namespace {

using Json = nlohmann::json;

QString q(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString str(const Json &j, const char *key)
{
    if (!j.is_object())
        return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? q(it->get<std::string>()) : QString();
}

bool flag(const Json &j, const char *key)
{
    if (!j.is_object())
        return false;
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

const Json &member(const Json &j, const char *key)
{
    static const Json null;
    if (!j.is_object())
        return null;
    const auto it = j.find(key);
    return it == j.end() ? null : *it;
}

// "listPets", "orders.list": ids keep letters, digits, '.', '_' and '-'.
QString idFrom(const QString &text)
{
    QString out;
    for (QChar c : text) {
        if ((c.isLetterOrNumber() && c.unicode() < 128) || c == u'.' || c == u'_' || c == u'-')
            out.append(c);
        else if (!out.isEmpty() && !out.endsWith(u'-'))
            out.append(u'-');
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.left(120);
}

// "bearerAuth" → "BEARER_AUTH"
QString secretPrefix(const QString &name)
{
    QString out;
    QChar prev;
    for (QChar c : name) {
        if (c.isUpper() && prev.isLower())
            out.append(u'_');
        out.append(c);
        prev = c;
    }
    return out;
}

class OpenApiImport
{
public:
    OpenApiImport(ImportBuilder &b, const Json &root)
        : m_b(b)
        , m_root(root)
    {}

    void run()
    {
        if (!m_root.is_object())
            m_b.fail({},
                     QStringLiteral("not an OpenAPI document (the top level is not an object)"));
        const Json &openapi = member(m_root, "openapi");
        const Json &swagger = member(m_root, "swagger");
        if (openapi.is_string() && q(openapi.get<std::string>()).startsWith(QStringLiteral("3.")))
            m_v2 = false;
        else if ((swagger.is_string()
                  && q(swagger.get<std::string>()).startsWith(QStringLiteral("2.")))
                 || (swagger.is_number() && swagger.get<double>() == 2.0))
            m_v2 = true;
        else if (!openapi.is_null() || !swagger.is_null())
            m_b.fail(m_v2 ? QStringLiteral("/swagger") : QStringLiteral("/openapi"),
                     QStringLiteral("only OpenAPI 3.0/3.1 and Swagger 2.0 are supported"));
        else
            m_b.fail({}, QStringLiteral("not an OpenAPI or Swagger document (no \"openapi\" or "
                                        "\"swagger\" member)"));
        const Json &info = member(m_root, "info");
        QString title = str(info, "title");
        if (title.isEmpty())
            title = QStringLiteral("Imported API");
        m_b.setName(title);
        environments();
        security();
        operations();
    }

private:
    // Follows local $refs; nothing (null) for external, broken or cyclic ones.
    const Json &resolve(const Json &node, const QString &where)
    {
        static const Json null;
        const Json *n = &node;
        QStringList chain;
        while (n->is_object() && n->contains("$ref")) {
            const Json &ref = (*n)["$ref"];
            const QString r = ref.is_string() ? q(ref.get<std::string>()) : QString();
            if (!r.startsWith(QStringLiteral("#/")) && r != u"#") {
                m_b.skip(where, QStringLiteral("$ref \"%1\" points outside this file; not "
                                               "followed")
                                    .arg(r.left(120)));
                return null;
            }
            if (chain.contains(r) || chain.size() >= 32) {
                m_b.skip(where, QStringLiteral("$ref \"%1\" is circular").arg(r.left(120)));
                return null;
            }
            chain.append(r);
            try {
                n = &m_root.at(Json::json_pointer(r.mid(1).toStdString()));
            } catch (const Json::exception &) {
                m_b.skip(where, QStringLiteral("$ref \"%1\" points nowhere").arg(r.left(120)));
                return null;
            }
        }
        return *n;
    }

    void environments()
    {
        if (m_v2) {
            QString host = str(m_root, "host");
            QString basePath = str(m_root, "basePath");
            QString scheme = QStringLiteral("https");
            const Json &schemes = member(m_root, "schemes");
            if (schemes.is_array() && !schemes.empty()) {
                bool https = false;
                for (const auto &s : schemes)
                    https = https || (s.is_string() && s.get<std::string>() == "https");
                scheme = https
                             ? QStringLiteral("https")
                             : (schemes.front().is_string() ? q(schemes.front().get<std::string>())
                                                            : scheme);
            }
            if (host.isEmpty()) {
                host = QStringLiteral("localhost");
                m_b.note(QStringLiteral("the document names no host; environment %1 points at "
                                        "localhost — set its base URL")
                             .arg(QStringLiteral("default")));
                m_defaultEnv = m_b.environmentFor(scheme + QStringLiteral("://") + host + basePath,
                                                  QStringLiteral("default"));
            } else {
                m_defaultEnv = m_b.environmentFor(scheme + QStringLiteral("://") + host + basePath);
            }
            return;
        }
        const Json &servers = member(m_root, "servers");
        if (servers.is_array()) {
            int i = 0;
            for (const auto &sv : servers) {
                const QString where = QStringLiteral("/servers/%1").arg(i++);
                QString url = str(sv, "url");
                if (url.isEmpty()) {
                    m_b.skip(where, QStringLiteral("a server without a url"));
                    continue;
                }
                // {variables} take their defaults.
                const Json &vars = member(sv, "variables");
                static const QRegularExpression var(QStringLiteral(R"(\{([^{}]+)\})"));
                for (int guard = 0; guard < 32; ++guard) {
                    const auto m = var.match(url);
                    if (!m.hasMatch())
                        break;
                    const Json &v = member(vars, m.captured(1).toUtf8().constData());
                    QString def = str(v, "default");
                    if (def.isEmpty() && member(v, "enum").is_array() && !member(v, "enum").empty()
                        && member(v, "enum").front().is_string())
                        def = q(member(v, "enum").front().get<std::string>());
                    if (def.isEmpty()) {
                        m_b.skip(where, QStringLiteral("server variable {%1} has no default")
                                            .arg(m.captured(1).left(40)));
                        url.clear();
                        break;
                    }
                    url.replace(m.capturedStart(), m.capturedLength(), def);
                }
                if (url.isEmpty())
                    continue;
                const QString description = str(sv, "description");
                if (!url.contains(QStringLiteral("://"))) {
                    m_b.note(QStringLiteral("server \"%1\" is relative; its environment points at "
                                            "http://localhost — set its base URL")
                                 .arg(url.left(80)));
                    url = QStringLiteral("http://localhost")
                          + (url.startsWith(u'/') ? url : u'/' + url);
                }
                const QUrl u(url);
                if (!u.isValid() || (u.scheme() != u"http" && u.scheme() != u"https")) {
                    m_b.skip(where,
                             QStringLiteral("\"%1\" is not an http(s) URL").arg(url.left(80)));
                    continue;
                }
                const QString preferred = description.size() <= 32 ? description : QString();
                const QString id = m_b.environmentFor(url, preferred, description.left(80));
                if (m_defaultEnv.isEmpty())
                    m_defaultEnv = id;
                else if (!m_otherEnvs.contains(id) && id != m_defaultEnv)
                    m_otherEnvs.append(id);
            }
        }
        if (m_defaultEnv.isEmpty()) {
            m_b.note(QStringLiteral("the document names no server; environment default points at "
                                    "http://localhost — set its base URL"));
            m_defaultEnv
                = m_b.environmentFor(QStringLiteral("http://localhost"), QStringLiteral("default"));
        }
        if (!m_otherEnvs.isEmpty())
            m_b.note(QStringLiteral("endpoints were proposed for environment %1; the other "
                                    "servers (%2) were added as environments — copy endpoints "
                                    "to them in the editor")
                         .arg(m_defaultEnv, m_otherEnvs.join(QStringLiteral(", "))));
    }

    void security()
    {
        const Json &schemes = m_v2 ? member(m_root, "securityDefinitions")
                                   : member(member(m_root, "components"), "securitySchemes");
        if (!schemes.is_object())
            return;
        const QString base = m_v2 ? QStringLiteral("/securityDefinitions/")
                                  : QStringLiteral("/components/securitySchemes/");
        for (auto it = schemes.begin(); it != schemes.end(); ++it) {
            const QString name = q(it.key());
            const QString where = base + name;
            const Json &s = resolve(*it, where);
            if (!s.is_object())
                continue;
            const QString type = str(s, "type");
            const QString prefix = secretPrefix(name);
            Credential c;
            c.id = name;
            c.name = str(s, "description").left(80);
            if (c.name.isEmpty())
                c.name = name;
            QString kind;
            if ((type == u"http"
                 && str(s, "scheme").compare(u"bearer", Qt::CaseInsensitive) == 0)) {
                c.method = Credential::Method::Bearer;
                kind = QStringLiteral("TOKEN");
            } else if ((type == u"http"
                        && str(s, "scheme").compare(u"basic", Qt::CaseInsensitive) == 0)
                       || type == u"basic") {
                c.method = Credential::Method::Basic;
                kind = QStringLiteral("PASSWORD");
                m_b.note(QStringLiteral("credential %1 (basic): set its username in the editor")
                             .arg(ImportBuilder::slug(name)));
            } else if (type == u"apiKey") {
                const QString in = str(s, "in");
                const QString paramName = str(s, "name");
                if (paramName.isEmpty()) {
                    m_b.skip(where, QStringLiteral("an apiKey scheme without a name"));
                    continue;
                }
                if (in == u"header") {
                    c.method = Credential::Method::ApiKeyHeader;
                    c.headerName = paramName;
                } else if (in == u"query") {
                    c.method = Credential::Method::ApiKeyQuery;
                    c.queryName = paramName;
                } else {
                    m_b.skip(where,
                             QStringLiteral("API keys in a %1 are not supported")
                                 .arg(in.isEmpty() ? QStringLiteral("cookie") : in.left(20)));
                    continue;
                }
                kind = QStringLiteral("API_KEY");
            } else if (type == u"oauth2") {
                QString tokenUrl;
                if (m_v2) {
                    if (str(s, "flow") == u"application")
                        tokenUrl = str(s, "tokenUrl");
                } else {
                    tokenUrl = str(member(member(s, "flows"), "clientCredentials"), "tokenUrl");
                }
                if (tokenUrl.isEmpty()) {
                    m_b.skip(where, QStringLiteral("OAuth2 without the client-credentials flow "
                                                   "needs a user to log in; HealthDeck polls "
                                                   "with client credentials"));
                    continue;
                }
                if (!tokenUrl.contains(QStringLiteral("://"))) {
                    const Environment *env = nullptr;
                    for (const auto &e : m_b.environments())
                        if (e.id == m_defaultEnv)
                            env = &e;
                    const QUrl baseUrl(env ? env->baseUrl : QString());
                    tokenUrl = baseUrl.resolved(QUrl(tokenUrl)).toString();
                }
                c.method = Credential::Method::OAuth2ClientCredentials;
                c.tokenUrl = tokenUrl;
                kind = QStringLiteral("CLIENT_SECRET");
                m_b.note(QStringLiteral("credential %1 (OAuth2): set its client id in the editor")
                             .arg(ImportBuilder::slug(name)));
            } else {
                m_b.skip(where, QStringLiteral("security scheme type \"%1\" is not supported")
                                    .arg(type.left(40)));
                continue;
            }
            c.secretName = ImportBuilder::secretNameFor(prefix, kind);
            m_credentials.insert(name, m_b.addCredential(c, {}, where));
        }
    }

    // The credential of the first security requirement HealthDeck can meet; empty when none
    // is needed. false: one is needed and none was imported.
    bool credentialFor(const Json &requirements, QString *credential, QStringList *scopes)
    {
        if (!requirements.is_array() || requirements.empty())
            return true;
        for (const auto &req : requirements) {
            if (!req.is_object())
                continue;
            if (req.empty())
                return true; // {} : anonymous access allowed
            for (auto it = req.begin(); it != req.end(); ++it) {
                const QString id = m_credentials.value(q(it.key()));
                if (id.isEmpty())
                    continue;
                *credential = id;
                if (it->is_array())
                    for (const auto &sc : *it)
                        if (sc.is_string())
                            scopes->append(q(sc.get<std::string>()));
                return true;
            }
        }
        return false;
    }

    void operations()
    {
        const Json &paths = member(m_root, "paths");
        if (!paths.is_object() || paths.empty()) {
            m_b.note(QStringLiteral("the document has no paths"));
            return;
        }
        static const char *methods[] = {"get", "head", "options", "put", "post", "patch", "delete"};
        for (auto pit = paths.begin(); pit != paths.end(); ++pit) {
            const QString path = q(pit.key());
            const QString pathWhere = QStringLiteral("/paths/") + path;
            if (!path.startsWith(u'/'))
                continue; // x- extensions
            const Json &item = resolve(*pit, pathWhere);
            if (!item.is_object())
                continue;
            if (item.contains("trace"))
                m_b.skip(pathWhere + QStringLiteral("/trace"),
                         QStringLiteral("TRACE is not supported"));
            for (const char *m : methods) {
                const Json &op = member(item, m);
                if (op.is_null())
                    continue;
                operation(path, QString::fromLatin1(m), item,
                          resolve(op, pathWhere + u'/' + QLatin1String(m)),
                          pathWhere + u'/' + QLatin1String(m));
            }
        }
    }

    void operation(const QString &path, const QString &m, const Json &item, const Json &op,
                   const QString &where)
    {
        if (!op.is_object())
            return;
        const QString method = m.toUpper();
        Endpoint e;
        e.environment = m_defaultEnv;
        e.method = method;
        e.intervalMs = 60000;
        const QString operationId = str(op, "operationId");
        e.id = idFrom(operationId);
        e.name = str(op, "summary").simplified().left(120);
        if (e.name.isEmpty())
            e.name = operationId.isEmpty() ? method + u' ' + path : operationId;
        QStringList reasons;
        if (flag(op, "deprecated"))
            reasons.append(QStringLiteral("deprecated"));
        if (method != u"GET" && method != u"HEAD")
            reasons.append(QStringLiteral("%1 may change data on the server").arg(method));

        // Parameters: the path item's, overridden by the operation's (same name and place).
        QList<std::pair<QString, const Json *>> params;
        auto collect = [&](const Json &list, const QString &w) {
            if (!list.is_array())
                return;
            int i = 0;
            for (const auto &p0 : list) {
                const Json &p = resolve(p0, w + QStringLiteral("/parameters/%1").arg(i++));
                if (!p.is_object())
                    continue;
                const QString key = str(p, "in") + u':' + str(p, "name");
                params.removeIf([&](const auto &x) { return x.first == key; });
                params.append({key, &p});
            }
        };
        collect(member(item, "parameters"), where);
        collect(member(op, "parameters"), where);
        QStringList query;
        QString resolvedPath = path;
        for (const auto &[key, p] : params) {
            const QString in = str(*p, "in");
            const QString name = str(*p, "name");
            const bool required = flag(*p, "required") || in == u"path";
            if (!required)
                continue;
            const Json &schema = m_v2 ? *p : member(*p, "schema");
            const Json &def = member(schema, "default");
            if (in == u"query" && (def.is_string() || def.is_number() || def.is_boolean())) {
                query.append(QString::fromLatin1(QUrl::toPercentEncoding(name)) + u'='
                             + QString::fromLatin1(QUrl::toPercentEncoding(
                                 def.is_string() ? q(def.get<std::string>()) : q(def.dump()))));
                continue;
            }
            if (in == u"path")
                reasons.append(QStringLiteral("needs path parameter {%1}").arg(name));
            else if (in == u"body" || in == u"formData")
                reasons.append(QStringLiteral("needs a request body"));
            else
                reasons.append(QStringLiteral("needs %1 parameter %2").arg(in, name));
        }
        if (!m_v2
            && flag(resolve(member(op, "requestBody"), where + QStringLiteral("/requestBody")),
                    "required"))
            reasons.append(QStringLiteral("needs a request body"));
        reasons.removeDuplicates();
        e.path = resolvedPath + (query.isEmpty() ? QString() : u'?' + query.join(u'&'));

        const Json &sec = op.contains("security") ? op["security"] : member(m_root, "security");
        QStringList scopes;
        if (!credentialFor(sec, &e.credential, &scopes))
            reasons.append(QStringLiteral("its security scheme could not be imported"));
        e.requiredScopes = scopes;
        m_b.addEndpoint(e, reasons.isEmpty(), reasons.join(QStringLiteral("; ")));
    }

    ImportBuilder &m_b;
    const Json &m_root;
    bool m_v2 = false;
    QString m_defaultEnv;
    QStringList m_otherEnvs;
    QHash<QString, QString> m_credentials; // scheme name → credential id
};

} // namespace

ImportResult importOpenApi(const QByteArray &text, const QString &origin)
{
    return ImportBuilder::run(QStringLiteral("openapi"), origin, text, [&](ImportBuilder &b) {
        const Json root = StructuredDocument::parse(text);
        OpenApiImport(b, root).run();
    });
}

} // namespace hd
