#pragma once

// A question to the history store: a time range plus a filter in the error-log language
// (LogFilter), newest first, at most limit events.

#include "apievent.h"

#include <QList>
#include <QString>

#include <limits>

namespace hd {

struct HistoryQuery
{
    qint64 fromMs = std::numeric_limits<qint64>::min(); // inclusive
    qint64 toMs = std::numeric_limits<qint64>::max();   // exclusive
    QString filter;                                     // LogFilter text; empty: everything
    int limit = 1000;
    bool newestFirst = true;
};

struct HistoryQueryResult
{
    QList<ApiEvent> events;
    QString error; // a bad filter or a database error; events is empty then
    bool ok() const { return error.isEmpty(); }
};

// Retention: by age (0 = keep forever) and by database size (0 = unbounded).
struct HistoryRetention
{
    qint64 maxAgeMs = 0;
    qint64 maxBytes = 0;
    qint64 intervalMs = 60 * 1000; // how often the writer thread applies it
};

} // namespace hd
