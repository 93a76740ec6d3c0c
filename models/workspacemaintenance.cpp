#include "workspacemaintenance.h"

#include "windowtimes.h"

namespace hd::workspacejson {
namespace {

void checkScope(const Workspace &ws, const QString &scope, const QString &what,
                QStringList &warnings)
{
    if (scope == u"*" || ws.environment(scope) || ws.endpoint(scope) || ws.stream(scope))
        return;
    warnings.append(QStringLiteral("%1: scope \"%2\" is not \"*\", an environment or an endpoint; "
                                   "it applies to nothing")
                        .arg(what, windowtimes::shown(scope, 100)));
}

QString requiredId(const Reader &r)
{
    const QString id = r.str("id", true);
    if (id.isEmpty() || id.size() > 100)
        throw Invalid{r.where() + "/id", QStringLiteral("must be 1 to 100 characters")};
    for (QChar c : id)
        if (c.isSpace())
            throw Invalid{r.where() + "/id",
                          QStringLiteral("\"%1\" must not contain spaces").arg(id)};
    return id;
}

} // namespace

void readMaintenance(const Reader &root, Workspace &ws, QStringList &warnings)
{
    const Json *list = root.array("maintenance");
    if (!list)
        return;
    if (list->size() > MaxMaintenanceWindows)
        throw Invalid{"/maintenance",
                      QStringLiteral("has more than %1 windows").arg(MaxMaintenanceWindows)};
    for (std::size_t i = 0; i < list->size(); ++i) {
        Reader r((*list)[i], "/maintenance/" + std::to_string(i));
        MaintenanceWindow w;
        w.id = requiredId(r);
        for (const MaintenanceWindow &other : std::as_const(ws.maintenance))
            if (other.id == w.id)
                throw Invalid{r.where() + "/id", QStringLiteral("\"%1\" is used twice").arg(w.id)};
        w.name = windowtimes::shown(r.str("name", false, w.id), 200);
        w.scope = r.str("scope", false, QStringLiteral("*"));
        checkScope(ws, w.scope, QStringLiteral("maintenance window \"%1\"").arg(w.id), warnings);
        w.calendar = r.str("calendar");
        const bool once = !r.str("start").isEmpty() || !r.str("end").isEmpty();
        const bool weekly = r.array("days") != nullptr;
        if (int(once) + int(weekly) + int(!w.calendar.isEmpty()) != 1)
            throw Invalid{r.where(), QStringLiteral("needs exactly one of start/end (one-off), "
                                                    "days/from/to (weekly) or calendar")};
        if (!w.calendar.isEmpty()) {
            w.kind = MaintenanceWindow::Kind::Calendar;
            if (w.calendar.size() > 1024)
                throw Invalid{r.where() + "/calendar", QStringLiteral("is too long")};
            if (!r.str("timeZone").isEmpty())
                throw Invalid{r.where() + "/timeZone",
                              QStringLiteral("a calendar has its own time zone")};
            ws.maintenance.append(w);
            continue;
        }
        w.timeZone = r.str("timeZone", false, QStringLiteral("UTC"));
        const auto zone = windowtimes::zone(w.timeZone);
        if (!zone)
            throw Invalid{r.where() + "/timeZone",
                          QStringLiteral("\"%1\" is not a time zone this system knows (an IANA "
                                         "name such as Europe/London)")
                              .arg(windowtimes::shown(w.timeZone, 64))};
        if (once) {
            w.kind = MaintenanceWindow::Kind::Once;
            w.start = r.str("start", true);
            w.end = r.str("end", true);
            const auto start = windowtimes::parseLocalDateTime(w.start);
            const auto end = windowtimes::parseLocalDateTime(w.end);
            if (!start)
                throw Invalid{r.where() + "/start",
                              QStringLiteral("must be a local time \"yyyy-MM-ddTHH:mm\" (the "
                                             "zone is timeZone), not \"%1\"")
                                  .arg(windowtimes::shown(w.start, 40))};
            if (!end)
                throw Invalid{r.where() + "/end",
                              QStringLiteral("must be a local time \"yyyy-MM-ddTHH:mm\" (the "
                                             "zone is timeZone), not \"%1\"")
                                  .arg(windowtimes::shown(w.end, 40))};
            if (windowtimes::toUtcMs(end->first, end->second, *zone)
                <= windowtimes::toUtcMs(start->first, start->second, *zone))
                throw Invalid{r.where() + "/end", QStringLiteral("must be after start")};
        } else {
            w.kind = MaintenanceWindow::Kind::Weekly;
            const Json *days = r.array("days");
            if (days->empty() || days->size() > 7)
                throw Invalid{r.where() + "/days",
                              QStringLiteral("needs 1 to 7 weekdays (\"mon\" … \"sun\")")};
            for (std::size_t d = 0; d < days->size(); ++d) {
                const std::string where = r.where() + "/days/" + std::to_string(d);
                const auto day = (*days)[d].is_string()
                                     ? windowtimes::parseWeekday(q((*days)[d].get<std::string>()))
                                     : std::nullopt;
                if (!day)
                    throw Invalid{where, QStringLiteral("must be a weekday: \"mon\" … \"sun\"")};
                if (w.days.contains(*day))
                    throw Invalid{where, QStringLiteral("\"%1\" is listed twice")
                                             .arg(windowtimes::weekdayName(*day))};
                w.days.append(*day);
            }
            w.from = r.str("from", true);
            w.to = r.str("to", true);
            if (!windowtimes::parseClock(w.from))
                throw Invalid{r.where() + "/from",
                              QStringLiteral("must be a time \"HH:mm\", not \"%1\"")
                                  .arg(windowtimes::shown(w.from, 40))};
            if (!windowtimes::parseClock(w.to))
                throw Invalid{r.where() + "/to",
                              QStringLiteral("must be a time \"HH:mm\", not \"%1\"")
                                  .arg(windowtimes::shown(w.to, 40))};
        }
        ws.maintenance.append(w);
    }
}

void readSlos(const Reader &root, Workspace &ws, QStringList &warnings)
{
    const Json *list = root.array("slos");
    if (!list)
        return;
    if (list->size() > MaxSlos)
        throw Invalid{"/slos", QStringLiteral("has more than %1 objectives").arg(MaxSlos)};
    for (std::size_t i = 0; i < list->size(); ++i) {
        Reader r((*list)[i], "/slos/" + std::to_string(i));
        Slo slo;
        slo.id = requiredId(r);
        for (const Slo &other : std::as_const(ws.slos))
            if (other.id == slo.id)
                throw Invalid{r.where() + "/id",
                              QStringLiteral("\"%1\" is used twice").arg(slo.id)};
        slo.name = windowtimes::shown(r.str("name", false, slo.id), 200);
        slo.scope = r.str("scope", false, QStringLiteral("*"));
        checkScope(ws, slo.scope, QStringLiteral("SLO \"%1\"").arg(slo.id), warnings);
        // 50 % would be no objective at all; 99.999 % leaves 26 s a month.
        slo.objective = r.num("objective", 99.0, 50.0, 99.999);
        slo.periodDays = int(r.num("periodDays", 30, 1, 90));
        ws.slos.append(slo);
    }
}

Json maintenanceJson(const Workspace &ws)
{
    Json list = Json::array();
    for (const MaintenanceWindow &w : ws.maintenance) {
        Json o = {{"id", s(w.id)}};
        if (w.name != w.id)
            o["name"] = s(w.name);
        o["scope"] = s(w.scope);
        switch (w.kind) {
        case MaintenanceWindow::Kind::Once:
            o["start"] = s(w.start);
            o["end"] = s(w.end);
            o["timeZone"] = s(w.timeZone);
            break;
        case MaintenanceWindow::Kind::Weekly: {
            Json days = Json::array();
            for (int d : w.days)
                days.push_back(s(windowtimes::weekdayName(d)));
            o["days"] = days;
            o["from"] = s(w.from);
            o["to"] = s(w.to);
            o["timeZone"] = s(w.timeZone);
            break;
        }
        case MaintenanceWindow::Kind::Calendar:
            o["calendar"] = s(w.calendar);
            break;
        }
        list.push_back(o);
    }
    return list;
}

Json slosJson(const Workspace &ws)
{
    Json list = Json::array();
    for (const Slo &slo : ws.slos) {
        Json o = {{"id", s(slo.id)}};
        if (slo.name != slo.id)
            o["name"] = s(slo.name);
        o["scope"] = s(slo.scope);
        o["objective"] = slo.objective;
        o["periodDays"] = slo.periodDays;
        list.push_back(o);
    }
    return list;
}

} // namespace hd::workspacejson
