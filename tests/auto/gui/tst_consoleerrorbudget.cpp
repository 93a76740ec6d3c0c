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
#include <QDateTime>
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
    void objectivesBurnAtTheirOwnRates_fastBurnFiresAndAWindowShows();

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

    // The toggle hides it again.
    dock->hide();
    QTRY_VERIFY(!table->isVisible());
}

void TestConsoleErrorBudget::objectivesBurnAtTheirOwnRates_fastBurnFiresAndAWindowShows()
{
    // A desk on the simulator: prod has an endpoint that answers 503 to about one request in
    // six, preprod one in forty, and uat is in a maintenance window now.
    Workspace ws;
    ws.name = QStringLiteral("Trading desk");
    ws.simulator = true;
    for (const char *id : {"prod", "preprod", "uat"}) {
        Environment env;
        env.id = QLatin1String(id);
        env.name = env.id;
        env.baseUrl
            = QStringLiteral("sim:/") + (env.id == u"uat" ? QStringLiteral("preprod") : env.id);
        ws.environments.append(env);
    }
    const auto endpoint = [&ws](const char *id, const char *env, const char *path, int ms) {
        Endpoint ep = test::simEndpoint(QLatin1String(id), QLatin1String(path), ms);
        ep.environment = QLatin1String(env);
        ws.endpoints.append(ep);
    };
    endpoint("prod.health", "prod", "/s004/v1/health", 200);
    endpoint("prod.signals.health", "prod", "/s001/api/v1/health", 250);
    endpoint("prod.orders.health", "prod", "/s000/v1/health", 300);
    endpoint("prod.maintenance", "prod", "/s004/v1/maintenance/status", 400);
    endpoint("preprod.health", "preprod", "/s004/v1/health", 200);
    endpoint("preprod.orders.health", "preprod", "/s000/v1/health", 300);
    endpoint("preprod.maintenance", "preprod", "/s004/v1/maintenance/status", 4000);
    endpoint("uat.health", "uat", "/s004/v1/health", 1000);
    const auto slo
        = [&ws](const char *id, const char *name, const char *scope, double objective, int days) {
              Slo s;
              s.id = QLatin1String(id);
              s.name = QLatin1String(name);
              s.scope = QLatin1String(scope);
              s.objective = objective;
              s.periodDays = days;
              ws.slos.append(s);
          };
    slo("prod-availability", "Production: 99% of requests succeed", "prod", 99.0, 30);
    slo("preprod-weekly", "Pre-production: 90% over a week", "preprod", 90.0, 7);
    slo("preprod-health", "Pre-production health checks", "preprod.health", 99.9, 30);
    slo("uat-gateway", "UAT gateway", "uat", 99.0, 30);
    MaintenanceWindow window;
    window.id = QStringLiteral("gateway-upgrade");
    window.name = QStringLiteral("UAT gateway upgrade");
    window.scope = QStringLiteral("uat");
    window.kind = MaintenanceWindow::Kind::Once;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    window.start = now.addSecs(-600).toString(QStringLiteral("yyyy-MM-ddTHH:mm"));
    window.end = now.addSecs(5400).toString(QStringLiteral("yyyy-MM-ddTHH:mm"));
    ws.maintenance.append(window);
    AlertRule burn;
    burn.id = QStringLiteral("desk-budget-burn");
    burn.kind = QStringLiteral("burn_rate");
    burn.scope = QStringLiteral("*");
    burn.count = 3;
    ws.alerts.append(burn);
    const QString path = m_home.filePath(QStringLiteral("desk.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openAndWait(w, path));
    w.findChild<QAction *>(QStringLiteral("actionShowErrorBudget"))->trigger();
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("errorBudgetDock"));
    w.resizeDocks({dock}, {250}, Qt::Vertical);
    auto *table = w.findChild<QTableWidget *>(QStringLiteral("errorBudgetTable"));
    QTRY_VERIFY(table->isVisible());
    // The workspace's four and the built-in seed 002 objective (none is on "*").
    QTRY_COMPARE(table->rowCount(), 5);
    const int prod = rowOf(table, QStringLiteral("prod-availability"));
    const int uat = rowOf(table, QStringLiteral("uat-gateway"));
    QVERIFY(prod >= 0 && uat >= 0 && rowOf(table, QStringLiteral("error-rate")) >= 0);

    // One failure in six against a 1 % allowance: overspent, and the fast pair fires.
    QTRY_VERIFY_WITH_TIMEOUT(table->item(prod, ErrorBudgetPanel::Alert)
                                 ->text()
                                 .startsWith(QStringLiteral("FIRING (fast burn)")),
                             30000);
    QVERIFY(table->item(prod, ErrorBudgetPanel::BudgetLeft)->data(Qt::UserRole + 1).toDouble() < 0);
    QVERIFY(table->item(prod, ErrorBudgetPanel::BudgetLeft)
                ->text()
                .startsWith(QStringLiteral("overspent by")));
    QVERIFY(
        table->item(prod, ErrorBudgetPanel::Outlook)
            ->text()
            .startsWith(QStringLiteral("Spent; at this rate the month's error budget is gone in")));
    // uat is in its window: held alerts, no requests counted, the window named with its end.
    QVERIFY2(table->item(uat, ErrorBudgetPanel::Window)
                 ->text()
                 .startsWith(QStringLiteral("UAT gateway upgrade until ")),
             qPrintable(table->item(uat, ErrorBudgetPanel::Window)->text()));
    QCOMPARE(table->item(uat, ErrorBudgetPanel::Availability)->text(),
             QStringLiteral("no requests yet"));

    if (!qEnvironmentVariableIsEmpty("HD_SCREENSHOT_DIR")) {
        QTest::qWait(3000); // a few more seconds of counts for the picture
        test::docScreenshot(&w, "error-budget-panel.png");
        w.findChild<QAction *>(QStringLiteral("actionThemeDark"))->trigger();
        test::docScreenshot(&w, "error-budget-panel-dark.png");
    }
}

QTEST_MAIN(TestConsoleErrorBudget)
#include "tst_consoleerrorbudget.moc"
