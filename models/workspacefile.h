#pragma once

// Loading and saving workspace files. A broken file gives one message naming the file, the
// line:column or JSON pointer, and the problem; saving is atomic (QSaveFile), so a crash or a
// full disk never leaves a half-written workspace behind.

#include "workspace.h"

namespace hd {

struct WorkspaceLoadResult
{
    std::optional<Workspace> workspace;
    QString error; // "<file>: at /endpoints/3/intervalMs: must be a number ≥ 100"
    // The same problem as data, for editors that put it under a field: the JSON pointer
    // ("/endpoints/3/intervalMs"; empty when the text as a whole is wrong — syntax, size) and
    // the problem alone ("must be a number ≥ 100").
    QString errorPointer;
    QString problem;
    QStringList warnings;
};

class WorkspaceFile
{
public:
    // Larger files are refused with a message before parsing: no real workspace comes close.
    static constexpr qsizetype MaxBytes = 16 * 1024 * 1024;

    static WorkspaceLoadResult load(const QString &path);
    static WorkspaceLoadResult parse(const QByteArray &text, const QString &origin);
    // Checks a document already in memory (a workspace being edited, as toJson() gives it)
    // with the same rules as parse(), without a round trip through text.
    static WorkspaceLoadResult parseJson(const nlohmann::ordered_json &root, const QString &origin);
    static nlohmann::ordered_json toJson(const Workspace &ws);
    // Writes atomically; returns an error message or an empty string.
    static QString save(const Workspace &ws, const QString &path);
};

} // namespace hd
