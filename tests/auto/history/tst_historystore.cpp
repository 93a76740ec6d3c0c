#include "eventjson.h"
#include "historyschema.h"
#include "historystore.h"
#include "historytestevents.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace hd;
using hd::test::makeEvent;

class TestHistoryStore : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void roundTrip_eventsComeBackExactly();
    void countAsync_answersOnTheCallersThread();
    void eventsByIdAsync_readsOffTheCallersThreadInOrder();
    void batching_commitsOnceAfterTheWindow();
    void query_narrowsByTimeRangeAndFilter();
    void query_badFilterIsReportedNotIgnored();
    void reopen_showsThePastAtOnce();
    void retention_byAgeFollowsTheClock();
    void retention_bySizeKeepsTheNewest();
    void corruptFile_isMovedAsideAndAFreshHistoryStarted();
    void foreignDatabase_isMovedAsideNotDeleted();
    void newerSchema_isRefusedAndLeftAlone();
    void secondInstance_isRefusedWithAClearMessage();
    void migrations_upgradeAVersion1Database();
    void sigkill_losesNothingThatWasCommittedAndFreesTheLock();
    void newDatabase_isOwnerOnlyWithItsWalAndShm();
    void existingDatabase_isTightenedToOwnerOnly();
    void lockedDatabase_isReportedNotMovedAside();
    void directoryInPlaceOfTheDatabase_isReportedNotMovedAside();
    void unreadableDatabase_isPermissionDeniedNotMovedAside();
    void truncatedDatabase_isCorruptAndMovedAside();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }
    static ApiEvent richEvent(qint64 timeMs, int i);
    static void waitForCount(HistoryStore &store, qint64 n);

    std::unique_ptr<QTemporaryDir> m_dir;
    static constexpr qint64 T0 = 1795298400000;
};

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

ApiEvent TestHistoryStore::richEvent(qint64 timeMs, int i)
{
    ApiEvent e = makeEvent(timeMs, 429, Category::RateLimited,
                           QStringLiteral("orders.%1")
                               .arg(i % 3 == 0 ? QStringLiteral("place") : QStringLiteral("list")),
                           i % 2 ? QStringLiteral("prod") : QStringLiteral("dev"));
    e.error->code = QStringLiteral("MaxPosLimitReached");
    e.error->type = ErrorType::RateLimit;
    e.identifiers.traceId = QStringLiteral("trx-%1").arg(i);
    e.retry = RetryDecision{true, RetryAction::RetryAfter, 30000, QStringLiteral("wait 30 s")};
    e.rateLimit = RateLimitInfo{100, 0, 17.0, 30.0, QString(), QStringLiteral("X-RateLimit")};
    e.request = RequestInfo{QStringLiteral("POST"),
                            QStringLiteral("https://api.test/order"),
                            {},
                            QStringLiteral("{\"qty\":1}")};
    return e;
}

void TestHistoryStore::waitForCount(HistoryStore &store, qint64 n)
{
    QTRY_COMPARE_WITH_TIMEOUT(store.count(), n, 10000);
}

void TestHistoryStore::roundTrip_eventsComeBackExactly()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY(opened.notice.isEmpty());
    QCOMPARE(store.schemaVersion(), HistorySchema::latestVersion());

    QList<ApiEvent> sent;
    for (int i = 0; i < 20; ++i)
        sent.append(richEvent(T0 + i * 1000, i));
    store.append(sent);
    waitForCount(store, 20);

    HistoryQuery q;
    q.newestFirst = false;
    const HistoryQueryResult result = store.query(q);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.events.size(), 20);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(toJsonLine(result.events[i]), toJsonLine(sent[i]));
    const auto byId = store.eventById(sent[7].id);
    QVERIFY(byId);
    QVERIFY(*byId == sent[7]);
}

void TestHistoryStore::countAsync_answersOnTheCallersThread()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QObject context;
    qint64 rows = -2;
    store.countAsync(&context, [&rows](qint64 n) { rows = n; });
    QTRY_COMPARE(rows, qint64(-1)); // nothing open yet

    QVERIFY(store.open(dbPath()).ok);
    store.append({richEvent(T0, 1), richEvent(T0 + 1, 2), richEvent(T0 + 2, 3)});
    waitForCount(store, 3);
    rows = -2;
    QThread *answeredOn = nullptr;
    store.countAsync(&context, [&](qint64 n) {
        rows = n;
        answeredOn = QThread::currentThread();
    });
    QCOMPARE(rows, qint64(-2)); // never inside the call
    QTRY_COMPARE(rows, qint64(3));
    QCOMPARE(answeredOn, QThread::currentThread());

    // A context that is gone gets no answer.
    rows = -2;
    {
        QObject gone;
        store.countAsync(&gone, [&rows](qint64 n) { rows = n; });
    }
    QTest::qWait(200);
    QCOMPARE(rows, qint64(-2));
}

void TestHistoryStore::eventsByIdAsync_readsOffTheCallersThreadInOrder()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QObject context;
    bool answered = false;
    QList<ApiEvent> got;
    store.eventsByIdAsync({QStringLiteral("x")}, &context, [&](QList<ApiEvent> events) {
        got = events;
        answered = true;
    });
    QTRY_VERIFY(answered); // nothing open: an empty answer, never none
    QVERIFY(got.isEmpty());

    QVERIFY(store.open(dbPath()).ok);
    const QList<ApiEvent> sent{richEvent(T0, 1), richEvent(T0 + 1, 2), richEvent(T0 + 2, 3)};
    store.append(sent);
    waitForCount(store, 3);
    answered = false;
    store.eventsByIdAsync({sent[2].id, QStringLiteral("no-such-id"), sent[0].id}, &context,
                          [&](QList<ApiEvent> events) {
                              got = events;
                              answered = true;
                          });
    QVERIFY(!answered); // never inside the call
    QTRY_VERIFY(answered);
    QCOMPARE(got.size(), 2); // the unknown id is left out, the order is the one asked
    QVERIFY(got[0] == sent[2]);
    QVERIFY(got[1] == sent[0]);
}

void TestHistoryStore::batching_commitsOnceAfterTheWindow()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    QSignalSpy committed(&store, &HistoryStore::committed);
    for (int i = 0; i < 500; ++i)
        store.append(richEvent(T0 + i, i));
    // Nothing is written before the 250 ms window closes …
    QCOMPARE(store.count(), qint64(0));
    // … and then all of it in one transaction.
    waitForCount(store, 500);
    QCOMPARE(store.commitCount(), quint64(1));
    QTRY_COMPARE(committed.count(), 1);
    QCOMPARE(committed.first().first().toInt(), 500);
}

void TestHistoryStore::query_narrowsByTimeRangeAndFilter()
{
    ManualClock clock(T0 + 3600 * 1000);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    for (int i = 0; i < 60; ++i) {
        ApiEvent e = i % 4 == 0 ? makeEvent(T0 + i * 60000, 503, Category::Unavailable,
                                            QStringLiteral("accounts.get"))
                                : richEvent(T0 + i * 60000, i);
        store.append(e);
    }
    store.flush();
    QCOMPARE(store.count(), qint64(60));

    auto run = [&](const QString &filter, qint64 from = std::numeric_limits<qint64>::min(),
                   qint64 to = std::numeric_limits<qint64>::max()) {
        HistoryQuery q;
        q.filter = filter;
        q.fromMs = from;
        q.toMs = to;
        q.limit = 0;
        const HistoryQueryResult r = store.query(q);
        return r.ok() ? int(r.events.size()) : -1;
    };
    QCOMPARE(run(QString(), T0, T0 + 10 * 60000), 10);
    QCOMPARE(run(QStringLiteral("status:5xx")), 15);
    QCOMPARE(run(QStringLiteral("status:429 env:prod")), 30);
    QCOMPARE(run(QStringLiteral("category:unavailable endpoint:accounts*")), 15);
    QCOMPARE(run(QStringLiteral("code:maxposlimitreached endpoint:orders.place")), 15);
    QCOMPARE(run(QStringLiteral("trace:trx-7")), 1);
    QCOMPARE(run(QStringLiteral("since:15m")), 15);
    QCOMPARE(run(QStringLiteral("-env:dev status:429")), 30);
    QCOMPARE(run(QStringLiteral("trx-1")), 9); // trx-1, 10, 11, 13, 14, 15, 17, 18, 19
    QCOMPARE(run(QStringLiteral("outcome:server_error"), T0, T0 + 30 * 60000), 8);

    HistoryQuery newest;
    newest.limit = 3;
    const auto r = store.query(newest);
    QCOMPARE(r.events.size(), 3);
    QCOMPARE(r.events.first().timeMs, T0 + 59 * 60000);
}

void TestHistoryStore::query_badFilterIsReportedNotIgnored()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    HistoryQuery q;
    q.filter = QStringLiteral("stauts:429");
    const auto r = store.query(q);
    QVERIFY(!r.ok());
    QCOMPARE(r.error, QStringLiteral("unknown key 'stauts' — did you mean 'status'?"));
}

void TestHistoryStore::reopen_showsThePastAtOnce()
{
    ManualClock clock(T0);
    {
        HistoryStore store(clock);
        QVERIFY(store.open(dbPath()).ok);
        for (int i = 0; i < 10; ++i)
            store.append(richEvent(T0 + i, i));
    } // closing commits what was queued
    HistoryStore again(clock);
    const auto opened = again.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QCOMPARE(again.count(), qint64(10));
}

void TestHistoryStore::retention_byAgeFollowsTheClock()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    for (int day = 0; day < 10; ++day)
        store.append(richEvent(T0 + day * 24 * 3600 * 1000LL, day));
    store.flush();
    clock.setNow(T0 + 10 * 24 * 3600 * 1000LL);

    HistoryRetention retention;
    retention.maxAgeMs = 7 * 24 * 3600 * 1000LL; // keep a week
    retention.intervalMs = 0;                    // no timer: the test decides when
    store.setRetention(retention);
    QSignalSpy finished(&store, &HistoryStore::retentionFinished);
    store.runRetentionNow();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.first().first().toLongLong(), qint64(3)); // days 0, 1, 2
    QCOMPARE(store.count(), qint64(7));
    HistoryQuery oldest;
    oldest.newestFirst = false;
    oldest.limit = 1;
    QCOMPARE(store.query(oldest).events.first().timeMs, T0 + 3 * 24 * 3600 * 1000LL);
}

void TestHistoryStore::retention_bySizeKeepsTheNewest()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    const QString body(2000, QLatin1Char('x'));
    for (int i = 0; i < 3000; ++i) {
        ApiEvent e = richEvent(T0 + i, i);
        e.response = ResponseInfo{{}, body, 2000};
        store.append(e);
    }
    store.flush();
    const qint64 before = store.fileBytes();
    QVERIFY2(before > 6 * 1000 * 1000, qPrintable(QString::number(before)));

    HistoryRetention retention;
    retention.maxBytes = 2 * 1000 * 1000;
    retention.intervalMs = 0;
    store.setRetention(retention);
    QSignalSpy finished(&store, &HistoryStore::retentionFinished);
    store.runRetentionNow();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);

    // The file itself shrank (incremental vacuum + WAL checkpoint), not just the row count.
    QVERIFY2(store.fileBytes() <= retention.maxBytes + 64 * 1024,
             qPrintable(QString::number(store.fileBytes())));
    const qint64 left = store.count();
    QVERIFY(left > 0 && left < 3000);
    HistoryQuery newest;
    newest.limit = 1;
    QCOMPARE(store.query(newest).events.first().timeMs, T0 + 2999);
}

void TestHistoryStore::corruptFile_isMovedAsideAndAFreshHistoryStarted()
{
    const QByteArray garbage = QByteArray("this is not an SQLite file at all ").repeated(200);
    {
        QFile f(dbPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QCOMPARE(opened.movedTo, dbPath() + QStringLiteral(".corrupt-20261121T220000Z"));
    QVERIFY2(opened.notice.contains(QStringLiteral("is damaged or not a database"))
                 && opened.notice.contains(QStringLiteral("moved it to ")),
             qPrintable(opened.notice));
    // Nothing deleted: the bad file is intact where the message says.
    QFile moved(opened.movedTo);
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), garbage);
    // And the new history works.
    store.append(richEvent(T0, 1));
    store.flush();
    QCOMPARE(store.count(), qint64(1));
}

void TestHistoryStore::foreignDatabase_isMovedAsideNotDeleted()
{
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE recipes(name TEXT)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO recipes VALUES ('soup')")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("foreign"));

    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY2(opened.notice.contains(QStringLiteral("is not a HealthDeck history")),
             qPrintable(opened.notice));
    QVERIFY(QFile::exists(opened.movedTo));
    QCOMPARE(store.count(), qint64(0));
}

void TestHistoryStore::newerSchema_isRefusedAndLeftAlone()
{
    {
        ManualClock clock(T0);
        HistoryStore store(clock);
        QVERIFY(store.open(dbPath()).ok);
    }
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_migrations VALUES (99, 0, 'future')")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));

    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY(!opened.ok);
    QVERIFY2(opened.error.contains(QStringLiteral("written by a newer HealthDeck (schema 99")),
             qPrintable(opened.error));
    QVERIFY(opened.movedTo.isEmpty());
    QVERIFY(QFile::exists(dbPath()));
    QVERIFY(!store.isOpen());
    // The refusal released the lock, so a fixed-up retry is possible.
    QVERIFY(!QFile::exists(HistoryStore::lockFilePath(dbPath())));
}

void TestHistoryStore::secondInstance_isRefusedWithAClearMessage()
{
    ManualClock clock(T0);
    HistoryStore first(clock);
    QVERIFY(first.open(dbPath()).ok);
    HistoryStore second(clock);
    const auto refused = second.open(dbPath());
    QVERIFY(!refused.ok);
    QVERIFY2(refused.error.contains(QStringLiteral("is already in use by"))
                 && refused.error.contains(
                     QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())),
             qPrintable(refused.error));
    first.close();
    QVERIFY(second.open(dbPath()).ok);
}

void TestHistoryStore::migrations_upgradeAVersion1Database()
{
    const ApiEvent old = richEvent(T0, 4);
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QCOMPARE(HistorySchema::migrate(db, T0, 1), QString());
        QCOMPARE(HistorySchema::currentVersion(db), 1);
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("INSERT INTO events(id, time_ms, environment, endpoint, category,"
                           " outcome, status, duration_ms, json) VALUES (?,?,?,?,?,?,?,?,?)"));
        for (const QVariant &v :
             QVariantList{old.id, old.timeMs, old.environment, old.endpoint,
                          QStringLiteral("rate_limited"), QStringLiteral("client_error"), 429,
                          old.durationMs, QString::fromUtf8(toJsonLine(old))})
            q.addBindValue(v);
        QVERIFY(q.exec());
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));

    ManualClock clock(T0);
    {
        HistoryStore store(clock);
        const auto opened = store.open(dbPath());
        QVERIFY2(opened.ok, qPrintable(opened.error));
        QCOMPARE(store.schemaVersion(), HistorySchema::latestVersion());
        HistoryQuery q;
        q.filter = QStringLiteral("code:MaxPosLimitReached trace:trx-4");
        QCOMPARE(store.query(q).events.size(), 1);
    }
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT version FROM schema_migrations ORDER BY version")));
        QList<int> versions;
        while (q.next())
            versions.append(q.value(0).toInt());
        QCOMPARE(versions, QList<int>({1, 2, 3}));
        QVERIFY(q.exec(QStringLiteral("SELECT code, trace_id FROM events")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("MaxPosLimitReached")); // backfilled
        QCOMPARE(q.value(1).toString(), QStringLiteral("trx-4"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

// Child mode for the SIGKILL test: append an event every 2 ms and report each committed batch
// on stdout as "committed <total>", until killed.
static int runChildWriter(const QString &path)
{
    ManualClock clock(1795298400000);
    HistoryStore store(clock);
    const auto opened = store.open(path);
    if (!opened.ok) {
        qCritical("%s", qPrintable(opened.error));
        return 1;
    }
    qint64 total = 0;
    QObject::connect(&store, &HistoryStore::committed, &store, [&total](int n) {
        total += n;
        std::printf("committed %lld\n", static_cast<long long>(total));
        std::fflush(stdout);
    });
    int seq = 0;
    QTimer producer;
    QObject::connect(&producer, &QTimer::timeout, &store, [&] {
        ApiEvent e = makeEvent(1795298400000 + seq, 503, Category::Unavailable);
        e.identifiers.traceId = QStringLiteral("seq-%1").arg(seq++);
        store.append(e);
    });
    producer.start(2);
    return QCoreApplication::exec();
}

void TestHistoryStore::sigkill_losesNothingThatWasCommittedAndFreesTheLock()
{
#ifdef Q_OS_UNIX
    QProcess child;
    child.setProgram(QCoreApplication::applicationFilePath());
    child.setArguments({QStringLiteral("--child-writer"), dbPath()});
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start();
    QVERIFY(child.waitForStarted());

    // Wait until a few batches are reported durable, then kill without warning.
    qint64 reported = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            while (child.canReadLine()) {
                const QByteArray line = child.readLine().trimmed();
                if (line.startsWith("committed "))
                    reported = line.mid(10).toLongLong();
            }
            return reported >= 100;
        }(),
        20000);
    ::kill(pid_t(child.processId()), SIGKILL);
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    while (child.canReadLine()) {
        const QByteArray line = child.readLine().trimmed();
        if (line.startsWith("committed "))
            reported = line.mid(10).toLongLong();
    }

    // The dead process's lock is cleared, the file is a healthy history, and every event the
    // child had seen committed is there, in order.
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY2(opened.movedTo.isEmpty(), qPrintable(opened.notice));
    QVERIFY2(store.count() >= reported,
             qPrintable(QStringLiteral("%1 < %2").arg(store.count()).arg(reported)));
    HistoryQuery q;
    q.filter = QStringLiteral("trace:seq-%1").arg(reported - 1);
    QCOMPARE(store.query(q).events.size(), 1);
#else
    QSKIP("SIGKILL is a Unix signal");
#endif
}

static QFileDevice::Permissions modeOf(const QString &path)
{
    // Qt's user bits (0x0700) depend on who runs the test; owner/group/other are what count.
    return QFileInfo(path).permissions() & QFileDevice::Permissions(0x7077);
}

void TestHistoryStore::newDatabase_isOwnerOnlyWithItsWalAndShm()
{
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    store.append(richEvent(T0, 1));
    store.flush();
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QCOMPARE(modeOf(dbPath()), ownerOnly);
    // WAL mode: both companions exist while the store is open, with the database's mode.
    QVERIFY(QFile::exists(dbPath() + QStringLiteral("-wal")));
    QCOMPARE(modeOf(dbPath() + QStringLiteral("-wal")), ownerOnly);
    QVERIFY(QFile::exists(dbPath() + QStringLiteral("-shm")));
    QCOMPARE(modeOf(dbPath() + QStringLiteral("-shm")), ownerOnly);
}

void TestHistoryStore::existingDatabase_isTightenedToOwnerOnly()
{
    {
        ManualClock clock(T0);
        HistoryStore store(clock);
        QVERIFY(store.open(dbPath()).ok);
    }
    const auto worldReadable = QFileDevice::ReadOwner | QFileDevice::WriteOwner
                               | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    QVERIFY(QFile::setPermissions(dbPath(), worldReadable));
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(store.open(dbPath()).ok);
    QCOMPARE(modeOf(dbPath()), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestHistoryStore::lockedDatabase_isReportedNotMovedAside()
{
    // Another process (here: another connection) holds an exclusive SQLite lock, as the sqlite3
    // shell does inside a write transaction. That says nothing about the file: report, keep it.
    {
        QSqlDatabase locker
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        locker.setDatabaseName(dbPath());
        QVERIFY(locker.open());
        QSqlQuery q(locker);
        QVERIFY(q.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE")));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE held(x)")));
        QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO held VALUES (1)")));

        ManualClock clock(T0);
        HistoryStore store(clock);
        const auto opened = store.open(dbPath()); // waits SQLite's busy timeout (5 s) first
        QVERIFY(!opened.ok);
        QVERIFY2(opened.error.contains(QStringLiteral("Cannot open history database ") + dbPath())
                     && opened.error.contains(QStringLiteral("locked"))
                     && opened.error.contains(QStringLiteral("left as it is")),
                 qPrintable(opened.error));
        QVERIFY(opened.movedTo.isEmpty());
        QCOMPARE(QDir(m_dir->path()).entryList({QStringLiteral("*.corrupt-*")}, QDir::Files),
                 QStringList());
        q.exec(QStringLiteral("ROLLBACK"));
        q.finish();
        locker.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    QVERIFY(QFile::exists(dbPath()));
}

void TestHistoryStore::directoryInPlaceOfTheDatabase_isReportedNotMovedAside()
{
    // A real failure that holds for root too (chmod 000 does not stop root from reading).
    QVERIFY(QDir().mkpath(dbPath()));
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY(!opened.ok);
    QVERIFY2(opened.error.contains(QStringLiteral("Cannot open history database ") + dbPath()),
             qPrintable(opened.error));
    QVERIFY(opened.movedTo.isEmpty());
    QVERIFY(QFileInfo(dbPath()).isDir());
    QCOMPARE(
        QDir(m_dir->path())
            .entryList({QStringLiteral("*.corrupt-*")}, QDir::AllEntries | QDir::NoDotAndDotDot),
        QStringList());
}

void TestHistoryStore::unreadableDatabase_isPermissionDeniedNotMovedAside()
{
    if (::geteuid() == 0)
        QSKIP("running as root: file permissions do not stop root (see the directory test)");
    {
        ManualClock clock(T0);
        HistoryStore store(clock);
        QVERIFY(store.open(dbPath()).ok);
    }
    QVERIFY(QFile::setPermissions(dbPath(), QFileDevice::Permissions()));
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QFile::setPermissions(dbPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QVERIFY(!opened.ok);
    QVERIFY2(opened.error.contains(QStringLiteral("permission denied")), qPrintable(opened.error));
    QVERIFY(opened.movedTo.isEmpty());
    QVERIFY(QFile::exists(dbPath()));
}

void TestHistoryStore::truncatedDatabase_isCorruptAndMovedAside()
{
    // Real corruption still goes aside: a database whose first page was overwritten.
    {
        ManualClock clock(T0);
        HistoryStore store(clock);
        QVERIFY(store.open(dbPath()).ok);
        for (int i = 0; i < 200; ++i)
            store.append(richEvent(T0 + i, i));
        store.flush();
    }
    QFile f(dbPath());
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    QVERIFY(bytes.size() > 4096);
    // Keep the 100-byte header, scramble the rest of page 1 (sqlite_master).
    for (qsizetype i = 100; i < 4096; ++i)
        bytes[i] = char(0xA5);
    f.seek(0);
    f.write(bytes);
    f.close();
    QFile::remove(dbPath() + QStringLiteral("-wal"));
    QFile::remove(dbPath() + QStringLiteral("-shm"));
    ManualClock clock(T0);
    HistoryStore store(clock);
    const auto opened = store.open(dbPath());
    QVERIFY2(opened.ok, qPrintable(opened.error));
    QVERIFY2(!opened.movedTo.isEmpty(), qPrintable(opened.notice));
    QVERIFY2(opened.notice.contains(QStringLiteral("is damaged or not a database")),
             qPrintable(opened.notice));
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--child-writer") == 0) {
        QCoreApplication app(argc, argv);
        return runChildWriter(QString::fromLocal8Bit(argv[2]));
    }
    QCoreApplication app(argc, argv);
    TestHistoryStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_historystore.moc"
