#include "historywriter.h"

#include "eventbytes.h"
#include "eventjson.h"
#include "historyschema.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QVariant>

namespace hd {

namespace {

// A commit this large is worth doing before the window closes: it bounds the memory a storm
// can pile up and the length of one transaction.
constexpr qsizetype EarlyCommitSize = 20000;
// Rows per retention DELETE, so pending inserts get a turn between chunks.
constexpr int RetentionChunk = 10000;

QString sqlError(const QSqlError &e)
{
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

// Renames the file and its WAL/SHM companions to <name>.corrupt-<UTC stamp>[-wal|-shm];
// SQLite pairs a database with "<name>-wal", so the moved set stays openable for forensics.
QString moveAside(const QString &path, qint64 nowMs, QString &error)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)
                              .toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    QFile file(path);
    if (!file.rename(target)) {
        error = file.errorString();
        return {};
    }
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(path + suffix))
            QFile::rename(path + suffix, target + suffix);
    }
    return target;
}

// The history holds (redacted) requests and responses of trading accounts: owner only. SQLite
// creates a new database 0644 and gives its -wal/-shm files the database file's mode, so the
// file is created here first, 0600, before SQLite sees it (an empty file is an empty database),
// and an existing one of ours is tightened together with its companions.
void makeOwnerOnly(const QString &path)
{
    const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QFile file(path);
    if (!QFileInfo::exists(path)) {
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly))
            file.close();
        return;
    }
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const QFileInfo info(path + suffix);
        if (info.isFile() && info.isWritable()
            && (info.permissions() & QFileDevice::Permissions(0x0077)).toInt() != 0)
            QFile::setPermissions(path + suffix, ownerOnly);
    }
}

// SQLite says "unable to open database file" for a permissions problem; the user needs to
// read "permission denied" and which file.
QString unavailableReason(const QString &path, const QString &sqliteText)
{
    const QFileInfo file(path);
    const QFileInfo dir(file.absolutePath());
    if (!dir.exists() || !dir.isDir())
        return QStringLiteral("%1 is not a folder (%2)").arg(dir.filePath(), sqliteText);
    if (file.exists() && (!file.isReadable() || !file.isWritable()))
        return QStringLiteral("permission denied (%1)").arg(sqliteText);
    if (!file.exists() && !dir.isWritable())
        return QStringLiteral("permission denied: cannot create a file in %1 (%2)")
            .arg(dir.filePath(), sqliteText);
    return sqliteText;
}

} // namespace

HistoryWriter::HistoryWriter(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_maxQueueBytes(limits::MaxHistoryQueueBytes)
{}

int HistoryWriter::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_pending.size());
}

qint64 HistoryWriter::pendingBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pendingBytes;
}

qint64 HistoryWriter::maxQueueBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_maxQueueBytes;
}

void HistoryWriter::setMaxQueueBytes(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    m_maxQueueBytes = std::max<qint64>(0, bytes);
    dropOldestLocked();
}

void HistoryWriter::dropOldestLocked()
{
    // The newest event always stays: the bound is on what piles up, not on one event.
    qsizetype drop = 0;
    qint64 bytes = m_pendingBytes;
    while (bytes > m_maxQueueBytes && drop < m_pending.size() - 1)
        bytes -= approxEventBytes(m_pending[drop++]);
    if (drop == 0)
        return;
    m_pending.remove(0, drop);
    m_pendingBytes = bytes;
    m_dropped += quint64(drop);
}

void HistoryWriter::reportDrops()
{
    const quint64 dropped = m_dropped.load();
    if (dropped == m_droppedReported)
        return;
    const quint64 now = dropped - m_droppedReported;
    m_droppedReported = dropped;
    emit writeFailed(QStringLiteral("history is not keeping up: %1 unwritten events over the %2 "
                                    "MiB queue limit were dropped, oldest first (%3 in all)")
                         .arg(now)
                         .arg(maxQueueBytes() / (1024 * 1024))
                         .arg(dropped));
}

HistoryWriter::~HistoryWriter() = default;

void HistoryWriter::enqueue(const ApiEvent &event)
{
    bool wasEmpty = false;
    bool large = false;
    {
        QMutexLocker lock(&m_mutex);
        wasEmpty = m_pending.isEmpty();
        m_pending.append(event);
        m_pendingBytes += approxEventBytes(event);
        dropOldestLocked();
        large = m_pending.size() == EarlyCommitSize;
    }
    if (wasEmpty)
        QMetaObject::invokeMethod(this, &HistoryWriter::armCommitTimer, Qt::QueuedConnection);
    if (large)
        QMetaObject::invokeMethod(this, &HistoryWriter::commitPending, Qt::QueuedConnection);
}

void HistoryWriter::enqueue(const QList<ApiEvent> &events)
{
    if (events.isEmpty())
        return;
    bool wasEmpty = false;
    bool large = false;
    {
        QMutexLocker lock(&m_mutex);
        wasEmpty = m_pending.isEmpty();
        large = m_pending.size() < EarlyCommitSize
                && m_pending.size() + events.size() >= EarlyCommitSize;
        m_pending.append(events);
        for (const ApiEvent &e : events)
            m_pendingBytes += approxEventBytes(e);
        dropOldestLocked();
    }
    if (wasEmpty)
        QMetaObject::invokeMethod(this, &HistoryWriter::armCommitTimer, Qt::QueuedConnection);
    if (large)
        QMetaObject::invokeMethod(this, &HistoryWriter::commitPending, Qt::QueuedConnection);
}

void HistoryWriter::enqueueIncident(const QString &id, qint64 firedMs, qint64 resolvedMs,
                                    const QByteArray &json)
{
    bool wasEmpty = false;
    {
        QMutexLocker lock(&m_mutex);
        wasEmpty = m_pending.isEmpty() && m_pendingIncidents.isEmpty();
        // Few and small (bounded by the incident log): not counted against the event bound.
        m_pendingIncidents.insert(id, {firedMs, resolvedMs, json});
    }
    if (wasEmpty)
        QMetaObject::invokeMethod(this, &HistoryWriter::armCommitTimer, Qt::QueuedConnection);
}

void HistoryWriter::armCommitTimer()
{
    if (m_commitTimer && !m_commitTimer->isActive())
        m_commitTimer->start(m_commitIntervalMs);
}

bool HistoryWriter::configure(QSqlDatabase &db, QString &error)
{
    QSqlQuery q(db);
    // auto_vacuum only takes effect before the first table exists, which is when it matters.
    const QStringList pragmas{QStringLiteral("PRAGMA busy_timeout = 5000"),
                              QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"),
                              // FULL: a committed batch survives power loss, not just a crash.
                              QStringLiteral("PRAGMA synchronous = FULL")};
    for (const QString &p : pragmas) {
        if (!q.exec(p)) {
            error = sqlError(q.lastError());
            return false;
        }
    }
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next()
        || q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        error = QStringLiteral("cannot switch to WAL mode (%1)").arg(sqlError(q.lastError()));
        return false;
    }
    return true;
}

HistoryWriter::OpenResult HistoryWriter::open(const QString &path, const QString &connectionName,
                                              int commitIntervalMs)
{
    m_path = path;
    m_connectionName = connectionName;
    m_commitIntervalMs = std::max(1, commitIntervalMs);
    OpenResult result;

    for (int attempt = 0; attempt < 2 && !result.ok && result.error.isEmpty(); ++attempt) {
        bool moveIt = false;
        QString reason;
        makeOwnerOnly(path);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
            db.setDatabaseName(path);
            if (!db.open()) {
                result.error = QStringLiteral("Cannot open history database %1: %2")
                                   .arg(path, unavailableReason(path, sqlError(db.lastError())));
            } else {
                const HistorySchema::Inspection found = HistorySchema::inspect(db);
                switch (found.state) {
                case HistorySchema::State::Newer:
                    result.error
                        = QStringLiteral("History database %1 was written by a newer HealthDeck "
                                         "(schema %2; this version knows up to %3). Open it with "
                                         "that version, or choose another database file.")
                              .arg(path)
                              .arg(found.version)
                              .arg(HistorySchema::latestVersion());
                    break;
                case HistorySchema::State::Unavailable:
                    // Locked, unreadable, an I/O error: the file may be perfectly good and
                    // somebody else's to fix. Say so and leave it exactly where it is.
                    result.error = QStringLiteral("Cannot open history database %1: %2. It was "
                                                  "left as it is.")
                                       .arg(path, unavailableReason(path, found.detail));
                    break;
                case HistorySchema::State::Corrupt:
                    moveIt = true;
                    reason = QStringLiteral("is damaged or not a database (%1)").arg(found.detail);
                    break;
                case HistorySchema::State::Foreign:
                    moveIt = true;
                    reason = QStringLiteral("is not a HealthDeck history (%1)").arg(found.detail);
                    break;
                case HistorySchema::State::Empty:
                case HistorySchema::State::Ours: {
                    QString error;
                    if (!configure(db, error)
                        || !(error = HistorySchema::migrate(db, m_clock.nowMs())).isEmpty()) {
                        result.error = QStringLiteral("Cannot prepare history database %1: %2")
                                           .arg(path, error);
                    } else {
                        result.ok = true;
                        result.schemaVersion = HistorySchema::currentVersion(db);
                    }
                    break;
                }
                }
            }
            if (!result.ok)
                db.close();
        }
        if (!result.ok)
            QSqlDatabase::removeDatabase(connectionName);
        if (moveIt) {
            if (attempt > 0) {
                result.error = QStringLiteral("History database %1 %2 even after starting afresh.")
                                   .arg(path, reason);
                break;
            }
            QString error;
            const QString moved = moveAside(path, m_clock.nowMs(), error);
            if (moved.isEmpty()) {
                result.error = QStringLiteral("History database %1 %2, and it could not be moved "
                                              "aside (%3). Move or delete it yourself, or choose "
                                              "another database file.")
                                   .arg(path, reason, error);
                break;
            }
            result.movedTo = moved;
            result.notice = QStringLiteral("History database %1 %2; moved it to %3 and started a "
                                           "new one.")
                                .arg(path, reason, moved);
        }
    }

    if (result.ok) {
        m_commitTimer = new QTimer(this);
        m_commitTimer->setSingleShot(true);
        connect(m_commitTimer, &QTimer::timeout, this, &HistoryWriter::commitPending);
        m_retentionTimer = new QTimer(this);
        connect(m_retentionTimer, &QTimer::timeout, this, &HistoryWriter::runRetention);
        // Events queued before the database was ready.
        armCommitTimer();
    }
    return result;
}

void HistoryWriter::close()
{
    commitPending();
    delete m_commitTimer;
    m_commitTimer = nullptr;
    delete m_retentionTimer;
    m_retentionTimer = nullptr;
    if (m_connectionName.isEmpty() || !QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

void HistoryWriter::commitPending()
{
    if (m_commitTimer)
        m_commitTimer->stop();
    reportDrops();
    QVector<ApiEvent> batch;
    qint64 batchBytes = 0;
    QHash<QString, PendingIncident> incidents;
    {
        QMutexLocker lock(&m_mutex);
        if (!QSqlDatabase::contains(m_connectionName))
            return; // not open (yet): the events wait, within the byte bound
        batch.swap(m_pending);
        batchBytes = std::exchange(m_pendingBytes, 0);
        incidents.swap(m_pendingIncidents);
    }
    if (batch.isEmpty() && incidents.isEmpty())
        return;

    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QString error;
    if (!db.transaction()) {
        error = sqlError(db.lastError());
    } else {
        QSqlQuery inc(db);
        inc.prepare(QStringLiteral("INSERT OR REPLACE INTO incidents(id, fired_ms, resolved_ms,"
                                   " json) VALUES (?, ?, ?, ?)"));
        for (auto it = incidents.cbegin(); it != incidents.cend() && error.isEmpty(); ++it) {
            inc.bindValue(0, it.key());
            inc.bindValue(1, it->firedMs);
            inc.bindValue(2, it->resolvedMs ? QVariant(it->resolvedMs)
                                            : QVariant(QMetaType::fromType<qint64>()));
            inc.bindValue(3, QString::fromUtf8(it->json));
            if (!inc.exec())
                error = sqlError(inc.lastError());
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO events(id, time_ms, environment, endpoint, category, outcome, status,"
            " duration_ms, code, trace_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const ApiEvent &e : std::as_const(batch)) {
            if (!error.isEmpty())
                break;
            q.bindValue(0, e.id);
            q.bindValue(1, e.timeMs);
            q.bindValue(2, e.environment);
            q.bindValue(3, e.endpoint);
            q.bindValue(4, toQString(toString(e.category)));
            q.bindValue(5, toQString(toString(e.outcome)));
            q.bindValue(6, e.httpStatus ? QVariant(*e.httpStatus)
                                        : QVariant(QMetaType::fromType<int>()));
            q.bindValue(7, e.durationMs);
            q.bindValue(8, e.error && !e.error->code.isEmpty()
                               ? QVariant(e.error->code)
                               : QVariant(QMetaType::fromType<QString>()));
            q.bindValue(9, e.identifiers.traceId.isEmpty()
                               ? QVariant(QMetaType::fromType<QString>())
                               : QVariant(e.identifiers.traceId));
            q.bindValue(10, QString::fromUtf8(toJsonLine(e)));
            if (!q.exec()) {
                error = sqlError(q.lastError());
                break;
            }
        }
        if (error.isEmpty() && !db.commit())
            error = sqlError(db.lastError());
        if (!error.isEmpty())
            db.rollback();
    }
    if (!error.isEmpty()) {
        // Keep the batch for the next window (disk full may pass), but never grow without end:
        // the byte bound drops the oldest.
        {
            QMutexLocker lock(&m_mutex);
            m_pending = batch + m_pending;
            m_pendingBytes += batchBytes;
            for (auto it = incidents.cbegin(); it != incidents.cend(); ++it)
                if (!m_pendingIncidents.contains(it.key())) // a newer state came meanwhile
                    m_pendingIncidents.insert(it.key(), *it);
            dropOldestLocked();
        }
        emit writeFailed(QStringLiteral("Could not write history to %1: %2").arg(m_path, error));
        reportDrops();
        armCommitTimer();
        return;
    }
    ++m_commits;
    m_written += quint64(batch.size());
    if (!batch.isEmpty())
        emit committed(int(batch.size()));
}

void HistoryWriter::setRetention(const HistoryRetention &retention)
{
    m_retention = retention;
    if (!m_retentionTimer)
        return;
    if (retention.intervalMs > 0 && (retention.maxAgeMs > 0 || retention.maxBytes > 0))
        m_retentionTimer->start(int(std::min<qint64>(retention.intervalMs, 24 * 3600 * 1000)));
    else
        m_retentionTimer->stop();
}

qint64 HistoryWriter::usedBytes()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    auto pragma = [&q](const char *name) {
        return q.exec(QStringLiteral("PRAGMA %1").arg(QLatin1String(name))) && q.next()
                   ? q.value(0).toLongLong()
                   : 0;
    };
    const qint64 pages = pragma("page_count") - pragma("freelist_count");
    return pages * pragma("page_size");
}

qint64 HistoryWriter::deleteRows(const QString &sql, const QVariantList &binds)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.prepare(sql);
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds[i]);
    if (!q.exec()) {
        emit writeFailed(
            QStringLiteral("Retention on %1 failed: %2").arg(m_path, sqlError(q.lastError())));
        return 0;
    }
    return q.numRowsAffected();
}

qint64 HistoryWriter::freePages()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    return q.exec(QStringLiteral("PRAGMA freelist_count")) && q.next() ? q.value(0).toLongLong()
                                                                       : 0;
}

void HistoryWriter::vacuumFreePages()
{
    // Qt's driver steps a statement without result columns once, and each step of
    // incremental_vacuum frees one page; so step it page by page, in transactions of a few
    // thousand, letting queued inserts commit in between.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("PRAGMA incremental_vacuum"));
    for (qint64 left = freePages(); left > 0; left = freePages()) {
        if (!db.transaction())
            return;
        for (qint64 i = 0; i < std::min<qint64>(left, 5000); ++i) {
            if (!q.exec())
                break;
        }
        q.finish(); // a half-stepped write statement would make COMMIT fail
        db.commit();
        commitPending();
        if (freePages() >= left)
            return; // no progress: not an incremental-vacuum database
    }
}

void HistoryWriter::runRetention()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    qint64 deleted = 0;
    commitPending();

    if (m_retention.maxAgeMs > 0) {
        const qint64 cutoff = m_clock.nowMs() - m_retention.maxAgeMs;
        for (;;) {
            const qint64 n
                = deleteRows(QStringLiteral("DELETE FROM events WHERE seq IN"
                                            " (SELECT seq FROM events WHERE time_ms < ? LIMIT %1)")
                                 .arg(RetentionChunk),
                             {cutoff});
            deleted += n;
            commitPending();
            if (n < RetentionChunk)
                break;
        }
        // Incidents go with their events: resolved before the cutoff (open ones stay).
        deleteRows(QStringLiteral("DELETE FROM incidents WHERE resolved_ms IS NOT NULL"
                                  " AND resolved_ms < ?"),
                   {cutoff});
    }

    if (m_retention.maxBytes > 0) {
        QSqlQuery count(QSqlDatabase::database(m_connectionName, false));
        for (int round = 0; round < 200; ++round) {
            const qint64 used = usedBytes();
            if (used <= m_retention.maxBytes)
                break;
            if (!count.exec(QStringLiteral("SELECT count(*) FROM events")) || !count.next())
                break;
            const qint64 rows = count.value(0).toLongLong();
            if (rows == 0)
                break;
            // Delete the oldest share that the excess suggests; at least 2% per round so a
            // fragmented file still converges quickly.
            const qint64 share = rows * (used - m_retention.maxBytes) / used + 1;
            const qint64 n = std::min<qint64>(rows, std::max<qint64>(share, rows / 50 + 1));
            deleted += deleteRows(QStringLiteral("DELETE FROM events WHERE seq IN"
                                                 " (SELECT seq FROM events ORDER BY time_ms, seq"
                                                 " LIMIT ?)"),
                                  {std::min<qint64>(n, RetentionChunk)});
            commitPending();
        }
    }

    if (deleted > 0) {
        // Hand the freed pages back to the file system, then fold the WAL into the file.
        vacuumFreePages();
        QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
        q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        q.finish();
    }
    emit retentionFinished(deleted);
}

} // namespace hd
