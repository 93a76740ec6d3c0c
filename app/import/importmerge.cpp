#include "importmerge.h"

#include "workspacefile.h"

#include <QSet>

namespace hd {

namespace {

QString trimmedUrl(QString u)
{
    while (u.endsWith(u'/') && u.count(u'/') > 2)
        u.chop(1);
    return u;
}

template<typename T>
bool hasId(const QList<T> &list, const QString &id)
{
    return std::any_of(list.cbegin(), list.cend(), [&](const T &x) { return x.id == id; });
}

template<typename T>
QString freeId(const QList<T> &list, const QString &base)
{
    if (!hasId(list, base))
        return base;
    for (int i = 2;; ++i)
        if (!hasId(list, base + u'-' + QString::number(i)))
            return base + u'-' + QString::number(i);
}

bool sameCredential(Credential a, Credential b)
{
    a.id = b.id;
    a.name = b.name;
    // The loader fills in default header and query names for every method; only the
    // method's own one matters.
    if (a.method != Credential::Method::ApiKeyHeader)
        a.headerName = b.headerName;
    if (a.method != Credential::Method::ApiKeyQuery)
        a.queryName = b.queryName;
    return a == b;
}

} // namespace

QString toString(ImportChange::Kind kind)
{
    switch (kind) {
    case ImportChange::Kind::Added:
        return QStringLiteral("added");
    case ImportChange::Kind::Changed:
        return QStringLiteral("changed");
    case ImportChange::Kind::Unchanged:
        return QStringLiteral("unchanged");
    case ImportChange::Kind::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

ImportMergeResult mergeImport(const Workspace &into, const ImportResult &import,
                              const ImportMergeOptions &options)
{
    ImportMergeResult r;
    if (!import.ok()) {
        r.error = import.error;
        return r;
    }
    Workspace ws = into;
    if (ws.name.isEmpty() || ws.name == u"Untitled")
        ws.name = import.name;
    using Kind = ImportChange::Kind;

    // Which endpoints are taken decides which environments and credentials are needed.
    QList<ImportedEndpoint> taken;
    for (const auto &e : import.endpoints) {
        const bool wanted
            = options.endpoints.isEmpty() ? e.selected : options.endpoints.contains(e.endpoint.id);
        if (wanted) {
            taken.append(e);
        } else if (options.includeUnselectedPaused) {
            ImportedEndpoint p = e;
            p.endpoint.paused = true;
            taken.append(p);
        } else {
            r.changes.append({Kind::Skipped, QStringLiteral("endpoint"), e.endpoint.id,
                              e.note.isEmpty() ? QStringLiteral("not selected") : e.note});
        }
    }
    QSet<QString> envNeeded;
    QSet<QString> credNeeded;
    for (const auto &e : std::as_const(taken)) {
        envNeeded.insert(e.endpoint.environment);
        if (!e.endpoint.credential.isEmpty())
            credNeeded.insert(e.endpoint.credential);
    }
    // With no endpoint taken at all, environments and credentials still come along (an
    // OpenAPI file with nothing pollable yet, a curl token request).
    const bool takeAll = taken.isEmpty();

    QHash<QString, QString> envMap;
    for (const auto &env : import.environments) {
        if (!takeAll && !envNeeded.contains(env.id) && !import.endpoints.isEmpty())
            continue;
        const auto same = std::find_if(
            ws.environments.cbegin(), ws.environments.cend(),
            [&](const Environment &x) { return trimmedUrl(x.baseUrl) == trimmedUrl(env.baseUrl); });
        if (same != ws.environments.cend()) {
            envMap.insert(env.id, same->id);
            r.changes.append({Kind::Unchanged, QStringLiteral("environment"), same->id,
                              QStringLiteral("same base URL")});
            continue;
        }
        Environment e = env;
        e.id = freeId(ws.environments, env.id);
        envMap.insert(env.id, e.id);
        ws.environments.append(e);
        r.changes.append({Kind::Added, QStringLiteral("environment"), e.id, e.baseUrl});
    }
    QHash<QString, QString> credMap;
    for (const auto &cred : import.credentials) {
        if (!takeAll && !credNeeded.contains(cred.id))
            continue;
        Credential c = cred;
        if (!c.environment.isEmpty()) {
            if (!envMap.contains(c.environment))
                continue; // its environment was not taken
            c.environment = envMap.value(c.environment);
        }
        const auto same = std::find_if(ws.credentials.cbegin(), ws.credentials.cend(),
                                       [&](const Credential &x) { return sameCredential(x, c); });
        if (same != ws.credentials.cend()) {
            credMap.insert(cred.id, same->id);
            r.changes.append({Kind::Unchanged, QStringLiteral("credential"), same->id, {}});
            continue;
        }
        c.id = freeId(ws.credentials, cred.id);
        credMap.insert(cred.id, c.id);
        ws.credentials.append(c);
        r.changes.append({Kind::Added, QStringLiteral("credential"), c.id,
                          QStringLiteral("secret %1").arg(c.secretName)});
    }
    for (const auto &ie : std::as_const(taken)) {
        Endpoint e = ie.endpoint;
        e.environment = envMap.value(e.environment, e.environment);
        if (!e.credential.isEmpty())
            e.credential = credMap.value(e.credential);
        const auto existing
            = std::find_if(ws.endpoints.begin(), ws.endpoints.end(), [&](const Endpoint &x) {
                  return x.environment == e.environment && x.method == e.method && x.path == e.path;
              });
        if (existing != ws.endpoints.end()) {
            // The request may change; the user's tuning of it stays.
            Endpoint updated = *existing;
            updated.headers = e.headers;
            updated.body = e.body;
            if (!e.credential.isEmpty())
                updated.credential = e.credential;
            if (updated == *existing) {
                r.changes.append({Kind::Unchanged, QStringLiteral("endpoint"), existing->id, {}});
            } else {
                *existing = updated;
                r.changes.append({Kind::Changed, QStringLiteral("endpoint"), existing->id,
                                  QStringLiteral("headers, body or credential")});
            }
            continue;
        }
        const bool clash = hasId(ws.endpoints, e.id) || hasId(ws.streams, e.id);
        QString id = e.id;
        for (int i = 2; hasId(ws.endpoints, id) || hasId(ws.streams, id); ++i)
            id = e.id + u'-' + QString::number(i);
        e.id = id;
        ws.endpoints.append(e);
        r.changes.append(
            {Kind::Added, QStringLiteral("endpoint"), e.id,
             clash ? QStringLiteral("renamed: the id was taken")
                   : (e.paused ? QStringLiteral("paused: %1").arg(ie.note) : QString())});
    }
    for (const auto &s : import.skipped)
        r.changes.append({Kind::Skipped, s.where, {}, s.why});

    // The loader's rules decide: what would not load is not offered.
    const std::string text = WorkspaceFile::toJson(ws).dump();
    const auto check
        = WorkspaceFile::parse(QByteArray::fromStdString(text), QStringLiteral("merged workspace"));
    if (!check.workspace) {
        r.error = check.error;
        return r;
    }
    r.workspace = ws;
    return r;
}

} // namespace hd
