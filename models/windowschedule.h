#pragma once

// Answers "is this scope in a maintenance window (or outside trading hours) at time T, which
// one, and when does that change" for the workspace's `maintenance` list (docs/calendars.md).
// Pure: it reads no clock; callers pass the time (the alert engine its injected Clock's).
//
// A window's scope is "*" (everything), an environment id (its endpoints and the environment
// itself) or an endpoint id. Overlapping and touching windows of a scope count as one stretch:
// the "until" of an answer is when the scope is out of every window. Answers are cached per
// scope for a few days around the time asked, so per-event checks cost a hash lookup and a
// binary search. Main thread only (the cache is not locked).

#include "tradingcalendar.h"
#include "windowtimes.h"
#include "workspace.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace hd {

struct ActiveWindow
{
    QString id;         // the workspace window
    QString reason;     // "maintenance window \"db-upgrade\"", "CME Globex daily halt"
    qint64 startMs = 0; // start of the interval that contains the time asked
    qint64 untilMs = 0; // end of the whole stretch of windows of this scope
    QString name;       // for a column: "db-upgrade", "CME Globex daily halt"
};

class WindowSchedule
{
public:
    WindowSchedule() = default;

    // Every window of the workspace; calendars are loaded with TradingCalendar::load. A window
    // that cannot be used (a calendar file that does not load) is left out and its one-line
    // error appended to *errors.
    static WindowSchedule fromWorkspace(const Workspace &workspace, QStringList *errors = nullptr);

    // A window parsed by the workspace loader; returns the one-line problem, or empty. A
    // calendar window takes its calendar here (null: loaded by name or path).
    QString add(const MaintenanceWindow &window,
                std::shared_ptr<const TradingCalendar> calendar = nullptr);
    bool isEmpty() const { return m_sources.isEmpty(); }

    // Endpoint and its environment; endpoint empty: the environment; both empty: only "*"
    // windows apply.
    std::optional<ActiveWindow> at(const QString &endpoint, const QString &environment,
                                   qint64 ms) const;
    // The next time after ms the answer of at() changes (a window starts or the stretch ends);
    // nullopt when nothing changes within the next two weeks.
    std::optional<qint64> nextChangeMs(const QString &endpoint, const QString &environment,
                                       qint64 ms) const;
    // The merged stretches of windows overlapping [fromMs, toMs), clipped to it (chart
    // shading; the time availability leaves out).
    QList<WindowInterval> intervals(const QString &endpoint, const QString &environment,
                                    qint64 fromMs, qint64 toMs) const;
    // How much of [fromMs, toMs) is inside windows.
    qint64 coveredMs(const QString &endpoint, const QString &environment, qint64 fromMs,
                     qint64 toMs) const;

private:
    struct Source
    {
        MaintenanceWindow window;
        QTimeZone zone;
        qint64 onceStartMs = 0;
        qint64 onceEndMs = 0;
        QTime from;
        QTime to;
        std::shared_ptr<const TradingCalendar> calendar;
    };
    struct Cache
    {
        qint64 fromMs = 0;
        qint64 toMs = 0;
        QList<WindowInterval> raw;    // sorted by start
        QList<WindowInterval> merged; // disjoint, sorted
    };
    bool applies(const Source &s, const QString &endpoint, const QString &environment) const;
    QList<WindowInterval> build(const QString &endpoint, const QString &environment, qint64 fromMs,
                                qint64 toMs) const;
    const Cache &cached(const QString &endpoint, const QString &environment, qint64 ms) const;

    QList<Source> m_sources;
    mutable QHash<QString, Cache> m_cache;
};

} // namespace hd
