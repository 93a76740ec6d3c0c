#pragma once

// Tunables of the built-in simulator. Defaults suit `hdeck sim` and the demo workspace; tests
// shorten the windows so nothing waits for minutes.

#include "clock.h"

#include <QtGlobal>

namespace hd {

struct SimConfig
{
    quint32 seed = 1;
    // Lifetime of OAuth2 / Tradovate access tokens.
    int tokenLifetimeS = 300;
    // Non-zero: every token endpoint (OAuth2 /oauth/token, Tradovate accesstokenrequest and
    // renewaccesstoken) answers with this status (400-599) instead of issuing a token, so a
    // refresh failure can be produced mid-run. 0: token endpoints work.
    int tokenFailureStatus = 0;
    // Tradovate (seed 003): requests per credential counted over a rolling window; above
    // warnAt the API answers 423, above lockAt it locks the credential out with 429 for
    // lockoutWindowMs, and every request during the lockout extends it.
    int tradovateWindowMs = 10000;
    int tradovateWarnAt = 20;
    int tradovateLockAt = 30;
    int lockoutWindowMs = 60000;
    // Quotas per credential (fixed windows).
    int quotaWindowS = 60;
    int defaultQuota = 600;
    // Seed 002's "5xx at a low background rate"; 0 makes every route deterministic.
    double backgroundErrorRate = 0.01;
    // Fault timings.
    int idleCutMs = 250;    // the "load balancer" closes an idle request after this long
    int slowByteMs = 50;    // one byte every slowByteMs
    int slowReportMs = 300; // how long the report backend takes before the gateway gives up (504)
    int heartbeatMs = 2500; // Tradovate WebSocket heartbeat frame "h"
    // Bounds against bad clients.
    int maxConnections = 4096;
    int maxHeaderBytes = 16 * 1024;
    int maxBodyBytes = 1024 * 1024;
    int headerTimeoutMs = 10000; // slowloris: a request head must arrive within this time
    int keepAliveIdleMs = 30000; // idle keep-alive connections are closed after this
    int maxHangMs = 120000;      // "never answers" gives up after this, to bound resources
    // Demo mode: a rotating schedule of incidents and faults on healthy routes.
    bool demoSchedule = false;
    // The simulator's time: token exp and expiry, rate-limit and lockout windows, the Date
    // header. Null: the system clock. Tests share the engine's ManualClock so a token's
    // lifetime passes on the same clock on both sides; it must outlive the simulator.
    const Clock *clock = nullptr;
    // HTTPS listeners (docs/simulator.md, "TLS"): a CA made at start and one port per
    // certificate case — good, short-lived, expired, wrong host name, client certificate required.
    bool tls = false;
    double tlsShortLivedDays = 3; // the short-lived certificate expires this long after start
};

} // namespace hd
