#pragma once

// The full events the console keeps in memory for the detail pane, "recent attempts" and the
// support-bundle dialog (the log table itself holds compact rows). Bounded by bytes, not by a
// count: 20,000 events with 64 KiB bodies would be over a GiB, 20,000 small ones a few MiB.
// When a new event would pass the bound the oldest go first; dropped() counts them (their
// details are then read back from history on demand). Main thread only.

#include "apievent.h"
#include "resourcelimits.h"

#include <QHash>
#include <QList>
#include <QString>

#include <algorithm>
#include <deque>

namespace hd {

class EventCache
{
public:
    explicit EventCache(qint64 maxBytes = limits::MaxConsoleEventCacheBytes);

    // Adds the event as the newest (an id already held is replaced in place), then drops the
    // oldest events until the total is within the bound; the newest event always stays.
    void insert(const ApiEvent &event);
    const ApiEvent *find(const QString &id) const;
    bool contains(const QString &id) const { return m_events.contains(id); }
    // The newest events of one endpoint in one environment, newest first, at most max.
    QList<ApiEvent> newestOf(const QString &endpoint, const QString &environment, int max) const;
    // Every event held, oldest first.
    QList<ApiEvent> all() const;
    void clear();

    int size() const { return int(m_events.size()); }
    qint64 bytes() const { return m_bytes; }
    qint64 maxBytes() const { return m_maxBytes; }
    // Events dropped to stay within the bound since construction (clear() keeps the count).
    quint64 dropped() const { return m_dropped; }

private:
    struct Entry
    {
        ApiEvent event;
        qint64 bytes = 0;
    };
    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    quint64 m_dropped = 0;
    QHash<QString, Entry> m_events;
    std::deque<QString> m_order; // ids, oldest first
};

} // namespace hd
