#include "pollscheduler.h"

#include "expectations.h"
#include "retrysafety.h"
#include "saturating.h"
#include "scopecheck.h"

#include <algorithm>
#include <cmath>

namespace hd {

namespace {
constexpr std::size_t JitterRing = 100000;
}

PollScheduler::PollScheduler(const Clock &clock, WorkerPool *pool, Governor *governor,
                             RetryPolicy policy, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_pool(pool)
    , m_governor(governor)
    , m_policy(std::move(policy))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PollScheduler::tick);
    connect(m_pool, &WorkerPool::finished, this, &PollScheduler::onFinished);
    m_jitter.reserve(JitterRing);
}

void PollScheduler::setEndpoints(QList<ScheduledEndpoint> endpoints)
{
    m_states.clear();
    m_queue = {};
    m_jobs.clear();
    m_states.reserve(std::size_t(endpoints.size()));
    for (auto &ep : endpoints) {
        State s;
        s.paused = ep.def.paused;
        s.ep = std::move(ep);
        m_states.push_back(std::move(s));
    }
    emit pausedChanged(); // other endpoints, other definitions
    connectTokenServices();
    if (m_running) {
        m_running = false;
        start();
    }
}

void PollScheduler::connectTokenServices()
{
    for (const auto &service : std::as_const(m_tokenServices))
        if (service)
            service->disconnect(this);
    m_tokenServices.clear();
    for (const State &s : m_states) {
        TokenService *service = s.ep.tokens;
        if (!service || m_tokenServices.contains(service))
            continue;
        m_tokenServices.append(service);
        connect(service, &TokenService::tokenReady, this,
                [this, service] { onTokenReady(service); });
        connect(service, &TokenService::tokenFailed, this,
                [this, service](const QString &message) { onTokenFailed(service, message); });
    }
}

void PollScheduler::updateEndpoints(QList<ScheduledEndpoint> endpoints, const QSet<QString> &keep)
{
    QHash<QString, int> oldIndex;
    for (std::size_t i = 0; i < m_states.size(); ++i)
        oldIndex.insert(m_states[i].ep.def.id, int(i));
    QHash<int, int> moved; // old index → new index, for kept endpoints
    for (int n = 0; n < endpoints.size(); ++n) {
        const QString &id = endpoints.at(n).def.id;
        if (const auto it = oldIndex.constFind(id); keep.contains(id) && it != oldIndex.constEnd())
            moved.insert(*it, n);
    }
    // Answers in flight for kept endpoints find their new place; the others are dropped.
    QHash<quint64, int> jobs;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it)
        if (const auto to = moved.constFind(*it); to != moved.constEnd())
            jobs.insert(it.key(), *to);
    m_jobs = std::move(jobs);
    // The queue keeps the kept endpoints' entries (a pending retry and its regular start).
    decltype(m_queue) queue;
    while (!m_queue.empty()) {
        Due d = m_queue.top();
        m_queue.pop();
        const auto to = moved.constFind(d.index);
        if (to == moved.constEnd() || d.generation != m_states[std::size_t(d.index)].generation)
            continue;
        d.index = *to;
        queue.push(d);
    }
    m_queue = std::move(queue);

    std::vector<State> states(std::size_t(endpoints.size()));
    std::vector<int> fresh;
    QSet<int> keptAt;
    for (auto it = moved.cbegin(); it != moved.cend(); ++it) {
        states[std::size_t(*it)] = std::move(m_states[std::size_t(it.key())]);
        keptAt.insert(*it);
    }
    for (int n = 0; n < endpoints.size(); ++n) {
        State &s = states[std::size_t(n)];
        if (!keptAt.contains(n)) {
            s.paused = endpoints[n].def.paused;
            fresh.push_back(n);
        }
        s.ep = std::move(endpoints[n]); // kept: an equal definition, maybe a rebuilt network
    }
    m_states = std::move(states);
    connectTokenServices();
    emit pausedChanged(); // endpoints came, went or changed their definition
    if (!m_running)
        return;
    // New and changed endpoints: spread over a second (or their interval), not a whole
    // interval — whoever edited the file wants to see them polled.
    constexpr double Golden = 0.6180339887498949;
    const qint64 now = m_clock.monotonicMs();
    for (std::size_t k = 0; k < fresh.size(); ++k) {
        const int i = fresh[k];
        const qint64 window = std::min<qint64>(1000, m_states[std::size_t(i)].ep.def.intervalMs);
        schedule(i, now + qint64(std::fmod(double(k) * Golden, 1.0) * double(window)));
    }
    armTimer();
}

void PollScheduler::start()
{
    if (m_running)
        return;
    m_running = true;
    const qint64 now = m_clock.monotonicMs();
    // Spread first starts over each interval with the golden ratio sequence: even coverage
    // for any number of endpoints, deterministic, and no two neighbours start together.
    constexpr double Golden = 0.6180339887498949;
    for (std::size_t i = 0; i < m_states.size(); ++i) {
        const double fraction = std::fmod(double(i) * Golden, 1.0);
        schedule(int(i), now + qint64(fraction * double(m_states[i].ep.def.intervalMs)));
    }
    armTimer();
}

void PollScheduler::stop()
{
    m_running = false;
    m_timer.stop();
    m_queue = {};
}

void PollScheduler::schedule(int index, qint64 atMono)
{
    State &s = m_states[std::size_t(index)];
    s.nextDueMono = atMono;
    ++s.generation;
    m_queue.push({atMono, index, s.generation});
}

bool PollScheduler::effectivelyPaused(const State &s) const
{
    return m_allPaused || s.paused || m_pausedEnvironments.contains(s.ep.def.environment);
}

void PollScheduler::armTimer()
{
    if (!m_running)
        return;
    // Drop stale entries so the timer is armed for a real deadline.
    while (!m_queue.empty()
           && m_queue.top().generation != m_states[std::size_t(m_queue.top().index)].generation)
        m_queue.pop();
    if (m_queue.empty())
        return;
    const qint64 wait = std::max<qint64>(0, m_queue.top().atMono - m_clock.monotonicMs());
    m_timer.start(int(std::min<qint64>(wait, 3600000)));
}

void PollScheduler::tick()
{
    if (!m_running)
        return;
    const qint64 now = m_clock.monotonicMs();
    while (!m_queue.empty() && m_queue.top().atMono <= now) {
        const Due due = m_queue.top();
        m_queue.pop();
        State &s = m_states[std::size_t(due.index)];
        if (due.generation != s.generation)
            continue;
        const qint64 interval
            = qint64(double(s.ep.def.intervalMs) * m_governor->spacingFactor(s.ep.governorKey));
        // Start-to-start: the next start is one interval after this *scheduled* start.
        qint64 next = due.atMono + interval;
        if (next <= now)
            next = now + interval; // we fell behind (suspend, overload): skip, don't burst
        const bool retry = s.attempt > 1;
        schedule(due.index, next);
        if (effectivelyPaused(s) || s.inFlight || s.waitingForToken)
            continue;
        if (retry) {
            dispatch(due.index, due.atMono, false);
        } else {
            s.attempt = 1;
            dispatch(due.index, due.atMono, true);
        }
    }
    armTimer();
}

void PollScheduler::dispatch(int index, qint64 dueMono, bool regular)
{
    State &s = m_states[std::size_t(index)];
    QString token;
    if (s.ep.tokens) {
        token = s.ep.tokens->token();
        if (token.isEmpty()) {
            if (s.ep.tokens->isRequesting()) {
                // Park: the credential's one token request is out; onTokenReady sends this.
                s.waitingForToken = true;
                s.waitRegular = regular;
                s.dueOfInFlight = dueMono;
                return;
            }
            // The token endpoint is failing and backing off. Sending without a token would
            // only earn a 401, so skip this poll; the failure itself is already an event.
            ++m_deferredForToken;
            emit requestDeferred(s.ep.def.id,
                                 QStringLiteral("no token: ") + s.ep.tokens->lastError(),
                                 s.ep.tokens->retryNotBeforeMs().value_or(m_clock.nowMs()));
            s.attempt = 1;
            return;
        }
    }
    const auto permit = m_governor->permit(s.ep.governorKey, s.ep.def.quotaShare);
    if (!permit.allowed) {
        ++m_deferred;
        emit requestDeferred(s.ep.def.id, permit.reason, permit.notBeforeMs);
        // Keep the phase: the next regular start after the pause.
        // Saturating: a pause is bounded where it is set (resourcelimits.h), but a profile's
        // own delay is configuration and may be anything up to qint64 max.
        const qint64 pauseMono = saturatingAdd(
            m_clock.monotonicMs(),
            std::max<qint64>(0, saturatingAdd(permit.notBeforeMs, -m_clock.nowMs())));
        if (s.nextDueMono < pauseMono) {
            const qint64 interval = std::max(1, s.ep.def.intervalMs);
            const qint64 gap = pauseMono - s.nextDueMono;
            const qint64 steps = gap / interval + (gap % interval != 0 ? 1 : 0);
            schedule(index, saturatingAdd(s.nextDueMono, saturatingMul(steps, interval)));
        }
        s.attempt = 1;
        return;
    }
    const qint64 now = m_clock.monotonicMs();
    if (regular) {
        const float jitter = float(std::max<qint64>(0, now - dueMono));
        if (m_jitter.size() < JitterRing)
            m_jitter.push_back(jitter);
        else
            m_jitter[m_jitterPos] = jitter;
        m_jitterPos = (m_jitterPos + 1) % JitterRing;
        ++m_jitterCount;
    }
    s.inFlight = true;
    s.dueOfInFlight = dueMono;
    s.jobId = m_nextJob++;
    m_jobs.insert(s.jobId, index);
    ++m_sent;
    RequestJob job{s.jobId, s.ep.spec, s.attempt};
    if (s.attempt == 1)
        ++s.polls;
    // Fresh every N polls: the poll before each N-th asks the server to close its connection
    // after answering, so the N-th opens a new one (DNS, connect and TLS are then measured).
    if (const int every = job.spec.freshConnectionEvery; every > 0)
        job.spec.closeConnection = (s.polls + 1) % quint64(every) == 0;
    if (!job.spec.idempotencyHeader.isEmpty() || !job.spec.idempotencyBodyField.isEmpty()) {
        // A fresh key for each poll, the same one on every retry of it: the server can then
        // tell a retry from a new order.
        if (s.attempt == 1 || s.idempotencyKey.isEmpty())
            s.idempotencyKey = RetrySafety::newKey();
        job.spec.idempotencyKey = s.idempotencyKey;
        RetrySafety::stampKey(job.spec); // checked at load: the body takes the field
    }
    if (!token.isEmpty()) {
        // The credential's header wins over one typed into the endpoint.
        job.spec.headers.removeIf([](const Header &h) {
            return h.first.compare(u"Authorization", Qt::CaseInsensitive) == 0;
        });
        job.spec.headers.append(
            {QStringLiteral("Authorization"), QStringLiteral("Bearer ") + token});
        s.usedToken = token;
        s.usedTokenInfo = s.ep.tokens->summary();
    }
    m_pool->submit(job);
}

void PollScheduler::stretchSchedules(const QString &governorKey)
{
    // A lockout warning must slow the very next request down, not the one after it: starts
    // already scheduled at the old spacing behind this host and credential move out now.
    const double factor = m_governor->spacingFactor(governorKey);
    for (std::size_t i = 0; i < m_states.size(); ++i) {
        State &st = m_states[i];
        if (st.ep.governorKey != governorKey)
            continue;
        const qint64 interval = st.ep.def.intervalMs;
        const qint64 lastStart = st.inFlight ? st.dueOfInFlight : st.nextDueMono - interval;
        const qint64 target = lastStart + qint64(double(interval) * factor);
        if (st.nextDueMono < target)
            schedule(int(i), target);
    }
    armTimer();
}

void PollScheduler::onFinished(quint64 jobId, const ApiEvent &event)
{
    const auto it = m_jobs.constFind(jobId);
    if (it == m_jobs.constEnd())
        return; // from before setEndpoints()
    const int index = *it;
    m_jobs.erase(it);
    State &s = m_states[std::size_t(index)];
    s.inFlight = false;

    ApiEvent e = event;
    e.environment = s.ep.def.environment;
    e.endpoint = s.ep.def.id;
    applyExpectations(s.ep.def.expect, e);
    m_governor->observe(s.ep.governorKey, e);
    if (e.retry.action == RetryAction::SlowDown)
        stretchSchedules(s.ep.governorKey);

    bool canRefresh = false;
    if (s.ep.tokens) {
        e.token = s.usedTokenInfo;
        if (e.httpStatus == 403)
            ScopeCheck::annotate(e, s.usedTokenInfo ? s.usedTokenInfo->scopes : QStringList(),
                                 s.ep.def.requiredScopes);
        if (e.retry.action == RetryAction::RefreshToken) {
            canRefresh = s.ep.tokens->rejected(s.usedToken);
            if (!canRefresh && !s.ep.tokens->lastError().isEmpty() && e.error)
                e.error->message += QStringLiteral(" — ") + s.ep.tokens->lastError();
        }
        s.usedToken.clear();
    }

    const RetryStep step = m_policy.next(e, s.attempt, canRefresh);
    const qint64 now = m_clock.monotonicMs();
    // A retry only makes sense before the next regular poll; otherwise that poll is the retry.
    if (step.retry && m_running && now + step.delayMs < s.nextDueMono) {
        e.retry.delayMs = step.delayMs;
        ++s.attempt;
        const qint64 keepNext = s.nextDueMono;
        schedule(index, now + step.delayMs);
        // Keep the regular phase after the retry.
        m_queue.push({keepNext, index, s.generation});
        armTimer();
    } else {
        s.attempt = 1;
    }
    emit eventReady(e);
}

void PollScheduler::onTokenReady(TokenService *service)
{
    for (std::size_t i = 0; i < m_states.size(); ++i) {
        State &s = m_states[i];
        if (!s.waitingForToken || s.ep.tokens != service)
            continue;
        s.waitingForToken = false;
        if (m_running && !effectivelyPaused(s))
            dispatch(int(i), s.dueOfInFlight, s.waitRegular);
        else
            s.attempt = 1;
    }
    armTimer();
}

void PollScheduler::onTokenFailed(TokenService *service, const QString &message)
{
    for (State &s : m_states) {
        if (!s.waitingForToken || s.ep.tokens != service)
            continue;
        // Not retried here: the service backs off, and the next regular poll asks again.
        s.waitingForToken = false;
        s.attempt = 1;
        ++m_deferredForToken;
        emit requestDeferred(s.ep.def.id, QStringLiteral("no token: ") + message,
                             service->retryNotBeforeMs().value_or(m_clock.nowMs()));
    }
}

void PollScheduler::setEndpointPaused(const QString &id, bool paused)
{
    bool changed = false;
    for (auto &s : m_states)
        if (s.ep.def.id == id && s.paused != paused) {
            s.paused = paused;
            changed = true;
        }
    if (changed)
        emit pausedChanged();
}

bool PollScheduler::isEndpointPaused(const QString &id) const
{
    for (const auto &s : m_states)
        if (s.ep.def.id == id)
            return effectivelyPaused(s);
    return false;
}

bool PollScheduler::hasPendingRequests() const
{
    const bool parked = std::any_of(m_states.cbegin(), m_states.cend(),
                                    [](const State &s) { return s.waitingForToken; });
    const bool tokenOut
        = std::any_of(m_tokenServices.cbegin(), m_tokenServices.cend(),
                      [](const QPointer<TokenService> &t) { return t && t->isRequesting(); });
    return !m_jobs.isEmpty() || parked || tokenOut;
}

int PollScheduler::pausedEndpointCount() const
{
    return int(std::count_if(m_states.cbegin(), m_states.cend(),
                             [this](const State &s) { return effectivelyPaused(s); }));
}

void PollScheduler::setEnvironmentPaused(const QString &environment, bool paused)
{
    const bool changed = paused ? !m_pausedEnvironments.contains(environment)
                                : m_pausedEnvironments.contains(environment);
    if (paused)
        m_pausedEnvironments.insert(environment);
    else
        m_pausedEnvironments.remove(environment);
    if (changed)
        emit pausedChanged();
}

void PollScheduler::setAllPaused(bool paused)
{
    if (m_allPaused == paused)
        return;
    m_allPaused = paused;
    emit pausedChanged();
}

void PollScheduler::sendNow(const QString &id)
{
    for (std::size_t i = 0; i < m_states.size(); ++i) {
        State &s = m_states[i];
        if (s.ep.def.id != id || s.inFlight || s.waitingForToken)
            continue;
        s.attempt = 1;
        const qint64 keepNext = s.nextDueMono;
        dispatch(int(i), m_clock.monotonicMs(), false);
        if (s.nextDueMono != keepNext)
            armTimer();
        return;
    }
}

JitterStats PollScheduler::startJitter() const
{
    JitterStats st;
    st.samples = m_jitterCount;
    if (m_jitter.empty())
        return st;
    std::vector<float> v = m_jitter;
    auto pct = [&](double p) {
        const std::size_t k = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1)));
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
        return double(v[k]);
    };
    st.p50Ms = pct(0.50);
    st.p99Ms = pct(0.99);
    st.maxMs = double(*std::max_element(v.begin(), v.end()));
    return st;
}

} // namespace hd
