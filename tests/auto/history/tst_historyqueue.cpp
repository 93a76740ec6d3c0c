// The history writer's queue is bounded by bytes: while the database is missing or failing,
// events wait in memory up to limits::MaxHistoryQueueBytes, then the oldest are dropped, counted
// and reported — never an unbounded pile-up.
#include "eventbytes.h"
#include "historywriter.h"
#include "resourcelimits.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestHistoryQueue : public QObject
{
    Q_OBJECT
private slots:
    void defaultBound_isTheDocumentedLimit();
    void noDatabase_queueStaysWithinTheBytesAndDropsTheOldest();
    void failingWrites_requeueWithinTheBytes();
};

static ApiEvent makeEvent(int i, qsizetype bodyChars = 2048)
{
    ApiEvent e;
    e.id = QStringLiteral("ev-%1").arg(i);
    e.timeMs = 1795298400000 + i;
    e.endpoint = QStringLiteral("orders");
    e.environment = QStringLiteral("prod");
    e.category = Category::Ok;
    e.response = ResponseInfo{{}, QString(bodyChars, u'x'), bodyChars};
    return e;
}

void TestHistoryQueue::defaultBound_isTheDocumentedLimit()
{
    HistoryWriter writer(Clock::system());
    QCOMPARE(writer.maxQueueBytes(), limits::MaxHistoryQueueBytes);
}

void TestHistoryQueue::noDatabase_queueStaysWithinTheBytesAndDropsTheOldest()
{
    HistoryWriter writer(Clock::system());
    const qint64 one = approxEventBytes(makeEvent(999)); // the longest id used
    writer.setMaxQueueBytes(one * 50);
    QSignalSpy failed(&writer, &HistoryWriter::writeFailed);
    for (int i = 0; i < 200; ++i)
        writer.enqueue(makeEvent(i));
    QList<ApiEvent> batch;
    for (int i = 200; i < 300; ++i)
        batch.append(makeEvent(i));
    writer.enqueue(batch);
    QVERIFY(writer.pendingBytes() <= writer.maxQueueBytes());
    QCOMPARE(writer.pendingCount(), 50);
    QCOMPARE(writer.droppedCount(), quint64(250));

    // No database yet: a commit keeps the events and says what was dropped.
    writer.commitPending();
    QCOMPARE(writer.pendingCount(), 50);
    QCOMPARE(failed.size(), 1);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("250")) && message.contains(QStringLiteral("dropped")),
             qPrintable(message));

    // Once the database is there, the 50 newest are written.
    QTemporaryDir dir;
    const auto opened = writer.open(dir.filePath(QStringLiteral("h.db")), QStringLiteral("q1"), 50);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    writer.commitPending();
    QCOMPARE(writer.writtenCount(), quint64(50));
    QCOMPARE(writer.pendingCount(), 0);
    QCOMPARE(writer.pendingBytes(), qint64(0));
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("q1")));
        QVERIFY(
            q.exec(QStringLiteral("SELECT MIN(id), COUNT(*) FROM events WHERE id >= 'ev-250'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toInt(), 50);
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM events WHERE id = 'ev-249'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }
    writer.close();
}

void TestHistoryQueue::failingWrites_requeueWithinTheBytes()
{
    HistoryWriter writer(Clock::system());
    QTemporaryDir dir;
    const auto opened = writer.open(dir.filePath(QStringLiteral("h.db")), QStringLiteral("q2"), 50);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    const qint64 one = approxEventBytes(makeEvent(999)); // the longest id used
    writer.setMaxQueueBytes(one * 20);
    {
        // Every INSERT now fails, as on a database that went away under us.
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("q2")));
        QVERIFY(q.exec(QStringLiteral("DROP TABLE events")));
    }
    QSignalSpy failed(&writer, &HistoryWriter::writeFailed);
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 15; ++i)
            writer.enqueue(makeEvent(round * 100 + i));
        writer.commitPending();
        QVERIFY(writer.pendingBytes() <= writer.maxQueueBytes());
        QVERIFY(writer.pendingCount() <= 20);
    }
    QCOMPARE(writer.writtenCount(), quint64(0));
    QCOMPARE(writer.pendingCount(), 20);
    QCOMPARE(writer.droppedCount(), quint64(5 * 15 - 20));
    bool sawDrop = false;
    for (const auto &args : std::as_const(failed))
        sawDrop = sawDrop || args.first().toString().contains(QStringLiteral("dropped"));
    QVERIFY(sawDrop);
    writer.close();
}

QTEST_GUILESS_MAIN(TestHistoryQueue)
#include "tst_historyqueue.moc"
