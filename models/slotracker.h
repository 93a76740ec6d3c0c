#pragma once

// Error budgets and burn rates of service level objectives (docs/slo.md). An SLO says what share
// of the requests in a scope must succeed over a rolling period (seed 002: under 1 % failing is
// normal, so the built-in objective is 99 % of all requests over 30 days). The tracker counts
// requests and failures per minute for six hours (the burn-rate windows: 5 min, 30 min, 1 h,
// 6 h) and per hour for the period (the error budget), about 30 KB per objective.
//
// Requests inside a maintenance window or outside trading hours are not counted: the caller
// (AlertEngine) does not pass them, so availability and budgets leave that time out.
//
// At start the session adds what the history database saw before (restore(): counts per hour
// over the period and per minute over six hours, read on the history's reader thread), so a
// restart does not refill the budget. Without a history the budget is what this process has
// seen since it started. Main thread only.

#include "apievent.h"
#include "clock.h"
#include "workspace.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace hd {

struct SloReport
{
    Slo slo;
    bool builtin = false; // the seed 002 objective used when the workspace has none on "*"
    quint64 requests = 0; // over the period (so far)
    quint64 failures = 0;
    // Share of the requests that succeeded over the period (1 when none were counted).
    double availability = 1;
    // Share of the period's error budget still unspent: 1 = untouched, 0 = spent, < 0 = over.
    double budgetRemaining = 1;
    // Error rate over a window divided by the rate the objective allows (1 - objective): at
    // burn rate 1 the budget lasts exactly the period.
    double burn5m = 0;
    double burn30m = 0;
    double burn1h = 0;
    double burn6h = 0;
    quint64 requests5m = 0;
    quint64 requests30m = 0;
    double errorRate1h = 0;
    double errorRate5m = 0;
    double errorRate6h = 0;
    double errorRate30m = 0;
    double allowedErrorRate() const { return 1.0 - slo.objective / 100.0; }
};

// Requests and failures of one endpoint in one minute or hour, read back from the history.
struct SloCount
{
    qint64 index = 0; // minute or hour number since the epoch
    QString endpoint;
    QString environment;
    quint32 total = 0;
    quint32 failures = 0;
};

class SloTracker
{
public:
    explicit SloTracker(const Clock &clock);

    // The workspace's objectives, plus the built-in one unless one of them is on "*". Counts of
    // an objective whose id, scope, objective and period did not change carry on.
    void setSlos(const QList<Slo> &slos);
    // Seed 002: 99 % of all requests over 30 days.
    static Slo builtinSlo();

    // One request (the alert engine passes only those outside windows).
    void observe(const ApiEvent &event);
    // Counts from the history, for time before anything was observed here: per hour over the
    // period, per minute over the burn-rate windows. Each objective takes the counts of its
    // scope; counts the caller's inWindow(endpoint, environment, startMs, endMs) says were
    // inside a maintenance window or outside trading hours are left out, like live requests.
    // Token requests are never counted.
    using WindowTest = std::function<bool(const QString &endpoint, const QString &environment,
                                          qint64 startMs, qint64 endMs)>;
    void restore(const QList<SloCount> &hours, const QList<SloCount> &minutes,
                 const WindowTest &inWindow = {});

    QList<SloReport> reports() const;
    std::optional<SloReport> report(const QString &id) const;
    QList<Slo> slos() const;
    std::size_t bytesHeld() const;

private:
    struct Bucket
    {
        qint64 index = -1; // minute or hour number since the epoch
        quint32 total = 0;
        quint32 failures = 0;
    };
    struct Tracked
    {
        Slo slo;
        bool builtin = false;
        std::vector<Bucket> minutes; // 360: six hours
        std::vector<Bucket> hours;   // 24 × periodDays
    };
    static void add(std::vector<Bucket> &ring, qint64 index, bool failed);
    static void addCounts(std::vector<Bucket> &ring, qint64 index, quint32 total, quint32 failures);
    static std::pair<quint64, quint64> sum(const std::vector<Bucket> &ring, qint64 lastIndex,
                                           qint64 count);
    SloReport reportOf(const Tracked &t) const;

    const Clock &m_clock;
    std::vector<Tracked> m_tracked;
};

// "at this rate the month's error budget is gone in 2 days" (a full budget at this burn rate).
QString budgetExhaustionText(const Slo &slo, double burnRate);

} // namespace hd
