// The error log paging into the real SQLite history (issue 6): HistoryStore as an EventSource
// streams from its background reader thread — a restart shows the past at once, a since:
// filter beyond memory is answered by the store (LogFilter → EventRange → SQL), uncommitted
// events are included, the UI thread is never blocked (no batch inside the call), batches are
// applied one beginInsertRows each, and closing the store mid-load cancels cleanly.
#include "errorlogmodel.h"
#include "historystore.h"
#include "historytestevents.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::makeEvent;

class TestHistoryPaging : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void restart_showsThePastAtOnceFromTheStore();
    void sinceFilter_beyondMemoryIsAnsweredByTheStore();
    void fetch_includesEventsNotYetCommitted();
    void fetch_newestLimitAndBadFilter();
    void close_midLoadCancelsCleanly();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("history.db")); }
    void fill(HistoryStore &store, int minutes);

    std::unique_ptr<QTemporaryDir> m_dir;
    ManualClock m_clock;
    static constexpr qint64 Now = 1795298400000;
};

void TestHistoryPaging::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock.setNow(Now);
}

void TestHistoryPaging::fill(HistoryStore &store, int minutes)
{
    // One event a minute up to now, every tenth a 429 on prod.
    QList<ApiEvent> events;
    for (int k = minutes; k >= 1; --k) {
        const bool limited = k % 10 == 0;
        events.append(makeEvent(Now - k * 60000LL, limited ? 429 : 200,
                                limited ? Category::RateLimited : Category::Ok,
                                QStringLiteral("orders.list"),
                                limited ? QStringLiteral("prod") : QStringLiteral("dev")));
    }
    store.append(events);
    store.flush();
}

void TestHistoryPaging::restart_showsThePastAtOnceFromTheStore()
{
    {
        HistoryStore first(m_clock);
        QVERIFY(first.open(dbPath()).ok);
        fill(first, 3 * 60);
    }
    // A new process: the store reopens, the log asks it for the last hour.
    HistoryStore store(m_clock);
    QVERIFY(store.open(dbPath()).ok);
    ErrorLogModel model(m_clock);
    model.setHistorySource(&store);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    QVERIFY(model.loadHistory(model.defaultHistoryRange(), 16));
    QCOMPARE(model.rowCount(), 0); // answered later, on the event loop
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QCOMPARE(loaded.first().at(1).toString(), QString());
    QCOMPARE(model.rowCount(), 60);
    QCOMPARE(inserted.count(), 4); // 16 + 16 + 16 + 12
    QCOMPARE(model.record(0).timeMs, Now - 60 * 60000LL);
    QCOMPARE(model.record(59).timeMs, Now - 60000LL);
    // The full event behind a row is one query away.
    QVERIFY(store.eventById(model.eventId(0)));
}

void TestHistoryPaging::sinceFilter_beyondMemoryIsAnsweredByTheStore()
{
    HistoryStore store(m_clock);
    QVERIFY(store.open(dbPath()).ok);
    fill(store, 48 * 60);
    ErrorLogModel model(m_clock);
    // Memory holds only the last ten minutes (what arrived live).
    for (const ApiEvent &e : store.query({Now - 600000, Now, {}, 0, false}).events)
        model.append(e);
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    model.setHistorySource(&store);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    QVERIFY(model.setFilterText(QStringLiteral("since:24h status:429 env:prod")));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QCOMPARE(model.rowCount(), 144);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.record(row).httpStatus, quint16(429));
        QVERIFY(model.record(row).timeMs >= Now - 86400000LL);
    }
    // What the store says for the same question, synchronously.
    HistoryQuery q;
    q.filter = QStringLiteral("since:24h status:429 env:prod");
    q.limit = 0;
    QCOMPARE(store.query(q).events.size(), qsizetype(144));
    // A narrower time within what is now held stays local.
    QVERIFY(model.setFilterText(QStringLiteral("since:24h status:429 env:prod")));
    QVERIFY(!model.isLoadingHistory());
}

void TestHistoryPaging::fetch_includesEventsNotYetCommitted()
{
    HistoryStore store(m_clock);
    store.setCommitIntervalMs(60000); // nothing commits on its own during this test
    QVERIFY(store.open(dbPath()).ok);
    const ApiEvent e = makeEvent(Now - 1000, 503, Category::Unavailable);
    store.append(e);
    QList<ApiEvent> got;
    bool done = false;
    store.fetch(EventRange{}, 100, this,
                [&](const QList<ApiEvent> &batch, bool last, const QString &) {
                    got += batch;
                    done = last;
                });
    QVERIFY(!done);
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(got.size(), qsizetype(1));
    QCOMPARE(got.first().id, e.id);
}

void TestHistoryPaging::fetch_newestLimitAndBadFilter()
{
    HistoryStore store(m_clock);
    QVERIFY(store.open(dbPath()).ok);
    fill(store, 100);
    QList<ApiEvent> got;
    bool done = false;
    EventRange newest;
    newest.limit = 5;
    newest.newestFirst = true;
    store.fetch(newest, 2, this, [&](const QList<ApiEvent> &batch, bool last, const QString &) {
        got += batch;
        done = last;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(got.size(), qsizetype(5));
    QCOMPARE(got.first().timeMs, Now - 60000LL);
    QCOMPARE(got.last().timeMs, Now - 5 * 60000LL);

    QString error;
    done = false;
    EventRange bad;
    bad.filter = QStringLiteral("stauts:429");
    store.fetch(bad, 10, this, [&](const QList<ApiEvent> &, bool last, const QString &e) {
        error = e;
        done = last;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(error, QStringLiteral("unknown key 'stauts' — did you mean 'status'?"));
}

void TestHistoryPaging::close_midLoadCancelsCleanly()
{
    auto store = std::make_unique<HistoryStore>(m_clock);
    QVERIFY(store->open(dbPath()).ok);
    fill(*store, 5000);
    ErrorLogModel model(m_clock);
    model.setHistorySource(store.get(), 100000);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    EventRange all;
    model.loadHistory(all, 50);
    store->close(); // the reader stops at its next batch; nothing more reaches the model
    const int rows = model.rowCount();
    QTest::qWait(100);
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(loaded.count(), 0);
    model.cancelHistoryLoad();
    model.setHistorySource(nullptr);
    store.reset();
    QVERIFY(!model.isLoadingHistory());
}

QTEST_GUILESS_MAIN(TestHistoryPaging)
#include "tst_historypaging.moc"
