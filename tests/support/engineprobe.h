#pragma once

// One poll of one endpoint through a real MonitorEngine (worker thread, QNetworkAccessManager,
// classifier), for tests of what the engine makes of a server: TLS, proxies, HTTP/2, the
// simulator's routes. Waits for the first event, bounded in time.

#include "apievent.h"
#include "monitorengine.h"

#include <QString>

namespace hd::test {

struct ProbeResult
{
    // The first event; when none came, a connection-level failure no expectation of "ok"
    // accepts, whose network_error says why ("test: no event within 10 s").
    ApiEvent event;
    // The engine's load error and warnings, one per line (empty when it loaded cleanly).
    QString loadMessages;
    bool gotEvent = false;
};

// Loads ws with options (on one worker thread), sends endpointId now, returns the
// first event.
ProbeResult probeOnce(const Workspace &ws, const QString &endpointId, EngineOptions options = {},
                      int timeoutMs = 10000);

// The smallest workspace around one environment: one endpoint (id endpointId) at url (a full
// URL or a path under the environment's base), polled once a minute with a 5 s timeout.
Workspace oneEndpointWorkspace(const Environment &env, const QString &url,
                               const QString &endpointId = QStringLiteral("status"));

} // namespace hd::test
