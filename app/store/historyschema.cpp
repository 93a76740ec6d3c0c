#include "historyschema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace hd {

namespace {

struct Migration
{
    int version;
    const char *description;
    QStringList statements;
};

const QList<Migration> &migrations()
{
    static const QList<Migration> list{
        {1,
         "events table with indexed columns and the event JSON",
         {QStringLiteral("CREATE TABLE events ("
                         " seq INTEGER PRIMARY KEY,"
                         " id TEXT NOT NULL,"
                         " time_ms INTEGER NOT NULL,"
                         " environment TEXT NOT NULL,"
                         " endpoint TEXT NOT NULL,"
                         " category TEXT NOT NULL,"
                         " outcome TEXT NOT NULL,"
                         " status INTEGER,"
                         " duration_ms REAL NOT NULL,"
                         " json TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX events_time ON events(time_ms)"),
          QStringLiteral("CREATE INDEX events_endpoint ON events(endpoint, time_ms)"),
          QStringLiteral("CREATE INDEX events_environment ON events(environment, time_ms)"),
          QStringLiteral("CREATE INDEX events_category ON events(category, time_ms)"),
          QStringLiteral("CREATE INDEX events_status ON events(status, time_ms)")}},
        {2,
         "vendor code and trace id columns, lookup by event id",
         {QStringLiteral("ALTER TABLE events ADD COLUMN code TEXT"),
          QStringLiteral("ALTER TABLE events ADD COLUMN trace_id TEXT"),
          QStringLiteral("UPDATE events SET code = json_extract(json, '$.error.code'),"
                         " trace_id = json_extract(json, '$.identifiers.traceId')"),
          QStringLiteral("CREATE INDEX events_trace ON events(trace_id)"),
          QStringLiteral("CREATE INDEX events_id ON events(id)")}},
        {3,
         "incidents: one row per firing of an alert, its timeline as healthdeck.incident/1",
         {QStringLiteral("CREATE TABLE incidents ("
                         " id TEXT PRIMARY KEY,"
                         " fired_ms INTEGER NOT NULL,"
                         " resolved_ms INTEGER,"
                         " json TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX incidents_fired ON incidents(fired_ms)")}},
    };
    return list;
}

QString describe(const QSqlError &e)
{
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

// A failed read either proves the file is damaged or says nothing about it.
HistorySchema::Inspection failedRead(const QSqlError &e, const QString &what)
{
    HistorySchema::Inspection result;
    result.state = HistorySchema::meansCorrupt(e) ? HistorySchema::State::Corrupt
                                                  : HistorySchema::State::Unavailable;
    result.detail = what.isEmpty() ? describe(e) : what.arg(describe(e));
    return result;
}

} // namespace

bool HistorySchema::meansCorrupt(const QSqlError &error)
{
    bool ok = false;
    // QSQLITE reports sqlite3_errcode() as the native code; the low byte is the primary code
    // should an extended one ever come through.
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    constexpr int SqliteCorrupt = 11;
    constexpr int SqliteNotADb = 26;
    return ok && (code == SqliteCorrupt || code == SqliteNotADb);
}

int HistorySchema::latestVersion()
{
    return migrations().last().version;
}

int HistorySchema::currentVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT max(version) FROM schema_migrations")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

HistorySchema::Inspection HistorySchema::inspect(QSqlDatabase &db)
{
    Inspection result;
    QSqlQuery q(db);
    // The first real read is what tells a database from random bytes.
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next())
        return failedRead(q.lastError(), {});
    const int objects = q.value(0).toInt();
    if (!q.exec(QStringLiteral("PRAGMA application_id")) || !q.next())
        return failedRead(q.lastError(), {});
    const qint32 appId = q.value(0).toInt();
    if (objects == 0 && appId == 0)
        return result; // Empty: a new file
    if (appId != ApplicationId) {
        result.state = State::Foreign;
        result.detail = QStringLiteral("it is an SQLite database of another application");
        return result;
    }
    if (!q.exec(QStringLiteral("SELECT max(version) FROM schema_migrations")) || !q.next()) {
        // A missing table (SQLITE_ERROR) in a file with our application id is damage too.
        const QSqlError e = q.lastError();
        result = failedRead(e, QStringLiteral("its migrations table is unreadable (%1)"));
        if (e.nativeErrorCode() == u"1")
            result.state = State::Corrupt;
        return result;
    }
    result.version = q.value(0).toInt();
    result.state = result.version > latestVersion() ? State::Newer : State::Ours;
    return result;
}

QString HistorySchema::migrate(QSqlDatabase &db, qint64 nowMs, int targetVersion)
{
    if (targetVersion < 0)
        targetVersion = latestVersion();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY,"
                               " applied_ms INTEGER NOT NULL,"
                               " description TEXT NOT NULL)"))
        || !q.exec(QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId))) {
        return describe(q.lastError());
    }
    const int current = currentVersion(db);
    for (const Migration &m : migrations()) {
        if (m.version <= current || m.version > targetVersion)
            continue;
        if (!db.transaction())
            return describe(db.lastError());
        for (const QString &sql : m.statements) {
            if (!q.exec(sql)) {
                const QString error = QStringLiteral("migration %1 failed: %2")
                                          .arg(m.version)
                                          .arg(describe(q.lastError()));
                db.rollback();
                return error;
            }
        }
        q.prepare(QStringLiteral("INSERT INTO schema_migrations(version, applied_ms, description)"
                                 " VALUES (?, ?, ?)"));
        q.addBindValue(m.version);
        q.addBindValue(nowMs);
        q.addBindValue(QString::fromLatin1(m.description));
        if (!q.exec() || !db.commit()) {
            const QString error = describe(q.lastError());
            db.rollback();
            return error;
        }
    }
    return {};
}

} // namespace hd
