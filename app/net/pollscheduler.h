#pragma once

// Start-to-start polling of many endpoints: each endpoint fires every interval measured from
// its previous *scheduled* start (a slow response does not drift the schedule), first starts
// spread evenly over the interval (no thundering herd), a poll that is still in flight when
// the next is due is skipped rather than piled up. Every send asks the Governor first; retries
// follow the event's decision through the RetryPolicy. Runs on the main thread; network I/O
// happens on the WorkerPool's threads.
//
// Endpoints with a token credential ask their TokenService for the token at send time: a
// missing token parks the request until the (single, shared) token request answers; a 401
// asks the service once for a new token and retries once; a 403 is explained with the
// token's scopes against the endpoint's requiredScopes; every event carries the token summary.

#include "governor.h"
#include "networkworker.h"
#include "retrypolicy.h"
#include "tokenservice.h"
#include "workspace.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <queue>
#include <vector>

namespace hd {

struct ScheduledEndpoint
{
    Endpoint def;
    HttpRequestSpec spec; // resolved URL, headers (with auth), body, timeout, profile
    QString governorKey;
    TokenService *tokens = nullptr; // owned by the engine; null for static credentials
};

struct JitterStats
{
    qint64 samples = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

class PollScheduler : public QObject
{
    Q_OBJECT
public:
    PollScheduler(const Clock &clock, WorkerPool *pool, Governor *governor, RetryPolicy policy,
                  QObject *parent = nullptr);

    void setEndpoints(QList<ScheduledEndpoint> endpoints);
    // A reloaded workspace: endpoints whose id is in keep carry on where they were (schedule
    // phase, a request in flight, a retry, pause state); the others start afresh, their first
    // poll within a second or their interval, whichever is shorter. Endpoints not in the list
    // stop: an answer still in flight for them is dropped.
    void updateEndpoints(QList<ScheduledEndpoint> endpoints, const QSet<QString> &keep);
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    void setEndpointPaused(const QString &id, bool paused);
    void setEnvironmentPaused(const QString &environment, bool paused);
    void setAllPaused(bool paused);
    bool isEndpointPaused(const QString &id) const;
    bool allPaused() const { return m_allPaused; }
    // Endpoints paused now, by the user (endpoint, environment or all) or by their definition.
    int pausedEndpointCount() const;
    // Sends one request for the endpoint now (still subject to the governor).
    void sendNow(const QString &id);

    // Processes everything due at the clock's current time; the timer calls it, tests may too.
    void tick();

    JitterStats startJitter() const;
    qint64 requestsSent() const { return m_sent; }
    qint64 deferredByGovernor() const { return m_deferred; }
    // Requests held back because no token could be had (token endpoint failing).
    qint64 deferredForToken() const { return m_deferredForToken; }
    // Whether a request (or a token request of the endpoints' credentials) is out and not
    // answered yet, or parked until a token arrives. Tests on a ManualClock wait for this to
    // turn false after each step of the clock.
    bool hasPendingRequests() const;

signals:
    void eventReady(const hd::ApiEvent &event);
    // The governor held a request back (paused host, lockout, quota share, breaker).
    void requestDeferred(const QString &endpointId, const QString &reason, qint64 untilMs);
    // Whether some endpoint is paused changed (a setter above, or new endpoints): views re-read
    // isEndpointPaused() on this instead of asking on a timer.
    void pausedChanged();

private:
    struct State
    {
        ScheduledEndpoint ep;
        qint64 nextDueMono = 0;
        quint64 generation = 0;
        bool inFlight = false;
        bool paused = false;
        int attempt = 1;
        quint64 jobId = 0;
        qint64 dueOfInFlight = 0;
        bool waitingForToken = false; // parked until the credential's token request answers
        bool waitRegular = false;
        QString idempotencyKey; // one per poll, the same on its retries
        quint64 polls = 0;      // polls started (retries not counted): freshConnectionEvery
        QString usedToken;      // the token the in-flight request carries
        std::optional<TokenInfo> usedTokenInfo;
    };
    struct Due
    {
        qint64 atMono;
        int index;
        quint64 generation;
        bool operator>(const Due &o) const { return atMono > o.atMono; }
    };

    void schedule(int index, qint64 atMono);
    void dispatch(int index, qint64 dueMono, bool regular);
    void onFinished(quint64 jobId, const ApiEvent &event);
    void stretchSchedules(const QString &governorKey);
    void armTimer();
    bool effectivelyPaused(const State &s) const;
    void onTokenReady(TokenService *service);
    void onTokenFailed(TokenService *service, const QString &message);
    void connectTokenServices();

    const Clock &m_clock;
    WorkerPool *m_pool;
    Governor *m_governor;
    RetryPolicy m_policy;
    QTimer m_timer;
    std::vector<State> m_states;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_queue;
    QHash<quint64, int> m_jobs;
    QSet<QString> m_pausedEnvironments;
    quint64 m_nextJob = 1;
    bool m_running = false;
    bool m_allPaused = false;
    qint64 m_sent = 0;
    qint64 m_deferred = 0;
    qint64 m_deferredForToken = 0;
    QList<QPointer<TokenService>> m_tokenServices;
    std::vector<float> m_jitter; // ring of recent start delays (ms)
    std::size_t m_jitterPos = 0;
    qint64 m_jitterCount = 0;
};

} // namespace hd
