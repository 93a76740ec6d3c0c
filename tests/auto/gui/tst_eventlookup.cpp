// EventLookup (issue 22): the full events behind the log rows — memory first, then history read
// on the store's reader thread, never on the caller's.
#include "../history/historytestevents.h"
#include "eventlookup.h"
#include "historystore.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using namespace hd::test;

class TestEventLookup : public QObject
{
    Q_OBJECT
private slots:
    void memoryOnly_answersAtOnceInTheOrderAsked();
    void history_readsWhatMemoryLacks();
    void neighbours_fromMemoryAndFromHistory();
    void neighbours_aNewerRequestVoidsTheOlder();
    void neighbours_withoutHistorySaysWhy();

private:
    static constexpr qint64 T0 = 1795298400000;
    // Opens store in dir and waits until events are committed.
    static bool openWith(HistoryStore &store, const QTemporaryDir &dir,
                         const QList<ApiEvent> &events)
    {
        if (!store.open(dir.filePath(QStringLiteral("h.db"))).ok)
            return false;
        store.append(events);
        return QTest::qWaitFor([&] { return store.count() == events.size(); }, 10000);
    }
};

void TestEventLookup::memoryOnly_answersAtOnceInTheOrderAsked()
{
    EventLookup lookup;
    const ApiEvent a = okEvent(T0), b = okEvent(T0 + 1);
    lookup.insert(a);
    lookup.insert(b);
    bool answered = false;
    lookup.lookup({b.id, a.id, QStringLiteral("gone")}, this,
                  [&](const QList<ApiEvent> &events, const QStringList &missing) {
                      answered = true;
                      QCOMPARE(events.size(), 2);
                      QCOMPARE(events[0].id, b.id);
                      QCOMPARE(events[1].id, a.id);
                      QCOMPARE(missing, QStringList{QStringLiteral("gone")});
                  });
    QVERIFY(answered); // no history to ask: the answer comes before lookup() returns
    QCOMPARE(lookup.recentOf(a).size(), 2);
}

void TestEventLookup::history_readsWhatMemoryLacks()
{
    QTemporaryDir dir;
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(openWith(store, dir, {}));
    const ApiEvent old = makeEvent(T0, 503, Category::Unavailable);
    const ApiEvent recent = okEvent(T0 + 10);
    store.append({old, recent});
    QTRY_COMPARE_WITH_TIMEOUT(store.count(), qint64(2), 10000);

    EventLookup lookup;
    lookup.setHistory(&store);
    lookup.insert(recent); // only the newer one is in memory
    bool answered = false;
    QList<ApiEvent> got;
    QStringList missing;
    lookup.lookup({old.id, QStringLiteral("never"), recent.id}, this,
                  [&](const QList<ApiEvent> &events, const QStringList &notFound) {
                      got = events;
                      missing = notFound;
                      answered = true;
                  });
    QVERIFY(!answered); // history is read on the store's thread, answered later
    QTRY_VERIFY(answered);
    QCOMPARE(got.size(), 2);
    QVERIFY(got[0] == old);
    QCOMPARE(got[1].id, recent.id);
    QCOMPARE(missing, QStringList{QStringLiteral("never")});

    // A context that is gone gets no answer.
    answered = false;
    {
        QObject gone;
        lookup.lookup({old.id}, &gone,
                      [&](const QList<ApiEvent> &, const QStringList &) { answered = true; });
    }
    QTest::qWait(100);
    QVERIFY(!answered);
}

void TestEventLookup::neighbours_fromMemoryAndFromHistory()
{
    QTemporaryDir dir;
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(openWith(store, dir, {}));
    const ApiEvent first = makeEvent(T0, 503, Category::Unavailable);
    const ApiEvent retry = makeEvent(T0 + 500, 503, Category::Unavailable);
    const ApiEvent elsewhere
        = makeEvent(T0 + 600, 503, Category::Unavailable, QStringLiteral("quotes.get"));
    store.append({first, retry, elsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(store.count(), qint64(3), 10000);
    EventLookup lookup;
    lookup.setHistory(&store);

    std::optional<ApiEvent> shown;
    QList<ApiEvent> near;
    bool answered = false;
    const auto done = [&](std::optional<ApiEvent> e, QList<ApiEvent> n, const QString &) {
        shown = e;
        near = n;
        answered = true;
    };
    lookup.withNeighbours({first.id, first.timeMs, first.endpoint, first.environment}, this, done);
    QTRY_VERIFY(answered);
    QVERIFY(shown && *shown == first);
    QCOMPARE(near.size(), 2);       // the two attempts on orders.list, not quotes.get
    QCOMPARE(near[0].id, retry.id); // newest first

    lookup.insert(retry);
    answered = false;
    lookup.withNeighbours({retry.id, retry.timeMs, retry.endpoint, retry.environment}, this, done);
    QVERIFY(answered); // in memory: at once
    QCOMPARE(shown->id, retry.id);
}

void TestEventLookup::neighbours_aNewerRequestVoidsTheOlder()
{
    QTemporaryDir dir;
    ManualClock clock(T0);
    HistoryStore store(clock);
    QVERIFY(openWith(store, dir, {}));
    const ApiEvent a = makeEvent(T0, 503, Category::Unavailable);
    const ApiEvent b = makeEvent(T0 + 1000, 500, Category::Unavailable);
    store.append({a, b});
    QTRY_COMPARE_WITH_TIMEOUT(store.count(), qint64(2), 10000);
    EventLookup lookup;
    lookup.setHistory(&store);
    QStringList answers;
    const auto done = [&](std::optional<ApiEvent> e, QList<ApiEvent>, const QString &) {
        answers.append(e ? e->id : QStringLiteral("none"));
    };
    lookup.withNeighbours({a.id, a.timeMs, a.endpoint, a.environment}, this, done);
    lookup.withNeighbours({b.id, b.timeMs, b.endpoint, b.environment}, this, done);
    QTRY_COMPARE(answers.size(), 1);
    QCOMPARE(answers, QStringList{b.id}); // the user moved on: only the newest row is shown
    lookup.withNeighbours({a.id, a.timeMs, a.endpoint, a.environment}, this, done);
    lookup.cancelNeighbours(); // the selection was cleared
    QTest::qWait(200);
    QCOMPARE(answers.size(), 1);
}

void TestEventLookup::neighbours_withoutHistorySaysWhy()
{
    EventLookup lookup;
    QString why;
    bool answered = false;
    lookup.withNeighbours(
        {QStringLiteral("evt-x"), T0, QStringLiteral("orders.list"), QStringLiteral("prod")}, this,
        [&](std::optional<ApiEvent> e, QList<ApiEvent>, QString w) {
            QVERIFY(!e);
            why = w;
            answered = true;
        });
    QVERIFY(answered);
    QVERIFY2(why.contains(QStringLiteral("no history")), qPrintable(why));
}

QTEST_MAIN(TestEventLookup)
#include "tst_eventlookup.moc"
