// Why this file is long: the log model's hot paths — appends merged into the sorted rows once
// per frame, trimming, sorting on precomputed keys — and history paging all work on the same
// two vectors (records, visible rows); splitting them would put those vectors behind an
// interface on the hottest path of the console (STYLE.md: Wireshark's packet list).

#include "errorlogmodel.h"

#include "eventsource.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace hd {

namespace {

// Schema category names in alphabetical order, so sorting by category reads A→Z.
const std::array<quint64, CategoryCount> &categoryRanks()
{
    static const std::array<quint64, CategoryCount> ranks = [] {
        std::array<int, CategoryCount> order{};
        for (int i = 0; i < CategoryCount; ++i)
            order[std::size_t(i)] = i;
        std::sort(order.begin(), order.end(),
                  [](int a, int b) { return toString(Category(a)) < toString(Category(b)); });
        std::array<quint64, CategoryCount> r{};
        for (int i = 0; i < CategoryCount; ++i)
            r[std::size_t(order[std::size_t(i)])] = quint64(i);
        return r;
    }();
    return ranks;
}

// The first eight bytes, big-endian, so integer order is byte order.
quint64 prefixKey(QByteArrayView bytes)
{
    unsigned char buf[8] = {};
    std::memcpy(buf, bytes.data(), std::size_t(std::min<qsizetype>(8, bytes.size())));
    quint64 key = 0;
    for (unsigned char b : buf)
        key = (key << 8) | b;
    return key;
}

} // namespace

ErrorLogModel::ErrorLogModel(const Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock(clock)
    , m_coveredFromMs(clock.nowMs())
{}

void ErrorLogModel::append(const ApiEvent &e)
{
    if (m_loadTicket != 0) {
        m_liveDuringLoad.append(e); // after the load, so the log stays in time order
        return;
    }
    appendRecord(e);
}

void ErrorLogModel::appendRecord(const ApiEvent &e)
{
    LogRecord r;
    r.timeMs = e.timeMs;
    const ArenaRef id = m_pools.arena.append(e.id);
    r.idOffset = id.offset;
    r.idLength = id.length;
    const ArenaRef trace = m_pools.arena.append(e.identifiers.traceId);
    r.traceOffset = trace.offset;
    r.traceLength = trace.length;
    r.environment = m_pools.environment.intern(e.environment);
    r.endpoint = m_pools.endpoint.intern(e.endpoint);
    if (e.error) {
        r.code = m_pools.code.intern(e.error->code);
        r.message = m_pools.message.intern(e.error->message);
    }
    r.networkError = m_pools.networkError.intern(e.networkError);
    r.durationMs = float(std::max(0.0, e.durationMs));
    r.httpStatus
        = e.httpStatus && *e.httpStatus > 0 && *e.httpStatus < 65536 ? quint16(*e.httpStatus) : 0;
    r.category = quint8(e.category);
    r.outcome = quint8(e.outcome);
    r.attempt = quint8(std::clamp(e.attempt, 0, 255));
    r.retryAction = quint8(e.retry.action);
    m_records.push_back(r);
}

void ErrorLogModel::setMaxRecords(int maxRecords)
{
    m_maxRecords = std::max(1, maxRecords);
}

void ErrorLogModel::flush()
{
    trimIfNeeded();
    if (m_flushedCount >= m_records.size())
        return;

    std::vector<quint32> added;
    for (std::size_t i = m_flushedCount; i < m_records.size(); ++i) {
        if (m_matcher.matchesAll() || m_matcher.matches(m_records[i]))
            added.push_back(quint32(i));
    }
    m_flushedCount = m_records.size();
    if (added.empty())
        return;

    if (!isNaturalOrder() && m_sortColumn != Trace && !m_visible.empty()) {
        // The usual case while sorted (newest first by time): every new row belongs before the
        // first row or after the last. Key only the new rows and insert them there — no
        // re-keying of everything held, no layout change. (Pool ranks are global, so keys of a
        // subset compare with the rest; trace keys depend on the set, so Trace always merges.)
        std::vector<KeyedRow> fresh;
        buildKeys(added, fresh);
        sortKeyed(fresh);
        std::vector<KeyedRow> edges;
        buildKeys({m_visible.front(), m_visible.back()}, edges);
        const bool descending = m_sortOrder == Qt::DescendingOrder;
        auto before = [descending](const KeyedRow &a, const KeyedRow &b) {
            if (a.key != b.key)
                return descending ? a.key > b.key : a.key < b.key;
            return descending ? a.record > b.record : a.record < b.record;
        };
        const bool atTop = before(fresh.back(), edges.front());
        const bool atBottom = !atTop && before(edges.back(), fresh.front());
        if (atTop || atBottom) {
            const int at = atTop ? 0 : int(m_visible.size());
            beginInsertRows({}, at, at + int(fresh.size()) - 1);
            std::vector<quint32> rows(fresh.size());
            for (std::size_t i = 0; i < fresh.size(); ++i)
                rows[i] = fresh[i].record;
            m_visible.insert(m_visible.begin() + at, rows.begin(), rows.end());
            endInsertRows();
            return;
        }
        // Some rows arrived late (an engine event stamped when its request started, behind a
        // newer one): they still land near one end. Find the slice of held rows the new ones
        // fall into by binary search and merge only that slice (one layout change).
        auto keyOf = [this](quint32 record) {
            std::vector<KeyedRow> one;
            buildKeys({record}, one);
            return one.front();
        };
        auto firstAfter = [&](const KeyedRow &k) {
            // first held row that does not come before k
            return std::size_t(
                std::partition_point(m_visible.begin(), m_visible.end(),
                                     [&](quint32 rec) { return before(keyOf(rec), k); })
                - m_visible.begin());
        };
        const std::size_t lo = firstAfter(fresh.front());
        const std::size_t hi = firstAfter(fresh.back());
        std::vector<KeyedRow> slice;
        buildKeys(std::vector<quint32>(m_visible.begin() + qsizetype(lo),
                                       m_visible.begin() + qsizetype(hi)),
                  slice);
        std::vector<KeyedRow> merged(slice.size() + fresh.size());
        std::merge(slice.begin(), slice.end(), fresh.begin(), fresh.end(), merged.begin(), before);

        // The rows are first added at the end (one beginInsertRows, as always), then moved
        // into place with a layout change that keeps the row count.
        const std::size_t k = fresh.size();
        const std::size_t n = m_visible.size();
        beginInsertRows({}, int(n), int(n + k) - 1);
        for (const KeyedRow &f : fresh)
            m_visible.push_back(f.record);
        endInsertRows();

        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList persistent = persistentIndexList();
        QModelIndexList to;
        to.reserve(persistent.size());
        for (const QModelIndex &i : persistent) {
            const std::size_t row = std::size_t(i.row());
            std::size_t moved = row;
            if (row >= n) { // one of the new rows: find it in the merged slice
                for (std::size_t j = 0; j < merged.size(); ++j)
                    if (merged[j].record == m_visible[row])
                        moved = lo + j;
            } else if (row >= hi) {
                moved = row + k;
            } else if (row >= lo) {
                for (std::size_t j = 0; j < merged.size(); ++j) {
                    if (merged[j].record == m_visible[row]) {
                        moved = lo + j;
                        break;
                    }
                }
            }
            to.append(index(int(moved), i.column()));
        }
        std::copy_backward(m_visible.begin() + qsizetype(hi), m_visible.begin() + qsizetype(n),
                           m_visible.begin() + qsizetype(n + k));
        for (std::size_t j = 0; j < merged.size(); ++j)
            m_visible[lo + j] = merged[j].record;
        changePersistentIndexList(persistent, to);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
        return;
    }

    const int first = int(m_visible.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_visible.insert(m_visible.end(), added.begin(), added.end());
    endInsertRows();

    if (isNaturalOrder())
        return;

    // Sorted by a column: merge the new rows into place unless they already belong at the end.
    std::vector<KeyedRow> keyed;
    buildKeys(m_visible, keyed);
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    auto less = [descending](const KeyedRow &a, const KeyedRow &b) {
        if (a.key != b.key)
            return descending ? a.key > b.key : a.key < b.key;
        return descending ? a.record > b.record : a.record < b.record;
    };
    if (std::is_sorted(keyed.begin(), keyed.end(), less) && m_sortColumn != Trace)
        return;

    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList persistent = persistentIndexList();
    std::vector<quint32> persistentRecords;
    persistentRecords.reserve(std::size_t(persistent.size()));
    for (const QModelIndex &i : persistent)
        persistentRecords.push_back(m_visible[std::size_t(i.row())]);

    const auto middle = keyed.begin() + first;
    std::vector<KeyedRow> tail(middle, keyed.end());
    sortKeyed(tail);
    std::copy(tail.begin(), tail.end(), middle);
    if (m_sortColumn == Trace)
        sortKeyed(keyed); // prefix keys tie; let sortKeyed settle the full order
    else
        std::inplace_merge(keyed.begin(), middle, keyed.end(), less);
    for (std::size_t i = 0; i < keyed.size(); ++i)
        m_visible[i] = keyed[i].record;

    if (!persistent.isEmpty()) {
        QHash<quint32, int> rowOf;
        for (quint32 rec : persistentRecords)
            rowOf.insert(rec, -1);
        for (std::size_t row = 0; row < m_visible.size(); ++row) {
            auto it = rowOf.find(m_visible[row]);
            if (it != rowOf.end())
                *it = int(row);
        }
        QModelIndexList to;
        to.reserve(persistent.size());
        for (qsizetype i = 0; i < persistent.size(); ++i)
            to.append(
                index(rowOf.value(persistentRecords[std::size_t(i)]), persistent[i].column()));
        changePersistentIndexList(persistent, to);
    }
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ErrorLogModel::trimIfNeeded()
{
    // Trim in batches of an eighth, so the O(n) shift is paid once per many thousand events.
    const std::size_t limit = std::size_t(m_maxRecords);
    if (m_records.size() <= limit + limit / 8)
        return;
    const std::size_t drop = m_records.size() - limit;
    const quint32 arenaDrop = m_records[drop].idOffset;

    const bool prefix = isNaturalOrder();
    const auto firstKept
        = std::find_if(m_visible.begin(), m_visible.end(), [drop](quint32 r) { return r >= drop; });
    const int removed = int(firstKept - m_visible.begin());
    if (prefix && removed > 0)
        beginRemoveRows({}, 0, removed - 1);
    else if (!prefix)
        beginResetModel();

    m_records.erase(m_records.begin(), m_records.begin() + std::ptrdiff_t(drop));
    for (LogRecord &r : m_records) {
        r.idOffset -= arenaDrop;
        r.traceOffset -= arenaDrop;
    }
    m_pools.arena.dropFront(arenaDrop);
    // What is gone from memory is only in the history now.
    if (!m_records.empty())
        m_coveredFromMs = std::max(m_coveredFromMs, m_records.front().timeMs);
    std::erase_if(m_visible, [drop](quint32 r) { return r < drop; });
    for (quint32 &r : m_visible)
        r -= quint32(drop);
    m_flushedCount = m_flushedCount > drop ? m_flushedCount - drop : 0;

    if (prefix && removed > 0)
        endRemoveRows();
    else if (!prefix)
        endResetModel();
}

bool ErrorLogModel::setFilterText(const QString &text)
{
    const LogFilter f = LogFilter::parse(text);
    if (!f.isValid()) {
        m_filterError = f.errorMessage();
        emit filterFailed(m_filterError);
        return false;
    }
    setFilter(f);
    return true;
}

void ErrorLogModel::setFilter(const LogFilter &filter)
{
    m_filterError.clear();
    m_filter = filter;
    m_matcher = LogRecordMatcher(filter, &m_pools, m_clock.nowMs());
    beginResetModel();
    rebuildVisible();
    endResetModel();
    if (m_source && !covers(filter)) {
        // Beyond memory: ask the history. A filter without since: that the held (filtered)
        // events cannot answer goes back to the default window.
        EventRange range = EventRange::forFilter(filter, m_clock.nowMs(), m_loadLimit);
        if (range.fromMs == std::numeric_limits<qint64>::min()) {
            const EventRange window = defaultHistoryRange();
            range.fromMs = window.fromMs;
        }
        loadHistory(range);
    }
}

void ErrorLogModel::setHistorySource(EventSource *source, int loadLimit)
{
    cancelHistoryLoad();
    m_source = source;
    m_loadLimit = std::max(1, loadLimit);
}

EventRange ErrorLogModel::defaultHistoryRange() const
{
    EventRange r;
    r.fromMs = m_clock.nowMs() - 3600 * 1000;
    r.limit = std::min(m_loadLimit, m_maxRecords);
    r.newestFirst = false;
    return r;
}

bool ErrorLogModel::covers(const LogFilter &filter) const
{
    const qint64 from = EventRange::oldestFor(filter, m_clock.nowMs());
    if (m_coveredFilter.isEmpty()) // everything held from coveredFromMs on
        return from == std::numeric_limits<qint64>::min() || from >= m_coveredFromMs;
    // The held history was loaded for one filter: only that filter (re-applied) is answered.
    return filter.text() == m_coveredFilter && from >= m_coveredFromMs;
}

void ErrorLogModel::clear()
{
    cancelHistoryLoad();
    m_liveDuringLoad.clear();
    m_recentLoadedIds.clear();
    clearRecords();
    m_coveredFromMs = m_clock.nowMs();
    m_coveredFilter.clear();
}

void ErrorLogModel::clearRecords()
{
    beginResetModel();
    m_records.clear();
    m_visible.clear();
    m_flushedCount = 0;
    m_pools = LogPools{};
    m_matcher = LogRecordMatcher(m_filter, &m_pools, m_clock.nowMs());
    endResetModel();
}

void ErrorLogModel::cancelHistoryLoad()
{
    if (m_loadTicket == 0)
        return;
    if (m_source)
        m_source->cancel(m_loadTicket);
    m_loadTicket = 0;
    // The live events held back stay in the log.
    const QList<ApiEvent> live = std::exchange(m_liveDuringLoad, {});
    for (const ApiEvent &e : live)
        appendRecord(e);
    flush();
}

bool ErrorLogModel::loadHistory(const EventRange &requested, int batchSize)
{
    if (!m_source)
        return false;
    cancelHistoryLoad();
    EventRange range = requested;
    range.newestFirst = false;
    const int cap = std::min(m_loadLimit, m_maxRecords);
    range.limit = range.limit > 0 ? std::min(range.limit, cap) : cap;
    clearRecords();
    m_loadRange = range;
    m_loaded = 0;
    m_loadStartedMs = m_clock.nowMs();
    m_recentLoadedIds.clear();
    // The ticket is known before any batch can arrive (they are queued, never inline), and
    // a batch of an older, cancelled load is recognised by it.
    auto ticket = std::make_shared<quint64>(0);
    m_loadTicket = m_source->fetch(
        range, batchSize, this,
        [this, ticket](const QList<ApiEvent> &batch, bool last, const QString &error) {
            onHistoryBatch(*ticket, batch, last, error);
        });
    *ticket = m_loadTicket;
    emit historyLoadStarted(range);
    return true;
}

void ErrorLogModel::onHistoryBatch(quint64 ticket, const QList<ApiEvent> &batch, bool last,
                                   const QString &error)
{
    if (ticket == 0 || ticket != m_loadTicket)
        return;
    for (const ApiEvent &e : batch) {
        appendRecord(e);
        if (e.timeMs >= m_loadStartedMs - 60000)
            m_recentLoadedIds.insert(e.id);
    }
    m_loaded += int(batch.size());
    flush(); // one beginInsertRows per batch
    if (!last) {
        emit historyLoadProgress(m_loaded);
        return;
    }
    m_loadTicket = 0;
    if (error.isEmpty()) {
        m_coveredFilter = m_loadRange.filter;
        // A load cut short by its limit holds everything only from its oldest event on.
        const bool full = m_loaded < m_loadRange.limit;
        if (full)
            m_coveredFromMs = m_loadRange.fromMs;
        else
            m_coveredFromMs = m_records.empty() ? m_loadStartedMs : m_records.front().timeMs;
    }
    const QList<ApiEvent> live = std::exchange(m_liveDuringLoad, {});
    for (const ApiEvent &e : live)
        if (!m_recentLoadedIds.contains(e.id))
            appendRecord(e);
    m_recentLoadedIds.clear();
    flush();
    emit historyLoaded(m_loaded, error);
}

void ErrorLogModel::rebuildVisible()
{
    m_visible.clear();
    const std::size_t n = m_flushedCount;
    if (m_matcher.matchesAll()) {
        m_visible.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            m_visible[i] = quint32(i);
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            if (m_matcher.matches(m_records[i]))
                m_visible.push_back(quint32(i));
        }
    }
    if (!isNaturalOrder()) {
        std::vector<KeyedRow> keyed;
        buildKeys(m_visible, keyed);
        sortKeyed(keyed);
        for (std::size_t i = 0; i < keyed.size(); ++i)
            m_visible[i] = keyed[i].record;
    }
}

std::vector<ErrorLogModel::Key> ErrorLogModel::ranksFor(const StringPool &pool) const
{
    std::vector<quint32> ids(pool.size());
    for (quint32 i = 0; i < pool.size(); ++i)
        ids[i] = i;
    std::sort(ids.begin(), ids.end(), [&pool](quint32 a, quint32 b) {
        const int c = pool.at(a).compare(pool.at(b), Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    std::vector<Key> ranks(pool.size());
    for (quint32 i = 0; i < ids.size(); ++i)
        ranks[ids[i]] = i;
    return ranks;
}

void ErrorLogModel::buildKeys(const std::vector<quint32> &records, std::vector<KeyedRow> &out) const
{
    out.resize(records.size());
    auto fill = [&](auto keyOf) {
        for (std::size_t i = 0; i < records.size(); ++i)
            out[i] = KeyedRow{keyOf(m_records[records[i]]), records[i]};
    };
    switch (m_sortColumn) {
    case Time:
        fill([](const LogRecord &r) { return quint64(r.timeMs) ^ (quint64(1) << 63); });
        break;
    case Environment: {
        const auto ranks = ranksFor(m_pools.environment);
        fill([&](const LogRecord &r) { return ranks[r.environment]; });
        break;
    }
    case Endpoint: {
        const auto ranks = ranksFor(m_pools.endpoint);
        fill([&](const LogRecord &r) { return ranks[r.endpoint]; });
        break;
    }
    case Status: {
        // Without a status (connection errors) sorts by network error name, before any status.
        const auto ranks = ranksFor(m_pools.networkError);
        fill([&](const LogRecord &r) {
            return r.httpStatus ? (quint64(1) << 32) | r.httpStatus : ranks[r.networkError];
        });
        break;
    }
    case Category: {
        const auto &ranks = categoryRanks();
        fill([&](const LogRecord &r) { return ranks[r.category]; });
        break;
    }
    case Code: {
        const auto ranks = ranksFor(m_pools.code);
        fill([&](const LogRecord &r) { return ranks[r.code]; });
        break;
    }
    case Message: {
        const auto ranks = ranksFor(m_pools.message);
        fill([&](const LogRecord &r) { return ranks[r.message]; });
        break;
    }
    case Trace: {
        // Trace ids usually share a prefix ("trx-", a host name); key on the bytes after it
        // so that the 8-byte key separates most rows and few ties need a full compare.
        qsizetype common = -1;
        QByteArrayView first;
        for (quint32 rec : records) {
            const LogRecord &r = m_records[rec];
            const QByteArrayView v = m_pools.arena.view(r.traceOffset, r.traceLength);
            if (common < 0) {
                first = v;
                common = v.size();
                continue;
            }
            qsizetype k = 0;
            const qsizetype n = std::min(common, v.size());
            while (k < n && v[k] == first[k])
                ++k;
            common = k;
            if (common == 0)
                break;
        }
        const qsizetype skip = std::max<qsizetype>(0, common);
        fill([&](const LogRecord &r) {
            const QByteArrayView v = m_pools.arena.view(r.traceOffset, r.traceLength);
            return prefixKey(v.sliced(std::min(skip, v.size())));
        });
        break;
    }
    case Duration:
        // Non-negative IEEE floats order like their bit patterns.
        fill([](const LogRecord &r) { return quint64(std::bit_cast<quint32>(r.durationMs)); });
        break;
    case Attempt:
        fill([](const LogRecord &r) { return quint64(r.attempt); });
        break;
    default:
        fill([](const LogRecord &) { return quint64(0); });
        break;
    }
}

void ErrorLogModel::sortKeyed(std::vector<KeyedRow> &rows) const
{
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    // Ties fall back to arrival order (newest first when descending), so the sort is stable
    // without paying for std::stable_sort.
    std::sort(rows.begin(), rows.end(), [descending](const KeyedRow &a, const KeyedRow &b) {
        if (a.key != b.key)
            return descending ? a.key > b.key : a.key < b.key;
        return descending ? a.record > b.record : a.record < b.record;
    });
    if (m_sortColumn != Trace)
        return;
    // Trace ids that share their first eight bytes: order each such run by the full id.
    auto fullLess = [&](const KeyedRow &a, const KeyedRow &b) {
        const LogRecord &ra = m_records[a.record];
        const LogRecord &rb = m_records[b.record];
        const QByteArrayView va = m_pools.arena.view(ra.traceOffset, ra.traceLength);
        const QByteArrayView vb = m_pools.arena.view(rb.traceOffset, rb.traceLength);
        const int c = va.compare(vb);
        if (c != 0)
            return descending ? c > 0 : c < 0;
        return descending ? a.record > b.record : a.record < b.record;
    };
    for (auto it = rows.begin(); it != rows.end();) {
        auto end
            = std::find_if(it, rows.end(), [&](const KeyedRow &r) { return r.key != it->key; });
        if (end - it > 1)
            std::sort(it, end, fullLess);
        it = end;
    }
}

void ErrorLogModel::sort(int column, Qt::SortOrder order)
{
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList persistent = persistentIndexList();
    std::vector<quint32> persistentRecords;
    for (const QModelIndex &i : persistent)
        persistentRecords.push_back(m_visible[std::size_t(i.row())]);

    m_sortColumn = column >= 0 && column < ColumnCount ? column : -1;
    m_sortOrder = order;
    if (isNaturalOrder()) {
        std::sort(m_visible.begin(), m_visible.end());
    } else {
        std::vector<KeyedRow> keyed;
        buildKeys(m_visible, keyed);
        sortKeyed(keyed);
        for (std::size_t i = 0; i < keyed.size(); ++i)
            m_visible[i] = keyed[i].record;
    }

    if (!persistent.isEmpty()) {
        QHash<quint32, int> rowOf;
        for (std::size_t row = 0; row < m_visible.size(); ++row)
            rowOf.insert(m_visible[row], int(row));
        QModelIndexList to;
        for (qsizetype i = 0; i < persistent.size(); ++i)
            to.append(
                index(rowOf.value(persistentRecords[std::size_t(i)]), persistent[i].column()));
        changePersistentIndexList(persistent, to);
    }
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QString ErrorLogModel::eventId(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const LogRecord &r = record(row);
    return m_pools.arena.string(r.idOffset, r.idLength);
}

std::size_t ErrorLogModel::bytesHeld() const
{
    return sizeof(*this) + m_records.capacity() * sizeof(LogRecord)
           + m_visible.capacity() * sizeof(quint32) + m_pools.environment.bytesHeld()
           + m_pools.endpoint.bytesHeld() + m_pools.code.bytesHeld() + m_pools.message.bytesHeld()
           + m_pools.networkError.bytesHeld() + m_pools.arena.bytesHeld();
}

int ErrorLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int ErrorLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ErrorLogModel::formatCell(const LogRecord &r, int column) const
{
    switch (column) {
    case Time:
        return formatEventTime(r.timeMs);
    case Environment:
        return m_pools.environment.at(r.environment);
    case Endpoint:
        return m_pools.endpoint.at(r.endpoint);
    case Status:
        return r.httpStatus ? QString::number(r.httpStatus)
                            : m_pools.networkError.at(r.networkError);
    case Category:
        return toQString(toString(hd::Category(r.category)));
    case Code:
        return m_pools.code.at(r.code);
    case Message:
        return m_pools.message.at(r.message);
    case Trace:
        return m_pools.arena.string(r.traceOffset, r.traceLength);
    case Duration:
        return QString::number(double(r.durationMs), 'f', 1);
    case Attempt:
        return QString::number(r.attempt);
    }
    return {};
}

QVariant ErrorLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const LogRecord &r = record(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return formatCell(r, index.column());
    case Qt::ToolTipRole:
        return index.column() == Message ? QVariant(m_pools.message.at(r.message)) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Duration || index.column() == Attempt)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventIdRole:
        return m_pools.arena.string(r.idOffset, r.idLength);
    case TimeMsRole:
        return r.timeMs;
    case CategoryRole:
        return toQString(toString(hd::Category(r.category)));
    case StatusRole:
        return int(r.httpStatus);
    case SortRole:
        switch (index.column()) {
        case Time:
            return r.timeMs;
        case Status:
            return int(r.httpStatus);
        case Duration:
            return double(r.durationMs);
        case Attempt:
            return int(r.attempt);
        default:
            return formatCell(r, index.column());
        }
    }
    return {};
}

QVariant ErrorLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Environment:
        return tr("Env");
    case Endpoint:
        return tr("Endpoint");
    case Status:
        return tr("Status");
    case Category:
        return tr("Category");
    case Code:
        return tr("Code");
    case Message:
        return tr("Message");
    case Trace:
        return tr("Trace id");
    case Duration:
        return tr("ms");
    case Attempt:
        return tr("Try");
    }
    return {};
}

} // namespace hd
