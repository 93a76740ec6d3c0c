#include "simscenarios.h"

#include "simtradingapi.h"
#include "simtradovateapi.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace hd {
namespace {

class Builder
{
public:
    Builder(SimContext &ctx, quint16 port, quint16 refusedPort)
        : m_ctx(ctx)
        , m_port(port)
        , m_refused(refusedPort)
    {}

    QJsonObject &add(const char *id, const char *method, const QString &path, const char *category,
                     const QString &description, const char *profile = "auto")
    {
        const QString api = path.mid(1, 4);
        m_list.append(QJsonObject{
            {QStringLiteral("id"), QLatin1String(id)},
            {QStringLiteral("api"), api},
            {QStringLiteral("method"), QLatin1String(method)},
            {QStringLiteral("path"), path},
            {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)},
            {QStringLiteral("description"), description},
            {QStringLiteral("category"), QLatin1String(category)},
            {QStringLiteral("profile"), QLatin1String(profile)},
            {QStringLiteral("timeout_ms"), 5000},
            {QStringLiteral("repeat"), 1},
            {QStringLiteral("transport"), QStringLiteral("http")}});
        return m_list.last();
    }

    QString bearer(const char *subject, const char *audience, QStringList scopes,
                   qint64 lifetimeS = 3600, qint64 ageS = 0)
    {
        const qint64 now = m_ctx.nowMs() / 1000 - ageS;
        return QStringLiteral("Bearer ")
               + QString::fromLatin1(m_ctx.jwt().mint(
                   QLatin1String(subject), QLatin1String(audience), scopes, now, lifetimeS));
    }

    static void header(QJsonObject &s, const char *name, const QString &value)
    {
        QJsonObject h = s.value(QStringLiteral("headers")).toObject();
        h.insert(QLatin1String(name), value);
        s.insert(QStringLiteral("headers"), h);
    }
    static void body(QJsonObject &s, const QJsonObject &json)
    {
        s.insert(QStringLiteral("body"),
                 QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
        header(s, "Content-Type", QStringLiteral("application/json"));
    }

    QJsonArray list() const
    {
        QJsonArray out;
        for (const QJsonObject &o : m_list)
            out.append(o);
        return out;
    }
    quint16 port() const { return m_port; }
    quint16 refusedPort() const { return m_refused; }
    SimContext &ctx() { return m_ctx; }

private:
    SimContext &m_ctx;
    quint16 m_port;
    quint16 m_refused;
    QList<QJsonObject> m_list; // references handed out by add() stay valid until the next add()
};

QJsonObject order(const char *clOrdId, int qty)
{
    return {{QStringLiteral("clOrdId"), QLatin1String(clOrdId)},
            {QStringLiteral("accountId"), QStringLiteral("ACC-001")},
            {QStringLiteral("symbol"), QStringLiteral("ESZ6")},
            {QStringLiteral("qty"), qty},
            {QStringLiteral("side"), QStringLiteral("buy")}};
}

QJsonObject signal(const char *account, const char *strategy, const char *symbol,
                   const char *action, const char *source = nullptr)
{
    QJsonObject o{{QStringLiteral("accountId"), QLatin1String(account)},
                  {QStringLiteral("strategyId"), QLatin1String(strategy)},
                  {QStringLiteral("symbol"), QLatin1String(symbol)},
                  {QStringLiteral("action"), QLatin1String(action)},
                  {QStringLiteral("qty"), 10}};
    if (source)
        o.insert(QStringLiteral("sourceId"), QLatin1String(source));
    return o;
}

void tradingApi(Builder &b)
{
    const QStringList all = SimTradingApi::scopes();
    const QString full = b.bearer("sim-client", "s000", all);
    const QString readonly = b.bearer("sim-readonly", "s000", {QStringLiteral("orders:read")});

    b.add("s000.health", "GET", QStringLiteral("/s000/v1/health"), "ok",
          QStringLiteral("Health check, no auth"));
    {
        auto &s = b.add(
            "s000.token", "POST", QStringLiteral("/s000/oauth/token"), "ok",
            QStringLiteral(
                "OAuth2 client-credentials token: HS256 JWT with exp, iat, sub, aud, scope"),
            "oauth2");
        s.insert(QStringLiteral("body"),
                 QStringLiteral("grant_type=client_credentials&client_id=sim-client&client_secret="
                                "sim-secret&audience=s000"));
        Builder::header(s, "Content-Type", QStringLiteral("application/x-www-form-urlencoded"));
    }
    {
        auto &s = b.add(
            "s000.token.bad_secret", "POST", QStringLiteral("/s000/oauth/token"), "unauthorized",
            QStringLiteral("Token request with a wrong client secret: 401 invalid_client"),
            "oauth2");
        s.insert(QStringLiteral("body"),
                 QStringLiteral(
                     "grant_type=client_credentials&client_id=sim-client&client_secret=wrong"));
        Builder::header(s, "Content-Type", QStringLiteral("application/x-www-form-urlencoded"));
    }
    {
        auto &s = b.add("s000.orders.list", "GET", QStringLiteral("/s000/v1/orders"), "ok",
                        QStringLiteral("List orders with a valid token; X-RateLimit-* headers"));
        Builder::header(s, "Authorization", full);
    }
    b.add("s000.orders.no_token", "GET", QStringLiteral("/s000/v1/orders"), "unauthorized",
          QStringLiteral("No bearer token: 401"));
    {
        auto &s = b.add(
            "s000.orders.expired_token", "GET", QStringLiteral("/s000/v1/orders"), "unauthorized",
            QStringLiteral(
                "A token that expired a minute ago: 401 with WWW-Authenticate invalid_token"));
        Builder::header(s, "Authorization", b.bearer("sim-client", "s000", all, 60, 120));
    }
    {
        auto &s = b.add("s000.orders.missing_scope", "POST", QStringLiteral("/s000/v1/orders"),
                        "forbidden",
                        QStringLiteral("A valid token without orders:write places an order: 403"));
        Builder::header(s, "Authorization", readonly);
        Builder::body(s, order("ORD-NEW-1", 1));
    }
    {
        auto &s = b.add("s000.orders.invalid_json", "POST", QStringLiteral("/s000/v1/orders"),
                        "bad_request", QStringLiteral("Invalid JSON body: 400"));
        Builder::header(s, "Authorization", full);
        Builder::header(s, "Content-Type", QStringLiteral("application/json"));
        s.insert(QStringLiteral("body"), QStringLiteral("{\"clOrdId\": \"X\", qty: }"));
    }
    {
        auto &s = b.add(
            "s000.orders.duplicate", "POST", QStringLiteral("/s000/v1/orders"), "conflict",
            QStringLiteral(
                "Duplicate order with the same ClOrdID (DUP-1 exists after every reset): 409"));
        Builder::header(s, "Authorization", full);
        Builder::body(s, order("DUP-1", 1));
    }
    {
        auto &s = b.add("s000.orders.position_limit", "POST", QStringLiteral("/s000/v1/orders"),
                        "unprocessable", QStringLiteral("Quantity above the position limit: 422"));
        Builder::header(s, "Authorization", full);
        Builder::body(s, order("ORD-BIG-1", 5000));
    }
    {
        auto &s = b.add("s000.orders.bulk_too_large", "POST",
                        QStringLiteral("/s000/v1/orders/bulk"), "payload_too_large",
                        QStringLiteral("Bulk request with 150 orders (limit 100): 413"));
        Builder::header(s, "Authorization", full);
        QJsonArray items;
        for (int i = 0; i < 150; ++i)
            items.append(order("BULK", 1));
        Builder::body(s, QJsonObject{{QStringLiteral("orders"), items}});
    }
    {
        auto &s = b.add("s000.orders.wrong_method", "DELETE", QStringLiteral("/s000/v1/orders"),
                        "method_not_allowed",
                        QStringLiteral("DELETE on a GET/POST collection: 405 with Allow"));
        Builder::header(s, "Authorization", full);
    }
    {
        auto &s = b.add("s000.orders.unknown", "GET", QStringLiteral("/s000/v1/orders/999999"),
                        "not_found", QStringLiteral("An order id that does not exist: 404"));
        Builder::header(s, "Authorization", full);
    }
    {
        auto &s = b.add(
            "s000.reports.slow", "GET", QStringLiteral("/s000/v1/reports/positions"),
            "gateway_timeout",
            QStringLiteral(
                "A slow report: the gateway gives up and answers 504 after slow_report_ms"));
        Builder::header(s, "Authorization", full);
    }
    {
        auto &s = b.add("s000.marketdata.reset", "GET",
                        QStringLiteral("/s000/v1/marketdata/snapshot"), "connection_reset",
                        QStringLiteral("The server resets the connection (RST: SO_LINGER 0, close) "
                                       "after reading the request"));
        // Qt 6.4 reports a reset before any response byte as an orderly close.
        s.insert(QStringLiteral("accept"), QJsonArray{QStringLiteral("remote_closed")});
    }
    {
        auto &s = b.add("s000.orders.upload", "POST", QStringLiteral("/s000/v1/orders/upload"),
                        "broken_pipe",
                        QStringLiteral("The upload service resets the connection without reading a "
                                       "900 KiB body: the client's "
                                       "writes fail (EPIPE / ECONNRESET)"));
        Builder::header(s, "Authorization", full);
        Builder::header(s, "Content-Type", QStringLiteral("application/octet-stream"));
        s.insert(QStringLiteral("body_size"), 900 * 1024);
        // Qt 6.4 reports the failed write as RemoteHostClosedError or UnknownNetworkError.
        s.insert(QStringLiteral("accept"),
                 QJsonArray{QStringLiteral("remote_closed"), QStringLiteral("connection_reset"),
                            QStringLiteral("network_other")});
    }
    b.add("s000.reports.truncated", "GET", QStringLiteral("/s000/v1/reports/daily"),
          "remote_closed",
          QStringLiteral(
              "Content-Length 5000, 1000 body bytes, then the server closes: truncated body"));
    b.add("s000.accounts.gateway_html", "GET", QStringLiteral("/s000/v1/accounts"), "bad_gateway",
          QStringLiteral("An nginx gateway's HTML 502 page instead of the API's JSON"));
    b.add(
        "s000.grpc.unavailable", "POST",
        QStringLiteral("/s000/grpc/marketdata.v1.MarketData/Subscribe"), "stream_dropped",
        QStringLiteral("gRPC trailers-only response, grpc-status 14 UNAVAILABLE (stream dropped)"));
    {
        auto &s = b.add(
            "s000.tls.plain_port", "GET", QStringLiteral("/s000/v1/health"), "tls_failure",
            QStringLiteral(
                "https:// to a plain-HTTP port: the TLS handshake fails (wrong version number). "
                "The simulator has no certificate; this is its only TLS failure"));
        s.insert(QStringLiteral("url"),
                 QStringLiteral("https://127.0.0.1:%1/s000/v1/health").arg(b.port()));
        // The engine currently names this failure "TLS handshake failed", which its own
        // NetworkErrors::fromName does not map back to tls_failure (reported to app/classify).
        s.insert(QStringLiteral("accept"), QJsonArray{QStringLiteral("network_other")});
    }
    {
        auto &s = b.add("s000.dns.invalid_host", "GET", QStringLiteral("/s000/v1/health"),
                        "dns_failure",
                        QStringLiteral("A host under .invalid (RFC 6761) never resolves"));
        s.insert(QStringLiteral("url"),
                 QStringLiteral("http://api.healthdeck-sim.invalid/s000/v1/health"));
    }
    {
        auto &s = b.add(
            "s000.refused", "GET", QStringLiteral("/s000/v1/health"), "connection_refused",
            QStringLiteral(
                "A port the simulator opened and closed again: nothing listens (ECONNREFUSED)"));
        s.insert(QStringLiteral("url"),
                 QStringLiteral("http://127.0.0.1:%1/s000/v1/health").arg(b.refusedPort()));
    }
}

void signalApi(Builder &b)
{
    auto add
        = [&](const char *id, const char *method, const char *path, const char *category,
              const char *desc, const char *key, const QJsonObject &json = {}) -> QJsonObject & {
        auto &s = b.add(id, method, QLatin1String(path), category, QLatin1String(desc), "signals");
        if (key)
            Builder::header(s, "X-API-Key", QLatin1String(key));
        if (!json.isEmpty())
            Builder::body(s, json);
        return s;
    };
    add("s001.health", "GET", "/s001/api/v1/health", "ok", "Health check", nullptr);
    add("s001.signals.list", "GET", "/s001/api/v1/signals", "ok",
        "List signals; RateLimit-Limit/-Remaining/-Reset headers", "sim-key");
    add("s001.signals.executed", "POST", "/s001/api/v1/signals", "ok", "Signal executed: 201",
        "sim-key", signal("acct-1", "strat-1", "AAPL", "buy", "src-new-1"));
    {
        QJsonObject o = signal("acct-1", "strat-1", "MSFT", "buy", "src-new-2");
        o.insert(QStringLiteral("execute"), QStringLiteral("scheduled"));
        add("s001.signals.scheduled", "POST", "/s001/api/v1/signals", "ok", "Signal scheduled: 202",
            "sim-key", o);
    }
    add("s001.signals.no_key", "GET", "/s001/api/v1/signals", "unauthorized",
        "Missing API key: 401", nullptr);
    add("s001.signals.readonly_key", "POST", "/s001/api/v1/signals", "forbidden",
        "Read-only API key posts a signal: 403", "sim-key-readonly",
        signal("acct-1", "strat-1", "AAPL", "buy"));
    add("s001.signals.validation", "POST", "/s001/api/v1/signals", "bad_request",
        "VALIDATION_ERROR with details [{path:[field], message}]", "sim-key",
        QJsonObject{{QStringLiteral("qty"), 1}});
    add("s001.signals.rejected", "POST", "/s001/api/v1/signals", "bad_request",
        "SIGNAL_REJECTED: duplicate sourceId", "sim-key",
        signal("acct-1", "strat-1", "AAPL", "buy", "src-dup"));
    add("s001.signals.account_not_found", "POST", "/s001/api/v1/signals", "not_found",
        "ACCOUNT_NOT_FOUND", "sim-key", signal("acct-missing", "strat-1", "AAPL", "buy"));
    add("s001.signals.strategy_not_found", "POST", "/s001/api/v1/signals", "not_found",
        "STRATEGY_NOT_FOUND", "sim-key", signal("acct-1", "strat-missing", "AAPL", "buy"));
    {
        QJsonObject o = signal("acct-1", "strat-1", "AAPL", "buy");
        o.insert(QStringLiteral("qty"), 5e6);
        add("s001.signals.insufficient_funds", "POST", "/s001/api/v1/signals", "bad_request",
            "INSUFFICIENT_FUNDS", "sim-key", o);
    }
    add("s001.signals.market_closed", "POST", "/s001/api/v1/signals", "bad_request",
        "MARKET_CLOSED", "sim-key", signal("acct-1", "strat-1", "MKTCLOSED", "buy"));
    add("s001.signals.service_disabled", "POST", "/s001/api/v1/signals", "unavailable",
        "SERVICE_DISABLED: 503", "sim-key", signal("acct-1", "strat-disabled", "AAPL", "buy"));
    add("s001.signals.duplicate_intent", "POST", "/s001/api/v1/signals", "conflict",
        "DUPLICATE_INTENT with details.conflictingSignalId", "sim-key",
        signal("acct-1", "strat-1", "DUPE", "buy"));
    add("s001.signals.opposing_position", "POST", "/s001/api/v1/signals", "conflict",
        "OPPOSING_POSITION_OPEN with details.conflictingTradeId", "sim-key",
        signal("acct-1", "strat-1", "NETTED", "sell"));
    add("s001.reconciliation.over_expose", "POST",
        "/s001/api/v1/reconciliation/repair/trd-812/recalc", "conflict",
        "RECALC_WOULD_OVER_EXPOSE with details.exceedsBy and conflictingTradeIds", "sim-key");
    {
        auto &s = add("s001.signals.quota", "GET", "/s001/api/v1/signals", "rate_limited",
                      "API key sim-key-tiny has a quota of 1 per window: the second request gets "
                      "429 with Retry-After",
                      "sim-key-tiny");
        s.insert(QStringLiteral("repeat"), 2);
    }
}

void codeMessageApi(Builder &b)
{
    const QString full = b.bearer("sim-client", "s002",
                                  {QStringLiteral("data:read"), QStringLiteral("data:write")});
    auto add = [&](const char *id, const char *method, const char *path, const char *category,
                   const char *desc, const QString &auth = {}) -> QJsonObject & {
        auto &s
            = b.add(id, method, QLatin1String(path), category, QLatin1String(desc), "code-message");
        if (!auth.isEmpty())
            Builder::header(s, "Authorization", auth);
        return s;
    };
    add("s002.instruments.list", "GET", "/s002/v1/instruments", "ok",
        "List instruments; one-header RateLimit: limit=, remaining=, reset=", full);
    add("s002.instruments.unknown", "GET", "/s002/v1/instruments/XX", "not_found",
        "Numeric code 40401", full);
    Builder::body(add("s002.instruments.missing_attribute", "POST", "/s002/v1/instruments",
                      "bad_request", "Required attribute missing: code 40001, details[]", full),
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("no symbol")}});
    add("s002.instruments.no_token", "GET", "/s002/v1/instruments", "unauthorized",
        "No access token: 401");
    Builder::body(add("s002.instruments.readonly", "POST", "/s002/v1/instruments", "forbidden",
                      "A read-only service account writes: 403",
                      b.bearer("sim-readonly", "s002", {QStringLiteral("data:read")})),
                  QJsonObject{{QStringLiteral("symbol"), QStringLiteral("ZN")}});
    add("s002.archive.gone", "GET", "/s002/v1/archive/2019", "client_error_other",
        "410 Gone (code 41001)", full);
    add("s002.legacy.not_implemented", "GET", "/s002/v1/legacy/export", "server_error_other",
        "501 Not Implemented (code 50101)", full);
    add("s002.quotes.hang", "GET", "/s002/v1/quotes/stream", "timeout",
        "Accepts the connection and reads the request, never answers")
        .insert(QStringLiteral("timeout_ms"), 300);
    add("s002.quotes.slow", "GET", "/s002/v1/quotes/slow", "timeout",
        "Answers one byte every slow_byte_ms: the whole response takes far longer than the "
        "deadline")
        .insert(QStringLiteral("timeout_ms"), 400);
    add("s002.status.malformed", "GET", "/s002/v1/status/legacy", "network_other",
        "A legacy status page answering with a status code outside 100-599 (not valid HTTP)");
    add("s002.quota", "GET", "/s002/v1/instruments", "rate_limited",
        "Client sim-busy has a quota of 1 per window: the second request gets 429 with Retry-After",
        b.bearer("sim-busy", "s002", {QStringLiteral("data:read")}))
        .insert(QStringLiteral("repeat"), 2);
}

void tradovateApi(Builder &b)
{
    const QString token
        = b.bearer("sim-user", "s003", {QStringLiteral("trade"), QStringLiteral("read")});
    auto add = [&](const QString &id, const char *method, const QString &path, const char *category,
                   const QString &desc, bool auth, const QJsonObject &json = {}) -> QJsonObject & {
        auto &s = b.add(id.toLatin1().constData(), method, path, category, desc, "tradovate");
        if (auth)
            Builder::header(s, "Authorization", token);
        if (!json.isEmpty())
            Builder::body(s, json);
        return s;
    };
    add(QStringLiteral("s003.token"), "POST", QStringLiteral("/s003/v1/auth/accesstokenrequest"),
        "ok", QStringLiteral("Access token request: accessToken (JWT) with expirationTime"), false,
        QJsonObject{{QStringLiteral("name"), QStringLiteral("sim-user")},
                    {QStringLiteral("password"), QStringLiteral("sim-pass")},
                    {QStringLiteral("appId"), QStringLiteral("HealthDeck")},
                    {QStringLiteral("cid"), 8},
                    {QStringLiteral("sec"), QStringLiteral("sim-sec")}});
    add(QStringLiteral("s003.token.bad_password"), "POST",
        QStringLiteral("/s003/v1/auth/accesstokenrequest"), "business_rejected",
        QStringLiteral("Wrong password: 200 with errorText"), false,
        QJsonObject{{QStringLiteral("name"), QStringLiteral("sim-user")},
                    {QStringLiteral("password"), QStringLiteral("nope")}});
    add(QStringLiteral("s003.me.no_token"), "GET", QStringLiteral("/s003/v1/auth/me"),
        "unauthorized", QStringLiteral("No access token: 401"), false);
    add(QStringLiteral("s003.accounts"), "GET", QStringLiteral("/s003/v1/account/list"), "ok",
        QStringLiteral("Account list"), true);
    add(QStringLiteral("s003.order.unknown"), "GET",
        QStringLiteral("/s003/v1/order/item?id=999999"), "not_found",
        QStringLiteral("An order id that does not exist: 404"), true);
    add(QStringLiteral("s003.order.placed"), "POST", QStringLiteral("/s003/v1/order/placeorder"),
        "ok", QStringLiteral("Order placed: 200 with orderId"), true,
        QJsonObject{{QStringLiteral("accountId"), 501},
                    {QStringLiteral("action"), QStringLiteral("Buy")},
                    {QStringLiteral("symbol"), QStringLiteral("ESZ6")},
                    {QStringLiteral("orderQty"), 1},
                    {QStringLiteral("orderType"), QStringLiteral("Market")}});
    for (const QString &reason : SimTradovateApi::failureReasons())
        add(QStringLiteral("s003.order.") + reason, "POST",
            QStringLiteral("/s003/v1/order/placeorder"), "business_rejected",
            QStringLiteral("200 with failureReason %1").arg(reason), true,
            QJsonObject{{QStringLiteral("accountId"), 501},
                        {QStringLiteral("action"), QStringLiteral("Buy")},
                        {QStringLiteral("symbol"), reason},
                        {QStringLiteral("orderQty"), 1},
                        {QStringLiteral("orderType"), QStringLiteral("Market")}});
    add(QStringLiteral("s003.order.internal_timeout"), "POST",
        QStringLiteral("/s003/v1/order/placeorder"), "internal_error",
        QStringLiteral("500: an internal timeout was hit"), true,
        QJsonObject{{QStringLiteral("accountId"), 501},
                    {QStringLiteral("symbol"), QStringLiteral("INTERNALTIMEOUT")},
                    {QStringLiteral("orderQty"), 1}});
    add(QStringLiteral("s003.order.cancel_filled"), "POST",
        QStringLiteral("/s003/v1/order/cancelorder"), "business_rejected",
        QStringLiteral("SimpleResponse {ok:false, errorText}"), true,
        QJsonObject{{QStringLiteral("orderId"), 1}});
    add(QStringLiteral("s003.signup.violations"), "POST", QStringLiteral("/s003/v1/user/signup"),
        "business_rejected", QStringLiteral("Validation API: 200 with violations[]"), false,
        QJsonObject{{QStringLiteral("email"), QStringLiteral("new@example.com")}});
    add(QStringLiteral("s003.signup.email_taken"), "POST", QStringLiteral("/s003/v1/user/signup"),
        "business_rejected", QStringLiteral("SignUpResponse errorCode EmailAlreadyRegistered"),
        false,
        QJsonObject{{QStringLiteral("firstName"), QStringLiteral("Ada")},
                    {QStringLiteral("email"), QStringLiteral("taken@example.com")}});
    const SimConfig &c = b.ctx().config();
    add(QStringLiteral("s003.lockout.warning"), "GET", QStringLiteral("/s003/v1/account/list"),
        "lockout_warning",
        QStringLiteral("More than tradovate_warn_at (%1) requests within tradovate_window_ms: 423, "
                       "the warning before the lockout")
            .arg(c.tradovateWarnAt),
        true)
        .insert(QStringLiteral("repeat"), c.tradovateWarnAt + 1);
    add(QStringLiteral("s003.lockout"), "GET", QStringLiteral("/s003/v1/account/list"),
        "rate_limited",
        QStringLiteral("More than tradovate_lock_at (%1) requests: 429 lockout for "
                       "lockout_window_ms; every request during "
                       "the window extends it")
            .arg(c.tradovateLockAt),
        true)
        .insert(QStringLiteral("repeat"), c.tradovateLockAt + 1);
    {
        auto &s = add(QStringLiteral("s003.ws.unauthorized"), "GET",
                      QStringLiteral("/s003/v1/websocket"), "unauthorized",
                      QStringLiteral("WebSocket: frames o, h, a[...], c; a request before "
                                     "authorize gets a[{\"s\":401,\"i\":…}]"),
                      false);
        s.insert(QStringLiteral("transport"), QStringLiteral("websocket"));
        s.insert(QStringLiteral("url"),
                 QStringLiteral("ws://127.0.0.1:%1/s003/v1/websocket").arg(b.port()));
    }
    {
        auto &s
            = add(QStringLiteral("s003.ws.dropped"), "GET",
                  QStringLiteral("/s003/v1/websocket?drop_after_ms=100"), "stream_dropped",
                  QStringLiteral("WebSocket whose TCP connection is dropped without a close frame"),
                  false);
        s.insert(QStringLiteral("transport"), QStringLiteral("websocket"));
        s.insert(
            QStringLiteral("url"),
            QStringLiteral("ws://127.0.0.1:%1/s003/v1/websocket?drop_after_ms=100").arg(b.port()));
    }
}

void envelopeApi(Builder &b)
{
    const QString full
        = b.bearer("sim-client", "s004",
                   {QStringLiteral("positions:read"), QStringLiteral("positions:write")});
    auto add = [&](const char *id, const char *method, const char *path, const char *category,
                   const char *desc, const QString &auth = {}) -> QJsonObject & {
        auto &s = b.add(id, method, QLatin1String(path), category, QLatin1String(desc),
                        "error-envelope");
        if (!auth.isEmpty())
            Builder::header(s, "Authorization", auth);
        return s;
    };
    add("s004.positions", "GET", "/s004/v1/positions", "ok",
        "Positions; IETF RateLimit-Policy + RateLimit headers", full);
    add("s004.positions.no_token", "GET", "/s004/v1/positions", "unauthorized",
        "unauthorized_request envelope with trace_id");
    add("s004.instruments.invalid", "GET", "/s004/v1/instruments/not-an-id", "bad_request",
        "invalid_request with details [{field: instrument_id, description}]", full);
    add("s004.instruments.unknown", "GET", "/s004/v1/instruments/ABCZ9", "not_found",
        "resource_not_found", full);
    Builder::body(add("s004.positions.locked", "PUT", "/s004/v1/positions/pos-busy", "locked",
                      "423 resource_locked: a concurrent operation holds the position", full),
                  QJsonObject{{QStringLiteral("qty"), 2}});
    add("s004.maintenance", "GET", "/s004/v1/maintenance/status", "unavailable",
        "503 service_unavailable");
    add("s004.reports.risk", "GET", "/s004/v1/reports/risk", "internal_error",
        "500 internal_server_error", full);
    add("s004.session.idle_cut", "GET", "/s004/v1/session/keepalive", "remote_closed",
        "The load balancer closes the connection after idle_cut_ms without an answer (\"other side "
        "closed\")");
    add("s004.quota", "GET", "/s004/v1/positions", "rate_limited",
        "Client sim-metered has a quota of 1 per window: the second request gets 403 "
        "quota_exceeded with RateLimit r=0",
        b.bearer("sim-metered", "s004", {QStringLiteral("positions:read")}))
        .insert(QStringLiteral("repeat"), 2);
}

} // namespace

QJsonArray SimScenarios::build(SimContext &ctx, quint16 port, quint16 refusedPort)
{
    Builder b(ctx, port, refusedPort);
    tradingApi(b);
    signalApi(b);
    codeMessageApi(b);
    tradovateApi(b);
    envelopeApi(b);
    return b.list();
}

} // namespace hd
