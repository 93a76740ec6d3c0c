#pragma once

// The error log in the Wireshark manner (STYLE.md): compact 48-byte records, strings interned
// and formatted only in data(), a vector of visible rows instead of a proxy model, appends
// queued until flush() — which the UI calls once per frame — so a storm of events costs at
// most one beginInsertRows per frame. Sorting sorts (key, row) pairs built from precomputed
// per-string ranks, never strings, so a million rows sort within the frame budget of DESIGN §8.

#include "apievent.h"
#include "clock.h"
#include "logfilter.h"
#include "logrecord.h"
#include "logrecordmatcher.h"

#include <QAbstractTableModel>

#include <vector>

namespace hd {

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

    // Parses and applies a filter; on a bad filter keeps the current one and returns false
    // (errorMessage() then says why).
    bool setFilterText(const QString &text);
    void setFilter(const LogFilter &filter);
    LogFilter filter() const { return m_filter; }
    QString errorMessage() const { return m_filterError; }

    QString eventId(int row) const;
    const LogRecord &record(int row) const { return m_records[m_visible[std::size_t(row)]]; }

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

private:
    using Key = quint64;
    struct KeyedRow
    {
        Key key;
        quint32 record;
    };

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

    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace hd
