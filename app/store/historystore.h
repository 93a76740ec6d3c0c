#pragma once

// The console's memory: every ApiEvent in an SQLite database (WAL) next to the workspace.
// append() is cheap and thread-safe; a writer thread with its own connection commits batches
// at most every 250 ms and applies retention in the background. Queries run on the caller's
// connection and see everything committed. One process per database: a lock file next to it
// refuses a second instance with a clear message. A corrupt or foreign file is moved aside
// (never deleted) and a fresh history started.
//
// As an EventSource (models/eventsource.h) it streams ranges in batches from a third thread with
// its own connection, for the error log's "reopen on start" and "since:24h beyond memory";
// fetch() contexts must live on the store's thread (the UI thread).

#include "eventsource.h"
#include "historybuckets.h"
#include "historyquery.h"
#include "historyreader.h"
#include "historywriter.h"
#include "incidentlog.h"

#include <QHash>
#include <QLockFile>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>

#include <memory>
#include <optional>

namespace hd {

class HistoryStore : public QObject, public EventSource
{
    Q_OBJECT
public:
    using OpenResult = HistoryWriter::OpenResult;

    explicit HistoryStore(const Clock &clock = Clock::system(), QObject *parent = nullptr);
    ~HistoryStore() override;

    // Before open(): how long the first event of a batch may wait for its commit.
    void setCommitIntervalMs(int ms) { m_commitIntervalMs = ms; }
    OpenResult open(const QString &path);
    // Commits what is queued, stops the writer, releases the lock.
    void close();
    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }
    static QString lockFilePath(const QString &databasePath);

    // Any thread.
    void append(const ApiEvent &event);
    void append(const QList<ApiEvent> &events);
    // An incident as it is now (replaces its earlier state), committed with the next batch.
    void saveIncident(const Incident &incident);
    // The newest `limit` incidents (by when they fired); rows that do not parse are skipped and
    // counted in *skipped. On the caller's connection: a few hundred small rows at open.
    QList<Incident> loadIncidents(int limit = 500, int *skipped = nullptr) const;
    // Blocks until everything appended so far is committed (shutdown, export, tests).
    void flush();

    void setRetention(const HistoryRetention &retention);
    // Applies retention now, on the writer thread; retentionFinished() reports the result.
    void runRetentionNow();

    // Synchronous, on the caller's connection (small questions: an event's neighbours, tests).
    HistoryQueryResult query(const HistoryQuery &query) const;
    // Asynchronous (EventSource): read on the background reader thread, batches delivered
    // on this object's thread to onBatch while context lives. close() cancels what is running.
    quint64 fetch(const EventRange &range, int batchSize, QObject *context,
                  BatchCallback onBatch) override;
    void cancel(quint64 ticket) override;
    // Asynchronous: builds chart buckets for a range on the reader thread (HistoryReader::
    // buckets) and hands them to done on this object's thread while context lives. A later
    // request does not cancel an earlier one; cancel(ticket) does.
    using BucketsCallback = std::function<void(const HistoryBuckets &buckets)>;
    quint64 fetchBuckets(const HistoryBucketQuery &query, QObject *context, BucketsCallback done);
    // Synchronous, on the caller's thread: tests and command-line tools only. The console
    // uses eventsByIdAsync, so its UI thread never waits for the database.
    std::optional<ApiEvent> eventById(const QString &id) const;
    // The stored events with these ids (HistoryReader::eventsById), read on the reader thread;
    // done runs on this object's thread while context lives (with nothing when none is open).
    void eventsByIdAsync(const QStringList &ids, QObject *context,
                         std::function<void(QList<ApiEvent> events)> done);
    qint64 count() const;
    // The same, counted on the background reader thread (the status bar's history size, so the
    // UI thread never waits for a count over a big file); done(rows) runs on this object's
    // thread while context lives. rows is -1 when nothing is open.
    // Counts per endpoint and hour (and minute) for SLOs (HistoryReader::sloCounts), read on
    // the reader thread; done runs on this thread, not at all once context is gone.
    using SloCounts = HistoryReader::SloCounts;
    void sloCountsAsync(qint64 hoursFromMs, qint64 minutesFromMs, qint64 toMs, QObject *context,
                        std::function<void(SloCounts counts)> done);
    void countAsync(QObject *context, std::function<void(qint64 rows)> done);
    // Size of the database file plus its WAL.
    qint64 fileBytes() const;
    quint64 commitCount() const { return m_writer ? m_writer->commitCount() : 0; }

signals:
    void committed(int events);
    void writeFailed(const QString &message);
    void retentionFinished(qint64 deletedRows);

private:
    // Runs work on the reader thread, then done on this one (none when nothing is open).
    template<typename T>
    void onReader(QObject *context, std::function<T(HistoryReader *)> work,
                  std::function<void(T)> done, T none);

    const Clock &m_clock;
    QThread m_thread;
    HistoryWriter *m_writer = nullptr;
    QThread m_readThread;
    HistoryReader *m_reader = nullptr;
    QMutex m_ticketsMutex;
    QHash<quint64, std::shared_ptr<std::atomic_bool>> m_tickets; // running fetches
    quint64 m_nextTicket = 0;
    std::unique_ptr<QLockFile> m_lock;
    QString m_path;
    QString m_readerName;
    QString m_writerName;
    int m_commitIntervalMs = 250;
    int m_schemaVersion = 0;
    bool m_open = false;
};

} // namespace hd
