#pragma once

// The small vocabulary of maintenance windows and trading calendars (docs/calendars.md): local
// wall-clock times in an IANA time zone, weekdays by name, and the intervals a window covers.
// The parsers return nullopt on anything they do not accept; the callers turn that into the
// one-line error of DESIGN §5 with the file and JSON pointer.

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace hd {

// One stretch of time when a scope is held (in a window, or outside trading hours).
struct WindowInterval
{
    qint64 startMs = 0; // UTC ms since the epoch, inclusive
    qint64 endMs = 0;   // exclusive
    QString id;         // the workspace window's id
    QString reason;     // one phrase: "maintenance window \"db-upgrade\"", "CME Globex daily halt"
    QString name;       // for a column: the window's name ("db-upgrade"), or the closure's phrase
    bool operator==(const WindowInterval &) const = default;
};

namespace windowtimes {

// "HH:mm" (24-hour clock).
std::optional<QTime> parseClock(const QString &text);
// "yyyy-MM-dd".
std::optional<QDate> parseDate(const QString &text);
// "yyyy-MM-ddTHH:mm" or "yyyy-MM-ddTHH:mm:ss", without an offset: the zone says where.
std::optional<std::pair<QDate, QTime>> parseLocalDateTime(const QString &text);
// "mon" … "sun" (also "monday" … "sunday", any case) → 1 … 7.
std::optional<int> parseWeekday(const QString &text);
QString weekdayName(int day);
// An IANA id this system knows ("America/Chicago", "UTC").
std::optional<QTimeZone> zone(const QString &ianaId);
// A local date and time in a zone as UTC ms; a time that does not exist (the hour skipped when
// clocks go forward) moves forward by the gap, as Qt does.
qint64 toUtcMs(const QDate &date, const QTime &time, const QTimeZone &zone);
// Text from a file quoted in a one-line message: at most max characters, control characters
// (a newline would break the line) shown as '?'.
QString shown(const QString &text, int max = 40);

} // namespace windowtimes
} // namespace hd
