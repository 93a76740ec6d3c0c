// Incidents in the history database (schema version 3): written with the event batches by the
// writer thread, the newest state of each kept, read back at the next start and by an export,
// a damaged row skipped and counted, retention removing old resolved incidents with their
// events and never an open one.
#include "alertengine.h"
#include "bundleeventloader.h"
#include "historyschema.h"
#include "historystore.h"
#include "historytestevents.h"
#include "incidentlog.h"
#include "redactor.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

// A history and an incident log that saves every change into it, wired as MonitorSession does.
struct Recorded
{
    Recorded(const Clock &clock, const Redactor &redactor, const QString &path)
        : store(clock)
        , log(clock, redactor)
    {
        opened = store.open(path).ok;
        QObject::connect(&log, &IncidentLog::changed, &store, &HistoryStore::saveIncident);
    }
    HistoryStore store;
    IncidentLog log;
    bool opened = false;
};

class TestHistoryIncidents : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void saved_comeBackAtTheNextStartNewestStateOnly();
    void damagedRow_isSkippedAndCounted();
    void export_readsTheIncidentsOfItsRange();
    void retention_removesOldResolvedIncidentsNeverOpenOnes();
    void olderDatabase_isMigratedAndHasNone();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }
    static AlertState alert(const QString &rule, qint64 firedAtMs);
    // The alert of `rule` (fired at T0), resolved at resolvedAtMs.
    static AlertState resolvedAt(const QString &rule, qint64 resolvedAtMs);
    std::unique_ptr<QTemporaryDir> m_dir;
    static constexpr qint64 T0 = 1795298400000;
};

void TestHistoryIncidents::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

AlertState TestHistoryIncidents::alert(const QString &rule, qint64 firedAtMs)
{
    AlertState a;
    a.ruleId = rule;
    a.kind = QStringLiteral("down");
    a.subject = QStringLiteral("prod.orders");
    a.message = QStringLiteral("prod.orders: down, 3 failed requests in a row");
    a.severity = QStringLiteral("critical");
    a.firedAtMs = firedAtMs;
    return a;
}

AlertState TestHistoryIncidents::resolvedAt(const QString &rule, qint64 resolvedAtMs)
{
    AlertState a = alert(rule, T0);
    a.resolvedAtMs = resolvedAtMs;
    return a;
}

void TestHistoryIncidents::saved_comeBackAtTheNextStartNewestStateOnly()
{
    ManualClock clock(T0);
    Redactor redactor(clock);
    Incident kept;
    {
        Recorded rec(clock, redactor, dbPath());
        QVERIFY(rec.opened);
        HistoryStore &store = rec.store;
        IncidentLog &log = rec.log;
        log.alertFired(alert(QStringLiteral("prod-down"), T0));
        clock.advance(60000);
        log.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                        QStringLiteral("alice"), QStringLiteral("console"));
        log.addNote(log.incidents().first().id, QStringLiteral("alice"),
                    QStringLiteral("vendor ticket 4471"));
        clock.advance(60000);
        log.alertResolved(resolvedAt(QStringLiteral("prod-down"), clock.nowMs()));
        store.append(hd::test::makeEvent(clock.nowMs(), 200, Category::Ok,
                                         QStringLiteral("prod.orders"), QStringLiteral("prod")));
        kept = log.incidents().first();
        store.close(); // commits what is queued
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("c"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT count(*), min(fired_ms), min(resolved_ms)"
                                      " FROM incidents")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1); // four changes, one row
        QCOMPARE(q.value(1).toLongLong(), T0);
        QCOMPARE(q.value(2).toLongLong(), T0 + 120000);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("c"));

    HistoryStore again(clock);
    QVERIFY(again.open(dbPath()).ok);
    int skipped = -1;
    const QList<Incident> back = again.loadIncidents(500, &skipped);
    QCOMPARE(skipped, 0);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first(), kept);
    QCOMPARE(back.first().acknowledgedBy, QStringLiteral("alice"));
    QCOMPARE(back.first().timeline.size(), 4);
}

void TestHistoryIncidents::damagedRow_isSkippedAndCounted()
{
    ManualClock clock(T0);
    Redactor redactor(clock);
    {
        Recorded rec(clock, redactor, dbPath());
        QVERIFY(rec.opened);
        HistoryStore &store = rec.store;
        IncidentLog &log = rec.log;
        log.alertFired(alert(QStringLiteral("a"), T0));
        log.alertFired(alert(QStringLiteral("b"), T0 + 1));
        store.close();
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("d"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE incidents SET json = '{\"schema\":' WHERE"
                                      " json LIKE '%\"rule\":\"a\"%'")));
        QCOMPARE(q.numRowsAffected(), 1);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("d"));
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    int skipped = 0;
    const QList<Incident> back = store.loadIncidents(500, &skipped);
    QCOMPARE(skipped, 1);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().ruleId, QStringLiteral("b"));
}

void TestHistoryIncidents::export_readsTheIncidentsOfItsRange()
{
    ManualClock clock(T0);
    Redactor redactor(clock);
    {
        Recorded rec(clock, redactor, dbPath());
        QVERIFY(rec.opened);
        HistoryStore &store = rec.store;
        IncidentLog &log = rec.log;
        log.alertFired(alert(QStringLiteral("early"), T0));
        clock.advance(10000);
        log.alertResolved(resolvedAt(QStringLiteral("early"), clock.nowMs()));
        clock.advance(3600000);
        log.alertFired(alert(QStringLiteral("late"), clock.nowMs()));
        for (qint64 t : {T0 + 1000, T0 + 3700000})
            store.append(hd::test::makeEvent(t, 503, Category::Unavailable,
                                             QStringLiteral("prod.orders"),
                                             QStringLiteral("prod")));
        store.close();
    }
    BundleEventLoader::Filter filter;
    filter.fromMs = T0 + 3600000;
    const auto late = BundleEventLoader::fromHistory(dbPath(), filter);
    QCOMPARE(late.error, QString());
    QCOMPARE(late.events.size(), 1);
    QCOMPARE(late.incidents.size(), 1);
    QCOMPARE(late.incidents.first().ruleId, QStringLiteral("late"));
    filter.fromMs = T0;
    QCOMPARE(BundleEventLoader::fromHistory(dbPath(), filter).incidents.size(), 2);
    filter.endpoints = {QStringLiteral("uat.orders")};
    QCOMPARE(BundleEventLoader::fromHistory(dbPath(), filter).incidents.size(), 0);
}

void TestHistoryIncidents::retention_removesOldResolvedIncidentsNeverOpenOnes()
{
    ManualClock clock(T0);
    Redactor redactor(clock);
    Recorded rec(clock, redactor, dbPath());
    QVERIFY(rec.opened);
    HistoryStore &store = rec.store;
    IncidentLog &log = rec.log;
    log.alertFired(alert(QStringLiteral("old"), T0));
    log.alertResolved(resolvedAt(QStringLiteral("old"), T0 + 1000));
    log.alertFired(alert(QStringLiteral("open"), T0)); // still open a month later
    store.flush();
    clock.advance(40LL * 24 * 3600 * 1000);
    HistoryRetention retention;
    retention.maxAgeMs = 30LL * 24 * 3600 * 1000;
    retention.intervalMs = 0;
    store.setRetention(retention);
    QSignalSpy finished(&store, &HistoryStore::retentionFinished);
    store.runRetentionNow();
    QVERIFY(finished.wait(10000));
    const QList<Incident> left = store.loadIncidents();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().ruleId, QStringLiteral("open"));
}

void TestHistoryIncidents::olderDatabase_isMigratedAndHasNone()
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v2"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QCOMPARE(HistorySchema::migrate(db, T0, 2), QString());
        QCOMPARE(HistorySchema::currentVersion(db), 2);
        // An export of a version-2 file (read-only: never migrated) finds no table and no
        // incidents, and says nothing is wrong.
        QSqlQuery q(db);
        QVERIFY(!q.exec(QStringLiteral("SELECT 1 FROM incidents")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v2"));
    const auto exported = BundleEventLoader::fromHistory(dbPath(), {});
    QCOMPARE(exported.error, QString());
    QVERIFY(exported.incidents.isEmpty());

    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QCOMPARE(store.schemaVersion(), 3);
    QVERIFY(store.loadIncidents().isEmpty());
}

QTEST_GUILESS_MAIN(TestHistoryIncidents)
#include "tst_historyincidents.moc"
