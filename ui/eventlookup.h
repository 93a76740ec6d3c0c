#pragma once

// The full events behind the log's compact rows (issue 22: the event lookup out of MainWindow).
// The newest are held in memory (EventCache, bounded by bytes); older ones are read from the
// session's history on the store's reader thread, so the UI thread never waits for the
// database. Used by the detail pane, Ctrl+click comparison, "Open in HealthDeck" from a
// desktop notification and the support bundle. Main thread only.

#include "apievent.h"
#include "eventcache.h"
#include "historystore.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

namespace hd {

class EventLookup : public QObject
{
    Q_OBJECT
public:
    explicit EventLookup(QObject *parent = nullptr);

    // Where older events are read from; nullptr: memory only. Pending reads of an earlier
    // history still answer, through their context.
    void setHistory(HistoryStore *history);
    HistoryStore *history() const { return m_history; }

    void insert(const ApiEvent &event) { m_cache.insert(event); }
    void clear() { m_cache.clear(); }
    const ApiEvent *find(const QString &id) const { return m_cache.find(id); }
    // The attempts of one request sit close together: the newest 64 events of its endpoint in
    // its environment, newest first.
    QList<ApiEvent> recentOf(const ApiEvent &event) const;
    // Every event held in memory, oldest first.
    QList<ApiEvent> all() const { return m_cache.all(); }
    const EventCache &cache() const { return m_cache; }

    // The events with these ids, in the order asked, and the ids found nowhere. When memory
    // holds them all, done runs before lookup() returns; otherwise the rest are read from
    // history and done runs later on this thread, unless context is gone by then.
    using Found = std::function<void(QList<ApiEvent> events, QStringList missing)>;
    void lookup(const QStringList &ids, QObject *context, Found done);

    // One event and its neighbours (the attempts of the same request) for the detail pane:
    // from memory, else one read of its endpoint and environment from 5 min before to 2 min
    // after timeMs. Only the newest request is answered: a newer one (or cancelNeighbours)
    // makes an earlier read's answer void. why says what went wrong when there is no event.
    struct Place
    {
        QString id;
        qint64 timeMs = 0;
        QString endpoint;
        QString environment;
    };
    using Neighbours = std::function<void(std::optional<ApiEvent> event, QList<ApiEvent> neighbours,
                                          QString why)>;
    void withNeighbours(const Place &place, QObject *context, Neighbours done);
    void cancelNeighbours() { ++m_neighbourRequest; }

private:
    EventCache m_cache;
    QPointer<HistoryStore> m_history;
    quint64 m_neighbourRequest = 0;
};

} // namespace hd
