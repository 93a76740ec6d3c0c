// ConsoleStatusBar (issue 22): the status bar out of MainWindow — what it says with no session,
// while a workspace opens, about the keychain and the bundle basket.
#include "bundlebasket.h"
#include "consolestatusbar.h"
#include "metrics/metricsoptin.h"
#include "monitorsession.h"
#include "testsupport.h"

#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QTest>

using namespace hd;

class TestConsoleStatusBar : public QObject
{
    Q_OBJECT
private slots:
    void withoutSession_saysSoUnlessOpening();
    void keychainAndBasket();
    void rate_countsEventsOverTheWindow();
};

namespace {
QString text(QMainWindow &w, const char *name)
{
    return w.statusBar()->findChild<QLabel *>(QLatin1String(name))->text();
}
} // namespace

void TestConsoleStatusBar::withoutSession_saysSoUnlessOpening()
{
    QMainWindow w;
    MetricsOptIn metrics(&w);
    ManualClock clock(1795298400000);
    ConsoleStatusBar bar(w.statusBar(), &metrics, clock);
    bar.setPollingText(QStringLiteral("Opening demo…"));
    bar.refresh({}, true);
    QCOMPARE(text(w, "statusPolling"), QStringLiteral("Opening demo…"));
    bar.refresh({}, false);
    QCOMPARE(text(w, "statusPolling"), QStringLiteral("No workspace open"));
    bar.refreshHistory();
    QCOMPARE(text(w, "statusHistory"), QString()); // no session, no history line
}

void TestConsoleStatusBar::keychainAndBasket()
{
    QMainWindow w;
    MetricsOptIn metrics(&w);
    ConsoleStatusBar bar(w.statusBar(), &metrics, Clock::system());
    w.show();
    SecretStoreStatus s;
    s.state = SecretStoreStatus::State::NoKeychain;
    s.message = QStringLiteral("no Secret Service");
    s.reason = QStringLiteral("org.freedesktop.secrets was not provided");
    bar.setKeychain(s);
    auto *keychain = w.statusBar()->findChild<QLabel *>(QStringLiteral("statusKeychain"));
    QCOMPARE(keychain->text(), QStringLiteral("keychain: none (secrets for this session only)"));
    QVERIFY(keychain->toolTip().contains(s.reason));

    auto *bundle = w.statusBar()->findChild<QLabel *>(QStringLiteral("statusBundle"));
    QVERIFY(!bundle->isVisible());
    bar.setBundleCount(2);
    QVERIFY(bundle->isVisible());
    QCOMPARE(bundle->text(), QStringLiteral("bundle: 2 event(s)"));
    bar.setBundleCount(0);
    QVERIFY(!bundle->isVisible());
}

void TestConsoleStatusBar::rate_countsEventsOverTheWindow()
{
    QMainWindow w;
    MetricsOptIn metrics(&w);
    ManualClock clock(1795298400000);
    ConsoleStatusBar bar(w.statusBar(), &metrics, clock);
    // Two a second for 5 s: before the 10 s window is full, the rate is over the time elapsed.
    for (int i = 0; i < 10; ++i) {
        bar.eventArrived();
        clock.advance(500);
    }
    bar.refresh({}, false);
    QCOMPARE(text(w, "statusRate"), QStringLiteral("10 events · 2.0/s"));
}

QTEST_MAIN(TestConsoleStatusBar)
#include "tst_consolestatusbar.moc"
