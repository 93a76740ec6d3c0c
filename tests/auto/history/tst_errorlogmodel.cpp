#include "errorlogmodel.h"
#include "historytestevents.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace hd;
using hd::test::makeEvent;

class TestErrorLogModel : public QObject
{
    Q_OBJECT
private slots:
    void append_staysInvisibleUntilFlush();
    void flush_insertsAStormWithOneBeginInsertRows();
    void flush_withNothingQueuedEmitsNothing();
    void data_formatsCellsFromCompactRecords();
    void filter_showsOnlyMatchingRowsAndAppliesToNewOnes();
    void filter_agreesWithTheReferenceMatcher();
    void filter_badTextKeepsTheCurrentFilterAndSaysWhy();
    void filter_sinceUsesTheInjectedClock();
    void sort_byStatusDescendingKeepsArrivalOrderForTies();
    void sort_byTraceOrdersIdsSharingALongPrefix();
    void sort_newRowsAreMergedIntoPlaceWithOneInsert();
    void sort_persistentIndexFollowsItsRow();
    void sort_newestFirstInsertsNewRowsAtTheTopWithoutALayoutChange();
    void trim_dropsTheOldestBeyondTheLimit();
    void trim_whileSortedKeepsTheSortOrder();
    void memory_atMost200BytesPerEventHeld();

private:
    static constexpr qint64 T0 = 1795298400000;
};

void TestErrorLogModel::append_staysInvisibleUntilFlush()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.append(makeEvent(T0, 429, Category::RateLimited));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 1);
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.pendingCount(), 0);
}

void TestErrorLogModel::flush_insertsAStormWithOneBeginInsertRows()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    QSignalSpy about(&model, &QAbstractItemModel::rowsAboutToBeInserted);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10000; ++i)
        model.append(makeEvent(T0 + i, 503, Category::Unavailable));
    QCOMPARE(about.count(), 0);
    model.flush();
    QCOMPARE(about.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(about.first().at(1).toInt(), 0);
    QCOMPARE(about.first().at(2).toInt(), 9999);

    for (int i = 0; i < 500; ++i)
        model.append(makeEvent(T0 + 20000 + i, 500, Category::InternalError));
    model.flush();
    QCOMPARE(about.count(), 2);
    QCOMPARE(about.last().at(1).toInt(), 10000);
    QCOMPARE(model.rowCount(), 10500);
}

void TestErrorLogModel::flush_withNothingQueuedEmitsNothing()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    QSignalSpy about(&model, &QAbstractItemModel::rowsAboutToBeInserted);
    model.flush();
    model.append(makeEvent(T0, 200, Category::Ok));
    QVERIFY(model.setFilterText(QStringLiteral("status:5xx")));
    model.flush(); // the one queued row does not pass: no insert at all
    QCOMPARE(about.count(), 0);
}

void TestErrorLogModel::data_formatsCellsFromCompactRecords()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    ApiEvent e = makeEvent(T0 + 123, 429, Category::RateLimited, QStringLiteral("orders.place"),
                           QStringLiteral("prod"));
    e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-000000000001");
    e.error->code = QStringLiteral("MaxPosLimitReached");
    e.error->message = QStringLiteral("Position limit reached");
    e.identifiers.traceId = QStringLiteral("trx-123");
    e.durationMs = 12.5;
    e.attempt = 2;
    model.append(e);
    model.append(makeEvent(T0, std::nullopt, Category::ConnectionReset));
    model.flush();

    auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    QCOMPARE(cell(0, ErrorLogModel::Time).toString(), QStringLiteral("2026-11-21T22:00:00.123Z"));
    QCOMPARE(cell(0, ErrorLogModel::Environment).toString(), QStringLiteral("prod"));
    QCOMPARE(cell(0, ErrorLogModel::Endpoint).toString(), QStringLiteral("orders.place"));
    QCOMPARE(cell(0, ErrorLogModel::Status).toString(), QStringLiteral("429"));
    QCOMPARE(cell(0, ErrorLogModel::Category).toString(), QStringLiteral("rate_limited"));
    QCOMPARE(cell(0, ErrorLogModel::Code).toString(), QStringLiteral("MaxPosLimitReached"));
    QCOMPARE(cell(0, ErrorLogModel::Message).toString(), QStringLiteral("Position limit reached"));
    QCOMPARE(cell(0, ErrorLogModel::Trace).toString(), QStringLiteral("trx-123"));
    QCOMPARE(cell(0, ErrorLogModel::Duration).toString(), QStringLiteral("12.5"));
    QCOMPARE(cell(0, ErrorLogModel::Attempt).toString(), QStringLiteral("2"));
    QCOMPARE(cell(0, 0, ErrorLogModel::EventIdRole).toString(), e.id);
    QCOMPARE(model.eventId(0), e.id);
    QCOMPARE(cell(0, 0, ErrorLogModel::TimeMsRole).toLongLong(), T0 + 123);
    // No HTTP response: the status column names the network error instead.
    ApiEvent reset = makeEvent(T0, std::nullopt, Category::ConnectionReset);
    reset.networkError = QStringLiteral("ECONNRESET");
    model.append(reset);
    model.flush();
    QCOMPARE(cell(2, ErrorLogModel::Status).toString(), QStringLiteral("ECONNRESET"));
    QCOMPARE(model.headerData(ErrorLogModel::Endpoint, Qt::Horizontal).toString(),
             QStringLiteral("Endpoint"));
}

void TestErrorLogModel::filter_showsOnlyMatchingRowsAndAppliesToNewOnes()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.append(makeEvent(T0, 429, Category::RateLimited, QStringLiteral("orders.list")));
    model.append(makeEvent(T0, 503, Category::Unavailable, QStringLiteral("orders.place")));
    model.append(makeEvent(T0, 429, Category::RateLimited, QStringLiteral("accounts.get")));
    model.flush();

    QVERIFY(model.setFilterText(QStringLiteral("status:429 endpoint:orders*")));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0, ErrorLogModel::Endpoint)).toString(),
             QStringLiteral("orders.list"));

    model.append(makeEvent(T0, 429, Category::RateLimited, QStringLiteral("orders.cancel")));
    model.append(makeEvent(T0, 500, Category::InternalError, QStringLiteral("orders.cancel")));
    model.flush();
    QCOMPARE(model.rowCount(), 2);

    QVERIFY(model.setFilterText(QString()));
    QCOMPARE(model.rowCount(), 5);
}

void TestErrorLogModel::filter_agreesWithTheReferenceMatcher()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    QList<ApiEvent> events;
    QRandomGenerator rng(7);
    const Category categories[] = {Category::Ok, Category::RateLimited, Category::Unavailable,
                                   Category::ConnectionReset, Category::Locked};
    const int statuses[] = {200, 429, 503, 0, 423};
    for (int i = 0; i < 2000; ++i) {
        const int k = int(rng.bounded(5));
        ApiEvent e = makeEvent(T0 - qint64(rng.bounded(3600)) * 1000,
                               statuses[k] ? std::optional<int>(statuses[k]) : std::nullopt,
                               categories[k], QStringLiteral("ep%1.x").arg(rng.bounded(8)),
                               rng.bounded(2) ? QStringLiteral("prod") : QStringLiteral("dev"));
        if (e.error)
            e.error->code = QStringLiteral("Code%1").arg(rng.bounded(4));
        e.identifiers.traceId = QStringLiteral("trx-%1").arg(rng.bounded(100));
        events.append(e);
        model.append(e);
    }
    model.flush();
    const QStringList filters{QStringLiteral("status:5xx"),
                              QStringLiteral("status:none env:prod"),
                              QStringLiteral("endpoint:ep1*"),
                              QStringLiteral("-env:dev category:rate_limited"),
                              QStringLiteral("code:code2"),
                              QStringLiteral("trace:trx-42"),
                              QStringLiteral("trx-4"),
                              QStringLiteral("since:15m"),
                              QStringLiteral("ep3 503"),
                              QStringLiteral("unavail"),
                              QStringLiteral("outcome:connection_error,server_error"),
                              QStringLiteral("trace:trx-1?")};
    for (const QString &text : filters) {
        QVERIFY2(model.setFilterText(text), qPrintable(model.errorMessage()));
        const LogFilter f = LogFilter::parse(text);
        const auto expected = std::count_if(events.cbegin(), events.cend(),
                                            [&](const ApiEvent &e) { return f.matches(e, T0); });
        QVERIFY2(expected > 0, qPrintable(text));
        QCOMPARE(model.rowCount(), int(expected));
    }
}

void TestErrorLogModel::filter_badTextKeepsTheCurrentFilterAndSaysWhy()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.append(makeEvent(T0, 429, Category::RateLimited));
    model.append(makeEvent(T0, 503, Category::Unavailable));
    model.flush();
    QVERIFY(model.setFilterText(QStringLiteral("status:429")));
    QSignalSpy failed(&model, &ErrorLogModel::filterFailed);
    QVERIFY(!model.setFilterText(QStringLiteral("stauts:503")));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(model.errorMessage(), QStringLiteral("unknown key 'stauts' — did you mean 'status'?"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.filter().text(), QStringLiteral("status:429"));
}

void TestErrorLogModel::filter_sinceUsesTheInjectedClock()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.append(makeEvent(T0 - 20 * 60 * 1000, 503, Category::Unavailable));
    model.append(makeEvent(T0 - 5 * 60 * 1000, 503, Category::Unavailable));
    model.flush();
    QVERIFY(model.setFilterText(QStringLiteral("since:15m")));
    QCOMPARE(model.rowCount(), 1);
    clock.advance(11 * 60 * 1000);
    QVERIFY(model.setFilterText(QStringLiteral("since:15m")));
    QCOMPARE(model.rowCount(), 0);
}

void TestErrorLogModel::sort_byStatusDescendingKeepsArrivalOrderForTies()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    const int statuses[] = {429, 503, 429, 400, 503};
    for (int i = 0; i < 5; ++i)
        model.append(makeEvent(T0 + i, statuses[i], Category::ClientErrorOther));
    model.flush();
    const QString first503 = model.eventId(1);
    const QString second503 = model.eventId(4);

    model.sort(ErrorLogModel::Status, Qt::AscendingOrder);
    QStringList order;
    for (int r = 0; r < model.rowCount(); ++r)
        order.append(model.data(model.index(r, ErrorLogModel::Status)).toString());
    QCOMPARE(order,
             QStringList({QStringLiteral("400"), QStringLiteral("429"), QStringLiteral("429"),
                          QStringLiteral("503"), QStringLiteral("503")}));
    QCOMPARE(model.eventId(3), first503);

    model.sort(ErrorLogModel::Status, Qt::DescendingOrder);
    QCOMPARE(model.data(model.index(0, ErrorLogModel::Status)).toString(), QStringLiteral("503"));
    QCOMPARE(model.eventId(0), second503); // newest first among equals

    model.sort(-1); // back to arrival order
    QCOMPARE(model.eventId(1), first503);
}

void TestErrorLogModel::sort_byTraceOrdersIdsSharingALongPrefix()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    const QStringList traces{QStringLiteral("trx-00000009"), QStringLiteral("trx-00000002"),
                             QStringLiteral("abc"), QStringLiteral("trx-00000005"), QString()};
    for (const QString &t : traces) {
        ApiEvent e = makeEvent(T0, 500, Category::InternalError);
        e.identifiers.traceId = t;
        model.append(e);
    }
    model.flush();
    model.sort(ErrorLogModel::Trace);
    QStringList sorted;
    for (int r = 0; r < model.rowCount(); ++r)
        sorted.append(model.data(model.index(r, ErrorLogModel::Trace)).toString());
    QCOMPARE(sorted, QStringList({QString(), QStringLiteral("abc"), QStringLiteral("trx-00000002"),
                                  QStringLiteral("trx-00000005"), QStringLiteral("trx-00000009")}));
}

void TestErrorLogModel::sort_newRowsAreMergedIntoPlaceWithOneInsert()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    for (const char *ep : {"b", "d", "f"})
        model.append(makeEvent(T0, 500, Category::InternalError, QString::fromLatin1(ep)));
    model.flush();
    model.sort(ErrorLogModel::Endpoint);

    QSignalSpy about(&model, &QAbstractItemModel::rowsAboutToBeInserted);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    for (const char *ep : {"e", "a", "c", "g"})
        model.append(makeEvent(T0, 500, Category::InternalError, QString::fromLatin1(ep)));
    model.flush();
    QCOMPARE(about.count(), 1);
    QCOMPARE(layout.count(), 1);
    QString order;
    for (int r = 0; r < model.rowCount(); ++r)
        order += model.data(model.index(r, ErrorLogModel::Endpoint)).toString();
    QCOMPARE(order, QStringLiteral("abcdefg"));
}

void TestErrorLogModel::sort_newestFirstInsertsNewRowsAtTheTopWithoutALayoutChange()
{
    // The console's default view during a storm: newest first. New rows belong above all the
    // others, so a flush is one insert at row 0 — it does not re-key or re-lay-out the rows
    // already held (that made every flush O(rows held): issue 7's stall measurement).
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    for (int i = 0; i < 100; ++i)
        model.append(makeEvent(T0 + i, 500, Category::InternalError));
    model.flush();
    model.sort(ErrorLogModel::Time, Qt::DescendingOrder);
    const QPersistentModelIndex selected = model.index(10, ErrorLogModel::Time);
    const QString selectedTime = selected.data().toString();

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    for (int i = 100; i < 103; ++i)
        model.append(makeEvent(T0 + i, 503, Category::Unavailable));
    model.append(makeEvent(T0 + 102, 502, Category::BadGateway)); // same ms: arrival order
    model.flush();
    QCOMPARE(layout.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 3);
    QCOMPARE(model.record(0).timeMs, T0 + 102);
    QCOMPARE(model.data(model.index(0, ErrorLogModel::Status)).toString(), QStringLiteral("502"));
    QCOMPARE(model.data(model.index(1, ErrorLogModel::Status)).toString(), QStringLiteral("503"));
    QCOMPARE(model.record(3).timeMs, T0 + 100);
    QCOMPARE(model.record(4).timeMs, T0 + 99);
    QCOMPARE(selected.row(), 14);
    QCOMPARE(selected.data().toString(), selectedTime);

    // Ascending: new rows go to the end, also without a layout change.
    model.sort(ErrorLogModel::Time, Qt::AscendingOrder);
    layout.clear();
    inserted.clear();
    model.append(makeEvent(T0 + 200, 500, Category::InternalError));
    model.flush();
    QCOMPARE(layout.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.record(model.rowCount() - 1).timeMs, T0 + 200);

    // A late row (older than the newest) still merges into place with one layout change.
    model.sort(ErrorLogModel::Time, Qt::DescendingOrder);
    layout.clear();
    inserted.clear();
    const QPersistentModelIndex deep = model.index(80, ErrorLogModel::Time); // below the slice
    const QPersistentModelIndex top = model.index(0, ErrorLogModel::Time);   // above it
    const QString deepTime = deep.data().toString();
    model.append(makeEvent(T0 + 50, 500, Category::InternalError));
    model.append(makeEvent(T0 + 300, 500, Category::InternalError));
    model.flush();
    QCOMPARE(layout.count(), 1);
    QCOMPARE(inserted.count(), 1); // still one insert per flush
    QCOMPARE(model.rowCount(), 107);
    QCOMPARE(model.record(0).timeMs, T0 + 300);
    QCOMPARE(top.row(), 1);
    QCOMPARE(deep.row(), 82);
    QCOMPARE(deep.data().toString(), deepTime);
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.record(r - 1).timeMs >= model.record(r).timeMs);
}

void TestErrorLogModel::sort_persistentIndexFollowsItsRow()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    for (int s : {503, 400, 429})
        model.append(makeEvent(T0, s, Category::ClientErrorOther));
    model.flush();
    const QPersistentModelIndex selected = model.index(0, ErrorLogModel::Status); // the 503
    model.sort(ErrorLogModel::Status);
    QCOMPARE(selected.row(), 2);
    QCOMPARE(selected.data().toString(), QStringLiteral("503"));
}

void TestErrorLogModel::trim_dropsTheOldestBeyondTheLimit()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.setMaxRecords(1000);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
    for (int i = 0; i < 1200; ++i) {
        ApiEvent e = makeEvent(T0 + i, 500, Category::InternalError);
        e.identifiers.traceId = QStringLiteral("trx-%1").arg(i);
        model.append(e);
    }
    model.flush(); // 1200 > 1000 + 1000/8: the oldest 200 go before the insert
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.data(model.index(0, ErrorLogModel::Trace)).toString(),
             QStringLiteral("trx-200"));
    QCOMPARE(model.data(model.index(999, ErrorLogModel::Trace)).toString(),
             QStringLiteral("trx-1199"));
    for (int i = 1200; i < 1200 + 200; ++i) {
        ApiEvent e = makeEvent(T0 + i, 500, Category::InternalError);
        e.identifiers.traceId = QStringLiteral("trx-%1").arg(i);
        model.append(e);
    }
    model.flush();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.data(model.index(0, ErrorLogModel::Trace)).toString(),
             QStringLiteral("trx-400"));
}

void TestErrorLogModel::trim_whileSortedKeepsTheSortOrder()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    model.setMaxRecords(100);
    for (int i = 0; i < 100; ++i)
        model.append(makeEvent(T0 + i, 400 + i % 7, Category::ClientErrorOther));
    model.flush();
    model.sort(ErrorLogModel::Status, Qt::DescendingOrder);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    for (int i = 100; i < 150; ++i)
        model.append(makeEvent(T0 + i, 400 + i % 7, Category::ClientErrorOther));
    model.flush();
    QCOMPARE(reset.count(), 1); // rows vanish from all over a sorted view: one reset
    QCOMPARE(model.rowCount(), 100);
    int previous = 1000;
    qint64 oldest = std::numeric_limits<qint64>::max();
    for (int r = 0; r < model.rowCount(); ++r) {
        const int status = model.data(model.index(r, 0), ErrorLogModel::StatusRole).toInt();
        QVERIFY(status <= previous);
        previous = status;
        oldest = std::min(oldest,
                          model.data(model.index(r, 0), ErrorLogModel::TimeMsRole).toLongLong());
    }
    QCOMPARE(oldest, T0 + 50);
}

void TestErrorLogModel::memory_atMost200BytesPerEventHeld()
{
    ManualClock clock(T0);
    ErrorLogModel model(clock);
    const int n = 200000;
    const QStringList messages{QStringLiteral("Rate limit exceeded, retry later"),
                               QStringLiteral("Position limit reached for account"),
                               QStringLiteral("Service temporarily unavailable"),
                               QStringLiteral("Order rejected: insufficient margin")};
    for (int i = 0; i < n; ++i) {
        ApiEvent e = makeEvent(T0 + i, 429, Category::RateLimited,
                               QStringLiteral("endpoint-%1").arg(i % 100),
                               QStringLiteral("env-%1").arg(i % 3));
        e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
        e.identifiers.traceId = QStringLiteral("trx-%1-%2").arg(i).arg(i * 7919 % 100000);
        e.error->code = QStringLiteral("Code%1").arg(i % 40);
        e.error->message = messages[i % messages.size()];
        model.append(e);
    }
    model.flush();
    const double perEvent = double(model.bytesHeld()) / n;
    qInfo("error log: %.1f bytes per event held", perEvent);
    QVERIFY2(perEvent <= 200.0, qPrintable(QString::number(perEvent)));
}

QTEST_GUILESS_MAIN(TestErrorLogModel)
#include "tst_errorlogmodel.moc"
