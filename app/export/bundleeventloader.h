#pragma once

// Where `hdeck export` gets its events: the SQLite history written by `hdeck watch --db` (or
// the console), or a file of healthdeck.event/1 JSON lines (`-` for stdin). Both narrowed to a
// time range and a set of endpoint ids, returned oldest first.

#include "apievent.h"
#include "incidentlog.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

namespace hd {

class BundleEventLoader
{
public:
    struct Filter
    {
        qint64 fromMs = std::numeric_limits<qint64>::min(); // inclusive
        qint64 toMs = std::numeric_limits<qint64>::max();   // exclusive
        QStringList endpoints;                              // empty: all
        bool matches(const ApiEvent &e) const;
    };
    struct Result
    {
        QList<ApiEvent> events;
        QList<Incident> incidents; // fromHistory: those open at some time in the range
        QString error;
        int skippedLines = 0; // JSONL lines that were not events
        QString firstSkipped; // "<file>:<line>: <why>" for the first of them
    };

    static Result fromHistory(const QString &dbPath, const Filter &filter);
    static Result fromJsonLines(const QString &path, const Filter &filter);

    // A longer line is skipped (and counted) without being held in memory whole.
    static constexpr qint64 MaxLineBytes = 16 * 1024 * 1024;

    // "2026-11-21T22:00:00Z" (any ISO 8601 the event schema reads), or an age: 90s, 15m, 24h,
    // 7d (before nowMs). Empty on a bad value.
    static std::optional<qint64> parseTime(const QString &text, qint64 nowMs);
};

} // namespace hd
