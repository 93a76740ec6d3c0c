// The console's log on the demo workspace, driven by object name: the filter bar (completion,
// a bad filter explained), opening a detail, "Copy as curl" (secrets as $VARIABLES, never the
// value), "Add to support bundle" into the window's basket, next failure; the log holding
// still under a selection while the demo keeps polling, and the latency-by-phase chart (saves
// docs/screenshots/log-new-events.png and latency-by-phase.png when HD_SCREENSHOT_DIR is set).
#include "charts/chartpanel.h"
#include "consoletest.h"
#include "errorlogmodel.h"
#include "eventdetailview.h"
#include "filtercompleter.h"
#include "logview.h"
#include "mainwindow.h"
#include "monitorsession.h"

#include <QAbstractSeries>
#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace hd;

class TestConsoleLog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void completer_completesKeysAndWorkspaceValues();
    void filterDetailCurlAndBundle();
    void selectedRow_holdsStillWhileEventsArrive();

private:
    QTemporaryDir m_home;
};

void TestConsoleLog::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsoleLog::completer_completesKeysAndWorkspaceValues()
{
    QLineEdit edit;
    FilterCompleter completer(&edit);
    completer.setVocabulary({QStringLiteral("prod"), QStringLiteral("preprod")},
                            {QStringLiteral("prod.orders.list"), QStringLiteral("dev.status")});
    QCOMPARE(completer.completions(QStringLiteral("cat"), 3),
             QStringList{QStringLiteral("category:")});
    int start = -1;
    const QStringList env = completer.completions(QStringLiteral("status:5xx -env:pr"), 18, &start);
    QCOMPARE(start, 12); // after the '-'
    QCOMPARE(env, (QStringList{QStringLiteral("env:prod"), QStringLiteral("env:preprod")}));
    QVERIFY(completer.completions(QStringLiteral("category:rate"), 13)
                .contains(QStringLiteral("category:rate_limited")));
    const QStringList status = completer.completions(QStringLiteral("status:429,5"), 12);
    QVERIFY(status.contains(QStringLiteral("status:429,5xx")));
    QVERIFY(status.contains(QStringLiteral("status:429,503")));
    QCOMPARE(completer.completions(QStringLiteral("endpoint:prod."), 14),
             QStringList{QStringLiteral("endpoint:prod.orders.list")});
}

void TestConsoleLog::filterDetailCurlAndBundle()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openDemoAndWait(w));
    auto *table = w.findChild<QTableView *>(QStringLiteral("errorLog"));
    auto *filter = w.findChild<QLineEdit *>(QStringLiteral("logFilter"));
    auto *filterError = w.findChild<QLabel *>(QStringLiteral("logFilterError"));
    auto *summary = w.findChild<QTextBrowser *>(QStringLiteral("eventDetail"));
    QVERIFY(table && filter && filterError && summary);

    // Ctrl+F's action focuses the filter.
    w.findChild<QAction *>(QStringLiteral("actionFocusFilter"))->trigger();
    QTRY_VERIFY(filter->hasFocus());

    // A bad filter is explained in one sentence and the rows stay.
    QTest::keyClicks(filter, QStringLiteral("stauts:500"));
    QTRY_VERIFY(filterError->isVisible());
    QVERIFY2(filterError->text().contains(QStringLiteral("status")),
             qPrintable(filterError->text()));

    // Only the API-key endpoint: its curl names the key as a variable.
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("endpoint:prod.signals.list"));
    QTRY_VERIFY(!filterError->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 1, 30000);
    for (int r = 0; r < table->model()->rowCount(); ++r)
        QCOMPARE(table->model()->index(r, ErrorLogModel::Endpoint).data().toString(),
                 QStringLiteral("prod.signals.list"));

    table->setCurrentIndex(table->model()->index(0, 0));
    QTRY_VERIFY(w.detailView()->hasEvent());
    QCOMPARE(w.detailView()->shownEvent().endpoint, QStringLiteral("prod.signals.list"));
    QVERIFY(!summary->toPlainText().isEmpty());

    QApplication::clipboard()->clear();
    w.findChild<QPushButton *>(QStringLiteral("detailCopyCurl"))->click();
    const QString curl = QApplication::clipboard()->text();
    QVERIFY2(curl.contains(QStringLiteral("curl -sS")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("$HDECK_SECRET_")), qPrintable(curl));
    const auto secret = w.session()->secret(QStringLiteral("HDECK_SIM_API_KEY"));
    QVERIFY(secret && !secret->isEmpty());
    QVERIFY2(!curl.contains(*secret), "the API key itself reached the clipboard");
    // The menu action does the same.
    QApplication::clipboard()->clear();
    w.findChild<QAction *>(QStringLiteral("actionCopyCurl"))->trigger();
    QCOMPARE(QApplication::clipboard()->text(), curl);

    // Add to support bundle → the basket the export reads.
    QSignalSpy bundle(&w, &MainWindow::bundleChanged);
    w.findChild<QPushButton *>(QStringLiteral("detailAddToBundle"))->click();
    QCOMPARE(w.bundleEventIds(), QStringList{w.detailView()->shownEvent().id});
    QCOMPARE(bundle.size(), 1);
    w.findChild<QPushButton *>(QStringLiteral("detailAddToBundle"))->click(); // no duplicate
    QCOMPARE(w.bundleEventIds().size(), 1);
    QVERIFY(w.findChild<QLabel *>(QStringLiteral("statusBundle"))->isVisible());

    // Failures: F8 walks to the next row that is not ok.
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("env:prod"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < table->model()->rowCount(); ++r)
                if (table->model()->index(r, ErrorLogModel::Category).data().toString() != u"ok")
                    return true;
            return false;
        }(),
        60000);
    table->setCurrentIndex(QModelIndex());
    w.findChild<QAction *>(QStringLiteral("actionNextFailure"))->trigger();
    QVERIFY(table->currentIndex().isValid());
    QVERIFY(table->currentIndex().siblingAtColumn(ErrorLogModel::Category).data().toString()
            != u"ok");
    QTRY_VERIFY(summary->toPlainText().contains(QStringLiteral("What to do")));
    // HDECK_SCREENSHOT_DIR keeps what the test saw (docs/screenshots/console-detail.png).
    if (const QString dir = qEnvironmentVariable("HDECK_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(100); // one more paint of what the last refresh changed
        w.grab().save(dir + QStringLiteral("/console-detail.png"));
        w.detailView()->grab().save(dir + QStringLiteral("/detail-pane.png"));
    }
}

void TestConsoleLog::selectedRow_holdsStillWhileEventsArrive()
{
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openDemoAndWait(w));
    auto *log = w.findChild<LogView *>(QStringLiteral("errorLog"));
    auto *bar = w.findChild<QPushButton *>(QStringLiteral("logNewEvents"));
    QVERIFY(log && bar);
    // A log taller than its window (as in any incident): wait until there is more to scroll
    // than fits. A log shorter than its window has no scroll room to hold still with
    // (docs/console.md). The demo fills it in about twenty seconds.
    auto *splitter = w.findChild<QSplitter *>(QStringLiteral("logSplitter"));
    QVERIFY(splitter);
    const int visibleRows = log->viewport()->height() / log->verticalHeader()->defaultSectionSize();
    QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() >= visibleRows + 4, 90000);

    // Select the third row, as during an incident; the demo keeps polling meanwhile.
    const QModelIndex chosen = log->model()->index(2, 0);
    const QString id = chosen.data(ErrorLogModel::EventIdRole).toString();
    log->setCurrentIndex(chosen);
    const int y = log->visualRect(log->currentIndex()).y();
    QTRY_VERIFY_WITH_TIMEOUT(log->newCount() >= 2, 20000);
    QCOMPARE(log->currentIndex().data(ErrorLogModel::EventIdRole).toString(), id);
    QCOMPARE(log->visualRect(log->currentIndex()).y(), y);
    QTRY_VERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QStringLiteral("new event")), qPrintable(bar->text()));

    // The detail pane never squeezes the log below six rows.
    splitter->setSizes({100, 10, 2000});
    QCoreApplication::processEvents();
    QVERIFY(log->height() >= log->verticalHeader()->defaultSectionSize() * 6);
    splitter->setSizes({400, 300, 200});
    QCoreApplication::processEvents();

    auto *charts = w.findChild<ChartPanel *>(QStringLiteral("chartPanel"));
    QVERIFY(charts);
    charts->setLatencyView(ChartPanel::LatencyView::Phases);
    charts->replotNow();
    test::docScreenshot(&w, "log-new-events.png");
    // The demo's polls carry timings: the stack has at least the first-byte band.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            charts->replotNow();
            auto *view = charts->findChild<QChartView *>(QStringLiteral("chartLatency"));
            for (QAbstractSeries *s : view->chart()->series())
                if (s->objectName() == u"phase.firstByte")
                    return s->isVisible();
            return false;
        }(),
        20000);
    test::docScreenshot(charts, "latency-by-phase.png");
    bar->click();
    QCOMPARE(log->newCount(), 0);
}

QTEST_MAIN(TestConsoleLog)
#include "tst_consolelog.moc"
