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
    QStringList warnings;
};

class WorkspaceFile
{
public:
    // Larger files are refused with a message before parsing: no real workspace comes close.
    static constexpr qsizetype MaxBytes = 16 * 1024 * 1024;

    static WorkspaceLoadResult load(const QString &path);
    static WorkspaceLoadResult parse(const QByteArray &text, const QString &origin);
    static nlohmann::ordered_json toJson(const Workspace &ws);
    // Writes atomically; returns an error message or an empty string.
    static QString save(const Workspace &ws, const QString &path);
};

} // namespace hd
