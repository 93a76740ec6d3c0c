#pragma once

// The SQL side of the filter language: the indexable terms of a LogFilter (status, category,
// outcome, environment, endpoint, code, trace, since, plain ASCII text) as a WHERE clause
// over the events table, so the database narrows the scan. It is a superset: callers apply
// LogFilter::matches() to every row, so SQL and the log model share one definition.

#include "logfilter.h"

#include <QString>
#include <QStringList>
#include <QVariantList>

namespace hd {

struct HistorySql
{
    QStringList where; // joined with AND
    QVariantList binds;

    static HistorySql forFilter(const LogFilter &filter, qint64 fromMs, qint64 toMs, qint64 nowMs);
    QString whereClause() const { return where.join(QStringLiteral(" AND ")); }
    // Glob (* and ?) to an SQL LIKE pattern with '\' as the escape character.
    static QString likePattern(const QString &glob);
};

} // namespace hd
