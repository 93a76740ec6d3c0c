// Two events side by side (issue 23): the facts that differ are marked and counted, "Only
// differences" hides the rest, headers of either side are listed by name, and the log's
// Ctrl+click on a second row asks for the comparison without moving the selection. Saves
// docs/screenshots/event-compare.png when HD_SCREENSHOT_DIR is set.
#include "clock.h"
#include "errorlogmodel.h"
#include "eventcompare.h"
#include "logview.h"

#include <QCheckBox>
#include <QDir>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000;

ApiEvent okPoll()
{
    ApiEvent e;
    e.id = QStringLiteral("a");
    e.timeMs = T0;
    e.environment = QStringLiteral("prod");
    e.endpoint = QStringLiteral("orders.list");
    e.request = RequestInfo{QStringLiteral("GET"),
                            QStringLiteral("https://api.test/v1/orders"),
                            {{QStringLiteral("Accept"), QStringLiteral("application/json")}},
                            {}};
    e.response = ResponseInfo{};
    e.response->headers = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    e.response->httpVersion = QStringLiteral("HTTP/2");
    e.httpStatus = 200;
    e.durationMs = 42;
    e.timing = TimingInfo{};
    e.timing->firstByteMs = 38;
    e.timing->transferMs = 4;
    e.timing->reusedConnection = true;
    return e;
}

ApiEvent failedPoll()
{
    ApiEvent e = okPoll();
    e.id = QStringLiteral("b");
    e.timeMs = T0 + 60000;
    e.httpStatus = 503;
    e.outcome = Outcome::ServerError;
    e.category = Category::Unavailable;
    e.error = ErrorInfo{
        QStringLiteral("UNAVAILABLE"), ErrorType::Unavailable, QStringLiteral("maintenance"), {}};
    e.response->headers.append({QStringLiteral("Retry-After"), QStringLiteral("30")});
    e.timing->firstByteMs = 2038;
    return e;
}

} // namespace

class TestEventCompare : public QObject
{
    Q_OBJECT
private slots:
    void facts_markWhatDiffers();
    void onlyDifferences_hidesTheRest();
    void ctrlClick_asksForAComparisonAndKeepsTheSelection();
};

void TestEventCompare::facts_markWhatDiffers()
{
    const auto facts = EventCompareDialog::facts(okPoll(), failedPoll());
    QHash<QString, EventCompareDialog::Fact> byName;
    for (const auto &f : facts)
        byName.insert(f.name, f);
    QCOMPARE(byName.value(QStringLiteral("status")).left, QStringLiteral("200"));
    QCOMPARE(byName.value(QStringLiteral("status")).right, QStringLiteral("503"));
    QCOMPARE(byName.value(QStringLiteral("category")).right, QStringLiteral("unavailable"));
    QCOMPARE(byName.value(QStringLiteral("first byte")).right, QStringLiteral("2038.0 ms"));
    QCOMPARE(byName.value(QStringLiteral("protocol")).left, QStringLiteral("HTTP/2"));
    // A header only one side had is listed, empty on the other.
    QVERIFY(byName.contains(QStringLiteral("response Retry-After")));
    QCOMPARE(byName.value(QStringLiteral("response Retry-After")).left, QString());
    // Facts neither side has are left out (no TLS, no proxy here).
    QVERIFY(!byName.contains(QStringLiteral("TLS")));
    QVERIFY(!byName.contains(QStringLiteral("proxy")));

    EventCompareDialog dialog;
    dialog.setEvents(okPoll(), failedPoll());
    QCOMPARE(dialog.factCount(), int(facts.size()));
    // time, status, outcome, category, error code, error type, message, retry (none → none:
    // same), first byte, Retry-After.
    QCOMPARE(dialog.differenceCount(), 9);
}

void TestEventCompare::onlyDifferences_hidesTheRest()
{
    EventCompareDialog dialog;
    dialog.setEvents(okPoll(), failedPoll());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *only = dialog.findChild<QCheckBox *>(QStringLiteral("eventCompareOnlyDifferences"));
    auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("eventCompareTable"));
    QVERIFY(only && table);
    auto shown = [table] {
        int n = 0;
        for (int r = 0; r < table->rowCount(); ++r)
            n += table->isRowHidden(r) ? 0 : 1;
        return n;
    };
    QCOMPARE(shown(), dialog.factCount());
    if (const QString dir = qEnvironmentVariable("HD_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(dialog.grab().save(QDir(dir).filePath(QStringLiteral("event-compare.png"))));
    only->click();
    QCOMPARE(shown(), dialog.differenceCount());
    for (int r = 0; r < table->rowCount(); ++r)
        if (!table->isRowHidden(r))
            QVERIFY(table->item(r, 1)->text() != table->item(r, 2)->text());
}

void TestEventCompare::ctrlClick_asksForAComparisonAndKeepsTheSelection()
{
    ManualClock clock(T0 + 3600 * 1000);
    ErrorLogModel model(clock);
    for (int i = 0; i < 20; ++i) {
        ApiEvent e = okPoll();
        e.id = QStringLiteral("e%1").arg(i);
        e.timeMs = T0 + i * 1000;
        model.append(e);
    }
    model.flush();
    LogView view;
    view.setModel(&model);
    view.sortByColumn(ErrorLogModel::Time, Qt::DescendingOrder);
    view.setSortingEnabled(true);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setCurrentIndex(model.index(1, 0));
    QSignalSpy compare(&view, &LogView::compareRequested);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::ControlModifier,
                      view.visualRect(model.index(4, 0)).center());
    QCOMPARE(compare.size(), 1);
    QCOMPARE(compare.first().at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(compare.first().at(1).value<QModelIndex>().row(), 4);
    QCOMPARE(view.currentIndex().row(), 1); // the selection stays where it was
    // A plain click still selects.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.visualRect(model.index(4, 0)).center());
    QCOMPARE(view.currentIndex().row(), 4);
    QCOMPARE(compare.size(), 1);
}

QTEST_MAIN(TestEventCompare)
#include "tst_eventcompare.moc"
