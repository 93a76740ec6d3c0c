// The workspace's "maintenance" and "slos" members (models/workspacemaintenance): read, checked
// with one-line errors that name the member, written back unchanged, and the demo workspace's
// examples load into a schedule.
#include "testsupport.h"
#include "windowschedule.h"
#include "workspacefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

namespace {

QByteArray workspace(const QByteArray &members)
{
    return R"({"schema":"healthdeck.workspace/1","name":"w",
      "environments":[{"id":"prod","baseUrl":"sim:/prod"}],
      "endpoints":[{"id":"orders","environment":"prod","path":"/orders"}])"
           + members + "}";
}

} // namespace

class TestWorkspaceMaintenance : public QObject
{
    Q_OBJECT
private slots:
    void allForms_loadAndRoundTrip();
    void errors_nameTheMember_data();
    void errors_nameTheMember();
    void unknownScope_isAWarningNotAnError();
    void demoWorkspace_hasAWindowACalendarAndAnSlo();
    void validate_namesABrokenCalendarFile();
};

void TestWorkspaceMaintenance::allForms_loadAndRoundTrip()
{
    const auto r = WorkspaceFile::parse(workspace(R"(,"maintenance":[
          {"id":"db","name":"DB upgrade","scope":"prod","start":"2026-12-05T22:00",
           "end":"2026-12-06T02:00:30","timeZone":"America/New_York"},
          {"id":"weekly","scope":"orders","days":["sat","Sunday"],"from":"22:00","to":"02:00",
           "timeZone":"Europe/London"},
          {"id":"globex","calendar":"cme-globex"}],
        "slos":[{"id":"prod-slo","scope":"prod","objective":99.5,"periodDays":7},{"id":"all"}],
        "alerts":[{"id":"burn","kind":"burn_rate","scope":"prod-slo","count":10}])"),
                                        QStringLiteral("w.json"));
    QVERIFY2(r.workspace, qPrintable(r.error));
    const Workspace &ws = *r.workspace;
    QCOMPARE(ws.maintenance.size(), 3);
    QCOMPARE(ws.maintenance.at(0).kind, MaintenanceWindow::Kind::Once);
    QCOMPARE(ws.maintenance.at(0).name, QStringLiteral("DB upgrade"));
    QCOMPARE(ws.maintenance.at(0).end, QStringLiteral("2026-12-06T02:00:30"));
    QCOMPARE(ws.maintenance.at(1).kind, MaintenanceWindow::Kind::Weekly);
    QCOMPARE(ws.maintenance.at(1).days, (QList<int>{6, 7}));
    QCOMPARE(ws.maintenance.at(2).kind, MaintenanceWindow::Kind::Calendar);
    QCOMPARE(ws.maintenance.at(2).scope, QStringLiteral("*"));
    QCOMPARE(ws.slos.size(), 2);
    QCOMPARE(ws.slos.at(0).objective, 99.5);
    QCOMPARE(ws.slos.at(0).periodDays, 7);
    QCOMPARE(ws.slos.at(1).objective, 99.0);
    QCOMPARE(ws.slos.at(1).periodDays, 30);
    QCOMPARE(ws.alerts.first().kind, QStringLiteral("burn_rate"));

    const std::string text = WorkspaceFile::toJson(ws).dump(2);
    const auto back = WorkspaceFile::parse(QByteArray::fromStdString(text), QStringLiteral("b"));
    QVERIFY2(back.workspace, qPrintable(back.error));
    QCOMPARE(back.workspace->maintenance, ws.maintenance);
    QCOMPARE(back.workspace->slos, ws.slos);
    QVERIFY(back.workspace->extra.empty()); // nothing fell into "unknown members"

    QStringList errors;
    const WindowSchedule schedule = WindowSchedule::fromWorkspace(ws, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QVERIFY(!schedule.isEmpty());
}

void TestWorkspaceMaintenance::errors_nameTheMember_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<QString>("error");
    QTest::newRow("zone") << QByteArray(
        R"(,"maintenance":[{"id":"m","start":"2026-12-05T22:00","end":"2026-12-06T02:00","timeZone":"Mars/Olympus"}])")
                          << QStringLiteral("w.json: at /maintenance/0/timeZone: \"Mars/Olympus\" "
                                            "is not a time zone this system knows (an IANA name "
                                            "such as Europe/London)");
    QTest::newRow("two forms") << QByteArray(
        R"(,"maintenance":[{"id":"m","calendar":"cme-globex","days":["mon"],"from":"01:00","to":"02:00"}])")
                               << QStringLiteral("w.json: at /maintenance/0: needs exactly one of "
                                                 "start/end (one-off), days/from/to (weekly) or "
                                                 "calendar");
    QTest::newRow("end before start")
        << QByteArray(
               R"(,"maintenance":[{"id":"m","start":"2026-12-05T22:00","end":"2026-12-05T21:00"}])")
        << QStringLiteral("w.json: at /maintenance/0/end: must be after start");
    QTest::newRow("offset") << QByteArray(
        R"(,"maintenance":[{"id":"m","start":"2026-12-05T22:00Z","end":"2026-12-06T21:00"}])")
                            << QStringLiteral("w.json: at /maintenance/0/start: must be a local "
                                              "time \"yyyy-MM-ddTHH:mm\" (the zone is timeZone), "
                                              "not \"2026-12-05T22:00Z\"");
    QTest::newRow("weekday") << QByteArray(
        R"(,"maintenance":[{"id":"m","days":["funday"],"from":"01:00","to":"02:00"}])")
                             << QStringLiteral("w.json: at /maintenance/0/days/0: must be a "
                                               "weekday: \"mon\" … \"sun\"");
    QTest::newRow("clock") << QByteArray(
        R"(,"maintenance":[{"id":"m","days":["mon"],"from":"1:00","to":"02:00"}])")
                           << QStringLiteral("w.json: at /maintenance/0/from: must be a time "
                                             "\"HH:mm\", not \"1:00\"");
    QTest::newRow("calendar zone")
        << QByteArray(R"(,"maintenance":[{"id":"m","calendar":"cme-globex","timeZone":"UTC"}])")
        << QStringLiteral("w.json: at /maintenance/0/timeZone: a "
                          "calendar has its own time zone");
    QTest::newRow("duplicate") << QByteArray(
        R"(,"maintenance":[{"id":"m","calendar":"cme-globex"},{"id":"m","calendar":"cme-globex"}])")
                               << QStringLiteral(
                                      "w.json: at /maintenance/1/id: \"m\" is used twice");
    QTest::newRow("objective") << QByteArray(R"(,"slos":[{"id":"s","objective":100}])")
                               << QStringLiteral("w.json: at /slos/0/objective: must be between "
                                                 "50 and 99.999, not 100");
    QTest::newRow("period")
        << QByteArray(R"(,"slos":[{"id":"s","periodDays":365}])")
        << QStringLiteral("w.json: at /slos/0/periodDays: must be between 1 and 90, not 365");
}

void TestWorkspaceMaintenance::errors_nameTheMember()
{
    QFETCH(QByteArray, members);
    QFETCH(QString, error);
    const auto r = WorkspaceFile::parse(workspace(members), QStringLiteral("w.json"));
    QVERIFY(!r.workspace);
    QCOMPARE(r.error, error);
}

void TestWorkspaceMaintenance::unknownScope_isAWarningNotAnError()
{
    // The console's editor may delete an environment a window names: the file must still load.
    const auto r = WorkspaceFile::parse(
        workspace(R"(,"maintenance":[{"id":"m","scope":"uat","calendar":"cme-globex"}],
                    "slos":[{"id":"s","scope":"nowhere"}])"),
        QStringLiteral("w.json"));
    QVERIFY2(r.workspace, qPrintable(r.error));
    QVERIFY(r.warnings.contains(QStringLiteral("maintenance window \"m\": scope \"uat\" is not "
                                               "\"*\", an environment or an endpoint; it applies "
                                               "to nothing")));
    QVERIFY(
        r.warnings.contains(QStringLiteral("SLO \"s\": scope \"nowhere\" is not \"*\", an "
                                           "environment or an endpoint; it applies to nothing")));
}

void TestWorkspaceMaintenance::demoWorkspace_hasAWindowACalendarAndAnSlo()
{
    const auto r
        = WorkspaceFile::load(test::sourcePath(QStringLiteral("resources/demo/workspace.json")));
    QVERIFY2(r.workspace, qPrintable(r.error));
    QVERIFY(r.workspace->maintenance.size() >= 2);
    QVERIFY(std::any_of(r.workspace->maintenance.cbegin(), r.workspace->maintenance.cend(),
                        [](const MaintenanceWindow &w) { return w.calendar == u"cme-globex"; }));
    QCOMPARE(r.workspace->slos.size(), 1);
    QStringList errors;
    const WindowSchedule schedule = WindowSchedule::fromWorkspace(*r.workspace, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    // Saturday noon in Chicago: the E-mini endpoint is outside Globex hours, prod as a whole
    // is not in a window.
    const qint64 saturday
        = QDateTime(QDate(2026, 11, 21), QTime(12, 0), QTimeZone("America/Chicago"))
              .toMSecsSinceEpoch();
    const auto es
        = schedule.at(QStringLiteral("prod.instruments.es"), QStringLiteral("prod"), saturday);
    QVERIFY(es);
    QCOMPARE(es->reason, QStringLiteral("CME Globex closed (outside trading hours)"));
    QVERIFY(!schedule.at(QStringLiteral("prod.orders.list"), QStringLiteral("prod"), saturday));
}

void TestWorkspaceMaintenance::validate_namesABrokenCalendarFile()
{
    QTemporaryDir dir;
    const QString calendar = dir.filePath(QStringLiteral("lse.json"));
    QFile c(calendar);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write(R"({"schema":"healthdeck.calendar/1","id":"lse","timeZone":"Europe/London",
               "sessions":[{"days":["mon"],"open":"08:00","close":"16:3O"}]})");
    c.close();
    const QString path = dir.filePath(QStringLiteral("w.json"));
    QFile w(path);
    QVERIFY(w.open(QIODevice::WriteOnly));
    w.write(workspace(R"(,"maintenance":[{"id":"lse-hours","calendar":")" + calendar.toUtf8()
                      + R"("}])"));
    w.close();
    const auto r = test::runHdeck({QStringLiteral("validate"), path});
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err).trimmed();
    QCOMPARE(err, QStringLiteral("hdeck: %1: maintenance window \"lse-hours\": %2: at "
                                 "/sessions/0/close: must be a time \"HH:mm\", not \"16:3O\"")
                      .arg(path, calendar));
}

QTEST_GUILESS_MAIN(TestWorkspaceMaintenance)
#include "tst_workspacemaintenance.moc"
