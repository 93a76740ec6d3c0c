#pragma once

// /_sim/webhook: an inbox for notifications (docs/simulator.md, docs/notifications.md). POST
// stores the request (newest last; at most MaxEntries, bodies up to MaxBodyBytes), GET lists
// them as JSON — each with its time, content type and body (parsed when it is JSON) — and
// DELETE empties it. The demo workspace routes its alerts here, so a new user sees
// notifications arrive without an account anywhere; tests check payloads against it.
// ?fail=N on a POST answers 503 to the next N posts (to exercise retries).

#include "simrequest.h"
#include "simresponse.h"

#include <QJsonObject>
#include <QList>

namespace hd {

class SimWebhookInbox
{
public:
    static constexpr qsizetype MaxEntries = 200;
    static constexpr qsizetype MaxBodyBytes = 64 * 1024;

    SimResponse handle(const SimRequest &req, qint64 nowMs);
    void clear();
    qsizetype size() const { return m_entries.size(); }

private:
    QList<QJsonObject> m_entries;
    int m_failNext = 0;
    qint64 m_received = 0;
};

} // namespace hd
