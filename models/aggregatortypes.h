#pragma once

// Vocabulary of the live aggregators: which scope, which resolution, which chart metric, and
// the value types their queries return.

#include "eventtypes.h"
#include "latencyhistogram.h"

#include <QString>
#include <QtGlobal>

#include <array>

namespace hd {

enum class ScopeKind { All, Endpoint, Environment, Credential };
enum class Resolution { Second, TenSeconds, Minute };
inline constexpr int ResolutionCount = 3;

qint64 resolutionMs(Resolution r);

enum class SeriesMetric {
    Requests,  // events per bucket
    Failures,  // non-success events per bucket
    ErrorRate, // failures / requests per bucket, in percent
    LatencyMean,
    LatencyMax,
    LatencyP50, // percentiles need a ring with histograms (10 s and 1 min by default)
    LatencyP95,
    LatencyP99,
    Headroom, // lowest rate-limit headroom in the bucket, in percent
    // Seconds from the end of the bucket (or now, for the current one) until the latest token
    // expiry an event of the bucket reported; negative once expired. Gaps where none did.
    TokenExpiresIn,
};

struct AggregatorConfig
{
    // Window per resolution = buckets × resolution. The defaults keep 2 min at 1 s, 15 min at
    // 10 s and 1 h at 1 min, enough for seed 002's 30-minute SLO window.
    std::array<int, ResolutionCount> buckets{120, 90, 60};
    // A histogram costs ~900 bytes per bucket, so by default only the minute ring has them
    // (~100 KB per scope instead of ~180 KB; 1,000 endpoints ≈ 100 MB). Turn on the 10 s ring's
    // for finer p95 charts.
    std::array<bool, ResolutionCount> histograms{false, false, true};
    // Seed 002: under 1% of requests failing over 30 minutes is normal.
    double sloErrorRate = 0.01;
    qint64 sloWindowMs = 30 * 60 * 1000;
    // Beyond this many names per scope kind, new names share one overflow scope, so a
    // misbehaving workspace cannot grow memory without bound.
    int maxScopesPerKind = 2000;
};

struct WindowSummary
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    quint64 total = 0;
    std::array<quint64, 5> outcomes{};
    std::array<quint64, CategoryCount> categories{};
    double latencySumMs = 0;
    double latencyMaxMs = 0;
    LatencyHistogram latency; // empty when the ring used has no histograms

    quint64 failures() const { return total - outcomes[std::size_t(Outcome::Success)]; }
    double errorRate() const { return total ? double(failures()) / double(total) : 0.0; }
    quint64 count(Outcome o) const { return outcomes[std::size_t(o)]; }
    quint64 count(Category c) const { return categories[std::size_t(c)]; }
};

struct LatencyPercentiles
{
    quint64 samples = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
};

struct SloStatus
{
    quint64 requests = 0;
    quint64 failures = 0;
    double errorRate = 0; // fraction, 0..1
    double objective = 0; // fraction, e.g. 0.01
    qint64 windowMs = 0;
    // Share of the error budget still unspent; negative once the SLO is breached.
    double budgetRemaining = 1;
    bool breached() const { return errorRate > objective; }
};

// The polling engine's governor for one scope, as last reported (the engine samples its
// Governor about once a second and hands the state over with Aggregator::setGovernorState;
// models/ cannot see app/ratelimit). For a credential or an environment, the worst of the
// governor keys behind it: paused if any is paused, the latest lockout, an open breaker wins.
struct GovernorState
{
    enum class Breaker { Closed, Open, HalfOpen };
    qint64 sampledAtMs = 0;
    bool paused = false;
    qint64 pausedUntilMs = 0; // wall clock; 0 when not paused
    QString pauseReason;
    bool lockedOut = false;    // a Tradovate-style lockout (nothing may be sent until…)
    qint64 lockoutUntilMs = 0; // wall clock
    bool slowedDown = false;   // 423 warning: spacing multiplied
    Breaker breaker = Breaker::Closed;
    int consecutiveFailures = 0;
    int sentInWindow = 0;
    int budgetInWindow = -1; // -1: quota unknown

    // Folds another key's state into this one (the worst of both).
    void merge(const GovernorState &other);
    bool operator==(const GovernorState &) const = default;
};

// Health of one stream monitor (a WebSocket session, docs/streams.md) as the monitor last
// reported it. The monitor keeps these figures with O(1) work per frame (counters, a ring of
// ten one-second frame counts); the aggregator only stores the newest copy per stream.
struct StreamHealth
{
    enum class State {
        Idle,         // not started (or stopped)
        Connecting,   // handshake under way, waiting for "o"
        Authorizing,  // open, waiting for the authorize answer (or for a token)
        Connected,    // authorized: heartbeats, subscriptions and requests flow
        Reconnecting, // waiting out the backoff before the next connect
        GaveUp,       // the reconnect limit was reached; nothing more is tried
    };
    State state = State::Idle;
    qint64 sampledAtMs = 0;
    qint64 connectedSinceMs = 0; // wall clock of the current authorized session; 0 when none
    qint64 connectedTotalMs = 0; // authorized time over every session, the current one included
    int sessions = 0;            // authorized sessions so far
    int reconnects = 0;          // connection attempts after the first
    int failuresInRow = 0;       // failed attempts since the last stable session
    int drops = 0;               // sessions lost (dropped, closed by the server, heartbeat missed)
    int heartbeatMisses = 0;
    qint64 lastHeartbeatGapMs = -1; // between the last two server heartbeats; -1: unknown
    qint64 maxHeartbeatGapMs = -1;
    double messagesPerSecond = 0; // frames received over the last 10 s
    quint64 frames = 0;           // frames received in all
    quint64 pushed = 0;           // messages the server pushed (subscriptions: {"e":…})
    qint64 lastFrameMs = 0;       // wall clock of the newest frame; 0: none yet
    QString lastFrame;            // its first 120 characters, redacted
    qint64 nextReconnectAtMs = 0; // wall clock; 0 unless Reconnecting
    bool operator==(const StreamHealth &) const = default;
};

QString toString(StreamHealth::State state);

} // namespace hd
