#pragma once

// The history store's writer: lives on its own thread with its own SQLite connection and is
// the only code that writes. Events are queued from any thread and committed in one
// transaction at most commitIntervalMs (250 ms) after the first of a batch arrived, so a
// crash loses at most that window. Retention runs here too, in chunks, so the UI never waits
// for a DELETE.
// The queue is bounded by bytes (limits::MaxHistoryQueueBytes): while the database is not
// there or not keeping up (locked, disk full, never opened) events wait in memory up to that
// bound, then the oldest are dropped, counted (droppedCount()) and reported through writeFailed.

#include "apievent.h"
#include "clock.h"
#include "historyquery.h"
#include "resourcelimits.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QVector>

#include <atomic>

class QTimer;

namespace hd {

class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    struct OpenResult
    {
        bool ok = false;
        QString error;   // why the database could not be used
        QString notice;  // what was done about a bad file (moved aside …)
        QString movedTo; // where a corrupt or foreign file went
        int schemaVersion = 0;
    };

    explicit HistoryWriter(const Clock &clock, QObject *parent = nullptr);
    ~HistoryWriter() override;

    // Any thread.
    void enqueue(const ApiEvent &event);
    void enqueue(const QList<ApiEvent> &events);
    // An incident as it is now (healthdeck.incident/1), written with the next batch; a later
    // state of the same id replaces one still waiting.
    void enqueueIncident(const QString &id, qint64 firedMs, qint64 resolvedMs,
                         const QByteArray &json);
    quint64 commitCount() const { return m_commits.load(); }
    quint64 writtenCount() const { return m_written.load(); }
    int commitIntervalMs() const { return m_commitIntervalMs; }
    // Unwritten events held in memory, their estimated size, and how many were dropped (oldest
    // first) to keep that size within maxQueueBytes().
    int pendingCount() const;
    qint64 pendingBytes() const;
    quint64 droppedCount() const { return m_dropped.load(); }
    qint64 maxQueueBytes() const;
    void setMaxQueueBytes(qint64 bytes); // tests; the default is limits::MaxHistoryQueueBytes

    // Writer thread only (the store calls them through queued or blocking invocations).
    OpenResult open(const QString &path, const QString &connectionName, int commitIntervalMs);
    void close();
    void commitPending();
    void setRetention(const HistoryRetention &retention);
    // Deletes what the retention allows, then gives the space back (incremental vacuum).
    void runRetention();

signals:
    void committed(int events);
    void writeFailed(const QString &message);
    void retentionFinished(qint64 deletedRows);

private:
    void armCommitTimer();
    bool configure(QSqlDatabase &db, QString &error);
    qint64 usedBytes();
    qint64 freePages();
    void vacuumFreePages();
    qint64 deleteRows(const QString &sql, const QVariantList &binds);
    void dropOldestLocked(); // m_mutex held
    void reportDrops();

    const Clock &m_clock;
    QString m_connectionName;
    QString m_path;
    int m_commitIntervalMs = 250;
    QTimer *m_commitTimer = nullptr;
    QTimer *m_retentionTimer = nullptr;
    HistoryRetention m_retention;

    mutable QMutex m_mutex;
    QVector<ApiEvent> m_pending; // guarded by m_mutex
    struct PendingIncident
    {
        qint64 firedMs = 0;
        qint64 resolvedMs = 0;
        QByteArray json;
    };
    QHash<QString, PendingIncident> m_pendingIncidents; // guarded by m_mutex
    qint64 m_pendingBytes = 0;                          // guarded by m_mutex
    qint64 m_maxQueueBytes;                             // guarded by m_mutex
    std::atomic<quint64> m_dropped{0};
    quint64 m_droppedReported = 0; // writer thread
    std::atomic<quint64> m_commits{0};
    std::atomic<quint64> m_written{0};
};

} // namespace hd
