// The console on the demo workspace (offscreen): live rows arrive, the filter language works
// and reports bad filters, a failure's detail shows the advice. Set HDECK_SCREENSHOT_DIR to
// keep PNGs of what the test saw.
#include "consoletest.h"
#include "errorlogmodel.h"
#include "mainwindow.h"

#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace hd;

class TestConsole : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        hd::test::isolateUserDirectories(m_home); // never the user's settings or history
    }
    void demo_showsLiveRows_filtersAndExplainsAFailure();

private:
    static void grab(QWidget &w, const char *name);

private:
    QTemporaryDir m_home;
};

void TestConsole::grab(QWidget &w, const char *name)
{
    const QString dir = qEnvironmentVariable("HDECK_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w.grab().save(dir + u'/' + QLatin1String(name));
}

void TestConsole::demo_showsLiveRows_filtersAndExplainsAFailure()
{
    MainWindow w;
    w.resize(1500, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openDemoWorkspace());
    auto *table = w.findChild<QTableView *>(QStringLiteral("errorLog"));
    auto *filter = w.findChild<QLineEdit *>(QStringLiteral("logFilter"));
    auto *filterError = w.findChild<QLabel *>(QStringLiteral("logFilterError"));
    auto *detail = w.findChild<QTextBrowser *>(QStringLiteral("eventDetail"));
    QVERIFY(table && filter && filterError && detail);

    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 10, 30000);

    // A bad filter is explained and keeps the rows.
    const int before = table->model()->rowCount();
    QTest::keyClicks(filter, QStringLiteral("stauts:500"));
    QTRY_VERIFY(filterError->isVisible());
    QVERIFY2(filterError->text().contains(QStringLiteral("status")),
             qPrintable(filterError->text()));
    QVERIFY(table->model()->rowCount() >= before);

    // Failures only; wait for the demo's bad day to produce one.
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("-category:ok"));
    QTRY_VERIFY(!filterError->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 1, 60000);
    for (int r = 0; r < table->model()->rowCount(); ++r)
        QVERIFY(table->model()->index(r, ErrorLogModel::Category).data().toString() != u"ok");

    table->selectRow(0);
    table->setCurrentIndex(table->model()->index(0, 0));
    QTRY_VERIFY(detail->toPlainText().contains(QStringLiteral("What to do")));
    grab(w, "console-failure-detail.png");
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
