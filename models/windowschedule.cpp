#include "windowschedule.h"

#include <algorithm>

namespace hd {

namespace {

constexpr qint64 DayMs = 86400000;
// The cache covers two days back and sixteen ahead; it is rebuilt once the time asked is more
// than a day from where it was built, so nextChangeMs can always look two weeks ahead.
constexpr qint64 CacheBackMs = 2 * DayMs;
constexpr qint64 CacheAheadMs = 16 * DayMs;
constexpr qint64 LookAheadMs = 14 * DayMs;

QList<WindowInterval> mergeIntervals(QList<WindowInterval> raw)
{
    std::sort(raw.begin(), raw.end(), [](const WindowInterval &a, const WindowInterval &b) {
        return a.startMs < b.startMs;
    });
    QList<WindowInterval> merged;
    for (const WindowInterval &i : std::as_const(raw)) {
        if (!merged.isEmpty() && i.startMs <= merged.last().endMs) {
            merged.last().endMs = std::max(merged.last().endMs, i.endMs);
            continue;
        }
        merged.append(i);
    }
    return merged;
}

} // namespace

WindowSchedule WindowSchedule::fromWorkspace(const Workspace &workspace, QStringList *errors)
{
    WindowSchedule schedule;
    QHash<QString, std::shared_ptr<const TradingCalendar>> calendars; // one load per file
    for (const MaintenanceWindow &w : workspace.maintenance) {
        std::shared_ptr<const TradingCalendar> calendar;
        if (w.kind == MaintenanceWindow::Kind::Calendar) {
            calendar = calendars.value(w.calendar);
            if (!calendar) {
                QString error;
                auto loaded = TradingCalendar::load(w.calendar, &error);
                if (!loaded) {
                    if (errors)
                        errors->append(
                            QStringLiteral("maintenance window \"%1\": %2").arg(w.id, error));
                    continue;
                }
                calendar = std::make_shared<const TradingCalendar>(std::move(*loaded));
                calendars.insert(w.calendar, calendar);
            }
        }
        const QString problem = schedule.add(w, calendar);
        if (!problem.isEmpty() && errors)
            errors->append(QStringLiteral("maintenance window \"%1\": %2").arg(w.id, problem));
    }
    return schedule;
}

QString WindowSchedule::add(const MaintenanceWindow &window,
                            std::shared_ptr<const TradingCalendar> calendar)
{
    Source s;
    s.window = window;
    if (window.kind == MaintenanceWindow::Kind::Calendar) {
        if (!calendar) {
            QString error;
            auto loaded = TradingCalendar::load(window.calendar, &error);
            if (!loaded)
                return error;
            calendar = std::make_shared<const TradingCalendar>(std::move(*loaded));
        }
        s.calendar = std::move(calendar);
    } else {
        const auto zone = windowtimes::zone(window.timeZone);
        if (!zone)
            return QStringLiteral("\"%1\" is not a time zone this system knows")
                .arg(windowtimes::shown(window.timeZone, 64));
        s.zone = *zone;
        if (window.kind == MaintenanceWindow::Kind::Once) {
            const auto start = windowtimes::parseLocalDateTime(window.start);
            const auto end = windowtimes::parseLocalDateTime(window.end);
            if (!start || !end)
                return QStringLiteral("start and end must be \"yyyy-MM-ddTHH:mm\"");
            s.onceStartMs = windowtimes::toUtcMs(start->first, start->second, s.zone);
            s.onceEndMs = windowtimes::toUtcMs(end->first, end->second, s.zone);
            if (s.onceEndMs <= s.onceStartMs)
                return QStringLiteral("ends before it starts");
        } else {
            const auto from = windowtimes::parseClock(window.from);
            const auto to = windowtimes::parseClock(window.to);
            if (!from || !to)
                return QStringLiteral("from and to must be \"HH:mm\"");
            if (window.days.isEmpty())
                return QStringLiteral("needs at least one weekday");
            s.from = *from;
            s.to = *to;
        }
    }
    m_sources.append(std::move(s));
    m_cache.clear();
    return {};
}

bool WindowSchedule::applies(const Source &s, const QString &endpoint,
                             const QString &environment) const
{
    const QString &scope = s.window.scope;
    if (scope.isEmpty() || scope == u"*")
        return true;
    return (!endpoint.isEmpty() && scope == endpoint)
           || (!environment.isEmpty() && scope == environment);
}

QList<WindowInterval> WindowSchedule::build(const QString &endpoint, const QString &environment,
                                            qint64 fromMs, qint64 toMs) const
{
    QList<WindowInterval> raw;
    for (const Source &s : m_sources) {
        if (!applies(s, endpoint, environment))
            continue;
        const QString name = s.window.name.isEmpty() ? s.window.id : s.window.name;
        const QString label = QStringLiteral("maintenance window \"%1\"").arg(name);
        switch (s.window.kind) {
        case MaintenanceWindow::Kind::Once:
            if (s.onceStartMs < toMs && s.onceEndMs > fromMs)
                raw.append({s.onceStartMs, s.onceEndMs, s.window.id, label, name});
            break;
        case MaintenanceWindow::Kind::Weekly: {
            const QDate first = QDateTime::fromMSecsSinceEpoch(fromMs, s.zone).date().addDays(-1);
            const QDate last = QDateTime::fromMSecsSinceEpoch(toMs, s.zone).date().addDays(1);
            for (QDate d = first; d <= last; d = d.addDays(1)) {
                if (!s.window.days.contains(d.dayOfWeek()))
                    continue;
                const qint64 start = windowtimes::toUtcMs(d, s.from, s.zone);
                const qint64 end
                    = windowtimes::toUtcMs(s.to <= s.from ? d.addDays(1) : d, s.to, s.zone);
                if (end > start && start < toMs && end > fromMs)
                    raw.append({start, end, s.window.id, label, name});
            }
            break;
        }
        case MaintenanceWindow::Kind::Calendar:
            for (WindowInterval i : s.calendar->closedIntervals(fromMs, toMs)) {
                i.id = s.window.id;
                if (i.name.isEmpty())
                    i.name = i.reason;
                raw.append(i);
            }
            break;
        }
    }
    std::sort(raw.begin(), raw.end(), [](const WindowInterval &a, const WindowInterval &b) {
        return a.startMs < b.startMs;
    });
    return raw;
}

const WindowSchedule::Cache &WindowSchedule::cached(const QString &endpoint,
                                                    const QString &environment, qint64 ms) const
{
    const QString key = endpoint + u'|' + environment;
    Cache &c = m_cache[key];
    if (c.toMs == 0 || ms < c.fromMs + CacheBackMs / 2 || ms > c.toMs - LookAheadMs - DayMs / 2) {
        c.fromMs = ms - CacheBackMs;
        c.toMs = ms + CacheAheadMs;
        c.raw = build(endpoint, environment, c.fromMs, c.toMs);
        c.merged = mergeIntervals(c.raw);
    }
    return c;
}

std::optional<ActiveWindow> WindowSchedule::at(const QString &endpoint, const QString &environment,
                                               qint64 ms) const
{
    if (m_sources.isEmpty())
        return std::nullopt;
    const Cache &c = cached(endpoint, environment, ms);
    // The last merged stretch that starts at or before ms.
    auto it = std::upper_bound(c.merged.cbegin(), c.merged.cend(), ms,
                               [](qint64 t, const WindowInterval &i) { return t < i.startMs; });
    if (it == c.merged.cbegin())
        return std::nullopt;
    --it;
    if (ms >= it->endMs)
        return std::nullopt;
    // Name the window that holds ms (the first one that started, among overlapping ones).
    for (const WindowInterval &i : c.raw)
        if (i.startMs <= ms && ms < i.endMs)
            return ActiveWindow{i.id, i.reason, i.startMs, it->endMs, i.name};
    return ActiveWindow{it->id, it->reason, it->startMs, it->endMs, it->name};
}

std::optional<qint64> WindowSchedule::nextChangeMs(const QString &endpoint,
                                                   const QString &environment, qint64 ms) const
{
    if (m_sources.isEmpty())
        return std::nullopt;
    const Cache &c = cached(endpoint, environment, ms);
    for (const WindowInterval &i : c.merged) {
        if (i.startMs > ms)
            return i.startMs <= ms + LookAheadMs ? std::optional(i.startMs) : std::nullopt;
        if (ms < i.endMs)
            return i.endMs;
    }
    return std::nullopt;
}

QList<WindowInterval> WindowSchedule::intervals(const QString &endpoint, const QString &environment,
                                                qint64 fromMs, qint64 toMs) const
{
    QList<WindowInterval> out;
    if (m_sources.isEmpty() || toMs <= fromMs)
        return out;
    for (WindowInterval i : mergeIntervals(build(endpoint, environment, fromMs, toMs))) {
        i.startMs = std::max(i.startMs, fromMs);
        i.endMs = std::min(i.endMs, toMs);
        if (i.endMs > i.startMs)
            out.append(i);
    }
    return out;
}

qint64 WindowSchedule::coveredMs(const QString &endpoint, const QString &environment, qint64 fromMs,
                                 qint64 toMs) const
{
    qint64 total = 0;
    for (const WindowInterval &i : intervals(endpoint, environment, fromMs, toMs))
        total += i.endMs - i.startMs;
    return total;
}

} // namespace hd
