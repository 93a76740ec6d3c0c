#pragma once

// The shared half of every importer: turns URLs into environments, auth it finds into
// credentials (secret values set aside, never in the workspace), requests into endpoints with
// readable unique ids, and keeps the list of what was skipped. Importers throw ImportError for
// a file they refuse; the builder turns it into ImportResult::error.

#include "importresult.h"

#include <QHash>
#include <QUrl>

#include <functional>
#include <optional>

namespace hd {

struct ImportError
{
    QString where; // empty: the file as a whole
    QString what;
};

class ImportBuilder
{
public:
    ImportBuilder(QString format, QString origin);

    const QString &origin() const { return m_origin; }
    [[noreturn]] void fail(const QString &where, const QString &what) const;

    // The environment whose base URL is baseUrl (scheme://host[:port][/base]); added when new.
    // preferredId/name: from the file ("production"); otherwise derived from the host.
    QString environmentFor(const QString &baseUrl, const QString &preferredId = {},
                           const QString &name = {});

    // Adds (or reuses an equal) credential; its secret value, if any, goes to the secret list.
    // value empty: the file only named the secret. Returns the credential id.
    QString addCredential(Credential c, const QString &value, const QString &foundAt);

    // A header that carries a secret (Authorization, X-Api-Key, …) becomes a credential of
    // environment envId; returns its id, or nothing when the header is not a secret.
    std::optional<QString> credentialFromHeader(const QString &name, const QString &value,
                                                const QString &envId, const QString &foundAt);
    // The same for a query parameter (api_key=…, access_token=…).
    std::optional<QString> credentialFromQuery(const QString &name, const QString &value,
                                               const QString &envId, const QString &foundAt);
    // user:password (curl -u, Basic header, Postman basic auth).
    QString basicCredential(const QString &user, const QString &password, const QString &envId,
                            const QString &foundAt);
    QString bearerCredential(const QString &token, const QString &envId, const QString &foundAt);

    // Adds an endpoint with a unique id (from e.id, or from method and path when empty).
    // Returns false (and a skip) beyond ImportMaxEndpoints.
    bool addEndpoint(Endpoint e, bool selected, const QString &note = {});
    bool hasEndpoint(const QString &id) const;

    void skip(const QString &where, const QString &why);
    void note(const QString &text);
    void setName(const QString &name) { m_result.name = name; }
    const QList<Environment> &environments() const { return m_result.environments; }

    ImportResult finish();

    // Runs an importer: refuses input over ImportMaxBytes, and turns ImportError, parser
    // exceptions and anything else thrown into the one-line error of an empty result, so a
    // refused file never yields half an import.
    static ImportResult run(const QString &format, const QString &origin, const QByteArray &data,
                            const std::function<void(ImportBuilder &)> &body);

    // Values a shell script set (export TOKEN=…) or a Postman file defines: a placeholder that
    // names one takes its value (as a secret, never into the workspace).
    void setVariable(const QString &name, const QString &value);
    std::optional<QString> variable(const QString &name) const;

    // ---- helpers shared by importers --------------------------------------------------------
    // "GET /v1/orders/{id}" → "v1.orders.id"; non-GET methods lead: "post.v1.orders".
    static QString endpointIdFor(const QString &method, const QString &path);
    // Lower-case id from free text: "Production EU" → "production-eu".
    static QString slug(const QString &text);
    // "api.broker.example" → "broker"; "localhost:8080" → "localhost-8080".
    static QString hostId(const QUrl &url);
    // "https://user@host:8443/x" → "https://host:8443"
    static QString originOf(const QUrl &url);
    // A value that only stands for a secret ("<YOUR_TOKEN>", "$API_KEY", "{{token}}", …);
    // the name it gives, when it names one ("API_KEY", "token"), goes to *named.
    static bool isPlaceholder(const QString &value, QString *named = nullptr);
    static bool isSecretHeader(const QString &name);
    static bool isSecretQuery(const QString &name);
    static bool isHttpMethod(const QString &method);
    // UPPER_SNAKE secret name: "broker" + "TOKEN" → "BROKER_TOKEN".
    static QString secretNameFor(const QString &prefix, const QString &kind);

    // The name of a secret whose value (or its percent-encoding) text contains; empty if none.
    QString secretIn(const QString &text) const;
    // text with every secret value found so far replaced by "<secret NAME>".
    QString masked(QString text) const;

private:
    QString uniqueId(const QString &base, const std::function<bool(const QString &)> &taken) const;
    QString secretFor(const QString &value, const QString &envId, const QString &kind,
                      QString *cleanValue);

    QString m_format;
    QString m_origin;
    ImportResult m_result;
    QHash<QString, QString> m_secretValues; // secretName → value (to tell apart two tokens)
    QHash<QString, QString> m_variables;
};

} // namespace hd
