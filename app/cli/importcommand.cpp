// hdeck import FORMAT FILE [--into WORKSPACE]: a proposed workspace from what users already
// have (docs/import.md). Secret values are never printed: the report names the secret and
// the HDECK_SECRET_<NAME> variable to set; --store-secrets puts the values in the keychain.
#include "clicommand.h"

#include "curlimporter.h"
#include "environmentsecretstore.h"
#include "harimporter.h"
#include "importmerge.h"
#include "keychainsecretstore.h"
#include "openapiimporter.h"
#include "postmanimporter.h"
#include "workspacefile.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace hd::cli {

namespace {

std::optional<QByteArray> readInput(const QString &path, QString *error)
{
    QFile f;
    const bool ok = path == u"-" ? f.open(stdin, QIODevice::ReadOnly)
                                 : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!ok) {
        *error = QStringLiteral("%1: cannot open: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    const QByteArray data = f.read(ImportMaxBytes + 1);
    if (data.size() > ImportMaxBytes) {
        *error = QStringLiteral("%1: larger than %2 MiB; not imported")
                     .arg(path)
                     .arg(ImportMaxBytes / (1024 * 1024));
        return std::nullopt;
    }
    return data;
}

void report(const ImportResult &r, const ImportMergeResult &m, const QString &file)
{
    int added = 0;
    int changed = 0;
    for (const auto &c : m.changes)
        if (c.what == u"endpoint") {
            added += c.kind == ImportChange::Kind::Added ? 1 : 0;
            changed += c.kind == ImportChange::Kind::Changed ? 1 : 0;
        }
    std::fprintf(stderr,
                 "hdeck import: %s (%s): %lld endpoints found, %d selected; %d added, %d changed; "
                 "%lld environments, %lld credentials\n",
                 qPrintable(file), qPrintable(r.format), qint64(r.endpoints.size()),
                 r.selectedCount(), added, changed, qint64(r.environments.size()),
                 qint64(r.credentials.size()));
    for (const auto &c : m.changes) {
        if (c.kind == ImportChange::Kind::Skipped)
            std::fprintf(stderr, "  skipped %s%s%s: %s\n", qPrintable(c.what),
                         c.id.isEmpty() ? "" : " ", qPrintable(c.id), qPrintable(c.why));
        else if (c.kind != ImportChange::Kind::Unchanged)
            std::fprintf(stderr, "  %s %s %s%s%s\n", qPrintable(toString(c.kind)),
                         qPrintable(c.what), qPrintable(c.id), c.why.isEmpty() ? "" : ": ",
                         qPrintable(c.why));
    }
    for (const auto &s : r.secrets)
        std::fprintf(
            stderr, "  secret %s (credential %s, from %s): %s\n", qPrintable(s.secretName),
            qPrintable(s.credential), qPrintable(s.foundAt),
            s.hasValue()
                ? qPrintable(QStringLiteral("value found; store it with --store-secrets "
                                            "or set %1")
                                 .arg(EnvironmentSecretStore::variableName(s.secretName)))
                : qPrintable(QStringLiteral("not in the file; set %1 or store it in the "
                                            "keychain")
                                 .arg(EnvironmentSecretStore::variableName(s.secretName))));
    for (const auto &n : r.notes)
        std::fprintf(stderr, "  note: %s\n", qPrintable(n));
    std::fflush(stderr);
}

// Writes the found values to the OS keychain; returns an error line or empty.
QString storeSecrets(const ImportResult &r)
{
    QList<ImportedSecret> values;
    for (const auto &s : r.secrets)
        if (s.hasValue())
            values.append(s);
    if (values.isEmpty())
        return {};
    QObject context;
    QEventLoop loop;
    QString error;
    std::unique_ptr<SecretStore> store;
    KeychainSecretStore::detect(&context, [&](std::unique_ptr<SecretStore> s, QString message) {
        if (!s || s->kind() != SecretStore::Kind::Keychain)
            error = QStringLiteral("no keychain answers (%1); set the HDECK_SECRET_<NAME> "
                                   "variables instead")
                        .arg(message);
        else
            store = std::move(s);
        loop.quit();
    });
    loop.exec();
    if (!store)
        return error;
    // One write at a time: a fresh keyring creates its default collection on the first write,
    // and concurrent first writes race for it ("Object does not exist at path …/login").
    bool finished = false;
    std::function<void(int)> writeFrom = [&](int i) {
        if (i >= values.size()) {
            finished = true;
            loop.quit();
            return;
        }
        const ImportedSecret &s = values.at(i);
        store->write(s.secretName, s.value, &context, [&, i, name = s.secretName](QString e) {
            if (!e.isEmpty() && error.isEmpty())
                error = QStringLiteral("keychain: %1: %2").arg(name, e);
            else if (e.isEmpty())
                std::fprintf(stderr, "  stored secret %s in the keychain\n", qPrintable(name));
            writeFrom(i + 1);
        });
    };
    writeFrom(0);
    if (!finished) // an answer may come at once
        loop.exec();
    return error;
}

} // namespace

int runImport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Propose a workspace from a curl command line, an OpenAPI/Swagger file, a Postman "
        "collection or a HAR file.\nPrints the workspace JSON, or merges it into --into "
        "(written atomically). Secret values are never printed."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("FORMAT"),
                            QStringLiteral("curl, openapi, postman or har"));
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("the file to import (- for stdin)"));
    const QCommandLineOption into(QStringLiteral("into"),
                                  QStringLiteral("Merge into this workspace file (created when "
                                                 "missing)."),
                                  QStringLiteral("WORKSPACE"));
    const QCommandLineOption environment(
        QStringLiteral("environment"),
        QStringLiteral("postman: a Postman environment file whose variables win."),
        QStringLiteral("F"));
    const QCommandLineOption all(QStringLiteral("all"),
                                 QStringLiteral("Also take the endpoints not selected, paused."));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
                                      QStringLiteral("Take this endpoint (by its proposed id) "
                                                     "instead of the selected ones; repeatable."),
                                      QStringLiteral("ID"));
    const QCommandLineOption storeSecretsOption(
        QStringLiteral("store-secrets"),
        QStringLiteral("Store the secret values found in the OS keychain."));
    p.addOptions({into, environment, all, endpoint, storeSecretsOption});
    if (!p.parse(QStringList{QStringLiteral("hdeck import")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 2) {
        printError(QStringLiteral("import: usage: hdeck import curl|openapi|postman|har FILE "
                                  "[--into WORKSPACE]"));
        return Usage;
    }
    const QString format = pos.at(0);
    const QString file = pos.at(1);
    static const QStringList formats{QStringLiteral("curl"), QStringLiteral("openapi"),
                                     QStringLiteral("swagger"), QStringLiteral("postman"),
                                     QStringLiteral("har")};
    if (!formats.contains(format)) {
        printError(QStringLiteral("import: unknown format '%1'; use curl, openapi, postman or har")
                       .arg(format));
        return Usage;
    }
    if (p.isSet(environment) && format != u"postman") {
        printError(QStringLiteral("import: --environment is for postman only"));
        return Usage;
    }
    QString error;
    const auto data = readInput(file, &error);
    if (!data) {
        printError(error);
        return Failure;
    }
    const QString origin = file == u"-" ? QStringLiteral("stdin") : file;
    ImportResult result;
    if (format == u"curl")
        result = importCurl(*data, origin);
    else if (format == u"openapi" || format == u"swagger")
        result = importOpenApi(*data, origin);
    else if (format == u"har")
        result = importHar(*data, origin);
    else {
        QByteArray env;
        if (p.isSet(environment)) {
            const auto e = readInput(p.value(environment), &error);
            if (!e) {
                printError(error);
                return Failure;
            }
            env = *e;
        }
        result = importPostman(*data, origin, env, p.value(environment));
    }
    if (!result.ok()) {
        printError(result.error);
        return Failure;
    }

    Workspace base;
    const QString target = p.value(into);
    if (!target.isEmpty() && QFileInfo::exists(target)) {
        const auto loaded = WorkspaceFile::load(target);
        if (!loaded.workspace) {
            printError(loaded.error);
            return Failure;
        }
        base = *loaded.workspace;
    }
    ImportMergeOptions options;
    options.includeUnselectedPaused = p.isSet(all);
    options.endpoints = p.values(endpoint);
    for (const QString &id : std::as_const(options.endpoints))
        if (!std::any_of(result.endpoints.cbegin(), result.endpoints.cend(),
                         [&](const ImportedEndpoint &e) { return e.endpoint.id == id; })) {
            printError(QStringLiteral("import: --endpoint %1: the import proposes no such endpoint")
                           .arg(id));
            return Usage;
        }
    const ImportMergeResult merged = mergeImport(base, result, options);
    if (!merged.ok()) {
        printError(merged.error);
        return Failure;
    }
    report(result, merged, origin);
    if (p.isSet(storeSecretsOption)) {
        const QString e = storeSecrets(result);
        if (!e.isEmpty())
            printError(QStringLiteral("import: ") + e);
    }
    if (target.isEmpty()) {
        const std::string text = WorkspaceFile::toJson(merged.workspace).dump(2);
        printLine(QByteArray::fromStdString(text));
        return Ok;
    }
    const QString saveError = WorkspaceFile::save(merged.workspace, target);
    if (!saveError.isEmpty()) {
        printError(saveError);
        return Failure;
    }
    std::fprintf(stderr, "hdeck import: wrote %s\n", qPrintable(target));
    return Ok;
}

} // namespace hd::cli
