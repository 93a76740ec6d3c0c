#pragma once

// The history database's schema and its migrations. Every change to the schema is a new
// numbered migration appended to the list in historyschema.cpp, recorded in the
// schema_migrations table when applied; a database is never changed in place any other way.
// PRAGMA application_id marks the file as ours, which is how a foreign SQLite file is told
// apart from an empty or older history.

#include <QSqlDatabase>
#include <QString>

namespace hd {

class HistorySchema
{
public:
    static constexpr qint32 ApplicationId = 0x48444543; // "HDEC"

    enum class State { Empty, Ours, Foreign, Corrupt, Newer };
    struct Inspection
    {
        State state = State::Empty;
        int version = 0;
        QString detail; // what was wrong, for the user's message
    };

    static int latestVersion();
    // Reads the header and the migrations table; touches nothing.
    static Inspection inspect(QSqlDatabase &db);
    // Applies every migration above the current version up to targetVersion (latest by
    // default), each in its own transaction. Returns an empty string or the error.
    static QString migrate(QSqlDatabase &db, qint64 nowMs, int targetVersion = -1);
    static int currentVersion(QSqlDatabase &db);
};

} // namespace hd
