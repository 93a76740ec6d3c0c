// Why this file is long: it is the whole workspace format (docs/workspace.schema.json), read
// with a message for every mistake and written back, member kind by member kind; each reader
// and writer is short, and keeping them together gives the format one place to change.

#include "workspacefile.h"

#include "eventtypes.h"
#include "jsonsyntaxerror.h"
#include "safejson.h"
#include "workspacechannels.h"
#include "workspacemaintenance.h"
#include "workspacereader.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace hd {
namespace {

using namespace workspacejson;

// ordered_json → json without a text round trip (which could throw on a value the dump/parse pair
// disagrees about). Depth is bounded by the parser's limit, so the recursion is too.
nlohmann::json toPlainJson(const Json &v)
{
    switch (v.type()) {
    case Json::value_t::object: {
        nlohmann::json o = nlohmann::json::object();
        for (auto it = v.begin(); it != v.end(); ++it)
            o[it.key()] = toPlainJson(*it);
        return o;
    }
    case Json::value_t::array: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto &x : v)
            a.push_back(toPlainJson(x));
        return a;
    }
    case Json::value_t::string:
        return v.get<std::string>();
    case Json::value_t::boolean:
        return v.get<bool>();
    case Json::value_t::number_integer:
        return v.get<std::int64_t>();
    case Json::value_t::number_unsigned:
        return v.get<std::uint64_t>();
    case Json::value_t::number_float:
        return v.get<double>();
    default:
        return nullptr;
    }
}

Json toOrderedJson(const nlohmann::json &v)
{
    switch (v.type()) {
    case nlohmann::json::value_t::object: {
        Json o = Json::object();
        for (auto it = v.begin(); it != v.end(); ++it)
            o[it.key()] = toOrderedJson(*it);
        return o;
    }
    case nlohmann::json::value_t::array: {
        Json a = Json::array();
        for (const auto &x : v)
            a.push_back(toOrderedJson(x));
        return a;
    }
    case nlohmann::json::value_t::string:
        return v.get<std::string>();
    case nlohmann::json::value_t::boolean:
        return v.get<bool>();
    case nlohmann::json::value_t::number_integer:
        return v.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned:
        return v.get<std::uint64_t>();
    case nlohmann::json::value_t::number_float:
        return v.get<double>();
    default:
        return nullptr;
    }
}

void requireId(const QString &id, const std::string &where)
{
    if (id.isEmpty())
        throw Invalid{where + "/id", QStringLiteral("is required")};
    for (QChar c : id)
        if (c.isSpace())
            throw Invalid{where + "/id", QStringLiteral("\"%1\" must not contain spaces").arg(id)};
}

Workspace parseWorkspace(const Json &root, QStringList &warnings)
{
    Reader r(root, "");
    if (r.str("schema", true) != toQString(WorkspaceSchema))
        throw Invalid{"/schema", QStringLiteral("must be \"%1\"").arg(toQString(WorkspaceSchema))};
    Workspace ws;
    ws.name = r.str("name", false, QStringLiteral("Untitled"));
    if (const Json *sim = r.object("simulator")) {
        Reader sr(*sim, "/simulator");
        ws.simulator = sr.boolean("enabled", true);
        ws.simulatorSeed = int(sr.num("seed", 1, 0, 2147483647));
        ws.simulatorDemoSchedule = sr.boolean("demoSchedule", false);
        ws.simulatorExtra = nlohmann::json::object();
        for (auto it = sim->begin(); it != sim->end(); ++it)
            if (it.key() != "enabled" && it.key() != "seed" && it.key() != "demoSchedule")
                ws.simulatorExtra[it.key()] = toPlainJson(*it);
    }
    static const std::vector<std::string> known{
        "schema",  "name",   "simulator", "environments", "credentials", "endpoints",
        "streams", "alerts", "channels",  "maintenance",  "slos"};
    ws.extra = Json::object();
    for (auto it = root.begin(); it != root.end(); ++it)
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            ws.extra[it.key()] = *it;

    if (const Json *envs = r.array("environments")) {
        for (std::size_t i = 0; i < envs->size(); ++i) {
            const std::string where = "/environments/" + std::to_string(i);
            Reader er((*envs)[i], where);
            Environment e;
            e.id = er.str("id", true);
            requireId(e.id, where);
            if (ws.environment(e.id))
                throw Invalid{where + "/id", QStringLiteral("\"%1\" is used twice").arg(e.id)};
            e.name = er.str("name", false, e.id);
            e.baseUrl = er.str("baseUrl", true);
            e.caFile = er.str("caFile");
            e.allowInsecureSecrets = er.boolean("allowInsecureSecrets", false);
            const QString caMode = er.str("caMode", false, QStringLiteral("add"));
            if (caMode == u"replace")
                e.caMode = Environment::CaMode::Replace;
            else if (caMode != u"add")
                throw Invalid{where + "/caMode", QStringLiteral("must be \"add\" or \"replace\"")};
            if (const Json *pins = er.array("pins"))
                for (std::size_t k = 0; k < pins->size(); ++k) {
                    const Json &pin = (*pins)[k];
                    const std::string at = where + "/pins/" + std::to_string(k);
                    if (!pin.is_string())
                        throw Invalid{at, QStringLiteral("must be a string")};
                    const QByteArray raw
                        = QByteArray::fromBase64(QByteArray::fromStdString(pin.get<std::string>()),
                                                 QByteArray::AbortOnBase64DecodingErrors);
                    if (raw.size() != 32)
                        throw Invalid{at, QStringLiteral("must be the base64 of a SHA-256 digest "
                                                         "(44 characters)")};
                    e.pins.append(q(pin.get<std::string>()));
                }
            if (const Json *cc = er.object("clientCertificate")) {
                Reader cr(*cc, where + "/clientCertificate");
                for (const char *forbidden : {"passphrase", "password", "key"})
                    if (cc->contains(forbidden))
                        throw Invalid{where + "/clientCertificate/" + forbidden,
                                      QStringLiteral("secret values are not stored in a "
                                                     "workspace; name the passphrase with "
                                                     "\"passphraseSecret\"")};
                e.clientCertFile = cr.str("file", true);
                e.clientKeyFile = cr.str("keyFile");
                e.clientKeySecret = cr.str("passphraseSecret");
            }
            e.minTls = er.str("minTls");
            if (!e.minTls.isEmpty() && e.minTls != u"1.2" && e.minTls != u"1.3")
                throw Invalid{where + "/minTls", QStringLiteral("must be \"1.2\" or \"1.3\"")};
            e.http2 = er.boolean("http2", true);
            if (const Json *px = er.object("proxy")) {
                Reader xr(*px, where + "/proxy");
                if (px->contains("password"))
                    throw Invalid{where + "/proxy/password",
                                  QStringLiteral("secret values are not stored in a workspace; "
                                                 "name the password with \"passwordSecret\"")};
                const QString mode = xr.str("mode", false, QStringLiteral("system"));
                const auto m = proxyModeFromString(mode);
                if (!m)
                    throw Invalid{where + "/proxy/mode",
                                  QStringLiteral("must be system, none, http or socks5")};
                e.proxy.mode = *m;
                e.proxy.host = xr.str("host");
                e.proxy.port = int(xr.num("port", 0, 0, 65535));
                e.proxy.username = xr.str("username");
                e.proxy.passwordSecret = xr.str("passwordSecret");
                if ((e.proxy.mode == ProxySettings::Mode::Http
                     || e.proxy.mode == ProxySettings::Mode::Socks5)
                    && (e.proxy.host.isEmpty() || e.proxy.port == 0))
                    throw Invalid{
                        where + "/proxy",
                        QStringLiteral("a %1 proxy needs \"host\" and \"port\"").arg(mode)};
            }
            ws.environments.append(e);
        }
    }
    if (const Json *creds = r.array("credentials")) {
        for (std::size_t i = 0; i < creds->size(); ++i) {
            const std::string where = "/credentials/" + std::to_string(i);
            const Json &cj = (*creds)[i];
            Reader cr(cj, where);
            // Values of secrets never belong in a workspace: refuse rather than silently keep them.
            for (const char *forbidden :
                 {"secret", "password", "clientSecret", "client_secret", "token", "apiKey", "sec"})
                if (cj.contains(forbidden))
                    throw Invalid{
                        where + "/" + forbidden,
                        QStringLiteral(
                            "secret values are not stored in a workspace; name the secret with "
                            "\"secretName\" and keep the value in the keychain")};
            Credential c;
            c.id = cr.str("id", true);
            requireId(c.id, where);
            if (ws.credential(c.id))
                throw Invalid{where + "/id", QStringLiteral("\"%1\" is used twice").arg(c.id)};
            c.name = cr.str("name", false, c.id);
            const QString method = cr.str("method", true);
            const auto m = credentialMethodFromString(method);
            if (!m)
                throw Invalid{where + "/method",
                              QStringLiteral("unknown method \"%1\"").arg(method)};
            c.method = *m;
            c.environment = cr.str("environment");
            c.tokenUrl = cr.str("tokenUrl");
            c.clientId = cr.str("clientId");
            c.audience = cr.str("audience");
            c.scope = cr.str("scope");
            c.username = cr.str("username");
            c.appId = cr.str("appId");
            c.cid = cr.str("cid");
            c.headerName = cr.str("headerName", false, QStringLiteral("X-Api-Key"));
            c.queryName = cr.str("queryName", false, QStringLiteral("api_key"));
            c.secretName = cr.str("secretName");
            c.secondSecretName = cr.str("secondSecretName");
            c.refreshAt = cr.num("refreshAt", 0.8, 0.1, 0.99);
            if (c.method != Credential::Method::None && c.secretName.isEmpty())
                throw Invalid{where + "/secretName",
                              QStringLiteral("is required for method \"%1\"").arg(method)};
            if ((c.method == Credential::Method::OAuth2ClientCredentials
                 || c.method == Credential::Method::TradovateToken)
                && c.tokenUrl.isEmpty())
                throw Invalid{where + "/tokenUrl",
                              QStringLiteral("is required for method \"%1\"").arg(method)};
            ws.credentials.append(c);
        }
    }
    if (const Json *eps = r.array("endpoints")) {
        for (std::size_t i = 0; i < eps->size(); ++i) {
            const std::string where = "/endpoints/" + std::to_string(i);
            Reader pr((*eps)[i], where);
            Endpoint e;
            e.id = pr.str("id", true);
            requireId(e.id, where);
            if (ws.endpoint(e.id))
                throw Invalid{where + "/id", QStringLiteral("\"%1\" is used twice").arg(e.id)};
            e.name = pr.str("name", false, e.id);
            e.environment = pr.str("environment", true);
            if (!ws.environment(e.environment))
                throw Invalid{where + "/environment",
                              QStringLiteral("no environment \"%1\"").arg(e.environment)};
            e.method = pr.str("method", false, QStringLiteral("GET")).toUpper();
            static const QStringList methods{QStringLiteral("GET"),    QStringLiteral("POST"),
                                             QStringLiteral("PUT"),    QStringLiteral("PATCH"),
                                             QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                                             QStringLiteral("OPTIONS")};
            if (!methods.contains(e.method))
                throw Invalid{where + "/method",
                              QStringLiteral("unknown HTTP method \"%1\"").arg(e.method)};
            e.path = pr.str("path", true);
            if (const Json *h = pr.object("headers"))
                for (auto it = h->begin(); it != h->end(); ++it) {
                    if (!it->is_string())
                        throw Invalid{where + "/headers/" + it.key(),
                                      QStringLiteral("must be a string")};
                    e.headers.append({q(it.key()), q(it->get<std::string>())});
                }
            e.body = pr.str("body");
            e.intervalMs = int(pr.num("intervalMs", 30000, 100, 86400000));
            e.timeoutMs = int(pr.num("timeoutMs", 10000, 1, 600000));
            e.profile = pr.str("profile", false, QStringLiteral("auto"));
            e.credential = pr.str("credential");
            if (!e.credential.isEmpty() && !ws.credential(e.credential))
                throw Invalid{where + "/credential",
                              QStringLiteral("no credential \"%1\"").arg(e.credential)};
            e.quotaShare = pr.num("quotaShare", 0.1, 0.001, 1.0);
            e.paused = pr.boolean("paused", false);
            if ((*eps)[i].contains("degradedLatencyMs"))
                e.degradedLatencyMs = int(pr.num("degradedLatencyMs", 0, 1, 600000));
            e.freshConnectionEvery = int(pr.num("freshConnectionEvery", 0, 0, 1000000));
            if (const auto it = (*eps)[i].find("idempotent");
                it != (*eps)[i].end() && !it->is_null())
                e.idempotent = pr.boolean("idempotent", true);
            if (const Json *idem = pr.object("idempotency")) {
                Reader ir(*idem, where + "/idempotency");
                e.idempotency.header = ir.str("header");
                e.idempotency.bodyField = ir.str("bodyField");
                if (!e.idempotency.isDeclared())
                    throw Invalid{where + "/idempotency",
                                  QStringLiteral("needs \"header\" or \"bodyField\"")};
            }
            if (const Json *scopes = pr.array("requiredScopes"))
                for (const auto &sc : *scopes)
                    if (sc.is_string())
                        e.requiredScopes.append(q(sc.get<std::string>()));
            if (const Json *ex = pr.object("expect")) {
                Reader xr(*ex, where + "/expect");
                if (const Json *st = xr.array("statuses"))
                    for (std::size_t k = 0; k < st->size(); ++k) {
                        // Compared as a double: a huge unsigned value must not wrap into range.
                        if (!(*st)[k].is_number_integer() || (*st)[k].get<double>() < 100
                            || (*st)[k].get<double>() > 599)
                            throw Invalid{where + "/expect/statuses/" + std::to_string(k),
                                          QStringLiteral("must be an HTTP status (100-599)")};
                        e.expect.statuses.append(int((*st)[k].get<double>()));
                    }
                e.expect.bodyPointer = xr.str("bodyPointer");
                if (!e.expect.bodyPointer.isEmpty() && !e.expect.bodyPointer.startsWith(u'/'))
                    throw Invalid{where + "/expect/bodyPointer",
                                  QStringLiteral("must be a JSON pointer starting with '/'")};
                if (ex->contains("bodyEquals"))
                    e.expect.bodyEquals = toPlainJson((*ex)["bodyEquals"]);
                if (ex->contains("maxLatencyMs"))
                    e.expect.maxLatencyMs = int(xr.num("maxLatencyMs", 0, 1, 600000));
            }
            ws.endpoints.append(e);
        }
    }
    if (const Json *streams = r.array("streams")) {
        auto frames = [](const Reader &sr, const char *key) {
            QList<StreamRequest> out;
            if (const Json *list = sr.array(key))
                for (std::size_t k = 0; k < list->size(); ++k) {
                    Reader fr((*list)[k], sr.where() + "/" + key + "/" + std::to_string(k));
                    StreamRequest f;
                    f.endpoint = fr.str("endpoint", true);
                    if (f.endpoint.contains(u'\n'))
                        throw Invalid{fr.where() + "/endpoint",
                                      QStringLiteral("must not contain a line break")};
                    f.query = fr.str("query");
                    if (f.query.contains(u'\n'))
                        throw Invalid{fr.where() + "/query",
                                      QStringLiteral("must not contain a line break")};
                    f.body = fr.str("body");
                    out.append(f);
                }
            return out;
        };
        for (std::size_t i = 0; i < streams->size(); ++i) {
            const std::string where = "/streams/" + std::to_string(i);
            Reader sr((*streams)[i], where);
            StreamEndpoint e;
            e.id = sr.str("id", true);
            requireId(e.id, where);
            // Stream ids are endpoint ids in events: one namespace for both.
            if (ws.stream(e.id) || ws.endpoint(e.id))
                throw Invalid{where + "/id", QStringLiteral("\"%1\" is used twice").arg(e.id)};
            e.name = sr.str("name", false, e.id);
            e.environment = sr.str("environment", true);
            if (!ws.environment(e.environment))
                throw Invalid{where + "/environment",
                              QStringLiteral("no environment \"%1\"").arg(e.environment)};
            e.path = sr.str("path", false, e.path);
            e.profile = sr.str("profile", false, e.profile);
            e.credential = sr.str("credential");
            if (!e.credential.isEmpty() && !ws.credential(e.credential))
                throw Invalid{where + "/credential",
                              QStringLiteral("no credential \"%1\"").arg(e.credential)};
            e.heartbeatMs = int(sr.num("heartbeatMs", 2500, 10, 3600000));
            e.heartbeatTimeoutMs = int(sr.num("heartbeatTimeoutMs", 10000, 10, 3600000));
            e.connectTimeoutMs = int(sr.num("connectTimeoutMs", 10000, 1, 600000));
            e.requestTimeoutMs = int(sr.num("requestTimeoutMs", 10000, 1, 600000));
            e.intervalMs = int(sr.num("intervalMs", 30000, 100, 86400000));
            e.subscribe = frames(sr, "subscribe");
            e.requests = frames(sr, "requests");
            if (const Json *rc = sr.object("reconnect")) {
                Reader rr(*rc, where + "/reconnect");
                e.reconnect.baseMs = int(rr.num("baseMs", 1000, 1, 3600000));
                e.reconnect.capMs = int(rr.num("capMs", 30000, 1, 86400000));
                e.reconnect.maxAttempts = int(rr.num("maxAttempts", 8, 0, 100000));
                e.reconnect.stableMs = int(rr.num("stableMs", 30000, 0, 86400000));
            }
            e.paused = sr.boolean("paused", false);
            ws.streams.append(e);
        }
    }
    readChannels(r, ws);
    readMaintenance(r, ws, warnings);
    readSlos(r, ws, warnings);
    if (const Json *alerts = r.array("alerts")) {
        static const QStringList kinds{
            QStringLiteral("error_rate"),     QStringLiteral("lockout_warning"),
            QStringLiteral("lockout"),        QStringLiteral("token_expiry"),
            QStringLiteral("refresh_failed"), QStringLiteral("headroom"),
            QStringLiteral("down"),           QStringLiteral("stream_gave_up"),
            QStringLiteral("cert_expiry"),    QStringLiteral("degraded"),
            QStringLiteral("burn_rate")};
        for (std::size_t i = 0; i < alerts->size(); ++i) {
            const std::string where = "/alerts/" + std::to_string(i);
            Reader ar((*alerts)[i], where);
            AlertRule a;
            a.id = ar.str("id", true);
            a.kind = ar.str("kind", true);
            if (!kinds.contains(a.kind))
                throw Invalid{where + "/kind",
                              QStringLiteral("unknown alert kind \"%1\"; known: %2")
                                  .arg(a.kind, kinds.join(QStringLiteral(", ")))};
            a.scope = ar.str("scope", false, QStringLiteral("*"));
            a.threshold = ar.num("threshold", 0, -1e12, 1e12);
            a.critical = ar.num("critical", 0, 0, 1e6);
            a.windowS = int(ar.num("windowS", 1800, 1, 86400 * 7));
            a.count = int(ar.num("count", 3, 1, 100000));
            readAlertRouting(ar, ws, a);
            ws.alerts.append(a);
        }
    }
    if (ws.endpoints.isEmpty() && ws.streams.isEmpty())
        warnings.append(QStringLiteral("the workspace has no endpoints"));
    return ws;
}

} // namespace

WorkspaceLoadResult WorkspaceFile::parse(const QByteArray &text, const QString &origin)
{
    Json j;
    SafeJsonError syntax;
    SafeJsonLimits limits;
    limits.maxBytes = WorkspaceFile::MaxBytes;
    if (!safeJsonParse(text, j, syntax, limits)) {
        if (syntax.tooLarge)
            return {std::nullopt,
                    QStringLiteral("%1: larger than %2 MiB; not a workspace")
                        .arg(origin)
                        .arg(WorkspaceFile::MaxBytes / (1024 * 1024)),
                    {}};
        return {std::nullopt, safeJsonMessage(origin, text, syntax), {}};
    }
    return parseJson(j, origin);
}

WorkspaceLoadResult WorkspaceFile::parseJson(const nlohmann::ordered_json &root,
                                             const QString &origin)
{
    WorkspaceLoadResult result;
    try {
        result.workspace = parseWorkspace(root, result.warnings);
    } catch (const Invalid &e) {
        result.workspace.reset();
        result.errorPointer = e.where.empty() ? QStringLiteral("/") : q(e.where);
        result.problem = e.problem;
        result.error = QStringLiteral("%1: at %2: %3").arg(origin, result.errorPointer, e.problem);
    } catch (const std::exception &e) {
        // A type error nlohmann found before our own checks did (or bad_alloc): still one line.
        result.workspace.reset();
        result.problem = QString::fromUtf8(e.what());
        result.error = QStringLiteral("%1: %2").arg(origin, result.problem);
    }
    return result;
}

WorkspaceLoadResult WorkspaceFile::load(const QString &path)
{
    if (QFileInfo(path).isDir())
        return {std::nullopt, QStringLiteral("%1: cannot open: is a directory").arg(path), {}};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {std::nullopt, QStringLiteral("%1: cannot open: %2").arg(path, f.errorString()), {}};
    // Read at most one byte past the limit: size() is 0 for pipes and devices (/dev/zero), so it
    // cannot be trusted to bound readAll().
    const QByteArray text = f.read(MaxBytes + 1);
    if (text.size() > MaxBytes)
        return {std::nullopt,
                QStringLiteral("%1: larger than %2 MiB; not a workspace")
                    .arg(path)
                    .arg(MaxBytes / (1024 * 1024)),
                {}};
    if (f.error() != QFileDevice::NoError)
        return {std::nullopt, QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()), {}};
    return parse(text, path);
}

nlohmann::ordered_json WorkspaceFile::toJson(const Workspace &ws)
{
    Json j;
    j["schema"] = std::string(WorkspaceSchema);
    j["name"] = s(ws.name);
    if (ws.simulator || !ws.simulatorExtra.empty()) {
        Json sim{{"enabled", ws.simulator}, {"seed", ws.simulatorSeed}};
        if (ws.simulatorDemoSchedule)
            sim["demoSchedule"] = true;
        for (auto it = ws.simulatorExtra.begin(); it != ws.simulatorExtra.end(); ++it)
            sim[it.key()] = toOrderedJson(*it);
        j["simulator"] = sim;
    }
    Json envs = Json::array();
    for (const auto &e : ws.environments) {
        Json o{{"id", s(e.id)}, {"name", s(e.name)}, {"baseUrl", s(e.baseUrl)}};
        if (!e.caFile.isEmpty())
            o["caFile"] = s(e.caFile);
        if (e.allowInsecureSecrets)
            o["allowInsecureSecrets"] = true;
        if (e.caMode != Environment::CaMode::Add)
            o["caMode"] = s(toString(e.caMode));
        if (!e.pins.isEmpty()) {
            Json pins = Json::array();
            for (const auto &p : e.pins)
                pins.push_back(s(p));
            o["pins"] = pins;
        }
        if (!e.clientCertFile.isEmpty()) {
            Json cc{{"file", s(e.clientCertFile)}};
            if (!e.clientKeyFile.isEmpty())
                cc["keyFile"] = s(e.clientKeyFile);
            if (!e.clientKeySecret.isEmpty())
                cc["passphraseSecret"] = s(e.clientKeySecret);
            o["clientCertificate"] = cc;
        }
        if (!e.minTls.isEmpty())
            o["minTls"] = s(e.minTls);
        if (!e.http2)
            o["http2"] = false;
        if (e.proxy != ProxySettings{}) {
            Json px{{"mode", s(toString(e.proxy.mode))}};
            if (!e.proxy.host.isEmpty())
                px["host"] = s(e.proxy.host);
            if (e.proxy.port)
                px["port"] = e.proxy.port;
            if (!e.proxy.username.isEmpty())
                px["username"] = s(e.proxy.username);
            if (!e.proxy.passwordSecret.isEmpty())
                px["passwordSecret"] = s(e.proxy.passwordSecret);
            o["proxy"] = px;
        }
        envs.push_back(o);
    }
    j["environments"] = envs;
    Json creds = Json::array();
    for (const auto &c : ws.credentials) {
        Json o{{"id", s(c.id)}, {"name", s(c.name)}, {"method", s(toString(c.method))}};
        auto put = [&](const char *k, const QString &v) {
            if (!v.isEmpty())
                o[k] = s(v);
        };
        put("environment", c.environment);
        put("tokenUrl", c.tokenUrl);
        put("clientId", c.clientId);
        put("audience", c.audience);
        put("scope", c.scope);
        put("username", c.username);
        put("appId", c.appId);
        put("cid", c.cid);
        if (c.method == Credential::Method::ApiKeyHeader)
            put("headerName", c.headerName);
        if (c.method == Credential::Method::ApiKeyQuery)
            put("queryName", c.queryName);
        put("secretName", c.secretName);
        put("secondSecretName", c.secondSecretName);
        if (c.refreshAt != 0.8)
            o["refreshAt"] = c.refreshAt;
        creds.push_back(o);
    }
    j["credentials"] = creds;
    Json eps = Json::array();
    for (const auto &e : ws.endpoints) {
        Json o{{"id", s(e.id)},
               {"name", s(e.name)},
               {"environment", s(e.environment)},
               {"method", s(e.method)},
               {"path", s(e.path)}};
        if (!e.headers.isEmpty()) {
            Json h = Json::object();
            for (const auto &[k, v] : e.headers)
                h[s(k)] = s(v);
            o["headers"] = h;
        }
        if (!e.body.isEmpty())
            o["body"] = s(e.body);
        o["intervalMs"] = e.intervalMs;
        o["timeoutMs"] = e.timeoutMs;
        o["profile"] = s(e.profile);
        if (!e.credential.isEmpty())
            o["credential"] = s(e.credential);
        o["quotaShare"] = e.quotaShare;
        if (e.paused)
            o["paused"] = true;
        if (e.degradedLatencyMs)
            o["degradedLatencyMs"] = *e.degradedLatencyMs;
        if (e.freshConnectionEvery > 0)
            o["freshConnectionEvery"] = e.freshConnectionEvery;
        if (e.idempotent)
            o["idempotent"] = *e.idempotent;
        if (e.idempotency.isDeclared()) {
            Json idem = Json::object();
            if (!e.idempotency.header.isEmpty())
                idem["header"] = s(e.idempotency.header);
            if (!e.idempotency.bodyField.isEmpty())
                idem["bodyField"] = s(e.idempotency.bodyField);
            o["idempotency"] = idem;
        }
        if (!e.requiredScopes.isEmpty()) {
            Json sc = Json::array();
            for (const auto &x : e.requiredScopes)
                sc.push_back(s(x));
            o["requiredScopes"] = sc;
        }
        Json ex = Json::object();
        if (!e.expect.statuses.isEmpty()) {
            Json st = Json::array();
            for (int v : e.expect.statuses)
                st.push_back(v);
            ex["statuses"] = st;
        }
        if (!e.expect.bodyPointer.isEmpty())
            ex["bodyPointer"] = s(e.expect.bodyPointer);
        if (!e.expect.bodyEquals.is_null())
            ex["bodyEquals"] = toOrderedJson(e.expect.bodyEquals);
        if (e.expect.maxLatencyMs)
            ex["maxLatencyMs"] = *e.expect.maxLatencyMs;
        if (!ex.empty())
            o["expect"] = ex;
        eps.push_back(o);
    }
    j["endpoints"] = eps;
    if (!ws.streams.isEmpty()) {
        auto frames = [](const QList<StreamRequest> &list) {
            Json a = Json::array();
            for (const auto &f : list) {
                Json o{{"endpoint", s(f.endpoint)}};
                if (!f.query.isEmpty())
                    o["query"] = s(f.query);
                if (!f.body.isEmpty())
                    o["body"] = s(f.body);
                a.push_back(o);
            }
            return a;
        };
        const StreamEndpoint defaults;
        Json streams = Json::array();
        for (const auto &e : ws.streams) {
            Json o{{"id", s(e.id)},
                   {"name", s(e.name)},
                   {"environment", s(e.environment)},
                   {"path", s(e.path)},
                   {"profile", s(e.profile)}};
            if (!e.credential.isEmpty())
                o["credential"] = s(e.credential);
            o["heartbeatMs"] = e.heartbeatMs;
            o["heartbeatTimeoutMs"] = e.heartbeatTimeoutMs;
            o["connectTimeoutMs"] = e.connectTimeoutMs;
            o["requestTimeoutMs"] = e.requestTimeoutMs;
            o["intervalMs"] = e.intervalMs;
            if (!e.subscribe.isEmpty())
                o["subscribe"] = frames(e.subscribe);
            if (!e.requests.isEmpty())
                o["requests"] = frames(e.requests);
            if (e.reconnect != defaults.reconnect)
                o["reconnect"] = Json{{"baseMs", e.reconnect.baseMs},
                                      {"capMs", e.reconnect.capMs},
                                      {"maxAttempts", e.reconnect.maxAttempts},
                                      {"stableMs", e.reconnect.stableMs}};
            if (e.paused)
                o["paused"] = true;
            streams.push_back(o);
        }
        j["streams"] = streams;
    }
    Json alerts = Json::array();
    for (const auto &a : ws.alerts) {
        Json rule = {{"id", s(a.id)},        {"kind", s(a.kind)},
                     {"scope", s(a.scope)},  {"threshold", a.threshold},
                     {"windowS", a.windowS}, {"count", a.count}};
        if (a.critical > 0)
            rule["critical"] = a.critical;
        writeAlertRouting(a, rule);
        alerts.push_back(rule);
    }
    j["alerts"] = alerts;
    if (!ws.channels.isEmpty())
        j["channels"] = channelsJson(ws);
    if (!ws.maintenance.isEmpty())
        j["maintenance"] = maintenanceJson(ws);
    if (!ws.slos.isEmpty())
        j["slos"] = slosJson(ws);
    for (auto it = ws.extra.begin(); it != ws.extra.end(); ++it)
        j[it.key()] = *it;
    return j;
}

QString WorkspaceFile::save(const Workspace &ws, const QString &path)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
    const std::string text = toJson(ws).dump(2) + "\n";
    if (f.write(text.data(), qint64(text.size())) != qint64(text.size()))
        return QStringLiteral("%1: write failed: %2").arg(path, f.errorString());
    if (!f.commit())
        return QStringLiteral("%1: could not replace the file: %2").arg(path, f.errorString());
    return {};
}

} // namespace hd
