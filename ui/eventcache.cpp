#include "eventcache.h"

#include "eventbytes.h"

namespace hd {

EventCache::EventCache(qint64 maxBytes)
    : m_maxBytes(std::max<qint64>(0, maxBytes))
{}

void EventCache::insert(const ApiEvent &event)
{
    const qint64 size = approxEventBytes(event) + qint64(sizeof(QString)) * 2;
    if (auto it = m_events.find(event.id); it != m_events.end()) {
        m_bytes += size - it->bytes;
        *it = Entry{event, size};
    } else {
        m_events.insert(event.id, Entry{event, size});
        m_order.push_back(event.id);
        m_bytes += size;
    }
    while (m_bytes > m_maxBytes && m_order.size() > 1) {
        const auto it = m_events.constFind(m_order.front());
        m_order.pop_front();
        if (it == m_events.cend())
            continue;
        m_bytes -= it->bytes;
        m_events.erase(it);
        ++m_dropped;
    }
}

const ApiEvent *EventCache::find(const QString &id) const
{
    const auto it = m_events.constFind(id);
    return it == m_events.cend() ? nullptr : &it->event;
}

QList<ApiEvent> EventCache::newestOf(const QString &endpoint, const QString &environment,
                                     int max) const
{
    QList<ApiEvent> out;
    for (auto it = m_order.crbegin(); it != m_order.crend() && out.size() < max; ++it) {
        const auto e = m_events.constFind(*it);
        if (e != m_events.cend() && e->event.endpoint == endpoint
            && e->event.environment == environment)
            out.append(e->event);
    }
    return out;
}

QList<ApiEvent> EventCache::all() const
{
    QList<ApiEvent> out;
    out.reserve(qsizetype(m_order.size()));
    for (const QString &id : m_order)
        if (const auto e = m_events.constFind(id); e != m_events.cend())
            out.append(e->event);
    return out;
}

void EventCache::clear()
{
    m_events.clear();
    m_order.clear();
    m_bytes = 0;
}

} // namespace hd
