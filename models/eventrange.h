#pragma once

// A question for an EventSource: a time range, a filter in the error-log language, how many
// events at most and in which order. forFilter() translates what a LogFilter says about time
// (since:15m, since:2026-11-20T03:00) into the range, so "since:24h" reaches into the history
// store for what the error log no longer holds in memory.

#include "logfilter.h"

#include <QString>

#include <limits>

namespace hd {

struct EventRange
{
    qint64 fromMs = std::numeric_limits<qint64>::min(); // inclusive
    qint64 toMs = std::numeric_limits<qint64>::max();   // exclusive
    QString filter;                                     // LogFilter text; empty: everything
    // At most this many events: the NEWEST `limit` of the range (0: no limit). The source may
    // deliver fewer (terms it cannot narrow in advance are applied afterwards).
    int limit = 0;
    // true: newest first (what a log that grows backwards wants); false: oldest first.
    bool newestFirst = true;

    // The range a filter asks for: fromMs from its since: terms (the latest one wins, they all
    // must hold), toMs open, the filter's own text, newest first. nowMs resolves relative
    // since: values.
    static EventRange forFilter(const LogFilter &filter, qint64 nowMs, int limit = 0)
    {
        EventRange r;
        r.filter = filter.text();
        r.limit = limit;
        for (const LogFilter::Term &t : filter.terms())
            if (t.key == LogFilter::Key::Since && !t.negated)
                r.fromMs = std::max(r.fromMs, t.sinceThreshold(nowMs));
        return r;
    }
    // The oldest time the filter can let through (min() when it has no since: term).
    static qint64 oldestFor(const LogFilter &filter, qint64 nowMs)
    {
        return forFilter(filter, nowMs).fromMs;
    }
};

} // namespace hd
