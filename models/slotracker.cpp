#include "slotracker.h"

#include <cmath>

namespace hd {

namespace {
constexpr qint64 MinuteMs = 60000;
constexpr qint64 HourMs = 3600000;
constexpr int MinuteBuckets = 360;

bool sameObjective(const Slo &a, const Slo &b)
{
    return a.id == b.id && a.scope == b.scope && a.objective == b.objective
           && a.periodDays == b.periodDays;
}
} // namespace

SloTracker::SloTracker(const Clock &clock)
    : m_clock(clock)
{
    setSlos({});
}

Slo SloTracker::builtinSlo()
{
    Slo slo;
    slo.id = QStringLiteral("error-rate");
    slo.name = QStringLiteral("Error rate under 1% (seed 002)");
    slo.scope = QStringLiteral("*");
    slo.objective = 99.0;
    slo.periodDays = 30;
    return slo;
}

void SloTracker::setSlos(const QList<Slo> &slos)
{
    QList<std::pair<Slo, bool>> wanted;
    const bool userAll
        = std::any_of(slos.cbegin(), slos.cend(), [](const Slo &s) { return s.scope == u"*"; });
    if (!userAll)
        wanted.append({builtinSlo(), true});
    for (const Slo &s : slos)
        wanted.append({s, false});
    std::vector<Tracked> next;
    for (const auto &entry : std::as_const(wanted)) {
        const Slo &slo = entry.first; // not a structured binding: clang 14 cannot capture one
        const bool builtin = entry.second;
        auto old = std::find_if(m_tracked.begin(), m_tracked.end(),
                                [&](const Tracked &t) { return sameObjective(t.slo, slo); });
        if (old != m_tracked.end()) {
            old->slo = slo; // the name may have changed
            old->builtin = builtin;
            next.push_back(std::move(*old));
            continue;
        }
        Tracked t;
        t.slo = slo;
        t.builtin = builtin;
        t.minutes.resize(MinuteBuckets);
        t.hours.resize(std::size_t(std::max(1, slo.periodDays)) * 24);
        next.push_back(std::move(t));
    }
    m_tracked = std::move(next);
}

void SloTracker::add(std::vector<Bucket> &ring, qint64 index, bool failed)
{
    addCounts(ring, index, 1, failed ? 1 : 0);
}

void SloTracker::addCounts(std::vector<Bucket> &ring, qint64 index, quint32 total, quint32 failures)
{
    if (index < 0 || ring.empty())
        return;
    Bucket &b = ring[std::size_t(index % qint64(ring.size()))];
    if (b.index > index)
        return; // older than what the ring holds now
    if (b.index != index)
        b = Bucket{index, 0, 0};
    // Saturating: a damaged history cannot wrap a count around.
    b.total = quint32(std::min<quint64>(quint64(b.total) + total, 0xffffffffu));
    b.failures
        = quint32(std::min<quint64>(quint64(b.failures) + std::min(failures, total), b.total));
}

void SloTracker::restore(const QList<SloCount> &hours, const QList<SloCount> &minutes,
                         const WindowTest &inWindow)
{
    const auto apply = [&](const QList<SloCount> &counts, qint64 unitMs, bool hourly) {
        for (const SloCount &c : counts) {
            if (c.endpoint.startsWith(QStringLiteral("token:")) || c.total == 0)
                continue;
            if (inWindow
                && inWindow(c.endpoint, c.environment, c.index * unitMs, (c.index + 1) * unitMs))
                continue;
            for (Tracked &tr : m_tracked) {
                const QString &scope = tr.slo.scope;
                if (!(scope.isEmpty() || scope == u"*" || scope == c.endpoint
                      || scope == c.environment))
                    continue;
                addCounts(hourly ? tr.hours : tr.minutes, c.index, c.total, c.failures);
            }
        }
    };
    apply(hours, HourMs, true);
    apply(minutes, MinuteMs, false);
}

std::pair<quint64, quint64> SloTracker::sum(const std::vector<Bucket> &ring, qint64 lastIndex,
                                            qint64 count)
{
    quint64 total = 0;
    quint64 failures = 0;
    for (const Bucket &b : ring)
        if (b.index > lastIndex - count && b.index <= lastIndex) {
            total += b.total;
            failures += b.failures;
        }
    return {total, failures};
}

void SloTracker::observe(const ApiEvent &e)
{
    // Token requests are the engine's own traffic, not the API's service level.
    if (e.endpoint.startsWith(QStringLiteral("token:")))
        return;
    const qint64 t = e.timeMs > 0 ? e.timeMs : m_clock.nowMs();
    if (t < 0)
        return;
    const bool failed = e.isFailure();
    for (Tracked &tr : m_tracked) {
        const QString &scope = tr.slo.scope;
        if (!(scope.isEmpty() || scope == u"*" || scope == e.endpoint || scope == e.environment))
            continue;
        add(tr.minutes, t / MinuteMs, failed);
        add(tr.hours, t / HourMs, failed);
    }
}

SloReport SloTracker::reportOf(const Tracked &t) const
{
    const qint64 now = m_clock.nowMs();
    const qint64 minute = now / MinuteMs;
    SloReport r;
    r.slo = t.slo;
    r.builtin = t.builtin;
    const double allowed = r.allowedErrorRate();
    auto window = [&](qint64 minutes, double &rate, double &burn) {
        const auto [total, failures] = sum(t.minutes, minute, minutes);
        rate = total ? double(failures) / double(total) : 0.0;
        burn = allowed > 0 ? rate / allowed : 0.0;
        return total;
    };
    r.requests5m = window(5, r.errorRate5m, r.burn5m);
    r.requests30m = window(30, r.errorRate30m, r.burn30m);
    window(60, r.errorRate1h, r.burn1h);
    window(360, r.errorRate6h, r.burn6h);
    const auto [total, failures] = sum(t.hours, now / HourMs, qint64(t.hours.size()));
    r.requests = total;
    r.failures = failures;
    r.availability = total ? 1.0 - double(failures) / double(total) : 1.0;
    r.budgetRemaining
        = total && allowed > 0 ? 1.0 - (double(failures) / double(total)) / allowed : 1.0;
    return r;
}

QList<SloReport> SloTracker::reports() const
{
    QList<SloReport> out;
    for (const Tracked &t : m_tracked)
        out.append(reportOf(t));
    return out;
}

std::optional<SloReport> SloTracker::report(const QString &id) const
{
    for (const Tracked &t : m_tracked)
        if (t.slo.id == id)
            return reportOf(t);
    return std::nullopt;
}

QList<Slo> SloTracker::slos() const
{
    QList<Slo> out;
    for (const Tracked &t : m_tracked)
        out.append(t.slo);
    return out;
}

std::size_t SloTracker::bytesHeld() const
{
    std::size_t n = 0;
    for (const Tracked &t : m_tracked)
        n += sizeof(Tracked) + (t.minutes.size() + t.hours.size()) * sizeof(Bucket);
    return n;
}

QString budgetExhaustionText(const Slo &slo, double burnRate)
{
    const QString budget = slo.periodDays == 30
                               ? QStringLiteral("the month's error budget")
                               : QStringLiteral("the %1-day error budget").arg(slo.periodDays);
    if (burnRate <= 0)
        return QStringLiteral("%1 is not being spent").arg(budget);
    // Whole minutes first, so 720 h / 15.000000000000002 is still "2 days", not "48 hours".
    const double minutes = std::round(double(slo.periodDays) * 1440.0 / burnRate);
    QString when;
    if (minutes >= 48 * 60)
        when = QStringLiteral("%1 days").arg(qRound(minutes / 1440.0));
    else if (minutes >= 120)
        when = QStringLiteral("%1 hours").arg(qRound(minutes / 60.0));
    else
        when = QStringLiteral("%1 minutes").arg(std::max(1, int(minutes)));
    return QStringLiteral("at this rate %1 is gone in %2").arg(budget, when);
}

} // namespace hd
