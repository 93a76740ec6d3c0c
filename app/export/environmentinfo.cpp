#include "environmentinfo.h"

#include "eventjson.h"
#include "healthdeck/version.h"

#include <QSysInfo>

namespace hd {

QByteArray EnvironmentInfo::json(const std::optional<Workspace> &ws, const Redactor &redactor,
                                 qint64 createdMs)
{
    OrderedJson j;
    j["schema"] = "healthdeck.bundle-environment/1";
    j["created"] = toStd(formatEventTime(createdMs));
    j["app"] = {
        {"name", "HealthDeck"}, {"version", HEALTHDECK_VERSION}, {"build", HEALTHDECK_BUILD_INFO}};
    j["qt"] = {{"compiled", QT_VERSION_STR}, {"runtime", qVersion()}};
    j["os"] = {{"name", toStd(QSysInfo::prettyProductName())},
               {"kernel", toStd(QSysInfo::kernelType() + u' ' + QSysInfo::kernelVersion())},
               {"cpu", toStd(QSysInfo::currentCpuArchitecture())}};
    if (!ws) {
        j["workspace"] = nullptr;
    } else {
        OrderedJson envs = OrderedJson::array();
        for (const Environment &e : ws->environments) {
            // How the environment reaches its servers (docs/network.md), for a support desk:
            // which trust and proxy were in force — never a file's content, a key or a password.
            OrderedJson proxy = {{"mode", toStd(toString(e.proxy.mode))}};
            if (e.proxy.mode == ProxySettings::Mode::Http
                || e.proxy.mode == ProxySettings::Mode::Socks5)
                proxy["address"] = toStd(e.proxy.host + u':' + QString::number(e.proxy.port));
            proxy["authenticated"] = !e.proxy.passwordSecret.isEmpty();
            envs.push_back({{"id", toStd(e.id)},
                            {"name", toStd(e.name)},
                            {"base_url", toStd(redactor.redactUrl(e.baseUrl))},
                            {"ca_file", !e.caFile.isEmpty()},
                            {"ca_mode", toStd(toString(e.caMode))},
                            {"pins", e.pins.size()},
                            {"client_certificate", !e.clientCertFile.isEmpty()},
                            {"min_tls", e.minTls.isEmpty() ? OrderedJson(nullptr)
                                                           : OrderedJson(toStd(e.minTls))},
                            {"http2", e.http2},
                            {"proxy", proxy}});
        }
        OrderedJson creds = OrderedJson::array();
        for (const Credential &c : ws->credentials) {
            OrderedJson cj = {{"id", toStd(c.id)},
                              {"name", toStd(c.name)},
                              {"method", toStd(toString(c.method))},
                              {"environment", toStd(c.environment)}};
            const auto put = [&cj, &redactor](const char *key, const QString &v) {
                if (!v.isEmpty())
                    cj[key] = toStd(redactor.maskKnownValues(v));
            };
            put("client_id", c.clientId);
            put("username", c.username);
            put("app_id", c.appId);
            put("cid", c.cid);
            put("token_url", redactor.redactUrl(c.tokenUrl));
            put("audience", c.audience);
            put("scope", c.scope);
            put("header_name", c.headerName);
            put("query_name", c.queryName);
            OrderedJson names = OrderedJson::array();
            for (const QString &n : {c.secretName, c.secondSecretName})
                if (!n.isEmpty())
                    names.push_back(toStd(n));
            cj["secret_names"] = names; // names only; the values never leave the keychain
            creds.push_back(cj);
        }
        OrderedJson eps = OrderedJson::array();
        for (const Endpoint &e : ws->endpoints) {
            OrderedJson headers = OrderedJson::object();
            for (const auto &[n, v] : redactor.redactHeaders(e.headers))
                headers[toStd(n)] = toStd(v);
            OrderedJson ej
                = {{"id", toStd(e.id)},           {"environment", toStd(e.environment)},
                   {"method", toStd(e.method)},   {"path", toStd(redactor.redactUrl(e.path))},
                   {"profile", toStd(e.profile)}, {"credential", toStd(e.credential)},
                   {"interval_ms", e.intervalMs}, {"timeout_ms", e.timeoutMs},
                   {"headers", headers}};
            if (!e.body.isEmpty())
                ej["body"] = toStd(redactor.redactBody(e.body));
            if (e.paused)
                ej["paused"] = true;
            eps.push_back(ej);
        }
        OrderedJson alerts = OrderedJson::array();
        for (const AlertRule &a : ws->alerts)
            alerts.push_back({{"id", toStd(a.id)},
                              {"kind", toStd(a.kind)},
                              {"scope", toStd(a.scope)},
                              {"threshold", a.threshold},
                              {"window_s", a.windowS}});
        j["workspace"]
            = {{"name", toStd(ws->name)}, {"simulator", ws->simulator}, {"environments", envs},
               {"credentials", creds},    {"endpoints", eps},           {"alert_rules", alerts}};
    }
    const std::string text = j.dump(2, ' ', false, OrderedJson::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size())) + '\n';
}

} // namespace hd
