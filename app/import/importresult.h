#pragma once

// What an importer proposes (docs/import.md): environments, credentials and endpoints to add,
// what it skipped and why, and the secret values it found. An importer is a pure function
// from file contents to an ImportResult; nothing is written anywhere until the result is
// merged (ImportMerge) and saved.
//
// Secret values never go into the workspace: each ImportedSecret names the keychain entry
// (secretName, also HDECK_SECRET_<NAME>) it belongs in. `value` is for the keychain only and
// must never be printed, logged or saved; reports show the name and where it was found.

#include "workspace.h"

#include <QList>
#include <QString>

namespace hd {

struct ImportedEndpoint
{
    Endpoint endpoint;
    bool selected = true; // proposed for polling; others are listed for the user to pick
    QString note;         // why it is not selected, or what was changed ("path parameter {id}")
};

struct ImportedSecret
{
    QString secretName; // keychain entry / HDECK_SECRET_<NAME>
    QString credential; // the credential that uses it
    QString foundAt;    // "line 3: -u", "collection auth (bearer)": never the value
    QString value;      // empty: the file only named it (a $VARIABLE or a placeholder)
    bool hasValue() const { return !value.isEmpty(); }
};

struct ImportSkip
{
    QString where; // "line 4", "paths./orders.post", "item Orders/Create"
    QString why;
};

struct ImportResult
{
    // Non-empty: the file was refused and nothing else is set. "<file>: at <where>: <what>".
    QString error;
    QString format; // curl, openapi, postman, har
    QString name;   // a workspace name the file suggests
    QList<Environment> environments;
    QList<Credential> credentials;
    QList<ImportedEndpoint> endpoints;
    QList<ImportSkip> skipped;
    QList<ImportedSecret> secrets;
    QStringList notes; // things the user should know (TLS checks turned off in the source, …)

    bool ok() const { return error.isEmpty(); }
    int selectedCount() const;
};

// Limits for untrusted files: larger inputs are refused, deeper structures are refused,
// more endpoints than this are skipped with a note.
inline constexpr qsizetype ImportMaxBytes = 16 * 1024 * 1024;
inline constexpr int ImportMaxDepth = 96;
inline constexpr int ImportMaxEndpoints = 5000;

} // namespace hd
