#include "simrouter.h"

#include "simcodemessageapi.h"
#include "simenvelopeapi.h"
#include "simscenarios.h"
#include "simsignalapi.h"
#include "simtradingapi.h"
#include "simtradovateapi.h"

#include <QJsonDocument>

namespace hd {
namespace {
constexpr qsizetype MaxLogEntries = 1000;
constexpr qsizetype MaxRules = 1000;

SimResponse controlJson(int status, const QJsonValue &v)
{
    return SimResponse::json(status, v.isArray() ? QJsonDocument(v.toArray())
                                                 : QJsonDocument(v.toObject()));
}

SimResponse controlError(int status, const QString &message)
{
    return controlJson(status, QJsonObject{{QStringLiteral("error"), message}});
}

const char *kindName(SimRule::Kind k)
{
    switch (k) {
    case SimRule::Kind::Fault:
        return "fault";
    case SimRule::Kind::Status:
        return "status";
    case SimRule::Kind::Storm:
        return "storm";
    case SimRule::Kind::Latency:
        return "latency";
    case SimRule::Kind::GatewayHtml:
        return "gateway_html";
    case SimRule::Kind::GrpcUnavailable:
        return "grpc_unavailable";
    }
    return "fault";
}
} // namespace

SimRouter::SimRouter(const SimConfig &config)
    : m_initialConfig(config)
    , m_ctx(config)
{
    reset();
}

void SimRouter::setPorts(quint16 port, quint16 refusedPort)
{
    m_port = port;
    m_refusedPort = refusedPort;
}

void SimRouter::reset()
{
    m_ctx.setConfig(m_initialConfig);
    m_ctx.reset();
    m_rules.clear();
    m_errorRates.clear();
    if (m_initialConfig.backgroundErrorRate > 0)
        m_errorRates.insert(QStringLiteral("s002"), m_initialConfig.backgroundErrorRate);
    m_log.clear();
    m_logHead = 0;
    m_nextDemoCycleMs = 0;
}

QString SimRouter::apiOf(const QString &path)
{
    // "/s003/v1/…" → "s003"
    if (path.size() >= 5 && path[1] == u's' && path[2].isDigit() && path[3].isDigit()
        && path[4].isDigit() && (path.size() == 5 || path[5] == u'/'))
        return path.mid(1, 4);
    return {};
}

int SimRouter::addRule(SimRule rule)
{
    if (m_rules.size() >= MaxRules)
        m_rules.removeFirst();
    rule.id = m_nextRuleId++;
    m_rules.append(rule);
    return rule.id;
}

std::optional<SimResponse> SimRouter::onHead(const SimRequest &req)
{
    const QString api = apiOf(req.path);
    const QString sub = req.path.mid(5);
    if (api == u"s000")
        if (auto r = SimTradingApi::onHead(req, sub, m_ctx))
            return r;
    if (req.contentLength > m_ctx.config().maxBodyBytes) {
        SimResponse r = api.isEmpty() ? controlError(413, QStringLiteral("request body too large"))
                                      : apiError(api, 413,
                                                 QStringLiteral("Request body exceeds %1 bytes")
                                                     .arg(m_ctx.config().maxBodyBytes));
        r.close = true; // the body is never read
        return r;
    }
    return std::nullopt;
}

SimResponse SimRouter::apiError(const QString &api, int status, const QString &message)
{
    if (api == u"s000")
        return SimTradingApi::error(
            m_ctx, status,
            QString::fromLatin1(SimResponse::reasonPhrase(status)).replace(u' ', u'_'), message);
    if (api == u"s001")
        return SimSignalApi::error(
            m_ctx, status,
            status >= 500 ? QStringLiteral("INTERNAL_ERROR") : QStringLiteral("ERROR"), message);
    if (api == u"s002")
        return SimCodeMessageApi::error(m_ctx, status, {}, message);
    if (api == u"s003")
        return SimTradovateApi::error(m_ctx, status, {}, message);
    if (api == u"s004")
        return SimEnvelopeApi::error(m_ctx, status, {}, message);
    return controlError(status, message);
}

SimResponse SimRouter::handle(const SimRequest &req)
{
    if (req.path.startsWith(u"/_sim/") || req.path == u"/_sim")
        return control(req);
    if (req.path == u"/" || req.path.isEmpty())
        return controlJson(
            200, QJsonObject{{QStringLiteral("service"), QStringLiteral("healthdeck-sim")},
                             {QStringLiteral("apis"),
                              QJsonArray{QStringLiteral("/s000"), QStringLiteral("/s001"),
                                         QStringLiteral("/s002"), QStringLiteral("/s003"),
                                         QStringLiteral("/s004")}},
                             {QStringLiteral("scenarios"), QStringLiteral("/_sim/scenarios")}});
    const QString api = apiOf(req.path);
    if (api.isEmpty() || api > u"s004")
        return controlError(404, QStringLiteral("no simulated API at %1").arg(req.path));
    int latencyMs = 0;
    if (auto ruled = applyRules(req, api, latencyMs)) {
        ruled->delayMs += latencyMs;
        return *ruled;
    }
    SimResponse r = dispatch(req, api, req.path.mid(5));
    r.delayMs += latencyMs;
    return r;
}

SimResponse SimRouter::dispatch(const SimRequest &req, const QString &api, const QString &sub)
{
    if (api == u"s000")
        return SimTradingApi::handle(req, sub, m_ctx);
    if (api == u"s001")
        return SimSignalApi::handle(req, sub, m_ctx);
    if (api == u"s002")
        return SimCodeMessageApi::handle(req, sub, m_ctx);
    if (api == u"s003")
        return SimTradovateApi::handle(req, sub, m_ctx);
    return SimEnvelopeApi::handle(req, sub, m_ctx);
}

std::optional<SimResponse> SimRouter::applyRules(const SimRequest &req, const QString &api,
                                                 int &latencyMs)
{
    const qint64 now = m_ctx.nowMs();
    if (m_ctx.config().demoSchedule)
        scheduleDemo(now);
    const QString sub = req.path.mid(5);
    std::optional<SimResponse> out;
    for (qsizetype i = 0; i < m_rules.size();) {
        SimRule &rule = m_rules[i];
        if (rule.endMs != 0 && now >= rule.endMs) {
            m_rules.removeAt(i);
            continue;
        }
        const bool matches = now >= rule.startMs && (rule.api == u"*" || rule.api == api)
                             && (rule.environment.isEmpty() || rule.environment == req.environment)
                             && (rule.pathPrefix.isEmpty() || req.path.startsWith(rule.pathPrefix)
                                 || sub.startsWith(rule.pathPrefix))
                             && (rule.method.isEmpty() || rule.method == req.method);
        // Token endpoints stay up during incidents: HealthDeck must be able to get a token to
        // see the storm at all (and a storm on /oauth/token would lock the demo into 401s).
        if (!matches || out || sub == u"/oauth/token"
            || (rule.rate < 1.0 && m_ctx.random() >= rule.rate)) {
            ++i;
            continue;
        }
        switch (rule.kind) {
        case SimRule::Kind::Latency:
            latencyMs += rule.latencyMs;
            break;
        case SimRule::Kind::Fault:
            out = SimResponse::faulted(rule.fault);
            break;
        case SimRule::Kind::Status:
            out = apiError(api, rule.status,
                           rule.label.isEmpty()
                               ? QString::fromLatin1(SimResponse::reasonPhrase(rule.status))
                               : rule.label);
            break;
        case SimRule::Kind::Storm: {
            static const int statuses[] = {500, 502, 503, 504};
            out = apiError(api, statuses[m_ctx.randomBounded(4)],
                           QStringLiteral("upstream failure during incident"));
            break;
        }
        case SimRule::Kind::GatewayHtml:
            out = SimResponse::html(
                502,
                QByteArrayLiteral("<html><head><title>502 Bad Gateway</title></head><body><h1>502 "
                                  "Bad Gateway</h1><hr>nginx</body></html>"));
            break;
        case SimRule::Kind::GrpcUnavailable:
            out = SimResponse::json(200, QByteArray());
            out->setHeader("Content-Type", "application/grpc");
            out->setHeader("grpc-status", "14");
            out->setHeader("grpc-message", "stream%20dropped");
            break;
        }
        if (rule.remaining > 0 && --rule.remaining == 0) {
            m_rules.removeAt(i);
            continue;
        }
        ++i;
    }
    if (out)
        return out;
    // Seed 002: "a very small percentage" of 5xx with a correct request is normal.
    const double rate = m_errorRates.value(api, m_errorRates.value(QStringLiteral("*"), 0.0));
    if (rate > 0 && sub != u"/oauth/token" && m_ctx.random() < rate) {
        static const int statuses[] = {500, 502, 503, 504};
        return apiError(api, statuses[m_ctx.randomBounded(4)],
                        QStringLiteral("The API is scaling up; retry with backoff"));
    }
    return std::nullopt;
}

void SimRouter::scheduleDemo(qint64 nowMs)
{
    if (nowMs < m_nextDemoCycleMs)
        return;
    // A five-minute "bad day" cycle: one thing goes wrong at a time, mostly in prod, for a
    // short while, so most tiles stay green and every kind of failure shows within minutes.
    constexpr int CycleS = 300;
    const qint64 base = nowMs;
    m_nextDemoCycleMs = base + CycleS * 1000LL;
    struct Step
    {
        int startS, durS;
        const char *env, *api, *path;
        SimRule::Kind kind;
        SimFault fault;
        int status;
        double rate;
        int latencyMs;
        const char *label;
    };
    using K = SimRule::Kind;
    using F = SimFault;
    static const Step steps[] = {
        {20, 60, "prod", "s002", "", K::Storm, F::None, 0, 0.6, 0,
         "5xx storm on the code-message API"},
        {40, 30, "preprod", "s000", "/v1/orders", K::Latency, F::None, 0, 1.0, 2500,
         "latency spike on orders"},
        {100, 15, "prod", "s000", "/v1/orders", K::Fault, F::Reset, 0, 0.5, 0, "connection resets"},
        {130, 20, "prod", "s001", "/api/v1/signals", K::Status, F::None, 503, 1.0, 0,
         "signal service disabled"},
        {160, 15, "prod", "s004", "/v1/positions", K::Fault, F::IdleCut, 0, 0.5, 0,
         "load balancer idle cuts"},
        {190, 20, "dev", "s002", "/v1/instruments", K::Fault, F::Hang, 0, 1.0, 0,
         "dev backend hangs"},
        {220, 15, "prod", "s000", "/v1/orders", K::GatewayHtml, F::None, 0, 1.0, 0,
         "gateway 502 pages"},
        {250, 15, "prod", "s004", "/v1/positions", K::Fault, F::Truncate, 0, 0.5, 0,
         "truncated bodies"},
        {270, 10, "preprod", "s003", "/v1/account/list", K::Status, F::None, 500, 1.0, 0,
         "internal timeouts"},
        {282, 6, "prod", "s003", "/v1/account/list", K::Status, F::None, 423, 1.0, 0,
         "another client of the account hammers: 423"},
        {288, 10, "prod", "s003", "/v1/account/list", K::Status, F::None, 429, 1.0, 0,
         "and then gets the account locked out: 429"},
        {60, 15, "prod", "s002", "/v1/instruments", K::Status, F::None, 429, 1.0, 0,
         "quota exhausted by a batch job"},
        {75, 10, "prod", "s000", "/grpc/", K::GrpcUnavailable, F::None, 0, 1.0, 0,
         "market-data stream drops"},
    };
    m_rules.erase(std::remove_if(m_rules.begin(), m_rules.end(),
                                 [](const SimRule &r) { return r.label.startsWith(u"demo: "); }),
                  m_rules.end());
    for (const Step &s : steps) {
        SimRule r;
        r.kind = s.kind;
        r.environment = QLatin1String(s.env);
        r.api = QLatin1String(s.api);
        r.pathPrefix = QLatin1String(s.path);
        r.fault = s.fault;
        r.status = s.status;
        r.rate = s.rate;
        r.latencyMs = s.latencyMs;
        r.startMs = base + s.startS * 1000LL;
        r.endMs = r.startMs + s.durS * 1000LL;
        r.label = QStringLiteral("demo: ") + QLatin1String(s.label);
        addRule(r);
    }
}

void SimRouter::log(const SimRequest &req, const SimResponse &resp)
{
    QJsonObject e{{QStringLiteral("time_ms"), m_ctx.nowMs()},
                  {QStringLiteral("method"), QString::fromLatin1(req.method)},
                  {QStringLiteral("target"), QString::fromUtf8(req.target.left(512))},
                  {QStringLiteral("environment"), req.environment}};
    if (resp.fault != SimFault::None)
        e.insert(QStringLiteral("fault"), QLatin1String(SimResponse::faultName(resp.fault)));
    else
        e.insert(QStringLiteral("status"), resp.status);
    if (resp.delayMs > 0)
        e.insert(QStringLiteral("delay_ms"), resp.delayMs);
    if (m_log.size() < MaxLogEntries) {
        m_log.append(e);
    } else {
        m_log[m_logHead] = e;
        m_logHead = (m_logHead + 1) % MaxLogEntries;
    }
}

QJsonArray SimRouter::requestLog(int limit) const
{
    QJsonArray out;
    const qsizetype n = m_log.size();
    const qsizetype take = std::min<qsizetype>(n, std::max(0, limit));
    for (qsizetype i = n - take; i < n; ++i)
        out.append(m_log[(m_logHead + i) % n]);
    return out;
}

QJsonArray SimRouter::scenarios()
{
    return SimScenarios::build(m_ctx, m_port, m_refusedPort);
}

QJsonObject SimRouter::ruleJson(const SimRule &r)
{
    QJsonObject o{{QStringLiteral("id"), r.id},
                  {QStringLiteral("kind"), QLatin1String(kindName(r.kind))},
                  {QStringLiteral("api"), r.api},
                  {QStringLiteral("environment"), r.environment},
                  {QStringLiteral("path"), r.pathPrefix},
                  {QStringLiteral("rate"), r.rate},
                  {QStringLiteral("label"), r.label}};
    if (r.kind == SimRule::Kind::Fault)
        o.insert(QStringLiteral("fault"), QLatin1String(SimResponse::faultName(r.fault)));
    if (r.kind == SimRule::Kind::Status)
        o.insert(QStringLiteral("status"), r.status);
    if (r.kind == SimRule::Kind::Latency)
        o.insert(QStringLiteral("latency_ms"), r.latencyMs);
    if (!r.method.isEmpty())
        o.insert(QStringLiteral("method"), QString::fromLatin1(r.method));
    if (r.remaining >= 0)
        o.insert(QStringLiteral("remaining"), r.remaining);
    if (r.endMs)
        o.insert(QStringLiteral("ends_at_ms"), r.endMs);
    return o;
}

QJsonObject SimRouter::configJson() const
{
    const SimConfig &c = m_ctx.config();
    return {{QStringLiteral("seed"), qint64(c.seed)},
            {QStringLiteral("token_lifetime_s"), c.tokenLifetimeS},
            {QStringLiteral("token_failure_status"), c.tokenFailureStatus},
            {QStringLiteral("tradovate_window_ms"), c.tradovateWindowMs},
            {QStringLiteral("tradovate_warn_at"), c.tradovateWarnAt},
            {QStringLiteral("tradovate_lock_at"), c.tradovateLockAt},
            {QStringLiteral("lockout_window_ms"), c.lockoutWindowMs},
            {QStringLiteral("quota_window_s"), c.quotaWindowS},
            {QStringLiteral("default_quota"), c.defaultQuota},
            {QStringLiteral("idle_cut_ms"), c.idleCutMs},
            {QStringLiteral("slow_byte_ms"), c.slowByteMs},
            {QStringLiteral("slow_report_ms"), c.slowReportMs},
            {QStringLiteral("heartbeat_ms"), c.heartbeatMs},
            {QStringLiteral("demo_schedule"), c.demoSchedule}};
}

bool SimRouter::applyConfig(const QJsonObject &o, QString *error)
{
    SimConfig c = m_ctx.config();
    struct Field
    {
        const char *name;
        int *slot;
        int min, max;
    };
    const Field fields[] = {
        {"token_lifetime_s", &c.tokenLifetimeS, 1, 86400},
        {"tradovate_window_ms", &c.tradovateWindowMs, 1, 3600000},
        {"tradovate_warn_at", &c.tradovateWarnAt, 0, 100000},
        {"tradovate_lock_at", &c.tradovateLockAt, 0, 100000},
        {"lockout_window_ms", &c.lockoutWindowMs, 1, 3600000},
        {"quota_window_s", &c.quotaWindowS, 1, 86400},
        {"default_quota", &c.defaultQuota, 1, 1000000000},
        {"idle_cut_ms", &c.idleCutMs, 0, 3600000},
        {"slow_byte_ms", &c.slowByteMs, 1, 60000},
        {"slow_report_ms", &c.slowReportMs, 0, 600000},
        {"heartbeat_ms", &c.heartbeatMs, 100, 600000},
        {"token_failure_status", &c.tokenFailureStatus, 0, 599},
    };
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const Field &f : fields) {
            if (it.key() != QLatin1String(f.name))
                continue;
            known = true;
            const int v = it.value().toInt(-1);
            if (!it.value().isDouble() || v < f.min || v > f.max) {
                *error = QStringLiteral("%1 must be a number from %2 to %3")
                             .arg(it.key())
                             .arg(f.min)
                             .arg(f.max);
                return false;
            }
            *f.slot = v;
        }
        if (it.key() == u"demo_schedule") {
            known = true;
            c.demoSchedule = it.value().toBool();
        }
        if (!known) {
            *error = QStringLiteral("unknown setting %1").arg(it.key());
            return false;
        }
    }
    if (c.tokenFailureStatus != 0 && c.tokenFailureStatus < 400) {
        *error = QStringLiteral("token_failure_status must be 0 (token endpoints work) or a "
                                "status from 400 to 599");
        return false;
    }
    m_ctx.setConfig(c);
    return true;
}

SimResponse SimRouter::control(const SimRequest &req)
{
    const QString what = req.path.mid(6);
    const QJsonObject body = QJsonDocument::fromJson(req.body).object();
    const bool get = req.method == "GET";
    const bool post = req.method == "POST";
    if (what == u"webhook")
        return m_inbox.handle(req, m_ctx.nowMs());
    if (what == u"health" && get)
        return controlJson(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    if (what == u"scenarios" && get)
        return controlJson(200, scenarios());
    if (what == u"reset" && post) {
        reset();
        return controlJson(200, QJsonObject{{QStringLiteral("reset"), true}});
    }
    if (what == u"log" && get) {
        const int limit = req.query.hasQueryItem(QStringLiteral("limit"))
                              ? req.query.queryItemValue(QStringLiteral("limit")).toInt()
                              : 100;
        return controlJson(200, requestLog(limit));
    }
    if (what == u"config") {
        if (post) {
            QString error;
            if (!applyConfig(body, &error))
                return controlError(400, error);
        } else if (!get) {
            return controlError(405, QStringLiteral("GET or POST"));
        }
        return controlJson(200, configJson());
    }
    if (what == u"error-rate" && post) {
        const QString api = body.value(QStringLiteral("api")).toString(QStringLiteral("*"));
        const double rate = body.value(QStringLiteral("rate")).toDouble(-1);
        if (rate < 0 || rate > 1)
            return controlError(400, QStringLiteral("rate must be from 0 to 1"));
        m_errorRates.insert(api, rate);
        return controlJson(
            200, QJsonObject{{QStringLiteral("api"), api}, {QStringLiteral("rate"), rate}});
    }
    if (what == u"faults" || what == u"incidents") {
        const bool incidents = what == u"incidents";
        if (get || req.method == "DELETE") {
            QJsonArray list;
            for (const SimRule &r : std::as_const(m_rules))
                if ((r.kind == SimRule::Kind::Storm || r.kind == SimRule::Kind::Latency)
                    == incidents)
                    list.append(ruleJson(r));
            if (req.method == "DELETE")
                m_rules.erase(std::remove_if(m_rules.begin(), m_rules.end(),
                                             [&](const SimRule &r) {
                                                 return (r.kind == SimRule::Kind::Storm
                                                         || r.kind == SimRule::Kind::Latency)
                                                        == incidents;
                                             }),
                              m_rules.end());
            return controlJson(200, list);
        }
        if (!post)
            return controlError(405, QStringLiteral("GET, POST or DELETE"));
        SimRule r;
        r.api = body.value(QStringLiteral("api")).toString(QStringLiteral("*"));
        r.environment = body.value(QStringLiteral("environment")).toString();
        r.pathPrefix = body.value(QStringLiteral("path")).toString();
        r.method = body.value(QStringLiteral("method")).toString().toUpper().toLatin1();
        r.rate = body.value(QStringLiteral("rate")).toDouble(1.0);
        r.label = body.value(QStringLiteral("label")).toString();
        if (!r.pathPrefix.isEmpty() && r.api == u"*" && !apiOf(r.pathPrefix).isEmpty())
            r.api = apiOf(r.pathPrefix);
        const qint64 now = m_ctx.nowMs();
        r.startMs = now + body.value(QStringLiteral("start_in_ms")).toInteger(0);
        if (const qint64 d = body.value(QStringLiteral("duration_ms")).toInteger(0); d > 0)
            r.endMs = r.startMs + d;
        r.remaining = int(body.value(QStringLiteral("count")).toInteger(-1));
        const QString kind
            = body.value(incidents ? QStringLiteral("kind") : QStringLiteral("fault")).toString();
        if (incidents) {
            if (kind == u"storm") {
                r.kind = SimRule::Kind::Storm;
                if (!body.contains(QStringLiteral("rate")))
                    r.rate = 0.8;
                if (!r.endMs)
                    r.endMs = r.startMs + 60000; // "a 5xx storm for a minute"
            } else if (kind == u"latency") {
                r.kind = SimRule::Kind::Latency;
                r.latencyMs = body.value(QStringLiteral("latency_ms")).toInt(2000);
                if (!r.endMs)
                    r.endMs = r.startMs + 60000;
            } else {
                return controlError(400, QStringLiteral("kind must be storm or latency"));
            }
        } else if (kind == u"status") {
            r.kind = SimRule::Kind::Status;
            r.status = body.value(QStringLiteral("status")).toInt(503);
            if (r.status < 200 || r.status > 599)
                return controlError(400, QStringLiteral("status must be from 200 to 599"));
        } else if (kind == u"gateway_html") {
            r.kind = SimRule::Kind::GatewayHtml;
        } else if (kind == u"grpc_unavailable") {
            r.kind = SimRule::Kind::GrpcUnavailable;
        } else if (kind == u"latency") {
            r.kind = SimRule::Kind::Latency;
            r.latencyMs = body.value(QStringLiteral("latency_ms")).toInt(2000);
        } else {
            bool ok = false;
            r.fault = SimResponse::faultFromName(kind, &ok);
            if (!ok || r.fault == SimFault::None)
                return controlError(
                    400, QStringLiteral(
                             "fault must be one of reset, close, hang, slow, idle_cut, truncate, "
                             "malformed, status, gateway_html, grpc_unavailable, latency"));
        }
        const int id = addRule(r);
        return controlJson(201, QJsonObject{{QStringLiteral("id"), id}});
    }
    return controlError(
        404,
        QStringLiteral("no control endpoint %1 %2").arg(QString::fromLatin1(req.method), req.path));
}

} // namespace hd
