#include "historyreader.h"

#include "eventjson.h"
#include "historysql.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace hd {

HistoryReader::HistoryReader(const Clock &clock)
    : m_clock(clock)
{}

bool HistoryReader::open(const QString &path, const QString &connectionName, QString *error)
{
    m_connection = connectionName;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        if (error)
            *error = QStringLiteral("Cannot open history database %1 for background reading: %2")
                         .arg(path, db.lastError().text());
        return false;
    }
    QSqlQuery(db).exec(QStringLiteral("PRAGMA query_only = 1"));
    return true;
}

void HistoryReader::close()
{
    if (m_connection.isEmpty() || !QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

qint64 HistoryReader::count() const
{
    if (m_connection.isEmpty())
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT count(*) FROM events")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

void HistoryReader::stream(const EventRange &range, int batchSize,
                           const std::function<bool()> &cancelled, const Deliver &deliver)
{
    if (m_connection.isEmpty()) {
        deliver({}, true, QStringLiteral("no history database is open"));
        return;
    }
    const LogFilter filter = LogFilter::parse(range.filter);
    if (!filter.isValid()) {
        deliver({}, true, filter.errorMessage());
        return;
    }
    batchSize = std::max(1, batchSize);
    const qint64 now = m_clock.nowMs();
    HistorySql sql = HistorySql::forFilter(filter, range.fromMs, range.toMs, now);
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);

    if (range.limit > 0) {
        // The newest `limit` rows: find the oldest of them in the index, then read from there.
        QSqlQuery edge(db);
        edge.prepare(QStringLiteral("SELECT time_ms, seq FROM events WHERE %1 ORDER BY time_ms "
                                    "DESC, seq DESC LIMIT 1 OFFSET ?")
                         .arg(sql.whereClause()));
        for (qsizetype i = 0; i < sql.binds.size(); ++i)
            edge.bindValue(int(i), sql.binds[i]);
        edge.bindValue(int(sql.binds.size()), range.limit - 1);
        if (!edge.exec()) {
            deliver({}, true,
                    QStringLiteral("history query failed: %1").arg(edge.lastError().text()));
            return;
        }
        if (edge.next()) {
            const qint64 t = edge.value(0).toLongLong();
            sql.where.append(QStringLiteral("(time_ms > ? OR (time_ms = ? AND seq >= ?))"));
            sql.binds << t << t << edge.value(1).toLongLong();
        }
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    const QString order = range.newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    q.prepare(QStringLiteral("SELECT json FROM events WHERE %1 ORDER BY time_ms %2, seq %2")
                  .arg(sql.whereClause(), order));
    for (qsizetype i = 0; i < sql.binds.size(); ++i)
        q.bindValue(int(i), sql.binds[i]);
    if (!q.exec()) {
        deliver({}, true, QStringLiteral("history query failed: %1").arg(q.lastError().text()));
        return;
    }
    QList<ApiEvent> batch;
    batch.reserve(batchSize);
    int delivered = 0;
    while (q.next()) {
        EventParseResult parsed = eventFromJsonText(q.value(0).toString().toUtf8());
        if (!parsed.event || !filter.matches(*parsed.event, now))
            continue;
        batch.append(std::move(*parsed.event));
        if (range.limit > 0 && delivered + batch.size() >= range.limit)
            break;
        if (batch.size() >= batchSize) {
            if (cancelled())
                return;
            delivered += int(batch.size());
            deliver(std::exchange(batch, {}), false, {});
            batch.reserve(batchSize);
        }
    }
    if (!cancelled())
        deliver(std::move(batch), true, {});
}

} // namespace hd
