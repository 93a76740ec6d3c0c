// Polling actions by object name: pause and resume an endpoint selected in the tree (the
// scheduler and the status bar follow), send one request now, and the tree's scope signal.
#include "consoletest.h"
#include "endpointtree.h"
#include "errorlogmodel.h"
#include "monitorsession.h"
#include "pollscheduler.h"

#include <QAction>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

using namespace hd;

class TestConsolePolling : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void pauseResumeAndSendNow();
    void treeGroupsCredentials_andEmitsScope();
    void composer_opensPrefilledAndItsResultReachesTheLog();

private:
    QTemporaryDir m_home;
};

void TestConsolePolling::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsolePolling::pauseResumeAndSendNow()
{
    // A slow endpoint (once a minute) so every further event is ours.
    const Workspace ws = test::simWorkspace(
        QStringLiteral("polling"),
        {test::simEndpoint(QStringLiteral("prod.slow"), QStringLiteral("/s004/v1/health"), 60000),
         test::simEndpoint(QStringLiteral("prod.other"), QStringLiteral("/s004/v1/health"),
                           60000)});
    const QString path = m_home.filePath(QStringLiteral("polling.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    MainWindow w;
    w.show();
    QVERIFY(test::openAndWait(w, path));
    PollScheduler *scheduler = w.session()->engine()->scheduler();
    auto *status = w.findChild<QLabel *>(QStringLiteral("statusPolling"));
    QTRY_VERIFY(status->text().contains(QStringLiteral("polling 2 of 2")));

    QVERIFY(w.endpointTree()->selectScope(ScopeKind::Endpoint, QStringLiteral("prod.slow")));
    w.findChild<QAction *>(QStringLiteral("actionPause"))->trigger();
    QVERIFY(scheduler->isEndpointPaused(QStringLiteral("prod.slow")));
    QVERIFY(!scheduler->isEndpointPaused(QStringLiteral("prod.other")));
    QTRY_VERIFY2(status->text().contains(QStringLiteral("1 paused")), qPrintable(status->text()));
    QTRY_COMPARE(
        w.endpointTree()->itemForEndpoint(QStringLiteral("prod.slow"))->text(EndpointTree::Status),
        QStringLiteral("paused"));

    w.findChild<QAction *>(QStringLiteral("actionResume"))->trigger();
    QVERIFY(!scheduler->isEndpointPaused(QStringLiteral("prod.slow")));

    // Nothing selected: pause means everything.
    w.endpointTree()->clearSelection();
    w.endpointTree()->setCurrentItem(nullptr);
    w.findChild<QAction *>(QStringLiteral("actionPause"))->trigger();
    QVERIFY(scheduler->allPaused());
    QTRY_VERIFY2(status->text().contains(QStringLiteral("PAUSED")), qPrintable(status->text()));
    w.findChild<QAction *>(QStringLiteral("actionResume"))->trigger();
    QVERIFY(!scheduler->allPaused());
    QVERIFY(!scheduler->isEndpointPaused(QStringLiteral("prod.other")));

    // Send now: one more request for the selected endpoint, well before its minute is up.
    QSignalSpy events(w.session(), &MonitorSession::eventReady);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [](const QList<QVariant> &a) {
                                             return a.at(0).value<ApiEvent>().endpoint
                                                    == u"prod.slow";
                                         })
                                 || w.endpointTree()
                                            ->itemForEndpoint(QStringLiteral("prod.slow"))
                                            ->text(EndpointTree::Status)
                                        == u"200",
                             15000); // its first (spread) poll
    const auto slowEvents = [&] {
        return std::count_if(events.cbegin(), events.cend(), [](const QList<QVariant> &a) {
            return a.at(0).value<ApiEvent>().endpoint == u"prod.slow";
        });
    };
    const auto before = slowEvents();
    QVERIFY(w.endpointTree()->selectScope(ScopeKind::Endpoint, QStringLiteral("prod.slow")));
    w.findChild<QAction *>(QStringLiteral("actionSendNow"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(slowEvents() == before + 1, 10000);
}

void TestConsolePolling::treeGroupsCredentials_andEmitsScope()
{
    MainWindow w;
    w.show();
    QVERIFY(test::openDemoAndWait(w));
    EndpointTree *tree = w.endpointTree();
    QSignalSpy scope(tree, &EndpointTree::scopeChanged);
    // Production → "Trading API (OAuth2)" → Orders (prod): a credential level in between.
    QTreeWidgetItem *orders = tree->itemForEndpoint(QStringLiteral("prod.orders.list"));
    QVERIFY(orders);
    QCOMPARE(ScopeKind(orders->parent()->data(0, EndpointTree::KindRole).toInt()),
             ScopeKind::Credential);
    QCOMPARE(orders->parent()->data(0, EndpointTree::ScopeNameRole).toString(),
             QStringLiteral("trading-oauth"));
    QCOMPARE(ScopeKind(orders->parent()->parent()->data(0, EndpointTree::KindRole).toInt()),
             ScopeKind::Environment);

    QVERIFY(tree->selectScope(ScopeKind::Credential, QStringLiteral("trading-oauth"),
                              QStringLiteral("prod")));
    QVERIFY(!scope.isEmpty());
    QCOMPARE(scope.last().at(0).value<ScopeKind>(), ScopeKind::Credential);
    QCOMPARE(scope.last().at(1).toString(), QStringLiteral("trading-oauth"));
    QVERIFY(tree->selectedEndpoints().contains(QStringLiteral("prod.orders.list")));
    QVERIFY(!tree->selectedEndpoints().contains(QStringLiteral("preprod.orders.list")));

    // The token countdown of an OAuth2 credential appears once its token was fetched.
    QTRY_VERIFY_WITH_TIMEOUT(!orders->parent()->text(EndpointTree::Token).isEmpty(), 20000);
    QVERIFY(tree->selectScope(ScopeKind::Endpoint, QStringLiteral("prod.orders.list")));
    QCOMPARE(scope.last().at(0).value<ScopeKind>(), ScopeKind::Endpoint);
    QCOMPARE(scope.last().at(1).toString(), QStringLiteral("prod.orders.list"));
}

void TestConsolePolling::composer_opensPrefilledAndItsResultReachesTheLog()
{
    const Workspace ws = test::simWorkspace(
        QStringLiteral("composer"),
        {test::simEndpoint(QStringLiteral("prod.maintenance"),
                           QStringLiteral("/s004/v1/maintenance/status"), 60000)});
    const QString path = m_home.filePath(QStringLiteral("composer.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    MainWindow w;
    w.show();
    QVERIFY(test::openAndWait(w, path));
    QVERIFY(w.endpointTree()->selectScope(ScopeKind::Endpoint, QStringLiteral("prod.maintenance")));
    w.findChild<QAction *>(QStringLiteral("actionComposer"))->trigger();
    auto *window = w.findChild<QDialog *>(QStringLiteral("composerWindow"));
    QVERIFY(window);
    QTRY_VERIFY(window->isVisible());
    auto *url = window->findChild<QLineEdit *>(QStringLiteral("composerUrl"));
    QCOMPARE(url->text(), QStringLiteral("/s004/v1/maintenance/status"));
    // Send: the classified 503 comes back in the composer and in the window's log.
    window->findChild<QSpinBox *>(QStringLiteral("composerRetries"))->setValue(0);
    window->findChild<QPushButton *>(QStringLiteral("composerSend"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(window->findChild<QLabel *>(QStringLiteral("composerStatus"))
                                 ->text()
                                 .contains(QStringLiteral("unavailable")),
                             10000);
    QTRY_VERIFY([&] {
        for (int r = 0; r < w.logModel()->rowCount(); ++r)
            if (w.logModel()->index(r, ErrorLogModel::Endpoint).data().toString() == u"composer")
                return true;
        return false;
    }());
}

QTEST_MAIN(TestConsolePolling)
#include "tst_consolepolling.moc"
