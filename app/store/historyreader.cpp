#include "historyreader.h"

#include "historyincidents.h"

#include "eventjson.h"
#include "historysql.h"
#include "saturating.h"

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

QList<ApiEvent> HistoryReader::eventsById(const QStringList &ids) const
{
    QList<ApiEvent> out;
    if (m_connection.isEmpty())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT json FROM events WHERE id = ? LIMIT 1"));
    for (const QString &id : ids.mid(0, MaxEventsById)) {
        q.addBindValue(id);
        if (!q.exec() || !q.next())
            continue;
        if (auto event = eventFromJsonText(q.value(0).toString().toUtf8()).event)
            out.append(std::move(*event));
    }
    return out;
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

HistoryBuckets HistoryReader::buckets(const HistoryBucketQuery &query,
                                      const std::function<bool()> &cancelled)
{
    HistoryBuckets out;
    out.query = query;
    if (m_connection.isEmpty()) {
        out.error = QStringLiteral("no history database is open");
        return out;
    }
    const qint64 res = std::max<qint64>(1, query.resolutionMs);
    const qint64 span = std::max<qint64>(res, query.toMs - query.fromMs);
    const int capacity = int(std::min<qint64>((span + res - 1) / res + 1, 100000));

    QStringList where{QStringLiteral("time_ms >= ?"), QStringLiteral("time_ms < ?")};
    QVariantList binds{query.fromMs, query.toMs};
    switch (query.kind) {
    case ScopeKind::All:
    case ScopeKind::Credential: // filtered per row below (the mapping lives in the workspace)
        break;
    case ScopeKind::Endpoint:
        where.append(QStringLiteral("endpoint = ?"));
        binds.append(query.name);
        break;
    case ScopeKind::Environment:
        where.append(QStringLiteral("environment = ?"));
        binds.append(query.name);
        break;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    // The facts the rings keep; json_extract only for the small objects charts need (SQLite
    // parses a row's JSON once for all of them).
    q.prepare(QStringLiteral("SELECT time_ms, category, duration_ms, endpoint,"
                             " json_extract(json, '$.rate_limit.limit'),"
                             " json_extract(json, '$.rate_limit.remaining'),"
                             " json_extract(json, '$.token.expires_in_s'),"
                             " json_extract(json, '$.timing.dns_ms'),"
                             " json_extract(json, '$.timing.connect_ms'),"
                             " json_extract(json, '$.timing.tls_ms'),"
                             " json_extract(json, '$.timing.sent_ms'),"
                             " json_extract(json, '$.timing.first_byte_ms'),"
                             " json_extract(json, '$.timing.transfer_ms')"
                             " FROM events WHERE %1")
                  .arg(where.join(QStringLiteral(" AND "))));
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds[i]);
    if (!q.exec()) {
        out.error = QStringLiteral("history query failed: %1").arg(q.lastError().text());
        return out;
    }
    auto scope = std::make_shared<BucketRing>(res, capacity, true);
    QHash<QString, std::shared_ptr<BucketRing>> credentials;
    for (const QString &c : query.credentials)
        credentials.insert(c, std::make_shared<BucketRing>(res, capacity, false));
    auto credentialOf = [&query](const QString &endpoint) {
        if (endpoint.startsWith(QStringLiteral("token:")))
            return endpoint.mid(6);
        return query.credentialOfEndpoint.value(endpoint);
    };
    QString lastEndpoint;
    QString lastCredential;
    while (q.next()) {
        if ((out.rows & 0xfff) == 0 && cancelled()) {
            out.error = QStringLiteral("cancelled");
            return out;
        }
        const auto category = categoryFromString(q.value(1).toString().toStdString());
        if (!category)
            continue;
        EventSample sample;
        sample.timeMs = q.value(0).toLongLong();
        sample.category = *category;
        sample.outcome = outcomeOf(*category);
        sample.durationMs = q.value(2).toDouble();
        const QVariant limit = q.value(4);
        const QVariant remaining = q.value(5);
        if (!limit.isNull() && !remaining.isNull() && limit.toLongLong() > 0)
            sample.headroom = remaining.toDouble() / limit.toDouble();
        const QVariant expiresIn = q.value(6);
        if (!expiresIn.isNull())
            sample.tokenExpiresAtMs
                = saturatingAdd(sample.timeMs, saturatingMul(expiresIn.toLongLong(), 1000));
        TimingInfo timing;
        std::optional<double> *phases[PhaseCount]{&timing.dnsMs,       &timing.connectMs,
                                                  &timing.tlsMs,       &timing.sentMs,
                                                  &timing.firstByteMs, &timing.transferMs};
        for (std::size_t i = 0; i < PhaseCount; ++i)
            if (const QVariant v = q.value(7 + int(i)); !v.isNull())
                *phases[i] = v.toDouble();
        sample.phasesMs = EventSample::phasesOf(timing);
        const QString endpoint = q.value(3).toString();
        if (endpoint != lastEndpoint) {
            lastEndpoint = endpoint;
            lastCredential = credentialOf(endpoint);
        }
        if (query.kind != ScopeKind::Credential || lastCredential == query.name)
            scope->add(sample);
        if (auto it = credentials.find(lastCredential); it != credentials.end())
            (*it)->add(sample);
        ++out.rows;
    }
    out.scope = std::move(scope);
    for (auto it = credentials.cbegin(); it != credentials.cend(); ++it)
        out.credentials.insert(it.key(), it.value());
    return out;
}

HistoryReader::SloCounts HistoryReader::sloCounts(qint64 hoursFromMs, qint64 minutesFromMs,
                                                  qint64 toMs) const
{
    SloCounts out;
    if (m_connection.isEmpty() || !QSqlDatabase::contains(m_connection)) {
        out.error = QStringLiteral("no history database is open");
        return out;
    }
    const auto read = [&](qint64 unitMs, qint64 fromMs, QList<SloCount> &into) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.setForwardOnly(true);
        // Grouped in SQLite: a month of a thousand endpoints is some hundred thousand rows,
        // never the events themselves. time_ms is indexed.
        q.prepare(QStringLiteral("SELECT time_ms / ?, endpoint, environment, count(*),"
                                 " sum(outcome <> ?) FROM events"
                                 " WHERE time_ms >= ? AND time_ms < ? AND endpoint NOT LIKE"
                                 " 'token:%' GROUP BY 1, 2, 3"));
        q.addBindValue(unitMs);
        q.addBindValue(toQString(toString(Outcome::Success)));
        q.addBindValue(std::max<qint64>(0, fromMs));
        q.addBindValue(toMs);
        if (!q.exec()) {
            out.error = q.lastError().text();
            return;
        }
        while (q.next()) {
            SloCount c;
            c.index = q.value(0).toLongLong();
            c.endpoint = q.value(1).toString();
            c.environment = q.value(2).toString();
            c.total = quint32(std::clamp<qint64>(q.value(3).toLongLong(), 0, 0xffffffffLL));
            c.failures = quint32(std::clamp<qint64>(q.value(4).toLongLong(), 0, c.total));
            into.append(std::move(c));
        }
    };
    read(3600000, hoursFromMs, out.hours);
    if (out.error.isEmpty())
        read(60000, minutesFromMs, out.minutes);
    return out;
}

QList<Incident> HistoryReader::incidents(qint64 fromMs, qint64 toMs, int limit, int *skipped) const
{
    if (m_connection.isEmpty() || !QSqlDatabase::contains(m_connection)) {
        if (skipped)
            *skipped = 0;
        return {};
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    return HistoryIncidents::read(db, fromMs, toMs, limit, skipped);
}

} // namespace hd
