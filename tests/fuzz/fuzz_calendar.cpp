// libFuzzer target: trading calendar files (models/tradingcalendar). A calendar is a file a user
// may download from anyone, so any bytes must give a calendar or one error line — never a
// crash, an uncaught exception, a sanitizer report or a hang — and a calendar that loads must
// give ordered, non-empty closed intervals over a few weeks, and a WindowSchedule built on it
// must answer without looping.

#include "tradingcalendar.h"
#include "windowschedule.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto calendar = TradingCalendar::parse(text, QStringLiteral("fuzz.json"), &error);
    if (calendar.has_value() == !error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: a calendar xor an error\n");
        std::abort();
    }
    if (error.contains(u'\n')) {
        std::fprintf(stderr, "invariant violated: the error is one line\n");
        std::abort();
    }
    if (!calendar)
        return 0;
    const qint64 from = 1795298400000; // 2026-11-21T22:00:00Z
    const qint64 to = from + 21 * 86400000LL;
    const QList<WindowInterval> closed = calendar->closedIntervals(from, to);
    for (const WindowInterval &i : closed) {
        if (i.endMs <= i.startMs || i.endMs <= from || i.startMs >= to || i.reason.isEmpty()
            || i.reason.contains(u'\n')) {
            std::fprintf(stderr, "invariant violated: a closed interval overlaps the range, is "
                                 "not empty and has a one-line reason\n");
            std::abort();
        }
    }
    MaintenanceWindow w;
    w.id = QStringLiteral("fuzz");
    w.kind = MaintenanceWindow::Kind::Calendar;
    w.calendar = QStringLiteral("fuzz");
    WindowSchedule schedule;
    if (!schedule.add(w, std::make_shared<const TradingCalendar>(*calendar)).isEmpty())
        std::abort();
    // A few points: each one far from the last rebuilds the schedule's cache.
    for (qint64 t = from; t < to; t += 5 * 86400000LL + 7 * 3600000LL) {
        const auto at = schedule.at({}, {}, t);
        if (at && (at->untilMs <= t || at->startMs > t)) {
            std::fprintf(stderr, "invariant violated: a window holds the time asked\n");
            std::abort();
        }
        if (const auto next = schedule.nextChangeMs({}, {}, t); next && *next <= t) {
            std::fprintf(stderr, "invariant violated: the next change is later\n");
            std::abort();
        }
    }
    return 0;
}
