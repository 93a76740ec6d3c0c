#pragma once

// The error log in the Wireshark manner (STYLE.md): compact 48-byte records, strings interned
// and formatted only in data(), a vector of visible rows instead of a proxy model, appends
// queued until flush() — which the UI calls once per frame — so a storm of events costs at
// most one beginInsertRows per frame. Sorting sorts (key, row) pairs built from precomputed
// per-string ranks, never strings, so a million rows sort within the frame budget of DESIGN §8.
//
// Paging into history (issue 6). With an EventSource attached (setHistorySource — the console
// passes MonitorSession::history()), the model can hold more than what arrived while it ran:
//  - loadHistory(range) replaces what the model holds with the range's events from the source,
//    read on the source's thread and applied here in batches (each batch one flush(): at most
//    one beginInsertRows), oldest first, then the live events that arrived meanwhile (events
//    the load already brought are not added twice). The console calls it on start with
//    defaultHistoryRange() so the past shows at once after a restart.
//  - a filter whose since: reaches before what the model holds (coveredFromMs()), e.g.
//    "since:24h category:rate_limited" after an hour of uptime, is sent to the source as an
//    EventRange (EventRange::forFilter: since: → fromMs, the rest as filter text, the store
//    narrows it in SQL) and the model then holds exactly that filter's events plus live ones.
//    Changing to a filter the held events do not answer loads again.
// Nothing here blocks: the answers come back through the event loop. historyLoaded() says
// when a load is done (and why it failed, in one sentence).

#include "apievent.h"
#include "clock.h"
#include "eventrange.h"
#include "logfilter.h"
#include "logrecord.h"
#include "logrecordmatcher.h"

#include <QAbstractTableModel>
#include <QSet>

#include <vector>

namespace hd {

class EventSource;

class ErrorLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Environment,
        Endpoint,
        Status,
        Category,
        Code,
        Message,
        Trace,
        Duration,
        Attempt,
        ColumnCount
    };
    enum Role {
        EventIdRole = Qt::UserRole + 1, // QString: fetch the full event from the history store
        TimeMsRole,                     // qint64
        CategoryRole,                   // QString: schema name
        StatusRole,                     // int, 0 without an HTTP response
        SortRole,                       // the value sorting uses
    };

    explicit ErrorLogModel(const Clock &clock, QObject *parent = nullptr);

    // Queues an event; it becomes visible at the next flush(). Cheap: no signals, no strings
    // formatted.
    void append(const ApiEvent &event);
    int pendingCount() const { return int(m_records.size() - m_flushedCount); }

    // Oldest records are dropped, in batches, beyond this many (default one million).
    void setMaxRecords(int maxRecords);
    int maxRecords() const { return m_maxRecords; }
    int recordCount() const { return int(m_records.size()); }
    // Forgets every record (a workspace switch); cancels a running history load.
    void clear();

    // Parses and applies a filter; on a bad filter keeps the current one and returns false
    // (errorMessage() then says why).
    bool setFilterText(const QString &text);
    void setFilter(const LogFilter &filter);
    LogFilter filter() const { return m_filter; }
    QString errorMessage() const { return m_filterError; }

    QString eventId(int row) const;
    const LogRecord &record(int row) const { return m_records[m_visible[std::size_t(row)]]; }

    // ---- history paging (see the top of this file) -------------------------------------
    // source may be null (memory only). Not owned; it must outlive the model or be reset here
    // first. loadLimit caps every load (and never exceeds maxRecords()).
    void setHistorySource(EventSource *source, int loadLimit = 200000);
    EventSource *historySource() const { return m_source; }
    // Replaces the held events with range's (range.newestFirst is ignored: the model loads
    // oldest first; range.limit 0 means the load limit). Returns false without a source.
    bool loadHistory(const EventRange &range, int batchSize = 2000);
    // The last hour, at most the load limit: what the console shows on start.
    EventRange defaultHistoryRange() const;
    void cancelHistoryLoad();
    bool isLoadingHistory() const { return m_loadTicket != 0; }
    // From when on the model holds every event its content filter lets through (live only:
    // the model's creation time), and that content filter (empty: everything).
    qint64 coveredFromMs() const { return m_coveredFromMs; }
    QString coveredFilter() const { return m_coveredFilter; }
    // True when the held events answer filter without asking the source.
    bool covers(const LogFilter &filter) const;

    // Approximate bytes this model holds for its records, pools and indexes.
    std::size_t bytesHeld() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

public slots:
    // Makes queued events visible: at most one beginInsertRows (and, when sorted by a column,
    // one layout change to merge them into place).
    void flush();

signals:
    void filterFailed(const QString &message);
    void historyLoadStarted(const hd::EventRange &range);
    void historyLoadProgress(int eventsLoaded);
    // A load finished (error empty) or failed (error says why; what was loaded stays).
    void historyLoaded(int eventsLoaded, const QString &error);

private:
    using Key = quint64;
    struct KeyedRow
    {
        Key key;
        quint32 record;
    };

    void appendRecord(const ApiEvent &event);
    void clearRecords();
    void onHistoryBatch(quint64 ticket, const QList<ApiEvent> &batch, bool last,
                        const QString &error);
    void rebuildVisible();
    void trimIfNeeded();
    std::vector<Key> ranksFor(const StringPool &pool) const;
    void buildKeys(const std::vector<quint32> &records, std::vector<KeyedRow> &out) const;
    void sortKeyed(std::vector<KeyedRow> &rows) const;
    bool isNaturalOrder() const { return m_sortColumn < 0; }
    QString formatCell(const LogRecord &r, int column) const;

    const Clock &m_clock;
    LogPools m_pools;
    std::vector<LogRecord> m_records;
    std::vector<quint32> m_visible; // record indexes, in display order
    std::size_t m_flushedCount = 0;
    int m_maxRecords = 1'000'000;

    LogFilter m_filter;
    LogRecordMatcher m_matcher;
    QString m_filterError;

    EventSource *m_source = nullptr;
    int m_loadLimit = 200000;
    quint64 m_loadTicket = 0;
    EventRange m_loadRange;
    int m_loaded = 0;
    qint64 m_loadStartedMs = 0;
    QList<ApiEvent> m_liveDuringLoad; // live events while a load runs, appended after it
    QSet<QString> m_recentLoadedIds;  // loaded events near "now", to skip those twice
    qint64 m_coveredFromMs = 0;
    QString m_coveredFilter;

    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace hd
