#pragma once

// Where past events can be read back from: the SQLite history (HistoryStore implements this
// in app/store; models/ cannot see app/, so ErrorLogModel and other models talk to this
// interface). Reading is asynchronous: the source reads on its own thread and hands the events
// over in batches on the thread of a context object, so the UI thread never waits for disk.
//
//   quint64 t = source->fetch(range, 2000, this,
//       [](const QList<ApiEvent> &batch, bool last, const QString &error) { … });
//   source->cancel(t); // no further batches arrive
//
// Batches follow range.newestFirst (and are in that order inside each batch). The last call
// has last == true (its batch may be empty); on failure error says why in one sentence, and
// that call is the last. Callbacks never run inside fetch(), never after cancel(), and never
// after context is destroyed. A fetch sees every event given to the source before the call.

#include "apievent.h"
#include "eventrange.h"

#include <QList>
#include <QObject>

#include <functional>

namespace hd {

class EventSource
{
public:
    using BatchCallback
        = std::function<void(const QList<ApiEvent> &batch, bool last, const QString &error)>;

    virtual ~EventSource() = default;

    // Returns a ticket for cancel(); never 0.
    virtual quint64 fetch(const EventRange &range, int batchSize, QObject *context,
                          BatchCallback onBatch)
        = 0;
    virtual void cancel(quint64 ticket) = 0;
};

} // namespace hd
