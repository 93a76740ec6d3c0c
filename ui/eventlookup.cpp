#include "eventlookup.h"

#include "historystore.h"

#include <memory>

namespace hd {

EventLookup::EventLookup(QObject *parent)
    : QObject(parent)
{}

void EventLookup::setHistory(HistoryStore *history)
{
    m_history = history;
    ++m_neighbourRequest;
}

QList<ApiEvent> EventLookup::recentOf(const ApiEvent &event) const
{
    return m_cache.newestOf(event.endpoint, event.environment, 64);
}

void EventLookup::lookup(const QStringList &ids, QObject *context, Found done)
{
    QList<ApiEvent> inMemory;
    QStringList toRead;
    for (const QString &id : ids) {
        if (const ApiEvent *cached = m_cache.find(id))
            inMemory.append(*cached);
        else if (!toRead.contains(id))
            toRead.append(id);
    }
    if (toRead.isEmpty() || !m_history) {
        done(inMemory, toRead);
        return;
    }
    m_history->eventsByIdAsync(
        toRead, context,
        [ids, inMemory, toRead, done = std::move(done)](const QList<ApiEvent> &read) {
            // Back into the order asked.
            QHash<QString, ApiEvent> byId;
            for (const ApiEvent &e : inMemory)
                byId.insert(e.id, e);
            for (const ApiEvent &e : read)
                byId.insert(e.id, e);
            QList<ApiEvent> events;
            QStringList missing;
            for (const QString &id : ids) {
                if (const auto it = byId.constFind(id); it != byId.cend()) {
                    if (std::none_of(events.cbegin(), events.cend(),
                                     [&id](const ApiEvent &e) { return e.id == id; }))
                        events.append(*it);
                } else if (!missing.contains(id)) {
                    missing.append(id);
                }
            }
            done(events, missing);
        });
}

void EventLookup::withNeighbours(const Place &place, QObject *context, Neighbours done)
{
    const quint64 request = ++m_neighbourRequest;
    if (const ApiEvent *cached = m_cache.find(place.id)) {
        done(*cached, recentOf(*cached), QString());
        return;
    }
    if (!m_history) {
        done(std::nullopt, {},
             tr("This event is older than the ones kept in memory, and this session has no "
                "history to read it from."));
        return;
    }
    // The event and its neighbours in one read on the store's reader thread.
    EventRange range;
    range.fromMs = place.timeMs - 5 * 60 * 1000;
    range.toMs = place.timeMs + 2 * 60 * 1000;
    range.filter = QStringLiteral("endpoint:%1 env:%2").arg(place.endpoint, place.environment);
    range.newestFirst = true;
    auto found = std::make_shared<QList<ApiEvent>>();
    QPointer<EventLookup> self(this);
    m_history->fetch(range, 500, context,
                     [self, request, id = place.id, found, done = std::move(done)](
                         const QList<ApiEvent> &batch, bool last, const QString &error) {
                         found->append(batch);
                         if (!last || !self || request != self->m_neighbourRequest)
                             return;
                         for (const ApiEvent &e : std::as_const(*found))
                             if (e.id == id) {
                                 done(e, *found, QString());
                                 return;
                             }
                         done(std::nullopt, {},
                              error.isEmpty()
                                  ? tr("This event is no longer in the history (retention).")
                                  : tr("The history could not be read: %1").arg(error));
                     });
}

} // namespace hd
