#pragma once

// Merges an ImportResult into a workspace: what the import preview shows and what
// `hdeck import --into` writes. Environments with the same base URL and equal credentials are
// reused, not duplicated; an endpoint that already exists (same environment, method and path)
// keeps the user's interval, timeout, profile, quota share, expectations and pause state.
// The merged workspace is checked with the workspace loader's own rules before it is offered.

#include "importresult.h"

namespace hd {

struct ImportChange
{
    enum class Kind { Added, Changed, Unchanged, Skipped };
    Kind kind = Kind::Added;
    QString what; // environment, credential, endpoint, secret
    QString id;
    QString why; // for Changed/Skipped
};

struct ImportMergeResult
{
    Workspace workspace;
    QList<ImportChange> changes;
    QString error; // the merged workspace would not load: nothing to write
    bool ok() const { return error.isEmpty(); }
};

struct ImportMergeOptions
{
    // Endpoints to take (by the import's ids); empty: those the import selected.
    QStringList endpoints;
    // Also take the endpoints not selected, paused, so the user can pick them later.
    bool includeUnselectedPaused = false;
};

ImportMergeResult mergeImport(const Workspace &into, const ImportResult &import,
                              const ImportMergeOptions &options = {});

QString toString(ImportChange::Kind kind);

} // namespace hd
