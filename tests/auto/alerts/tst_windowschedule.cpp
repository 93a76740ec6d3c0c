// Maintenance windows and trading calendars answer "in a window at T, which one, until when"
// for a scope (models/windowschedule): one-off and weekly windows in their own time zones
// (across daylight-saving changes), scopes, overlaps, and the CME Globex calendar's daily halt,
// weekend, holidays and early closes.
#include "windowschedule.h"

#include <QTest>

using namespace hd;

namespace {

qint64 at(int y, int mo, int d, int h, int mi, const char *zone)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), QTimeZone(QByteArray(zone)))
        .toMSecsSinceEpoch();
}

MaintenanceWindow once(const QString &id, const QString &scope, const QString &start,
                       const QString &end, const QString &zone)
{
    MaintenanceWindow w;
    w.id = id;
    w.name = id;
    w.scope = scope;
    w.kind = MaintenanceWindow::Kind::Once;
    w.start = start;
    w.end = end;
    w.timeZone = zone;
    return w;
}

MaintenanceWindow weekly(const QString &id, QList<int> days, const QString &from, const QString &to,
                         const QString &zone)
{
    MaintenanceWindow w;
    w.id = id;
    w.name = id;
    w.kind = MaintenanceWindow::Kind::Weekly;
    w.days = days;
    w.from = from;
    w.to = to;
    w.timeZone = zone;
    return w;
}

MaintenanceWindow globex(const QString &scope = QStringLiteral("*"))
{
    MaintenanceWindow w;
    w.id = QStringLiteral("globex");
    w.name = w.id;
    w.scope = scope;
    w.kind = MaintenanceWindow::Kind::Calendar;
    w.calendar = QStringLiteral("cme-globex");
    return w;
}

} // namespace

class TestWindowSchedule : public QObject
{
    Q_OBJECT
private slots:
    void empty_isNeverInAWindow();
    void once_coversItsLocalTimesInItsZone();
    void weekly_followsDaylightSavingOfItsZone();
    void weekly_crossesMidnight();
    void scope_environmentCoversItsEndpointsOnly();
    void overlapping_untilIsTheEndOfTheWholeStretch();
    void intervals_areMergedAndClipped();
    void globex_tradesOnATuesdayMorning();
    void globex_dailyHaltEndsAtFivePmCentral();
    void globex_weekendEndsSundayEveningAcrossDstChange();
    void globex_goodFridayClosesFromThursdayClose();
    void globex_thanksgivingClosesEarly();
    void globex_christmasNamesTheHoliday();
    void calendar_unknownNameIsAnError();
};

void TestWindowSchedule::empty_isNeverInAWindow()
{
    WindowSchedule s;
    QVERIFY(s.isEmpty());
    QVERIFY(!s.at(QStringLiteral("orders"), QStringLiteral("prod"), 0));
    QVERIFY(!s.nextChangeMs({}, {}, 0));
}

void TestWindowSchedule::once_coversItsLocalTimesInItsZone()
{
    WindowSchedule s;
    QCOMPARE(s.add(once(QStringLiteral("db-upgrade"), QStringLiteral("*"),
                        QStringLiteral("2026-12-05T22:00"), QStringLiteral("2026-12-06T02:00"),
                        QStringLiteral("America/New_York"))),
             QString());
    // 22:00 EST = 03:00 UTC; the end (02:00 EST = 07:00 UTC) is exclusive.
    const qint64 start = at(2026, 12, 6, 3, 0, "UTC");
    const qint64 end = at(2026, 12, 6, 7, 0, "UTC");
    QVERIFY(!s.at({}, {}, start - 1));
    const auto w = s.at({}, {}, start);
    QVERIFY(w);
    QCOMPARE(w->id, QStringLiteral("db-upgrade"));
    QCOMPARE(w->reason, QStringLiteral("maintenance window \"db-upgrade\""));
    QCOMPARE(w->untilMs, end);
    QVERIFY(s.at({}, {}, end - 1));
    QVERIFY(!s.at({}, {}, end));
    QCOMPARE(s.nextChangeMs({}, {}, start - 3600000), std::optional<qint64>(start));
    QCOMPARE(s.nextChangeMs({}, {}, start + 1), std::optional<qint64>(end));
    QVERIFY(!s.nextChangeMs({}, {}, end));
}

void TestWindowSchedule::weekly_followsDaylightSavingOfItsZone()
{
    WindowSchedule s;
    QCOMPARE(s.add(weekly(QStringLiteral("sat-maint"), {6}, QStringLiteral("02:00"),
                          QStringLiteral("06:00"), QStringLiteral("Europe/London"))),
             QString());
    // Saturday 28 March 2026: GMT, so 02:00 local = 02:00 UTC.
    QVERIFY(!s.at({}, {}, at(2026, 3, 28, 1, 59, "UTC")));
    QVERIFY(s.at({}, {}, at(2026, 3, 28, 2, 0, "UTC")));
    QVERIFY(s.at({}, {}, at(2026, 3, 28, 5, 59, "UTC")));
    // Saturday 4 April 2026: BST (UTC+1), so the window is 01:00–05:00 UTC.
    QVERIFY(s.at({}, {}, at(2026, 4, 4, 1, 0, "UTC")));
    QVERIFY(!s.at({}, {}, at(2026, 4, 4, 5, 0, "UTC")));
    QCOMPARE(s.nextChangeMs({}, {}, at(2026, 4, 3, 12, 0, "UTC")),
             std::optional<qint64>(at(2026, 4, 4, 1, 0, "UTC")));
    // Not on other days.
    QVERIFY(!s.at({}, {}, at(2026, 4, 5, 3, 0, "Europe/London")));
}

void TestWindowSchedule::weekly_crossesMidnight()
{
    WindowSchedule s;
    s.add(weekly(QStringLiteral("night"), {5}, QStringLiteral("22:00"), QStringLiteral("02:00"),
                 QStringLiteral("UTC")));
    // Friday 22:00 to Saturday 02:00.
    QVERIFY(s.at({}, {}, at(2026, 12, 4, 23, 0, "UTC")));
    const auto w = s.at({}, {}, at(2026, 12, 5, 1, 0, "UTC"));
    QVERIFY(w);
    QCOMPARE(w->untilMs, at(2026, 12, 5, 2, 0, "UTC"));
    QVERIFY(!s.at({}, {}, at(2026, 12, 5, 23, 0, "UTC")));
}

void TestWindowSchedule::scope_environmentCoversItsEndpointsOnly()
{
    WindowSchedule s;
    s.add(once(QStringLiteral("prod-maint"), QStringLiteral("prod"),
               QStringLiteral("2026-12-01T10:00"), QStringLiteral("2026-12-01T11:00"),
               QStringLiteral("UTC")));
    s.add(once(QStringLiteral("orders-maint"), QStringLiteral("orders"),
               QStringLiteral("2026-12-02T10:00"), QStringLiteral("2026-12-02T11:00"),
               QStringLiteral("UTC")));
    const qint64 t1 = at(2026, 12, 1, 10, 30, "UTC");
    QVERIFY(s.at(QStringLiteral("orders"), QStringLiteral("prod"), t1));
    QVERIFY(s.at({}, QStringLiteral("prod"), t1));
    QVERIFY(!s.at(QStringLiteral("orders"), QStringLiteral("uat"), t1));
    QVERIFY(!s.at({}, {}, t1)); // "all endpoints" is not in a prod-only window
    const qint64 t2 = at(2026, 12, 2, 10, 30, "UTC");
    QVERIFY(s.at(QStringLiteral("orders"), QStringLiteral("prod"), t2));
    QVERIFY(!s.at(QStringLiteral("positions"), QStringLiteral("prod"), t2));
    QVERIFY(!s.at({}, QStringLiteral("prod"), t2));
}

void TestWindowSchedule::overlapping_untilIsTheEndOfTheWholeStretch()
{
    WindowSchedule s;
    s.add(once(QStringLiteral("a"), QStringLiteral("*"), QStringLiteral("2026-12-01T10:00"),
               QStringLiteral("2026-12-01T12:00"), QStringLiteral("UTC")));
    s.add(once(QStringLiteral("b"), QStringLiteral("*"), QStringLiteral("2026-12-01T11:00"),
               QStringLiteral("2026-12-01T13:00"), QStringLiteral("UTC")));
    const auto w = s.at({}, {}, at(2026, 12, 1, 10, 30, "UTC"));
    QVERIFY(w);
    QCOMPARE(w->id, QStringLiteral("a"));
    QCOMPARE(w->untilMs, at(2026, 12, 1, 13, 0, "UTC"));
    QCOMPARE(s.at({}, {}, at(2026, 12, 1, 12, 30, "UTC"))->id, QStringLiteral("b"));
}

void TestWindowSchedule::intervals_areMergedAndClipped()
{
    WindowSchedule s;
    s.add(once(QStringLiteral("a"), QStringLiteral("*"), QStringLiteral("2026-12-01T10:00"),
               QStringLiteral("2026-12-01T12:00"), QStringLiteral("UTC")));
    s.add(once(QStringLiteral("b"), QStringLiteral("*"), QStringLiteral("2026-12-01T12:00"),
               QStringLiteral("2026-12-01T13:00"), QStringLiteral("UTC")));
    const auto list
        = s.intervals({}, {}, at(2026, 12, 1, 11, 0, "UTC"), at(2026, 12, 1, 14, 0, "UTC"));
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().startMs, at(2026, 12, 1, 11, 0, "UTC"));
    QCOMPARE(list.first().endMs, at(2026, 12, 1, 13, 0, "UTC"));
    QCOMPARE(s.coveredMs({}, {}, at(2026, 12, 1, 0, 0, "UTC"), at(2026, 12, 2, 0, 0, "UTC")),
             qint64(3 * 3600000));
}

void TestWindowSchedule::globex_tradesOnATuesdayMorning()
{
    WindowSchedule s;
    QCOMPARE(s.add(globex()), QString());
    QVERIFY(!s.at({}, {}, at(2026, 3, 10, 10, 0, "America/Chicago")));
    QVERIFY(!s.at({}, {}, at(2026, 3, 10, 15, 59, "America/Chicago")));
    QVERIFY(!s.at({}, {}, at(2026, 3, 10, 17, 0, "America/Chicago")));
}

void TestWindowSchedule::globex_dailyHaltEndsAtFivePmCentral()
{
    WindowSchedule s;
    s.add(globex());
    const auto w = s.at({}, {}, at(2026, 3, 10, 16, 30, "America/Chicago"));
    QVERIFY(w);
    QCOMPARE(w->id, QStringLiteral("globex"));
    QCOMPARE(w->reason, QStringLiteral("CME Globex daily halt"));
    QCOMPARE(w->startMs, at(2026, 3, 10, 16, 0, "America/Chicago"));
    QCOMPARE(w->untilMs, at(2026, 3, 10, 17, 0, "America/Chicago"));
    QCOMPARE(s.nextChangeMs({}, {}, at(2026, 3, 10, 12, 0, "America/Chicago")),
             std::optional<qint64>(at(2026, 3, 10, 16, 0, "America/Chicago")));
}

void TestWindowSchedule::globex_weekendEndsSundayEveningAcrossDstChange()
{
    WindowSchedule s;
    s.add(globex());
    // Friday 6 March 2026 16:00 CST to Sunday 8 March 17:00 CDT (clocks went forward at 02:00).
    const auto w = s.at({}, {}, at(2026, 3, 7, 12, 0, "America/Chicago"));
    QVERIFY(w);
    QCOMPARE(w->reason, QStringLiteral("CME Globex closed (outside trading hours)"));
    QCOMPARE(w->startMs, at(2026, 3, 6, 22, 0, "UTC"));
    QCOMPARE(w->untilMs, at(2026, 3, 8, 22, 0, "UTC")); // 17:00 CDT = 22:00 UTC
}

void TestWindowSchedule::globex_goodFridayClosesFromThursdayClose()
{
    WindowSchedule s;
    s.add(globex());
    QVERIFY(!s.at({}, {}, at(2026, 4, 2, 15, 0, "America/Chicago")));
    for (const qint64 t :
         {at(2026, 4, 2, 20, 0, "America/Chicago"), at(2026, 4, 3, 10, 0, "America/Chicago")}) {
        const auto w = s.at({}, {}, t);
        QVERIFY(w);
        QCOMPARE(w->reason, QStringLiteral("CME Globex closed: Good Friday"));
        QCOMPARE(w->startMs, at(2026, 4, 2, 16, 0, "America/Chicago"));
        QCOMPARE(w->untilMs, at(2026, 4, 5, 17, 0, "America/Chicago"));
    }
}

void TestWindowSchedule::globex_thanksgivingClosesEarly()
{
    WindowSchedule s;
    s.add(globex());
    QVERIFY(!s.at({}, {}, at(2026, 11, 26, 11, 59, "America/Chicago")));
    const auto thursday = s.at({}, {}, at(2026, 11, 26, 13, 0, "America/Chicago"));
    QVERIFY(thursday);
    QCOMPARE(thursday->reason, QStringLiteral("CME Globex closed early: Thanksgiving Day"));
    QCOMPARE(thursday->untilMs, at(2026, 11, 26, 17, 0, "America/Chicago"));
    const auto friday = s.at({}, {}, at(2026, 11, 27, 12, 30, "America/Chicago"));
    QVERIFY(friday);
    QCOMPARE(friday->reason, QStringLiteral("CME Globex closed early: Day after Thanksgiving"));
    QCOMPARE(friday->startMs, at(2026, 11, 27, 12, 15, "America/Chicago"));
    QCOMPARE(friday->untilMs, at(2026, 11, 29, 17, 0, "America/Chicago"));
}

void TestWindowSchedule::globex_christmasNamesTheHoliday()
{
    WindowSchedule s;
    s.add(globex());
    const auto w = s.at({}, {}, at(2026, 12, 25, 9, 0, "America/Chicago"));
    QVERIFY(w);
    QCOMPARE(w->reason, QStringLiteral("CME Globex closed: Christmas Day"));
    QCOMPARE(w->startMs, at(2026, 12, 24, 12, 15, "America/Chicago"));
    QCOMPARE(w->untilMs, at(2026, 12, 27, 17, 0, "America/Chicago"));
}

void TestWindowSchedule::calendar_unknownNameIsAnError()
{
    Workspace ws;
    MaintenanceWindow w = globex();
    w.calendar = QStringLiteral("nyse");
    ws.maintenance.append(w);
    QStringList errors;
    const WindowSchedule s = WindowSchedule::fromWorkspace(ws, &errors);
    QVERIFY(s.isEmpty());
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(
                 QStringLiteral("maintenance window \"globex\": calendar \"nyse\": no built-in")),
             qPrintable(errors.first()));
    QVERIFY(errors.first().contains(QStringLiteral("cme-globex")));
}

QTEST_GUILESS_MAIN(TestWindowSchedule)
#include "tst_windowschedule.moc"
