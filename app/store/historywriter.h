#pragma once

// The history store's writer: lives on its own thread with its own SQLite connection and is
// the only code that writes. Events are queued from any thread and committed in one
// transaction at most commitIntervalMs (250 ms) after the first of a batch arrived, so a
// crash loses at most that window. Retention runs here too, in chunks, so the UI never waits
// for a DELETE.

#include "apievent.h"
#include "clock.h"
#include "historyquery.h"

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
    quint64 commitCount() const { return m_commits.load(); }
    quint64 writtenCount() const { return m_written.load(); }
    int commitIntervalMs() const { return m_commitIntervalMs; }

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

    const Clock &m_clock;
    QString m_connectionName;
    QString m_path;
    int m_commitIntervalMs = 250;
    QTimer *m_commitTimer = nullptr;
    QTimer *m_retentionTimer = nullptr;
    HistoryRetention m_retention;

    QMutex m_mutex;
    QVector<ApiEvent> m_pending; // guarded by m_mutex
    std::atomic<quint64> m_commits{0};
    std::atomic<quint64> m_written{0};
};

} // namespace hd
