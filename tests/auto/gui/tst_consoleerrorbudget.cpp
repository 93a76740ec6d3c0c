// The error-budget panel in the window (View → Error Budget), on the demo workspace and its
// simulator: without a session it explains what an SLO is; once events flow it shows a row per
// SLO — the demo's prod-availability and the built-in seed 002 one — with availability, the
// budget left as a bar, burn rates, the plain-language outlook, and whether a burn_rate rule
// watches it. Saves docs/screenshots/error-budget-panel.png when HD_SCREENSHOT_DIR is set.
#include "alertengine.h"
#include "consoletest.h"
#include "errorbudgetpanel.h"
#include "monitorsession.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QStackedWidget>
#include <QTableWidget>

using namespace hd;

class TestConsoleErrorBudget : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noSession_explainsWhatAnSloIs();
    void demo_showsEveryObjectiveWithNumbers();

private:
    static int rowOf(QTableWidget *table, const QString &sloId);
    QTemporaryDir m_home;
};

void TestConsoleErrorBudget::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

int TestConsoleErrorBudget::rowOf(QTableWidget *table, const QString &sloId)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, ErrorBudgetPanel::SloColumn)
            && table->item(row, ErrorBudgetPanel::SloColumn)
                   ->text()
                   .startsWith(sloId + QStringLiteral(" ·")))
            return row;
    return -1;
}

void TestConsoleErrorBudget::noSession_explainsWhatAnSloIs()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *toggle = w.findChild<QAction *>(QStringLiteral("actionShowErrorBudget"));
    QVERIFY(toggle);
    toggle->trigger();
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("errorBudgetDock"));
    QVERIFY(dock && dock->isVisible());
    auto *empty = w.findChild<QLabel *>(QStringLiteral("errorBudgetEmpty"));
    QVERIFY(empty);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(empty->text().contains(QStringLiteral("docs/slo.md")));
    QVERIFY(empty->text().contains(QStringLiteral("error budget")));
    QCOMPARE(w.findChild<QTableWidget *>(QStringLiteral("errorBudgetTable"))->rowCount(), 0);
}

void TestConsoleErrorBudget::demo_showsEveryObjectiveWithNumbers()
{
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openDemoAndWait(w));
    w.findChild<QAction *>(QStringLiteral("actionShowErrorBudget"))->trigger();
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("errorBudgetDock"));
    QVERIFY(dock && dock->isVisible());
    w.resizeDocks({dock}, {250}, Qt::Vertical);
    auto *table = w.findChild<QTableWidget *>(QStringLiteral("errorBudgetTable"));
    QVERIFY(table);
    QTRY_VERIFY(table->isVisible());

    // The built-in seed 002 SLO (the demo has none on "*") and the demo's own.
    QTRY_COMPARE(table->rowCount(), 2);
    const int builtin = rowOf(table, QStringLiteral("error-rate"));
    const int prod = rowOf(table, QStringLiteral("prod-availability"));
    QVERIFY(builtin >= 0 && prod >= 0);
    QVERIFY(table->item(builtin, ErrorBudgetPanel::SloColumn)
                ->text()
                .contains(QStringLiteral("(built-in)")));
    QCOMPARE(table->item(builtin, ErrorBudgetPanel::Objective)->text(),
             QStringLiteral("99 % over 30 d"));

    // Numbers once the demo's requests are counted (the panel reads them once a second).
    QTRY_VERIFY_WITH_TIMEOUT(
        table->item(builtin, ErrorBudgetPanel::Availability)->text().endsWith(QStringLiteral(" %")),
        20000);
    const auto report = w.session()->alerts()->slos().report(QStringLiteral("error-rate"));
    QVERIFY(report && report->requests > 0);
    QVERIFY(table->item(builtin, ErrorBudgetPanel::Availability)
                ->toolTip()
                .contains(QStringLiteral("requests")));
    const QVariant left
        = table->item(builtin, ErrorBudgetPanel::BudgetLeft)->data(Qt::UserRole + 1);
    QVERIFY(left.isValid());
    QVERIFY(left.toDouble() <= 1.0);
    const QString leftText = table->item(builtin, ErrorBudgetPanel::BudgetLeft)->text();
    QVERIFY2(leftText.endsWith(QStringLiteral("% left"))
                 || leftText.startsWith(QStringLiteral("overspent")),
             qPrintable(leftText));
    QVERIFY(!table->item(builtin, ErrorBudgetPanel::Burn1h)->text().isEmpty());
    QVERIFY(table->item(builtin, ErrorBudgetPanel::Burn1h)
                ->toolTip()
                .contains(QStringLiteral("5 min")));
    const QString outlook = table->item(builtin, ErrorBudgetPanel::Outlook)->text();
    QVERIFY2(outlook.contains(QStringLiteral("month's error budget")), qPrintable(outlook));

    // The demo's burn_rate rule watches prod-availability, not the built-in objective.
    QCOMPARE(table->item(builtin, ErrorBudgetPanel::Alert)->text(),
             QStringLiteral("no burn_rate rule"));
    const QString prodAlert = table->item(prod, ErrorBudgetPanel::Alert)->text();
    QVERIFY2(prodAlert == u"quiet" || prodAlert.startsWith(QStringLiteral("FIRING"))
                 || prodAlert.startsWith(QStringLiteral("held")),
             qPrintable(prodAlert));
    QVERIFY(!table->item(prod, ErrorBudgetPanel::Window)->text().isEmpty());

    // Let a few more seconds of the demo count, for a picture with numbers in it.
    if (!qEnvironmentVariableIsEmpty("HD_SCREENSHOT_DIR")) {
        QTest::qWait(8000);
        test::docScreenshot(&w, "error-budget-panel.png");
    }

    // The toggle hides it again.
    dock->hide();
    QTRY_VERIFY(!table->isVisible());
}

QTEST_MAIN(TestConsoleErrorBudget)
#include "tst_consoleerrorbudget.moc"
