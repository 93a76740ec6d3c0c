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

struct Environment
{
    QString id;      // "prod"
    QString name;    // "Production"
    QString baseUrl; // "https://api.example.com" or "sim:" for the built-in simulator
    QString caFile;
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
    bool operator==(const Endpoint &) const = default;
};

struct AlertRule
{
    QString id;
    QString
        kind; // error_rate, lockout_warning, lockout, token_expiry, refresh_failed, headroom, down
    QString scope; // "*", an environment id or an endpoint id
    double threshold = 0;
    int windowS = 1800;
    int count = 3;
    bool operator==(const AlertRule &) const = default;
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
    QList<AlertRule> alerts;
    nlohmann::json extra; // members we do not know, kept so saving never loses them

    const Environment *environment(const QString &id) const;
    const Credential *credential(const QString &id) const;
    const Endpoint *endpoint(const QString &id) const;
    bool operator==(const Workspace &) const = default;
};

QString toString(Credential::Method m);
std::optional<Credential::Method> credentialMethodFromString(const QString &s);

} // namespace hd
