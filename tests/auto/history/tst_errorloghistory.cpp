// ErrorLogModel paging into an EventSource (issue 6), against a fake source that answers
// through the event loop in batches like the real HistoryStore does: a load replaces what the
// model holds, arrives in batches (one beginInsertRows each), never inside the call, keeps the
// live events that arrived meanwhile (without duplicates); a since: filter beyond memory asks
// the source with the range LogFilter implies; a cancelled or superseded load stops applying.
#include "errorlogmodel.h"
#include "eventsource.h"
#include "historytestevents.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;
using hd::test::makeEvent;

namespace {

class FakeSource : public QObject, public EventSource
{
public:
    QList<ApiEvent> events; // oldest first
    QList<EventRange> asked;
    QSet<quint64> cancelled;
    quint64 next = 0;
    const Clock *clock = nullptr;

    quint64 fetch(const EventRange &range, int batchSize, QObject *context,
                  BatchCallback onBatch) override
    {
        asked.append(range);
        const quint64 ticket = ++next;
        const LogFilter filter = LogFilter::parse(range.filter);
        QList<ApiEvent> hits;
        for (const ApiEvent &e : std::as_const(events))
            if (e.timeMs >= range.fromMs && e.timeMs < range.toMs
                && filter.matches(e, clock->nowMs()))
                hits.append(e);
        if (range.limit > 0 && hits.size() > range.limit)
            hits = hits.mid(hits.size() - range.limit);
        // One queued call per batch, as the store does from its reader thread.
        for (qsizetype i = 0; i < hits.size() || i == 0; i += batchSize) {
            const QList<ApiEvent> batch = hits.mid(i, batchSize);
            const bool last = i + batchSize >= hits.size();
            QMetaObject::invokeMethod(
                context,
                [this, ticket, onBatch, batch, last] {
                    if (!cancelled.contains(ticket))
                        onBatch(batch, last, {});
                },
                Qt::QueuedConnection);
            if (last)
                break;
        }
        return ticket;
    }
    void cancel(quint64 ticket) override { cancelled.insert(ticket); }
};

} // namespace

class TestErrorLogHistory : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void load_arrivesInBatchesNeverInsideTheCall();
    void load_keepsLiveEventsThatArriveMeanwhileWithoutDuplicates();
    void sinceFilter_beyondMemoryAsksTheSourceForItsRange();
    void sinceFilter_withinMemoryStaysLocal();
    void otherFilter_afterAFilteredLoadGoesBackToTheWindow();
    void limit_coversOnlyFromTheOldestLoadedEvent();
    void cancel_stopsApplyingAndKeepsLiveEvents();
    void badFilter_neverReachesTheSource();

private:
    ManualClock m_clock;
    FakeSource m_source;
    const qint64 m_now = 1'800'000'000'000;
};

void TestErrorLogHistory::init()
{
    m_clock.setNow(m_now);
    m_source.events.clear();
    m_source.asked.clear();
    m_source.cancelled.clear();
    m_source.clock = &m_clock;
    // Two days of history: one event a minute, every tenth a 429.
    for (qint64 t = m_now - 2 * 86400000LL; t < m_now; t += 60000)
        m_source.events.append(
            makeEvent(t, (t / 60000) % 10 == 0 ? 429 : 200,
                      (t / 60000) % 10 == 0 ? Category::RateLimited : Category::Ok));
}

void TestErrorLogHistory::load_arrivesInBatchesNeverInsideTheCall()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    QVERIFY(model.loadHistory(model.defaultHistoryRange(), 25));
    QCOMPARE(model.rowCount(), 0); // nothing applied inside the call
    QVERIFY(model.isLoadingHistory());
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(loaded.first().at(0).toInt(), 60); // the last hour, one a minute
    QCOMPARE(loaded.first().at(1).toString(), QString());
    QCOMPARE(model.rowCount(), 60);
    QCOMPARE(inserted.count(), 3); // 25 + 25 + 10: one beginInsertRows per batch
    QCOMPARE(m_source.asked.size(), 1);
    QCOMPARE(m_source.asked.first().fromMs, m_now - 3600000);
    QVERIFY(!m_source.asked.first().newestFirst);
    QCOMPARE(model.coveredFromMs(), m_now - 3600000);
    // Oldest first, as the live log grows.
    QVERIFY(model.record(0).timeMs < model.record(59).timeMs);
    QVERIFY(!model.isLoadingHistory());
}

void TestErrorLogHistory::load_keepsLiveEventsThatArriveMeanwhileWithoutDuplicates()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    // The newest stored event also arrives live while the load runs (the store had it first).
    const ApiEvent stored = m_source.events.last();
    const ApiEvent fresh = makeEvent(m_now + 10, 503, Category::Unavailable);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    model.loadHistory(model.defaultHistoryRange());
    model.append(stored);
    model.append(fresh);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 61); // 60 loaded + the fresh one; the stored one once
    QCOMPARE(model.eventId(60), fresh.id);
    QCOMPARE(model.eventId(59), stored.id);
}

void TestErrorLogHistory::sinceFilter_beyondMemoryAsksTheSourceForItsRange()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    model.loadHistory(model.defaultHistoryRange());
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(model.setFilterText(QStringLiteral("since:24h status:429")));
    QTRY_COMPARE(loaded.count(), 2);
    QCOMPARE(m_source.asked.size(), 2);
    const EventRange asked = m_source.asked.last();
    QCOMPARE(asked.fromMs, m_now - 86400000);
    QCOMPARE(asked.filter, QStringLiteral("since:24h status:429"));
    QCOMPARE(model.rowCount(), 144); // every tenth minute of a day
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.record(row).httpStatus, quint16(429));
    QCOMPARE(model.coveredFilter(), QStringLiteral("since:24h status:429"));
    // Re-applying the same filter a minute later is answered from memory.
    m_clock.advance(60000);
    QVERIFY(model.setFilterText(QStringLiteral("since:24h status:429")));
    QCOMPARE(m_source.asked.size(), 2);
}

void TestErrorLogHistory::sinceFilter_withinMemoryStaysLocal()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    model.loadHistory(model.defaultHistoryRange());
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(model.setFilterText(QStringLiteral("since:30m")));
    QVERIFY(model.setFilterText(QStringLiteral("status:429")));
    QVERIFY(model.setFilterText(QString()));
    QCOMPARE(m_source.asked.size(), 1); // all answered from the hour held
    QVERIFY(!model.isLoadingHistory());
    QVERIFY(model.setFilterText(QStringLiteral("status:429")));
    QCOMPARE(model.rowCount(), 6);
}

void TestErrorLogHistory::otherFilter_afterAFilteredLoadGoesBackToTheWindow()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    QVERIFY(model.setFilterText(QStringLiteral("since:2d status:429")));
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 288);
    // The held events answer only that filter: clearing it loads the default window again.
    QVERIFY(model.setFilterText(QString()));
    QTRY_COMPARE(loaded.count(), 2);
    QCOMPARE(m_source.asked.last().filter, QString());
    QCOMPARE(m_source.asked.last().fromMs, m_now - 3600000);
    QCOMPARE(model.rowCount(), 60);
    QCOMPARE(model.coveredFilter(), QString());
}

void TestErrorLogHistory::limit_coversOnlyFromTheOldestLoadedEvent()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source, 100);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    EventRange day;
    day.fromMs = m_now - 86400000;
    model.loadHistory(day);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 100); // the newest 100 of the day
    QCOMPARE(m_source.asked.last().limit, 100);
    QCOMPARE(model.coveredFromMs(), model.record(0).timeMs);
    QCOMPARE(model.record(99).timeMs, m_source.events.last().timeMs);
    // So a filter reaching before the oldest one held asks again.
    QVERIFY(model.setFilterText(QStringLiteral("since:3h")));
    QTRY_COMPARE(loaded.count(), 2);
}

void TestErrorLogHistory::cancel_stopsApplyingAndKeepsLiveEvents()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QSignalSpy loaded(&model, &ErrorLogModel::historyLoaded);
    EventRange all;
    model.loadHistory(all, 10);
    const ApiEvent live = makeEvent(m_now + 5, 200, Category::Ok);
    model.append(live);
    model.cancelHistoryLoad();
    QVERIFY(!model.isLoadingHistory());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.eventId(0), live.id);
    QTest::qWait(50); // the queued batches of the cancelled load are dropped
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(loaded.count(), 0);
    // A new load supersedes an old one: only its batches are applied.
    model.loadHistory(model.defaultHistoryRange(), 7);
    model.loadHistory(model.defaultHistoryRange(), 7);
    QTRY_COMPARE(loaded.count(), 1);
    QTest::qWait(50);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 60);
}

void TestErrorLogHistory::badFilter_neverReachesTheSource()
{
    ErrorLogModel model(m_clock);
    model.setHistorySource(&m_source);
    QVERIFY(!model.setFilterText(QStringLiteral("since:forever")));
    QVERIFY(!model.errorMessage().isEmpty());
    QVERIFY(m_source.asked.isEmpty());
    QVERIFY(!model.isLoadingHistory());
}

QTEST_GUILESS_MAIN(TestErrorLogHistory)
#include "tst_errorloghistory.moc"
