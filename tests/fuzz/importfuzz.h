#pragma once

// Shared invariants for the importer fuzz targets (fuzz_import*.cpp). An import file is
// untrusted input a user received from somewhere else; for any bytes an importer must give a
// proposal or one error line — never a crash, an uncaught exception, a sanitizer report or a
// hang — and a proposal must merge into a workspace that saves and loads again.

#include "importmerge.h"
#include "importresult.h"
#include "workspacefile.h"

#include <cstdio>
#include <cstdlib>

namespace hd::fuzz {

[[noreturn]] inline void fail(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "invariant violated: %s %s\n", what, qPrintable(detail));
    std::abort();
}

inline void checkImport(const ImportResult &r)
{
    if (!r.ok()) {
        if (r.error.contains(u'\n'))
            fail("the error is one line:", r.error);
        if (!r.endpoints.isEmpty() || !r.environments.isEmpty() || !r.secrets.isEmpty())
            fail("a refused file proposes nothing");
        return;
    }
    if (r.endpoints.size() > ImportMaxEndpoints)
        fail("at most ImportMaxEndpoints endpoints");
    // Secret values go to the keychain only: the workspace never names them.
    const ImportMergeResult merged
        = mergeImport(Workspace{}, r, {.endpoints = {}, .includeUnselectedPaused = true});
    if (!merged.ok())
        return; // a proposal that would not load is refused with a message; nothing written
    const std::string json = WorkspaceFile::toJson(merged.workspace).dump();
    for (const ImportedSecret &s : r.secrets) {
        if (s.value.size() >= 8 && json.find(s.value.toStdString()) != std::string::npos)
            fail("a secret value reached the workspace at", s.foundAt);
    }
    const WorkspaceLoadResult back
        = WorkspaceFile::parse(QByteArray::fromStdString(json), QStringLiteral("merged.json"));
    if (!back.workspace)
        fail("a merged workspace loads again:", back.error);
}

} // namespace hd::fuzz
