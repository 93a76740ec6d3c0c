#pragma once

// The history store's background reader: its own thread and its own read-only SQLite
// connection, so paging the error log into a day of history never blocks the UI thread (or
// the writer). HistoryStore::fetch() queues work here; results go back in batches.

#include "clock.h"
#include "eventrange.h"
#include "historybuckets.h"
#include "incidentlog.h"
#include "slotracker.h"

#include <QObject>

#include <functional>

namespace hd {

class HistoryReader : public QObject
{
    Q_OBJECT
public:
    using Deliver = std::function<void(QList<ApiEvent> batch, bool last, QString error)>;

    explicit HistoryReader(const Clock &clock);

    // Reader thread.
    bool open(const QString &path, const QString &connectionName, QString *error);
    void close();
    // Reads range in batches of batchSize (see EventSource); stops early once cancelled()
    // is true. Reader thread.
    void stream(const EventRange &range, int batchSize, const std::function<bool()> &cancelled,
                const Deliver &deliver);
    // Rows in the events table (-1 when nothing is open). Reader thread.
    qint64 count() const;
    // The events with these ids, in the order asked; ids not stored (or whose rows do not
    // parse) are left out. At most MaxEventsById ids are looked up. Reader thread.
    static constexpr int MaxEventsById = 1000;
    QList<ApiEvent> eventsById(const QStringList &ids) const;

    // Reads the rows of query's range and scope (time, category, latency, rate-limit and token
    // facts) into BucketRings; stops early (error set) once cancelled(). Reader thread.
    HistoryBuckets buckets(const HistoryBucketQuery &query, const std::function<bool()> &cancelled);

    // Requests and failures per endpoint and hour in [hoursFromMs, toMs) and per minute in
    // [minutesFromMs, toMs), token requests left out: what SLOs need to start where the last
    // run stopped (SloTracker::restore). Reader thread.
    struct SloCounts
    {
        QList<SloCount> hours;
        QList<SloCount> minutes;
        QString error;
    };
    SloCounts sloCounts(qint64 hoursFromMs, qint64 minutesFromMs, qint64 toMs) const;

    // Incidents open at some time in [fromMs, toMs) (HistoryIncidents::read). Reader thread.
    QList<Incident> incidents(qint64 fromMs, qint64 toMs, int limit, int *skipped = nullptr) const;

private:
    const Clock &m_clock;
    QString m_connection;
};

} // namespace hd
