#include "historystore.h"

#include "eventjson.h"
#include "historyincidents.h"
#include "historyreader.h"
#include "historysql.h"
#include "logfilter.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace hd {

namespace {

std::atomic<int> connectionCounter{0};

} // namespace

HistoryStore::HistoryStore(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_thread.setObjectName(QStringLiteral("history-writer"));
    m_readThread.setObjectName(QStringLiteral("history-reader"));
}

HistoryStore::~HistoryStore()
{
    close();
}

QString HistoryStore::lockFilePath(const QString &databasePath)
{
    return databasePath + QStringLiteral(".lock");
}

HistoryStore::OpenResult HistoryStore::open(const QString &path)
{
    close();
    OpenResult result;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // A history next to a workspace in a folder that does not exist yet is still a history.
    QDir().mkpath(QFileInfo(absolute).absolutePath());

    auto lock = std::make_unique<QLockFile>(lockFilePath(absolute));
    // Never steal a live lock; QLockFile still clears one whose process has died (SIGKILL).
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        if (lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, &host, &app)) {
            result.error
                = QStringLiteral("History database %1 is already in use by %2 (pid %3 on "
                                 "%4). Close that instance, or choose another database "
                                 "file.")
                      .arg(absolute, app.isEmpty() ? QStringLiteral("another process") : app)
                      .arg(pid)
                      .arg(host);
        } else {
            result.error = QStringLiteral("Cannot lock history database %1 (lock file %2 is not "
                                          "writable).")
                               .arg(absolute, lockFilePath(absolute));
        }
        return result;
    }

    const int id = ++connectionCounter;
    m_writerName = QStringLiteral("hd-history-writer-%1").arg(id);
    m_readerName = QStringLiteral("hd-history-reader-%1").arg(id);

    m_writer = new HistoryWriter(m_clock);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &HistoryWriter::committed, this, &HistoryStore::committed);
    connect(m_writer, &HistoryWriter::writeFailed, this, &HistoryStore::writeFailed);
    connect(m_writer, &HistoryWriter::retentionFinished, this, &HistoryStore::retentionFinished);
    m_thread.start();

    HistoryWriter *writer = m_writer;
    const QString writerName = m_writerName;
    const int interval = m_commitIntervalMs;
    QMetaObject::invokeMethod(
        m_writer,
        [&result, writer, absolute, writerName, interval] {
            result = writer->open(absolute, writerName, interval);
        },
        Qt::BlockingQueuedConnection);

    if (result.ok) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_readerName);
        db.setDatabaseName(absolute);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            result.ok = false;
            result.error = QStringLiteral("Cannot open history database %1 for reading: %2")
                               .arg(absolute, db.lastError().text());
        } else {
            QSqlQuery(db).exec(QStringLiteral("PRAGMA query_only = 1"));
        }
    }
    if (result.ok) {
        m_reader = new HistoryReader(m_clock);
        m_reader->moveToThread(&m_readThread);
        m_readThread.start();
        HistoryReader *reader = m_reader;
        const QString readerName = m_readerName + QStringLiteral("-background");
        QString readerError;
        bool readerOk = false;
        QMetaObject::invokeMethod(
            m_reader,
            [reader, absolute, readerName, &readerError, &readerOk] {
                readerOk = reader->open(absolute, readerName, &readerError);
            },
            Qt::BlockingQueuedConnection);
        if (!readerOk) {
            result.ok = false;
            result.error = readerError;
        }
    }

    m_path = absolute;
    m_lock = std::move(lock);
    m_open = true; // so close() below tears down whatever did start
    if (!result.ok) {
        close();
        return result;
    }
    m_schemaVersion = result.schemaVersion;
    return result;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_reader) {
        {
            QMutexLocker locker(&m_ticketsMutex);
            for (const auto &flag : std::as_const(m_tickets))
                flag->store(true); // a running stream stops at its next batch
            m_tickets.clear();
        }
        HistoryReader *reader = m_reader;
        QMetaObject::invokeMethod(
            m_reader, [reader] { reader->close(); }, Qt::BlockingQueuedConnection);
        m_readThread.quit();
        m_readThread.wait();
        delete m_reader;
        m_reader = nullptr;
    }
    if (m_writer) {
        HistoryWriter *writer = m_writer;
        QMetaObject::invokeMethod(
            m_writer, [writer] { writer->close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        // The thread has stopped, so nothing else can touch the writer now.
        delete m_writer;
        m_writer = nullptr;
    }
    if (QSqlDatabase::contains(m_readerName)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_readerName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_readerName);
    }
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
    m_schemaVersion = 0;
}

void HistoryStore::append(const ApiEvent &event)
{
    if (m_writer)
        m_writer->enqueue(event);
}

void HistoryStore::append(const QList<ApiEvent> &events)
{
    if (m_writer)
        m_writer->enqueue(events);
}

void HistoryStore::saveIncident(const Incident &incident)
{
    if (m_writer)
        m_writer->enqueueIncident(incident.id, incident.firedAtMs, incident.resolvedAtMs,
                                  incident.toJsonBytes());
}

QList<Incident> HistoryStore::loadIncidents(int limit, int *skipped) const
{
    if (!m_open) {
        if (skipped)
            *skipped = 0;
        return {};
    }
    QSqlDatabase db = QSqlDatabase::database(m_readerName, false);
    return HistoryIncidents::read(db, std::numeric_limits<qint64>::min(),
                                  std::numeric_limits<qint64>::max(), limit, skipped);
}

void HistoryStore::flush()
{
    if (!m_writer)
        return;
    HistoryWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        m_writer, [writer] { writer->commitPending(); }, Qt::BlockingQueuedConnection);
}

void HistoryStore::setRetention(const HistoryRetention &retention)
{
    if (!m_writer)
        return;
    HistoryWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        m_writer, [writer, retention] { writer->setRetention(retention); }, Qt::QueuedConnection);
}

void HistoryStore::runRetentionNow()
{
    if (!m_writer)
        return;
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::runRetention, Qt::QueuedConnection);
}

qint64 HistoryStore::count() const
{
    if (!m_open)
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    if (!q.exec(QStringLiteral("SELECT count(*) FROM events")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

template<typename T>
void HistoryStore::onReader(QObject *context, std::function<T(HistoryReader *)> work,
                            std::function<void(T)> done, T none)
{
    QPointer<QObject> ctx(context);
    if (!m_reader) {
        QMetaObject::invokeMethod(
            this,
            [ctx, done, none = std::move(none)] {
                if (ctx)
                    done(none);
            },
            Qt::QueuedConnection);
        return;
    }
    QPointer<HistoryStore> self(this);
    HistoryReader *reader = m_reader;
    QMetaObject::invokeMethod(m_reader, [self, ctx, reader, work, done] {
        T result = work(reader);
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [ctx, done, result = std::move(result)] {
                if (ctx)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

void HistoryStore::countAsync(QObject *context, std::function<void(qint64)> done)
{
    onReader<qint64>(
        context, [](HistoryReader *reader) { return reader->count(); }, std::move(done), -1);
}

void HistoryStore::eventsByIdAsync(const QStringList &ids, QObject *context,
                                   std::function<void(QList<ApiEvent>)> done)
{
    onReader<QList<ApiEvent>>(context,
                              [ids](HistoryReader *reader) { return reader->eventsById(ids); },
                              std::move(done), {});
}

void HistoryStore::sloCountsAsync(qint64 hoursFromMs, qint64 minutesFromMs, qint64 toMs,
                                  QObject *context, std::function<void(SloCounts)> done)
{
    SloCounts none;
    none.error = QStringLiteral("no history database is open");
    onReader<SloCounts>(
        context,
        [hoursFromMs, minutesFromMs, toMs](HistoryReader *reader) {
            return reader->sloCounts(hoursFromMs, minutesFromMs, toMs);
        },
        std::move(done), std::move(none));
}

qint64 HistoryStore::fileBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

std::optional<ApiEvent> HistoryStore::eventById(const QString &id) const
{
    if (!m_open)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    q.prepare(QStringLiteral("SELECT json FROM events WHERE id = ? LIMIT 1"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return eventFromJsonText(q.value(0).toString().toUtf8()).event;
}

quint64 HistoryStore::fetch(const EventRange &range, int batchSize, QObject *context,
                            BatchCallback onBatch)
{
    const quint64 ticket = ++m_nextTicket;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    QPointer<QObject> ctx(context);
    QPointer<HistoryStore> self(this);
    // Runs on the reader thread; hands each batch to this (UI) thread.
    auto deliver
        = [self, ctx, cancelled, ticket, onBatch](QList<ApiEvent> batch, bool last, QString error) {
              if (!self)
                  return;
              QMetaObject::invokeMethod(
                  self.data(),
                  [self, ctx, cancelled, ticket, onBatch, batch = std::move(batch), last,
                   error = std::move(error)] {
                      if (cancelled->load() || !ctx)
                          return;
                      if (last && self) {
                          QMutexLocker locker(&self->m_ticketsMutex);
                          self->m_tickets.remove(ticket);
                      }
                      onBatch(batch, last, error);
                  },
                  Qt::QueuedConnection);
          };
    if (!m_reader) {
        QMetaObject::invokeMethod(
            this,
            [ctx, onBatch] {
                if (ctx)
                    onBatch({}, true, QStringLiteral("no history database is open"));
            },
            Qt::QueuedConnection);
        return ticket;
    }
    {
        QMutexLocker locker(&m_ticketsMutex);
        m_tickets.insert(ticket, cancelled);
    }
    HistoryReader *reader = m_reader;
    HistoryWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        m_reader,
        [reader, writer, range, batchSize, cancelled, deliver] {
            if (cancelled->load())
                return;
            // A fetch sees every event appended before it: commit the open batch first (this
            // waits on the reader thread, never on the caller's).
            if (writer)
                QMetaObject::invokeMethod(
                    writer, [writer] { writer->commitPending(); }, Qt::BlockingQueuedConnection);
            reader->stream(
                range, batchSize, [cancelled] { return cancelled->load(); }, deliver);
        },
        Qt::QueuedConnection);
    return ticket;
}

quint64 HistoryStore::fetchBuckets(const HistoryBucketQuery &query, QObject *context,
                                   BucketsCallback done)
{
    const quint64 ticket = ++m_nextTicket;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    QPointer<QObject> ctx(context);
    QPointer<HistoryStore> self(this);
    if (!m_reader) {
        QMetaObject::invokeMethod(
            this,
            [ctx, done, query] {
                HistoryBuckets none;
                none.query = query;
                none.error = QStringLiteral("no history database is open");
                if (ctx)
                    done(none);
            },
            Qt::QueuedConnection);
        return ticket;
    }
    {
        QMutexLocker locker(&m_ticketsMutex);
        m_tickets.insert(ticket, cancelled);
    }
    HistoryReader *reader = m_reader;
    QMetaObject::invokeMethod(
        m_reader,
        [reader, query, cancelled, self, ctx, done, ticket] {
            if (cancelled->load())
                return;
            HistoryBuckets result
                = reader->buckets(query, [cancelled] { return cancelled->load(); });
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, ctx, cancelled, done, ticket, result = std::move(result)] {
                    if (self) {
                        QMutexLocker locker(&self->m_ticketsMutex);
                        self->m_tickets.remove(ticket);
                    }
                    if (cancelled->load() || !ctx)
                        return;
                    done(result);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return ticket;
}

void HistoryStore::cancel(quint64 ticket)
{
    QMutexLocker locker(&m_ticketsMutex);
    if (auto flag = m_tickets.take(ticket))
        flag->store(true);
}

HistoryQueryResult HistoryStore::query(const HistoryQuery &request) const
{
    HistoryQueryResult result;
    if (!m_open) {
        result.error = QStringLiteral("no history database is open");
        return result;
    }
    const LogFilter filter = LogFilter::parse(request.filter);
    if (!filter.isValid()) {
        result.error = filter.errorMessage();
        return result;
    }
    const qint64 now = m_clock.nowMs();
    const HistorySql sql = HistorySql::forFilter(filter, request.fromMs, request.toMs, now);
    const QStringList &where = sql.where;
    const QVariantList &binds = sql.binds;

    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    q.setForwardOnly(true);
    const QString order = request.newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    q.prepare(QStringLiteral("SELECT json FROM events WHERE %1 ORDER BY time_ms %2, seq %2")
                  .arg(where.join(QStringLiteral(" AND ")), order));
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds[i]);
    if (!q.exec()) {
        result.error = QStringLiteral("history query failed: %1").arg(q.lastError().text());
        return result;
    }
    while ((request.limit <= 0 || result.events.size() < request.limit) && q.next()) {
        EventParseResult parsed = eventFromJsonText(q.value(0).toString().toUtf8());
        if (parsed.event && filter.matches(*parsed.event, now))
            result.events.append(std::move(*parsed.event));
    }
    return result;
}

} // namespace hd
