#pragma once

// The history database's schema and its migrations. Every change to the schema is a new
// numbered migration appended to the list in historyschema.cpp, recorded in the
// schema_migrations table when applied; a database is never changed in place any other way.
// PRAGMA application_id marks the file as ours, which is how a foreign SQLite file is told
// apart from an empty or older history.

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

namespace hd {

class HistorySchema
{
public:
    static constexpr qint32 ApplicationId = 0x48444543; // "HDEC"

    // Unavailable: the file could not be read for a reason that says nothing about its content
    // (locked by another process, permission denied, I/O error): never moved aside.
    enum class State { Empty, Ours, Foreign, Corrupt, Newer, Unavailable };
    struct Inspection
    {
        State state = State::Empty;
        int version = 0;
        QString detail; // what was wrong, for the user's message
    };

    static int latestVersion();
    // Reads the header and the migrations table; touches nothing.
    static Inspection inspect(QSqlDatabase &db);
    // True only for the SQLite errors that mean "these bytes are not a sound database"
    // (SQLITE_CORRUPT, SQLITE_NOTADB); busy, locked, permission and I/O errors are not.
    static bool meansCorrupt(const QSqlError &error);
    // Applies every migration above the current version up to targetVersion (latest by
    // default), each in its own transaction. Returns an empty string or the error.
    static QString migrate(QSqlDatabase &db, qint64 nowMs, int targetVersion = -1);
    static int currentVersion(QSqlDatabase &db);
};

} // namespace hd
