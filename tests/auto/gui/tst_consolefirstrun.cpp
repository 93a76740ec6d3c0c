// The first start on an empty machine (no workspace ever opened, a fresh HOME): the console
// asks "Open the demo" or "Add your API" before anything runs. A curl line pasted there — here
// aimed at a simulator of the test's own — becomes a saved workspace whose endpoint is polled
// within seconds; a token in it is used for this session and never written to the file.
#include "consoletest.h"
#include "filedialogs.h"
#include "import/firstrundialog.h"
#include "import/importdialog.h"
#include "monitorsession.h"
#include "simulator.h"

#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>

using namespace hd;

class TestConsoleFirstRun : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void pastedCurl_isSavedAndPolled();
    void pastedCurlWithToken_keepsTheTokenOutOfTheFile();
    void importedFile_isPreviewedSavedAndPolled();
    void demoButton_opensTheDemo();
    void badPaste_saysWhyAndStays();
    void laterStarts_doNotAsk();

private:
    FirstRunDialog *startFresh(MainWindow &w);
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestConsoleFirstRun::init()
{
    // Every test is a new machine: a new HOME for settings, history and workspaces.
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    test::isolateUserDirectories(*m_home);
    QSettings().clear();
}

void TestConsoleFirstRun::cleanup()
{
    QSettings().clear();
}

FirstRunDialog *TestConsoleFirstRun::startFresh(MainWindow &w)
{
    w.show();
    w.openStartupWorkspace();
    auto *d = w.findChild<FirstRunDialog *>(QStringLiteral("firstRunDialog"));
    if (d && !QTest::qWaitForWindowExposed(d))
        return nullptr;
    return d;
}

void TestConsoleFirstRun::pastedCurl_isSavedAndPolled()
{
    Simulator sim;
    QVERIFY(sim.start(0) != 0);
    QString base = sim.baseUrl().toString();
    if (base.endsWith(u'/'))
        base.chop(1);
    MainWindow w;
    FirstRunDialog *d = startFresh(w);
    QVERIFY(d);
    QVERIFY(!w.isWorkspaceOpen()); // nothing runs before the user chose
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    d->findChild<QPlainTextEdit *>(QStringLiteral("firstRunCurl"))
        ->setPlainText(QStringLiteral("curl -sS \\\n  -H 'Accept: application/json' \\\n  "
                                      "%1/prod/s004/v1/health")
                           .arg(base));
    test::docScreenshot(d, "first-run.png");
    QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("firstRunAddCurl")),
                      Qt::LeftButton);
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QCOMPARE(w.workspace().endpoints.size(), 1);
    const Endpoint ep = w.workspace().endpoints.first();
    QCOMPARE(ep.path, QStringLiteral("/prod/s004/v1/health"));
    QVERIFY(!ep.paused);
    // Saved where a workspace of the user's lives, and remembered for the next start.
    QVERIFY2(w.workspacePath().startsWith(m_home->path()), qPrintable(w.workspacePath()));
    QVERIFY(WorkspaceFile::load(w.workspacePath()).workspace);
    QCOMPARE(QSettings().value(QStringLiteral("workspace/last")).toString(), w.workspacePath());
    // Polled within seconds: the simulator answers and the event reaches the aggregator.
    QTRY_VERIFY_WITH_TIMEOUT(
        w.session()->aggregator()->summary(ScopeKind::Endpoint, ep.id, 60000).total > 0, 10000);
    QVERIFY2(w.lastMessage().contains(QStringLiteral("Added 1 endpoint")),
             qPrintable(w.lastMessage()));
    test::docScreenshot(&w, "first-run-polled.png");
}

void TestConsoleFirstRun::pastedCurlWithToken_keepsTheTokenOutOfTheFile()
{
    Simulator sim;
    QVERIFY(sim.start(0) != 0);
    QString base = sim.baseUrl().toString();
    if (base.endsWith(u'/'))
        base.chop(1);
    const QString token = QStringLiteral("first-run-token-5c1e");
    MainWindow w;
    FirstRunDialog *d = startFresh(w);
    QVERIFY(d);
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    QVERIFY(d->addCurl(QStringLiteral("curl -H 'Authorization: Bearer %1' %2/prod/s004/v1/health")
                           .arg(token, base)));
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    const Endpoint ep = w.workspace().endpoints.first();
    QVERIFY(!ep.credential.isEmpty());
    const Credential *cred = w.workspace().credential(ep.credential);
    QVERIFY(cred);
    QCOMPARE(w.session()->secret(cred->secretName), std::optional<QString>(token));
    QFile f(w.workspacePath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray saved = f.readAll();
    QVERIFY(saved.contains(cred->secretName.toUtf8()));
    QVERIFY(!saved.contains(token.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(
        w.session()->aggregator()->summary(ScopeKind::Endpoint, ep.id, 60000).total > 0, 10000);
}

void TestConsoleFirstRun::importedFile_isPreviewedSavedAndPolled()
{
    Simulator sim;
    QVERIFY(sim.start(0) != 0);
    QString base = sim.baseUrl().toString();
    if (base.endsWith(u'/'))
        base.chop(1);
    // The vendor's OpenAPI file: one server (the simulator), a GET to poll and a POST to list.
    const QString spec = m_home->filePath(QStringLiteral("broker-api.json"));
    QFile f(spec);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral(R"({"openapi":"3.0.3","info":{"title":"Broker API","version":"1"},
      "servers":[{"url":"%1/prod"}],
      "paths":{"/s004/v1/health":{"get":{"operationId":"health","summary":"Health",
                                         "responses":{"200":{"description":"ok"}}}},
               "/s000/v1/orders":{"post":{"operationId":"orders.place",
                                          "responses":{"200":{"description":"ok"}}}}}})")
                .arg(base)
                .toUtf8());
    f.close();
    MainWindow w;
    FirstRunDialog *d = startFresh(w);
    QVERIFY(d);
    FileDialogs::setNextAnswer(spec);
    QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("firstRunImportFile")),
                      Qt::LeftButton);
    auto *import = d->findChild<ImportDialog *>(QStringLiteral("importDialog"));
    QVERIFY(import);
    QStringList candidates = import->candidates();
    candidates.sort();
    QCOMPARE(candidates, (QStringList{QStringLiteral("health"), QStringLiteral("orders.place")}));
    QCOMPARE(import->checkedEndpoints(), QStringList{QStringLiteral("health")});
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    import->findChild<QPushButton *>(QStringLiteral("importAccept"))->click();
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QCOMPARE(w.workspace().name, QStringLiteral("Broker API"));
    QCOMPARE(w.workspace().endpoints.size(), 1);
    QVERIFY(w.workspacePath().endsWith(QStringLiteral("broker-api.json")));
    QTRY_VERIFY_WITH_TIMEOUT(w.session()
                                     ->aggregator()
                                     ->summary(ScopeKind::Endpoint, QStringLiteral("health"), 60000)
                                     .total
                                 > 0,
                             10000);
}

void TestConsoleFirstRun::demoButton_opensTheDemo()
{
    MainWindow w;
    FirstRunDialog *d = startFresh(w);
    QVERIFY(d);
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("firstRunDemo")), Qt::LeftButton);
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QVERIFY(w.workspacePath().isEmpty());
    QVERIFY(w.workspace().name.startsWith(QStringLiteral("Demo")));
}

void TestConsoleFirstRun::badPaste_saysWhyAndStays()
{
    MainWindow w;
    FirstRunDialog *d = startFresh(w);
    QVERIFY(d);
    QVERIFY(!d->addCurl(QStringLiteral("curl -H 'Accept: x https://unterminated.example")));
    auto *message = d->findChild<QLabel *>(QStringLiteral("firstRunMessage"));
    QVERIFY(!message->isHidden());
    QVERIFY2(message->text().contains(QStringLiteral("quote")), qPrintable(message->text()));
    QVERIFY(d->isVisible());
    QVERIFY(!d->addCurl(QStringLiteral("   ")));
    QVERIFY(d->isVisible());
    QVERIFY(!w.isWorkspaceOpen());
    // Closing the question still leaves something running: the demo.
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    d->reject();
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QVERIFY(w.workspacePath().isEmpty());
}

void TestConsoleFirstRun::laterStarts_doNotAsk()
{
    QSettings().setValue(QStringLiteral("workspace/last"), QStringLiteral("demo"));
    MainWindow w;
    w.show();
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    w.openStartupWorkspace();
    QVERIFY(!w.findChild<FirstRunDialog *>());
    QVERIFY(opened.size() > 0 || opened.wait(20000));
}

QTEST_MAIN(TestConsoleFirstRun)
#include "tst_consolefirstrun.moc"
