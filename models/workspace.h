#pragma once

// The workspace (DESIGN §6): environments, credentials (method and secret *names*, never
// values), endpoints, alert rules. Its JSON form is healthdeck.workspace/1, documented by
// docs/workspace.schema.json.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace hd {

inline constexpr std::string_view WorkspaceSchema = "healthdeck.workspace/1";

// How requests of an environment reach the server (docs/network.md).
struct ProxySettings
{
    enum class Mode { System, None, Http, Socks5 };
    Mode mode = Mode::System; // the OS settings (http_proxy, https_proxy, no_proxy on Linux)
    QString host;
    int port = 0;
    QString username;
    QString passwordSecret; // name of the proxy password in the keychain, never the value
    bool operator==(const ProxySettings &) const = default;
};

struct Environment
{
    QString id;      // "prod"
    QString name;    // "Production"
    QString baseUrl; // "https://api.example.com" or "sim:" for the built-in simulator
    // Stored secrets may go over plain http:// to a host that is not loopback only when the
    // workspace says so here, explicitly (a test rig behind a VPN, say). Default: refused.
    bool allowInsecureSecrets = false;
    QString caFile; // PEM file of CA certificates trusted for this environment
    enum class CaMode { Add, Replace };
    CaMode caMode = CaMode::Add; // add to the system store, or trust only caFile
    QStringList pins;            // SPKI pins: base64 of SHA-256 of SubjectPublicKeyInfo
    QString clientCertFile;      // PEM certificate, or a PKCS#12 bundle (.p12/.pfx)
    QString clientKeyFile;       // PEM private key (not used with PKCS#12)
    QString clientKeySecret;     // keychain name of the key's / bundle's passphrase
    QString minTls;              // "", "1.2" or "1.3"
    bool http2 = true;           // offer HTTP/2 through ALPN
    ProxySettings proxy;
    bool operator==(const Environment &) const = default;
};

struct Credential
{
    enum class Method {
        None,
        Bearer,
        ApiKeyHeader,
        ApiKeyQuery,
        Basic,
        OAuth2ClientCredentials,
        TradovateToken
    };
    QString id;
    QString name;
    Method method = Method::None;
    QString environment; // empty: usable in every environment
    QString tokenUrl;    // oauth2 / tradovate
    QString clientId;    // not a secret: support desks need it
    QString audience;
    QString scope;
    QString username;   // basic / tradovate "name"
    QString appId;      // tradovate
    QString cid;        // tradovate
    QString headerName; // api key in header
    QString queryName;  // api key in query
    // Names of secrets in the keychain (or HDECK_SECRET_<NAME>); never their values.
    QString secretName;       // client secret, password, API key or static token
    QString secondSecretName; // tradovate "sec"
    double refreshAt = 0.8;   // refresh when this share of the lifetime has passed
    bool operator==(const Credential &) const = default;
};

struct Expectation
{
    QList<int> statuses;       // empty: any 2xx
    QString bodyPointer;       // optional JSON pointer that must hold…
    nlohmann::json bodyEquals; // …this value (null: just present)
    std::optional<int> maxLatencyMs;
    bool operator==(const Expectation &) const = default;
};

// An idempotency key the server de-duplicates on (DESIGN §2): a fresh value per poll, the
// same value on every retry of that poll, sent as a header or as a top-level field of the
// JSON body (a client order id).
struct Idempotency
{
    QString header;    // "Idempotency-Key"
    QString bodyField; // "clOrdId"
    bool isDeclared() const { return !header.isEmpty() || !bodyField.isEmpty(); }
    bool operator==(const Idempotency &) const = default;
};

struct Endpoint
{
    QString id; // "orders.list"
    QString name;
    QString environment; // Environment::id
    QString method = QStringLiteral("GET");
    QString path; // appended to the environment's base URL, or a full URL
    QList<std::pair<QString, QString>> headers;
    QString body;
    int intervalMs = 30000;
    int timeoutMs = 10000;
    QString profile = QStringLiteral("auto");
    QString credential;      // Credential::id or empty
    double quotaShare = 0.1; // at most this share of the quota is spent by HealthDeck
    QStringList requiredScopes;
    Expectation expect;
    bool paused = false;
    // Unset: by method (POST and PATCH are not idempotent). false marks any method unsafe.
    std::optional<bool> idempotent;
    Idempotency idempotency;
    // A success slower than this is "degraded", not "up" (DESIGN §2); unset: no latency rule.
    std::optional<int> degradedLatencyMs;
    // 0: polls reuse a kept-alive connection, as real clients do. N: every N-th poll opens a
    // fresh connection, so DNS, connect and TLS are measured (docs/network.md, Timings).
    int freshConnectionEvery = 0;
    bool operator==(const Endpoint &) const = default;
};

// One frame a stream monitor sends (seed 003: "endpoint\nid\nquery\nbody"; the id is added
// per send).
struct StreamRequest
{
    QString endpoint; // "md/subscribequote", "user/syncrequest"
    QString query;
    QString body;
    bool operator==(const StreamRequest &) const = default;
};

// Reconnect schedule of a stream: exponential backoff with full jitter, uniform in
// [0, min(capMs, baseMs * 2^(n-1))] before the n-th reconnect in a row; after maxAttempts
// reconnects in a row fail the monitor gives up (a stream_gave_up alert). A connection that
// stays authorized for stableMs resets the count.
struct StreamReconnect
{
    int baseMs = 1000;
    int capMs = 30000;
    int maxAttempts = 8;
    int stableMs = 30000;
    bool operator==(const StreamReconnect &) const = default;
};

// A WebSocket monitor (docs/streams.md): one session in the seed 003 frame protocol.
// Its id is an endpoint id like any other: events, history and aggregators use it.
struct StreamEndpoint
{
    QString id;
    QString name;
    QString environment;
    // A ws(s):// URL, or a path appended to the environment's base URL (http → ws).
    QString path = QStringLiteral("/s003/v1/websocket");
    QString profile = QStringLiteral("tradovate");
    QString credential;             // token credential (tradovate_token, oauth2, bearer) or empty
    int heartbeatMs = 2500;         // the client's "[]" heartbeat (seed 003: every 2.5 s)
    int heartbeatTimeoutMs = 10000; // no frame from the server this long: heartbeat missed
    int connectTimeoutMs = 10000;   // handshake and the "o" frame
    int requestTimeoutMs = 10000;   // an answer frame for each request
    int intervalMs = 30000;         // period of `requests`
    QList<StreamRequest> subscribe; // sent after every (re-)authorization
    QList<StreamRequest> requests;  // sent every intervalMs while authorized
    StreamReconnect reconnect;
    bool paused = false;
    bool operator==(const StreamEndpoint &) const = default;
};

struct AlertRule
{
    QString id;
    QString kind;  // error_rate, lockout_warning, lockout, token_expiry, refresh_failed, headroom,
                   // down, degraded, stream_gave_up, cert_expiry, burn_rate
    QString scope; // "*", an environment id or an endpoint id
    double threshold = 0;
    int windowS = 1800;
    int count = 3;
    QStringList channels; // NotificationChannel ids told when it fires and resolves
    int remindEveryS = 0; // > 0: told again every so often until acknowledged or resolved
    // cert_expiry: days left below which the alert is critical (threshold: days for a warning).
    // Last, so positional initialisers of the older members keep their meaning.
    double critical = 0;
    // Noise control (docs/notifications.md): alerts of this rule on endpoints of one host (or
    // one environment) that fire within groupWindowS make one incident and one message.
    QString groupBy = QStringLiteral("host"); // host, environment, none
    int groupWindowS = 60;                    // 0: no grouping
    // More than flapCount firings within flapWindowS: held as flapping, said once, then silent
    // until it has been stable for flapWindowS. flapCount 0: no flap suppression.
    int flapCount = 3;
    int flapWindowS = 1800;
    bool operator==(const AlertRule &) const = default;
};

// Where alerts are sent (docs/notifications.md). Whatever lets someone post — a webhook URL, a
// PagerDuty routing key — is a secret: the workspace names its keychain entry (secretName,
// also HDECK_SECRET_<NAME>), never its value. `url` is only for targets that are not secret:
// the built-in simulator's inbox ("sim:/_sim/webhook") or a loopback receiver; for PagerDuty it
// overrides the Events API address (a proxy or a test receiver) while the key stays a secret.
struct NotificationChannel
{
    QString id;
    QString kind; // webhook, slack, teams, pagerduty, email
    QString name;
    QString secretName; // email: the SMTP password (empty: no authentication)
    QString url;        // email: smtp://host:port or smtps://host:port, never with credentials
    // email only
    QString from;
    QStringList to;
    QString username;       // SMTP login name (not a secret; the password is)
    bool requireTls = true; // smtp://: STARTTLS is required, never sent in the clear
    QString caFile; // PEM CA certificates trusted for the SMTP server (instead of the system's)
    // pagerduty only: the keychain name of the signing secret of PagerDuty's V3 webhook
    // subscription; set, acknowledgements made in PagerDuty come back (docs/incidents.md).
    QString webhookSecretName;
    bool operator==(const NotificationChannel &) const = default;
};

// A time when alerts for a scope are held and availability and SLOs do not count
// (docs/calendars.md): a one-off window, a weekly recurring one, or the hours a trading calendar
// is closed. Times are local to timeZone (an IANA id, "UTC" by default).
struct MaintenanceWindow
{
    enum class Kind { Once, Weekly, Calendar };
    QString id;
    QString name;
    QString scope = QStringLiteral("*"); // "*", an environment id or an endpoint id
    Kind kind = Kind::Once;
    QString timeZone = QStringLiteral("UTC");
    QString start;    // Once: "yyyy-MM-ddTHH:mm[:ss]" local to timeZone
    QString end;      // Once: same form, after start
    QList<int> days;  // Weekly: 1 = Monday … 7 = Sunday
    QString from;     // Weekly: "HH:mm" local; a `to` not after `from` ends on the next day
    QString to;       // Weekly: "HH:mm"
    QString calendar; // Calendar: a built-in calendar name ("cme-globex") or a calendar file
    bool operator==(const MaintenanceWindow &) const = default;
};

// A service level objective (docs/slo.md): the share of requests in scope that must succeed
// over a rolling period. Burn-rate alerts (kind burn_rate) watch how fast its budget goes.
struct Slo
{
    QString id;
    QString name;
    QString scope = QStringLiteral("*");
    double objective = 99.0; // percent of requests that succeed
    int periodDays = 30;
    bool operator==(const Slo &) const = default;
};

struct Workspace
{
    QString name;
    bool simulator = false; // start the built-in simulator in-process for "sim:" base URLs
    int simulatorSeed = 1;
    bool simulatorDemoSchedule = false; // rotate incidents and faults for the demo
    nlohmann::json simulatorExtra;      // other simulator members, written back unchanged
    QList<Environment> environments;
    QList<Credential> credentials;
    QList<Endpoint> endpoints;
    QList<StreamEndpoint> streams;
    QList<AlertRule> alerts;
    QList<NotificationChannel> channels;
    QList<MaintenanceWindow> maintenance;
    QList<Slo> slos;
    nlohmann::json extra; // members we do not know, kept so saving never loses them

    const Environment *environment(const QString &id) const;
    const Credential *credential(const QString &id) const;
    const Endpoint *endpoint(const QString &id) const;
    const StreamEndpoint *stream(const QString &id) const;
    bool operator==(const Workspace &) const = default;
};

QString toString(Credential::Method m);
QString toString(Environment::CaMode m);
QString toString(ProxySettings::Mode m);
std::optional<ProxySettings::Mode> proxyModeFromString(const QString &s);
std::optional<Credential::Method> credentialMethodFromString(const QString &s);

} // namespace hd
