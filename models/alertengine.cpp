#include "alertengine.h"

#include "endpointhealth.h"

#include <QDateTime>

namespace hd {

namespace {
QString key(const QString &rule, const QString &subject)
{
    return rule + u'|' + subject;
}
constexpr int MaxHistory = 1000;
} // namespace

AlertEngine::AlertEngine(const Clock &clock, const Aggregator *aggregator, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_aggregator(aggregator)
    , m_slos(clock)
{}

void AlertEngine::setRules(QList<AlertRule> rules)
{
    m_rules = std::move(rules);
    // Alerts of rules that no longer exist resolve now rather than linger.
    for (auto it = m_tracked.begin(); it != m_tracked.end();) {
        const bool known = std::any_of(m_rules.cbegin(), m_rules.cend(), [&](const AlertRule &r) {
            return r.id == it->state.ruleId;
        });
        if (!known && it->active) {
            it->state.resolvedAtMs = m_clock.nowMs();
            emit resolved(it->state);
        }
        it = known ? std::next(it) : m_tracked.erase(it);
    }
}

bool AlertEngine::inScope(const AlertRule &rule, const ApiEvent &e) const
{
    return rule.scope.isEmpty() || rule.scope == u"*" || rule.scope == e.endpoint
           || rule.scope == e.environment;
}

void AlertEngine::observe(const ApiEvent &e)
{
    const qint64 now = m_clock.nowMs();
    if (!e.environment.isEmpty())
        m_endpointEnv.insert(e.endpoint, e.environment);
    // Inside a maintenance window or outside trading hours a request says nothing about the
    // service: it counts toward no streak and no SLO, and a streak starts afresh after it.
    const bool inWindow
        = !m_windows.isEmpty()
          && m_windows.at(e.endpoint, e.environment, e.timeMs > 0 ? e.timeMs : now).has_value();
    if (inWindow) {
        m_downStreak.insert(e.endpoint, 0);
        m_degradedStreak.insert(e.endpoint, 0);
    } else {
        m_slos.observe(e);
    }
    if (!inWindow) {
        if (e.outcome == Outcome::Success)
            m_downStreak.insert(e.endpoint, 0);
        else if (e.outcome == Outcome::ConnectionError || e.outcome == Outcome::ServerError)
            ++m_downStreak[e.endpoint];
    }
    // Degraded (slow beyond the endpoint's threshold, rate limited) is not down: its own streak.
    if (!inWindow && !e.endpoint.startsWith(QStringLiteral("token:")))
        m_degradedStreak.insert(e.endpoint, healthOf(e) == Health::Degraded
                                                ? m_degradedStreak.value(e.endpoint) + 1
                                                : 0);
    if (e.tls && e.tls->notAfterMs > 0)
        m_certs.insert(e.endpoint, {e.tls->notAfterMs, e.tls->subject});
    if (e.retry.action == RetryAction::StopLockout)
        m_lockoutUntil.insert(e.endpoint, now + e.retry.delayMs.value_or(3600000));
    if (e.category == Category::LockoutWarning)
        m_lockoutWarningAt.insert(e.endpoint, now);
    // A stream monitor that reached its reconnect limit says so with error.code stream_gave_up;
    // any later success on the stream (the workspace reopened) clears it.
    if (e.error && e.error->code == u"stream_gave_up")
        m_streamGaveUpAt.insert(e.endpoint, now);
    else if (e.outcome == Outcome::Success)
        m_streamGaveUpAt.remove(e.endpoint);
    // A failed token request is reported by the token service as an event on "token:<id>".
    if (e.endpoint.startsWith(QStringLiteral("token:")) && e.isFailure())
        m_refreshFailedAt.insert(e.endpoint, now);
    else if (e.endpoint.startsWith(QStringLiteral("token:")))
        m_refreshFailedAt.remove(e.endpoint);
}

void AlertEngine::update(const AlertRule &rule, const QString &subject, bool condition,
                         bool clearPastMargin, double value, const QString &message,
                         const QString &severity)
{
    const qint64 now = m_clock.nowMs();
    Tracked &t = m_tracked[key(rule.id, subject)];
    if (condition) {
        t.clearSinceMs = 0;
        if (!t.active) {
            if (const auto window = holdFor(rule, subject, now)) {
                AlertState held{rule.id, rule.kind, subject, message, severity, value, 0, 0, false};
                held.heldReason = window->reason;
                held.heldName = window->name;
                held.heldUntilMs = window->untilMs;
                t.held = held;
                return;
            }
            t.held.reset();
            t.active = true;
            t.state
                = AlertState{rule.id, rule.kind, subject, message, severity, value, now, 0, false};
            emit fired(t.state);
        } else {
            t.state.value = value;
            t.state.message = message;
            if (t.state.severity != severity) {
                t.state.severity = severity;
                t.state.acknowledged = false; // a new level wants a new look
                emit fired(t.state);
            }
        }
        return;
    }
    t.held.reset();
    if (!t.active)
        return;
    if (!clearPastMargin) {
        t.clearSinceMs = 0; // inside the hysteresis band: neither firing nor clear
        return;
    }
    if (t.clearSinceMs == 0)
        t.clearSinceMs = now;
    if (now - t.clearSinceMs < m_clearHoldMs)
        return;
    t.active = false;
    t.state.resolvedAtMs = now;
    t.state.value = value;
    m_history.prepend(t.state);
    if (m_history.size() > MaxHistory)
        m_history.removeLast();
    emit resolved(t.state);
}

void AlertEngine::evaluate()
{
    const qint64 now = m_clock.nowMs();
    for (const AlertRule &rule : std::as_const(m_rules)) {
        const QString subject = rule.scope.isEmpty() ? QStringLiteral("*") : rule.scope;
        if (rule.kind == u"error_rate") {
            // Scope "*" = all traffic; otherwise an endpoint or an environment.
            ScopeKind kind = ScopeKind::All;
            if (subject != u"*")
                kind = m_endpointEnv.contains(subject) ? ScopeKind::Endpoint
                                                       : ScopeKind::Environment;
            const QString name = subject == u"*" ? QString() : subject;
            // Time inside the scope's windows does not count: look only at what came after
            // the last one ended.
            qint64 fromMs = now - qint64(rule.windowS) * 1000;
            if (!m_windows.isEmpty()) {
                const auto [endpoint, environment] = scopeOf(subject);
                const auto past = m_windows.intervals(endpoint, environment, fromMs, now);
                if (!past.isEmpty())
                    fromMs = std::max(fromMs, past.last().endMs);
            }
            const WindowSummary s
                = fromMs == now - qint64(rule.windowS) * 1000
                      ? m_aggregator->summary(kind, name, qint64(rule.windowS) * 1000)
                      : m_aggregator->summary(kind, name, m_aggregator->resolutionFor(now - fromMs),
                                              fromMs, now + 1);
            const double threshold = rule.threshold > 0 ? rule.threshold : 0.01;
            // Too few requests say nothing about a rate; require at least `count`.
            const bool enough = s.total >= quint64(std::max(1, rule.count));
            const double rate = s.errorRate();
            update(
                rule, subject, enough && rate > threshold,
                !enough || rate <= threshold * (1.0 - m_margin), rate,
                QStringLiteral("%1: %2% of %3 requests failed in the last %4 min (objective %5%)")
                    .arg(subject == u"*" ? QStringLiteral("all endpoints") : subject)
                    .arg(rate * 100.0, 0, 'f', 2)
                    .arg(s.total)
                    .arg(rule.windowS / 60)
                    .arg(threshold * 100.0, 0, 'g', 3));
        } else if (rule.kind == u"headroom") {
            const double threshold = rule.threshold > 0 ? rule.threshold : 0.1;
            for (const QString &cred : m_aggregator->scopeNames(ScopeKind::Credential)) {
                if (subject != u"*" && subject != cred)
                    continue;
                const auto h = m_aggregator->headroom(ScopeKind::Credential, cred);
                if (!h)
                    continue;
                update(rule, cred, *h < threshold, *h >= threshold * (1.0 + m_margin), *h,
                       QStringLiteral("%1: rate-limit headroom down to %2%")
                           .arg(cred)
                           .arg(*h * 100.0, 0, 'f', 0));
            }
        } else if (rule.kind == u"cert_expiry") {
            evaluateCertExpiry(rule);
        } else if (rule.kind == u"burn_rate") {
            evaluateBurnRate(rule);
        } else if (rule.kind == u"token_expiry") {
            const double thresholdS = rule.threshold > 0 ? rule.threshold : 60;
            for (const QString &cred : m_aggregator->scopeNames(ScopeKind::Credential)) {
                if (subject != u"*" && subject != cred)
                    continue;
                const auto left = m_aggregator->tokenExpiresInMs(ScopeKind::Credential, cred);
                if (!left)
                    continue;
                const double s = double(*left) / 1000.0;
                update(rule, cred, s < thresholdS, s >= thresholdS * (1.0 + m_margin), s,
                       s < 0
                           ? QStringLiteral("%1: token expired %2 s ago").arg(cred).arg(qRound(-s))
                           : QStringLiteral("%1: token expires in %2 s").arg(cred).arg(qRound(s)));
            }
        } else {
            // Event-driven kinds: one alert per endpoint in scope.
            const QHash<QString, qint64> *source = nullptr;
            if (rule.kind == u"lockout")
                source = &m_lockoutUntil;
            else if (rule.kind == u"lockout_warning")
                source = &m_lockoutWarningAt;
            else if (rule.kind == u"refresh_failed")
                source = &m_refreshFailedAt;
            else if (rule.kind == u"stream_gave_up")
                source = &m_streamGaveUpAt;
            if (source) {
                for (auto it = source->cbegin(); it != source->cend(); ++it) {
                    ApiEvent probe;
                    probe.endpoint = it.key();
                    probe.environment = m_endpointEnv.value(it.key());
                    if (!inScope(rule, probe))
                        continue;
                    bool condition = false;
                    QString message;
                    if (rule.kind == u"lockout") {
                        condition = now < *it;
                        message = QStringLiteral("%1: locked out of the API for %2 more minutes; "
                                                 "HealthDeck sends nothing to this host until then")
                                      .arg(it.key())
                                      .arg((*it - now + 59999) / 60000);
                    } else if (rule.kind == u"lockout_warning") {
                        condition = now - *it < qint64(rule.windowS) * 1000;
                        message = QStringLiteral("%1: the API warned of a lockout (423); "
                                                 "HealthDeck has slowed down")
                                      .arg(it.key());
                    } else if (rule.kind == u"stream_gave_up") {
                        condition = true;
                        message = QStringLiteral("%1: the stream gave up reconnecting; nothing is "
                                                 "watched there until the workspace is reopened")
                                      .arg(it.key());
                    } else {
                        condition = true;
                        message = QStringLiteral("%1: the token request failed; endpoints using it "
                                                 "will fail with 401")
                                      .arg(it.key());
                    }
                    update(rule, it.key(), condition, !condition, condition ? 1 : 0, message);
                }
                if (rule.kind == u"refresh_failed" || rule.kind == u"stream_gave_up")
                    for (auto t = m_tracked.begin(); t != m_tracked.end(); ++t)
                        if (t->state.ruleId == rule.id && t->active
                            && !source->contains(t->state.subject))
                            update(rule, t->state.subject, false, true, 0, t->state.message);
            } else if (rule.kind == u"degraded") {
                const int needed = std::max(1, rule.count);
                for (auto it = m_degradedStreak.cbegin(); it != m_degradedStreak.cend(); ++it) {
                    ApiEvent probe;
                    probe.endpoint = it.key();
                    probe.environment = m_endpointEnv.value(it.key());
                    if (!inScope(rule, probe))
                        continue;
                    update(rule, it.key(), *it >= needed, *it == 0, *it,
                           QStringLiteral("%1: degraded (slower than its threshold or rate "
                                          "limited), %2 requests in a row")
                               .arg(it.key())
                               .arg(*it));
                }
            } else if (rule.kind == u"down") {
                const int needed = std::max(1, rule.count);
                for (auto it = m_downStreak.cbegin(); it != m_downStreak.cend(); ++it) {
                    ApiEvent probe;
                    probe.endpoint = it.key();
                    probe.environment = m_endpointEnv.value(it.key());
                    if (!inScope(rule, probe))
                        continue;
                    update(rule, it.key(), *it >= needed, *it == 0, *it,
                           QStringLiteral("%1: down, %2 failed requests in a row")
                               .arg(it.key())
                               .arg(*it));
                }
            }
        }
    }
}

void AlertEngine::evaluateCertExpiry(const AlertRule &rule)
{
    // Days, not seconds: certificates are renewed on a calendar. A renewed certificate (seen in
    // the next TLS answer) jumps far past the threshold and resolves the alert.
    const qint64 now = m_clock.nowMs();
    const double warnDays = rule.threshold > 0 ? rule.threshold : 30;
    const double criticalDays = rule.critical > 0 ? rule.critical : 7;
    for (auto it = m_certs.cbegin(); it != m_certs.cend(); ++it) {
        ApiEvent probe;
        probe.endpoint = it.key();
        probe.environment = m_endpointEnv.value(it.key());
        if (!inScope(rule, probe))
            continue;
        const double days = double(it->notAfterMs - now) / 86400000.0;
        const bool critical = days < criticalDays;
        const QString when = QDateTime::fromMSecsSinceEpoch(it->notAfterMs, Qt::UTC)
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        const QString message
            = days < 0 ? QStringLiteral("%1: the server certificate (%2) expired on %3")
                             .arg(it.key(), it->subject, when)
                       : QStringLiteral("%1: the server certificate (%2) expires in %3 days, on %4")
                             .arg(it.key(), it->subject)
                             .arg(days, 0, 'f', days < 2 ? 1 : 0)
                             .arg(when);
        const QString severity = critical ? QStringLiteral("critical") : QStringLiteral("warning");
        // The level is in the words too: the banner, notifications and hdeck watch print only
        // the message.
        update(rule, it.key(), days < warnDays, days >= warnDays * (1.0 + m_margin), days,
               message
                   + QStringLiteral(" (%1: under %2 days)")
                         .arg(severity)
                         .arg(critical ? criticalDays : warnDays),
               severity);
    }
}

void AlertEngine::evaluateBurnRate(const AlertRule &rule)
{
    // The usual multi-window pairs: the long window shows the budget really goes, the short one
    // that it still goes now (so the alert resolves soon after the errors stop).
    constexpr double FastBurn = 14.4; // 2 % of a 30-day budget in 1 h
    constexpr double SlowBurn = 6.0;  // 5 % of a 30-day budget in 6 h
    const quint64 minRequests = quint64(std::max(1, rule.count));
    for (const SloReport &r : m_slos.reports()) {
        const QString &scope = rule.scope;
        if (!(scope.isEmpty() || scope == u"*" || scope == r.slo.id || scope == r.slo.scope))
            continue;
        const bool fast
            = r.burn1h >= FastBurn && r.burn5m >= FastBurn && r.requests5m >= minRequests;
        const bool slow
            = r.burn6h >= SlowBurn && r.burn30m >= SlowBurn && r.requests30m >= minRequests;
        const double burn = fast ? r.burn1h : r.burn6h;
        const QString where = r.slo.scope == u"*" ? QStringLiteral("all endpoints") : r.slo.scope;
        const QString message
            = fast ? QStringLiteral("%1: %2% of requests failed in the last hour and %3% in the "
                                    "last 5 min against an objective of %4% (burn rate %5); %6 "
                                    "(%7% of it left)")
                         .arg(where)
                         .arg(r.errorRate1h * 100.0, 0, 'f', 2)
                         .arg(r.errorRate5m * 100.0, 0, 'f', 2)
                         .arg(r.slo.objective, 0, 'g', 6)
                         .arg(r.burn1h, 0, 'f', 1)
                         .arg(budgetExhaustionText(r.slo, r.burn1h))
                         .arg(std::max(0.0, r.budgetRemaining) * 100.0, 0, 'f', 0)
                   : QStringLiteral("%1: %2% of requests failed in the last 6 hours and %3% in "
                                    "the last 30 min against an objective of %4% (burn rate %5); "
                                    "%6 (%7% of it left)")
                         .arg(where)
                         .arg(r.errorRate6h * 100.0, 0, 'f', 2)
                         .arg(r.errorRate30m * 100.0, 0, 'f', 2)
                         .arg(r.slo.objective, 0, 'g', 6)
                         .arg(r.burn6h, 0, 'f', 1)
                         .arg(budgetExhaustionText(r.slo, r.burn6h))
                         .arg(std::max(0.0, r.budgetRemaining) * 100.0, 0, 'f', 0);
        update(rule, r.slo.id, fast || slow, !fast && !slow, burn, message,
               fast ? QStringLiteral("critical") : (slow ? QStringLiteral("warning") : QString()));
    }
}

std::pair<QString, QString> AlertEngine::scopeOf(const QString &scope) const
{
    if (scope.isEmpty() || scope == u"*")
        return {};
    const auto it = m_endpointEnv.constFind(scope);
    if (it != m_endpointEnv.cend())
        return {scope, *it};
    return {QString(), scope};
}

std::optional<ActiveWindow> AlertEngine::holdFor(const AlertRule &rule, const QString &subject,
                                                 qint64 now) const
{
    if (m_windows.isEmpty())
        return std::nullopt;
    QString scope = subject;
    if (rule.kind == u"burn_rate")
        for (const Slo &slo : m_slos.slos())
            if (slo.id == subject)
                scope = slo.scope;
    const auto [endpoint, environment] = scopeOf(scope);
    return m_windows.at(endpoint, environment, now);
}

void AlertEngine::restoreSlos(const QList<SloCount> &hours, const QList<SloCount> &minutes)
{
    m_slos.restore(
        hours, minutes,
        [this](const QString &endpoint, const QString &environment, qint64 startMs, qint64 endMs) {
            return !m_windows.isEmpty()
                   && m_windows.at(endpoint, environment, startMs + (endMs - startMs) / 2)
                          .has_value();
        });
}

std::optional<ActiveWindow> AlertEngine::windowNow(const QString &scope) const
{
    const auto [endpoint, environment] = scopeOf(scope);
    return m_windows.at(endpoint, environment, m_clock.nowMs());
}

QList<AlertState> AlertEngine::held() const
{
    QList<AlertState> out;
    for (const Tracked &t : m_tracked)
        if (!t.active && t.held)
            out.append(*t.held);
    return out;
}

QList<AlertState> AlertEngine::active() const
{
    QList<AlertState> out;
    for (const Tracked &t : m_tracked)
        if (t.active)
            out.append(t.state);
    std::sort(out.begin(), out.end(),
              [](const AlertState &a, const AlertState &b) { return a.firedAtMs > b.firedAtMs; });
    return out;
}

bool AlertEngine::acknowledge(const QString &ruleId, const QString &subject)
{
    auto it = m_tracked.find(key(ruleId, subject));
    if (it == m_tracked.end() || !it->active || it->state.acknowledged)
        return false; // nothing fires there, or someone took it already
    it->state.acknowledged = true;
    return true;
}

} // namespace hd
