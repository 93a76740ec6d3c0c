// `hdeck export` as DESIGN §5 has it: usage errors exit 2, failures exit 1 with one line on
// stderr, a job done exits 0 and prints the bundle's path; --since/--until/--endpoint narrow
// what goes in.

#include "bundletestevents.h"
#include "eventjson.h"
#include "testsupport.h"

#include <JlCompress.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestHdeckExport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrors_exitTwo_data();
    void usageErrors_exitTwo();
    void missingDatabase_exitsOneAndCreatesNothing();
    void foreignFile_exitsOne();
    void sinceUntilAndEndpoint_narrowTheEvents();
    void exportWhileWatchWrites_readsWhatIsCommitted();

private:
    QTemporaryDir m_dir;
    QString m_events;
};

void TestHdeckExport::initTestCase()
{
    m_events = m_dir.filePath(QStringLiteral("events.jsonl"));
    QFile f(m_events);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (const ApiEvent &e : test::mixedEvents(1795298400000, 20)) // 22:00:00, every 1.5 s
        f.write(toJsonLine(e) + '\n');
    f.write("not an event\n");
}

void TestHdeckExport::usageErrors_exitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString out = QStringLiteral("/tmp/never-written.zip");
    QTest::newRow("no --out") << QStringList{QStringLiteral("--db"), QStringLiteral("x.db")}
                              << "--out bundle.zip is required";
    QTest::newRow("no source") << QStringList{QStringLiteral("--out"), out}
                               << "exactly one of --db F or --events F";
    QTest::newRow("both sources") << QStringList{QStringLiteral("--db"),     QStringLiteral("x"),
                                                 QStringLiteral("--events"), QStringLiteral("y"),
                                                 QStringLiteral("--out"),    out}
                                  << "exactly one of";
    QTest::newRow("bad since") << QStringList{QStringLiteral("--events"),
                                              QStringLiteral("y"),
                                              QStringLiteral("--out"),
                                              out,
                                              QStringLiteral("--since"),
                                              QStringLiteral("yesterday")}
                               << "--since: 'yesterday' is neither";
    QTest::newRow("until before since")
        << QStringList{QStringLiteral("--events"), QStringLiteral("y"),
                       QStringLiteral("--out"),    out,
                       QStringLiteral("--since"),  QStringLiteral("1h"),
                       QStringLiteral("--until"),  QStringLiteral("2h")}
        << "--since must be before --until";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << "bogus";
}

void TestHdeckExport::usageErrors_exitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const auto r = test::runHdeck(QStringList{QStringLiteral("export")} + args);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void TestHdeckExport::missingDatabase_exitsOneAndCreatesNothing()
{
    const QString db = m_dir.filePath(QStringLiteral("missing.db"));
    const QString out = m_dir.filePath(QStringLiteral("missing.zip"));
    const auto r = test::runHdeck(
        {QStringLiteral("export"), QStringLiteral("--db"), db, QStringLiteral("--out"), out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no history database at"), r.err.constData());
    QVERIFY(!QFile::exists(db));
    QVERIFY(!QFile::exists(out));
}

void TestHdeckExport::foreignFile_exitsOne()
{
    const QString out = m_dir.filePath(QStringLiteral("foreign.zip"));
    // A JSONL file is not a database; it is neither moved nor changed.
    const QByteArray before = [this] {
        QFile f(m_events);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    const auto r = test::runHdeck(
        {QStringLiteral("export"), QStringLiteral("--db"), m_events, QStringLiteral("--out"), out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("HealthDeck history database"), r.err.constData());
    QFile f(m_events);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    // Only a regular file is ever replaced by a bundle (not a device, not a folder).
    const QString folder = m_dir.filePath(QStringLiteral("a-folder.zip"));
    QVERIFY(QDir().mkpath(folder));
    const auto dir = test::runHdeck({QStringLiteral("export"), QStringLiteral("--events"), m_events,
                                     QStringLiteral("--out"), folder});
    QCOMPARE(dir.exitCode, 1);
    QVERIFY(dir.err.contains("is not a regular file"));
    QVERIFY(QFileInfo(folder).isDir());
}

void TestHdeckExport::sinceUntilAndEndpoint_narrowTheEvents()
{
    const QString out = m_dir.filePath(QStringLiteral("narrow.zip"));
    // 22:00:06 up to 22:00:21 holds events 4…13; orders.list are the odd ones: 5,7,9,11,13.
    const auto r = test::runHdeck(
        {QStringLiteral("export"), QStringLiteral("--events"), m_events, QStringLiteral("--out"),
         out, QStringLiteral("--since"), QStringLiteral("2026-11-21T22:00:06Z"),
         QStringLiteral("--until"), QStringLiteral("2026-11-21T22:00:21Z"),
         QStringLiteral("--endpoint"), QStringLiteral("orders.list")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("1 line(s)"), r.err.constData()); // the line that is no event
    QCOMPARE(r.out.trimmed(), QFileInfo(out).absoluteFilePath().toUtf8());
    const QString events = JlCompress::extractFile(out, QStringLiteral("events.jsonl"),
                                                   m_dir.filePath(QStringLiteral("narrow.jsonl")));
    QFile f(events);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    for (const QByteArray &line : lines)
        QVERIFY(line.contains("\"endpoint\":\"orders.list\""));
    QVERIFY(lines.front().contains("trace-mixed-5\""));
    QVERIFY(lines.back().contains("trace-mixed-13\""));
}

void TestHdeckExport::exportWhileWatchWrites_readsWhatIsCommitted()
{
    // hdeck watch holds the history's lock and keeps writing; export reads it read-only.
    const QString db = m_dir.filePath(QStringLiteral("live.db"));
    QProcess watch;
    watch.start(test::hdeckPath(),
                {QStringLiteral("watch"), QStringLiteral("--workspace"),
                 test::sourcePath(QStringLiteral("resources/demo/workspace.json")),
                 QStringLiteral("--duration"), QStringLiteral("30"), QStringLiteral("--db"), db});
    QVERIFY(watch.waitForStarted(10000));
    const QString out = m_dir.filePath(QStringLiteral("live.zip"));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (!QFile::exists(db))
                return false;
            const auto r = test::runHdeck({QStringLiteral("export"), QStringLiteral("--db"), db,
                                           QStringLiteral("--out"), out});
            err = r.err;
            return r.exitCode == 0 && !r.err.contains(" 0 events");
        }(),
        20000);
    QCOMPARE(watch.state(), QProcess::Running); // the writer was not disturbed
    watch.terminate();
    QVERIFY(watch.waitForFinished(15000));
    QCOMPARE(watch.exitCode(), 0);
    QVERIFY2(err.contains("hdeck export: "), err.constData());
}

QTEST_GUILESS_MAIN(TestHdeckExport)
#include "tst_hdeckexport.moc"
