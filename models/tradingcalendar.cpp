#include "tradingcalendar.h"

#include "safejson.h"
#include "workspacereader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace hd {

using workspacejson::Invalid;
using workspacejson::Json;
using workspacejson::Reader;

namespace {

// A gap this short between two sessions is the daily halt (CME Globex: 16:00–17:00).
constexpr qint64 ShortGapMs = 4 * 3600000;

QTime clockAt(const Reader &r, const char *key)
{
    const QString text = r.str(key, true);
    const auto t = windowtimes::parseClock(text);
    if (!t)
        throw Invalid{r.where() + "/" + key, QStringLiteral("must be a time \"HH:mm\", not \"%1\"")
                                                 .arg(windowtimes::shown(text, 40))};
    return *t;
}

QList<int> weekdays(const Reader &r, const char *key)
{
    const Json *days = r.array(key);
    const std::string where = r.where() + "/" + key;
    if (!days || days->empty())
        throw Invalid{where, QStringLiteral("needs at least one weekday (\"mon\" … \"sun\")")};
    if (days->size() > 7)
        throw Invalid{where, QStringLiteral("has more than 7 weekdays")};
    QList<int> out;
    for (std::size_t i = 0; i < days->size(); ++i) {
        const std::string at = where + "/" + std::to_string(i);
        const Json &d = (*days)[i];
        const auto day = d.is_string()
                             ? windowtimes::parseWeekday(workspacejson::q(d.get<std::string>()))
                             : std::nullopt;
        if (!day)
            throw Invalid{at, QStringLiteral("must be a weekday: \"mon\" … \"sun\"")};
        if (out.contains(*day))
            throw Invalid{
                at, QStringLiteral("\"%1\" is listed twice").arg(windowtimes::weekdayName(*day))};
        out.append(*day);
    }
    return out;
}

TradingCalendar readCalendar(const Json &root)
{
    Reader r(root, "");
    if (r.str("schema", true) != workspacejson::q(std::string(CalendarSchema)))
        throw Invalid{
            "/schema",
            QStringLiteral("must be \"%1\"").arg(workspacejson::q(std::string(CalendarSchema)))};
    TradingCalendar c;
    c.id = r.str("id", true);
    if (c.id.isEmpty() || c.id.size() > 64 || c.id != windowtimes::shown(c.id, 64))
        throw Invalid{"/id", QStringLiteral("must be 1 to 64 printable characters")};
    c.name = windowtimes::shown(r.str("name", false, c.id), 200);
    c.timeZoneId = r.str("timeZone", true);
    const auto zone = windowtimes::zone(c.timeZoneId);
    if (!zone)
        throw Invalid{"/timeZone", QStringLiteral("\"%1\" is not a time zone this system knows "
                                                  "(an IANA name such as America/Chicago)")
                                       .arg(windowtimes::shown(c.timeZoneId, 64))};
    c.zone = *zone;

    const Json *sessions = r.array("sessions");
    if (!sessions || sessions->empty())
        throw Invalid{"/sessions", QStringLiteral("needs at least one session")};
    if (sessions->size() > std::size_t(TradingCalendar::MaxSessions))
        throw Invalid{
            "/sessions",
            QStringLiteral("has more than %1 sessions").arg(TradingCalendar::MaxSessions)};
    for (std::size_t i = 0; i < sessions->size(); ++i) {
        Reader sr((*sessions)[i], "/sessions/" + std::to_string(i));
        TradingSession s;
        s.days = weekdays(sr, "days");
        s.open = clockAt(sr, "open");
        s.close = clockAt(sr, "close");
        c.sessions.append(s);
    }
    if (const Json *halts = r.array("halts")) {
        if (halts->size() > std::size_t(TradingCalendar::MaxHalts))
            throw Invalid{"/halts",
                          QStringLiteral("has more than %1 halts").arg(TradingCalendar::MaxHalts)};
        for (std::size_t i = 0; i < halts->size(); ++i) {
            Reader hr((*halts)[i], "/halts/" + std::to_string(i));
            TradingHalt h{clockAt(hr, "from"), clockAt(hr, "to")};
            if (h.from == h.to)
                throw Invalid{hr.where() + "/to", QStringLiteral("must differ from \"from\"")};
            c.halts.append(h);
        }
    }
    if (const Json *holidays = r.array("holidays")) {
        if (holidays->size() > std::size_t(TradingCalendar::MaxHolidays))
            throw Invalid{
                "/holidays",
                QStringLiteral("has more than %1 holidays").arg(TradingCalendar::MaxHolidays)};
        QHash<QDate, int> seen;
        for (std::size_t i = 0; i < holidays->size(); ++i) {
            Reader hr((*holidays)[i], "/holidays/" + std::to_string(i));
            TradingHoliday h;
            const QString date = hr.str("date", true);
            const auto d = windowtimes::parseDate(date);
            if (!d)
                throw Invalid{hr.where() + "/date",
                              QStringLiteral("must be a date \"yyyy-MM-dd\", not \"%1\"")
                                  .arg(windowtimes::shown(date, 40))};
            h.date = *d;
            if (seen.contains(h.date))
                throw Invalid{hr.where() + "/date", QStringLiteral("%1 is listed twice").arg(date)};
            h.name = windowtimes::shown(hr.str("name", true), 200);
            const QString closeAt = hr.str("closeAt");
            h.closed = closeAt.isEmpty();
            if (!h.closed)
                h.closeAt = clockAt(hr, "closeAt");
            seen.insert(h.date, int(c.holidays.size()));
            c.holidays.append(h);
        }
    }
    return c;
}

struct Session
{
    qint64 openMs;
    qint64 closeMs;
    QString holiday; // removed by (or closing early for) this holiday
    bool early = false;
};

} // namespace

std::optional<TradingCalendar> TradingCalendar::parse(const QByteArray &text, const QString &origin,
                                                      QString *error)
{
    Json j;
    SafeJsonError syntax;
    SafeJsonLimits limits;
    limits.maxBytes = MaxBytes;
    limits.maxDepth = 8;
    if (!safeJsonParse(text, j, syntax, limits)) {
        if (error)
            *error = syntax.tooLarge ? QStringLiteral("%1: larger than %2 KiB; not a calendar")
                                           .arg(origin)
                                           .arg(MaxBytes / 1024)
                                     : safeJsonMessage(origin, text, syntax);
        return std::nullopt;
    }
    try {
        TradingCalendar c = readCalendar(j);
        for (int i = 0; i < c.holidays.size(); ++i)
            c.m_holidayIndex.insert(c.holidays.at(i).date, i);
        return c;
    } catch (const Invalid &e) {
        if (error)
            *error = QStringLiteral("%1: at %2: %3")
                         .arg(origin,
                              e.where.empty() ? QStringLiteral("/") : workspacejson::q(e.where),
                              e.problem);
    } catch (const std::exception &e) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(origin, QString::fromUtf8(e.what()));
    }
    return std::nullopt;
}

QStringList TradingCalendar::builtinNames()
{
    QStringList names;
    const auto entries = QDir(QStringLiteral(":/healthdeck/calendars"))
                             .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &f : entries)
        names.append(QFileInfo(f).completeBaseName());
    return names;
}

std::optional<TradingCalendar> TradingCalendar::load(const QString &nameOrPath, QString *error)
{
    const bool builtin
        = !nameOrPath.contains(u'/') && !nameOrPath.endsWith(QStringLiteral(".json"));
    const QString path
        = builtin ? QStringLiteral(":/healthdeck/calendars/%1.json").arg(nameOrPath) : nameOrPath;
    if (builtin && !QFile::exists(path)) {
        if (error)
            *error = QStringLiteral("calendar \"%1\": no built-in calendar of that name (built in: "
                                    "%2; or give the path of a .json file)")
                         .arg(windowtimes::shown(nameOrPath, 64),
                              builtinNames().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (QFileInfo(path).isDir()) {
        if (error)
            *error = QStringLiteral("%1: cannot open: is a directory")
                         .arg(windowtimes::shown(path, 300));
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot open: %2")
                         .arg(windowtimes::shown(path, 300), f.errorString());
        return std::nullopt;
    }
    const QByteArray text = f.read(MaxBytes + 1); // size() lies for pipes and devices
    if (text.size() > MaxBytes) {
        if (error)
            *error = QStringLiteral("%1: larger than %2 KiB; not a calendar")
                         .arg(windowtimes::shown(path, 300))
                         .arg(MaxBytes / 1024);
        return std::nullopt;
    }
    return parse(text, windowtimes::shown(path, 300), error);
}

QList<WindowInterval> TradingCalendar::closedIntervals(qint64 fromMs, qint64 toMs) const
{
    QList<WindowInterval> out;
    if (toMs <= fromMs)
        return out;
    // Sessions open at most a day before they close, and holidays rarely close more than a
    // few days in a row: start a week early so the gap that contains fromMs is whole.
    const QDate first = QDateTime::fromMSecsSinceEpoch(fromMs, zone).date().addDays(-8);
    const QDate last = QDateTime::fromMSecsSinceEpoch(toMs, zone).date().addDays(2);
    QList<Session> kept;
    QList<Session> removed;
    for (QDate d = first; d <= last; d = d.addDays(1)) {
        for (const TradingSession &s : sessions) {
            if (!s.days.contains(d.dayOfWeek()))
                continue;
            const QDate closeDate = s.close <= s.open ? d.addDays(1) : d;
            Session session{windowtimes::toUtcMs(d, s.open, zone),
                            windowtimes::toUtcMs(closeDate, s.close, zone),
                            {},
                            false};
            const auto h = m_holidayIndex.constFind(closeDate);
            if (h != m_holidayIndex.cend()) {
                const TradingHoliday &holiday = holidays.at(*h);
                session.holiday = holiday.name;
                if (holiday.closed) {
                    removed.append(session);
                    continue;
                }
                const qint64 early = windowtimes::toUtcMs(closeDate, holiday.closeAt, zone);
                if (early <= session.openMs) {
                    removed.append(session);
                    continue;
                }
                if (early < session.closeMs) {
                    session.closeMs = early;
                    session.early = true;
                }
            }
            kept.append(session);
        }
    }
    std::sort(kept.begin(), kept.end(),
              [](const Session &a, const Session &b) { return a.openMs < b.openMs; });
    // Overlapping sessions (two definitions that cover the same hours) merge.
    QList<Session> merged;
    for (const Session &s : std::as_const(kept)) {
        if (!merged.isEmpty() && s.openMs <= merged.last().closeMs) {
            if (s.closeMs > merged.last().closeMs) {
                merged.last().closeMs = s.closeMs;
                merged.last().early = s.early;
                merged.last().holiday = s.holiday;
            }
            continue;
        }
        merged.append(s);
    }
    const QString label = name.isEmpty() ? id : name;
    auto gapReason = [&](qint64 start, qint64 end, const Session *before) {
        for (const Session &r : std::as_const(removed))
            if (r.openMs < end && r.closeMs > start)
                return QStringLiteral("%1 closed: %2").arg(label, r.holiday);
        if (before && before->early)
            return QStringLiteral("%1 closed early: %2").arg(label, before->holiday);
        if (end - start <= ShortGapMs)
            return QStringLiteral("%1 daily halt").arg(label);
        return QStringLiteral("%1 closed (outside trading hours)").arg(label);
    };
    const qint64 rangeStart = windowtimes::toUtcMs(first, QTime(0, 0), zone);
    const qint64 rangeEnd = windowtimes::toUtcMs(last.addDays(1), QTime(0, 0), zone);
    auto emitGap = [&](qint64 start, qint64 end, const Session *before) {
        if (end > start && end > fromMs && start < toMs)
            out.append({start, end, id, gapReason(start, end, before)});
    };
    if (merged.isEmpty()) {
        emitGap(rangeStart, rangeEnd, nullptr);
        return out;
    }
    emitGap(rangeStart, merged.first().openMs, nullptr);
    for (int i = 0; i < merged.size(); ++i) {
        const Session &s = merged.at(i);
        // Daily halts inside the session.
        const QDate openDate = QDateTime::fromMSecsSinceEpoch(s.openMs, zone).date().addDays(-1);
        const QDate closeDate = QDateTime::fromMSecsSinceEpoch(s.closeMs, zone).date();
        for (QDate d = openDate; d <= closeDate; d = d.addDays(1)) {
            for (const TradingHalt &h : halts) {
                const qint64 hs = windowtimes::toUtcMs(d, h.from, zone);
                const qint64 he
                    = windowtimes::toUtcMs(h.to <= h.from ? d.addDays(1) : d, h.to, zone);
                const qint64 start = std::max(hs, s.openMs);
                const qint64 end = std::min(he, s.closeMs);
                if (end > start && end > fromMs && start < toMs)
                    out.append({start, end, id, QStringLiteral("%1 daily halt").arg(label)});
            }
        }
        const qint64 nextOpen = i + 1 < merged.size() ? merged.at(i + 1).openMs : rangeEnd;
        emitGap(s.closeMs, nextOpen, &s);
    }
    std::sort(out.begin(), out.end(), [](const WindowInterval &a, const WindowInterval &b) {
        return a.startMs < b.startMs;
    });
    return out;
}

} // namespace hd
