#pragma once

// An exchange's trading calendar as data (docs/calendars.md, healthdeck.calendar/1): weekly
// sessions in the exchange's time zone, daily halts inside them, and holidays that close a
// trading day or end it early. Outside trading hours counts as a maintenance window: alerts are
// held and availability and SLOs leave the time out.
//
// Calendar files are untrusted input: size, depth and counts are bounded, and every problem is
// one line naming the file, the JSON pointer and what is wrong.

#include "windowtimes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace hd {

inline constexpr std::string_view CalendarSchema = "healthdeck.calendar/1";

struct TradingSession
{
    QList<int> days; // weekdays the session opens on, 1 = Monday … 7 = Sunday
    QTime open;
    QTime close; // not after `open`: the session closes on the next day
};

struct TradingHalt
{
    QTime from; // every day, inside any session
    QTime to;   // not after `from`: the halt ends on the next day
};

struct TradingHoliday
{
    QDate date; // the trading date: the date the session closes on
    QString name;
    bool closed = true;
    QTime closeAt; // !closed: the session of that date ends at this local time instead
};

class TradingCalendar
{
public:
    static constexpr qsizetype MaxBytes = 256 * 1024;
    static constexpr int MaxSessions = 16;
    static constexpr int MaxHalts = 4;
    static constexpr int MaxHolidays = 4000;

    QString id;
    QString name;
    QString timeZoneId;
    QTimeZone zone;
    QList<TradingSession> sessions;
    QList<TradingHalt> halts;
    QList<TradingHoliday> holidays;

    // origin names the file in messages. On failure, *error is one line.
    static std::optional<TradingCalendar> parse(const QByteArray &text, const QString &origin,
                                                QString *error);
    // A built-in name (builtinNames(): the files under resources/calendars, compiled in) or
    // the path of a calendar file.
    static std::optional<TradingCalendar> load(const QString &nameOrPath, QString *error);
    static QStringList builtinNames();

    // The closed stretches overlapping [fromMs, toMs): between sessions (weekends, daily halts
    // between sessions, holidays) and the halts inside sessions, each with its reason.
    QList<WindowInterval> closedIntervals(qint64 fromMs, qint64 toMs) const;

private:
    QHash<QDate, int> m_holidayIndex; // date → index in holidays
};

} // namespace hd
