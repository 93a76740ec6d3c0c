// Files and workspaces from elsewhere, in the console: a last workspace that does not load (or
// that the console died opening) opens the demo with the reason instead of crash-looping; a
// workspace that would send stored secrets to hosts beyond the simulator and loopback asks
// first, remembers the answer per file and host set, and never sends over plain http.
#include "consoletest.h"
#include "mainwindow.h"
#include "secrethostprompt.h"

#include <QFile>
#include <QMessageBox>
#include <QSettings>
#include <QTest>

using namespace hd;

class TestConsoleTrust : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        hd::test::isolateUserDirectories(m_home);
        qputenv("HDECK_SECRET_TRUST_TOKEN", "trust-token-value");
    }
    void init()
    {
        QSettings().clear();
        SecretHostPrompt::setNextAnswer(std::nullopt);
    }
    void badLastWorkspace_opensTheDemoAndSaysWhy_data();
    void badLastWorkspace_opensTheDemoAndSaysWhy();
    void diedWhileOpeningLastWorkspace_nextStartOpensTheDemo();
    void goodLastWorkspace_stillReopens();
    void foreignHosts_refused_requestsAreNotSentAndSaySo();
    void foreignHosts_approved_areRememberedUntilTheHostsChange();

private:
    QString write(const QString &name, const QByteArray &text);
    static QByteArray foreignWorkspace(const QString &scheme, const QStringList &hosts);
    QTemporaryDir m_home;
};

QString TestConsoleTrust::write(const QString &name, const QByteArray &text)
{
    const QString path = m_home.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return path;
}

// One endpoint on the built-in simulator (so the session runs) and one credentialed endpoint
// per foreign host; nothing ever reaches those hosts (the test checks the refusals).
QByteArray TestConsoleTrust::foreignWorkspace(const QString &scheme, const QStringList &hosts)
{
    QString envs = QStringLiteral(R"({"id":"sim","baseUrl":"sim:/prod"})");
    QString eps = QStringLiteral(
        R"({"id":"health","environment":"sim","path":"/s004/v1/health","intervalMs":500})");
    for (int i = 0; i < hosts.size(); ++i) {
        const QString url = scheme + QStringLiteral("://") + hosts[i];
        envs += QStringLiteral(R"(,{"id":"e%1","baseUrl":"%2"})").arg(i).arg(url);
        eps += QStringLiteral(
                   R"(,{"id":"orders%1","environment":"e%1","path":"/orders","credential":"key"})")
                   .arg(i);
    }
    return QStringLiteral(R"({"schema":"healthdeck.workspace/1","name":"From a colleague",
      "simulator":{"enabled":true},"environments":[%1],
      "credentials":[{"id":"key","method":"bearer","secretName":"TRUST_TOKEN"}],
      "endpoints":[%2]})")
        .arg(envs, eps)
        .toUtf8();
}

void TestConsoleTrust::badLastWorkspace_opensTheDemoAndSaysWhy_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("1e999") << QByteArray(R"({"schema":"healthdeck.workspace/1","x":1e999})")
                           << QStringLiteral("number overflow");
    QTest::newRow("100000 x [") << QByteArray(100000, '[')
                                << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("not JSON") << QByteArray("\x89PNG\r\n") << QStringLiteral("not valid JSON");
    QTest::newRow("missing") << QByteArray() << QStringLiteral("cannot open");
}

void TestConsoleTrust::badLastWorkspace_opensTheDemoAndSaysWhy()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    const QString path = QString::fromLatin1(QTest::currentDataTag()) == u"missing"
                             ? m_home.filePath(QStringLiteral("gone.json"))
                             : write(QStringLiteral("bad.json"), text);
    QSettings().setValue(QStringLiteral("workspace/last"), path);
    MainWindow w;
    w.show();
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    w.openStartupWorkspace();
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QVERIFY(w.workspacePath().isEmpty()); // the demo
    QVERIFY2(w.lastMessage().contains(path) && w.lastMessage().contains(reason)
                 && w.lastMessage().contains(QStringLiteral("opened the demo instead")),
             qPrintable(w.lastMessage()));
    auto *box = w.findChild<QMessageBox *>(QStringLiteral("messageBox"));
    QVERIFY(box);
    QVERIFY(box->isVisible()); // window-modal and open()ed: the test was never blocked
    // The next start does not try the bad file again.
    QCOMPARE(QSettings().value(QStringLiteral("workspace/last")).toString(),
             QStringLiteral("demo"));
}

void TestConsoleTrust::diedWhileOpeningLastWorkspace_nextStartOpensTheDemo()
{
    const Workspace ws = hd::test::simWorkspace(
        QStringLiteral("Desk"),
        {hd::test::simEndpoint(QStringLiteral("h"), QStringLiteral("/s004/v1/health"), 500)});
    const QString path = m_home.filePath(QStringLiteral("desk.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    QSettings().setValue(QStringLiteral("workspace/last"), path);
    // What a console that died while opening the file leaves behind.
    QSettings().setValue(QStringLiteral("workspace/startupOpening"), path);
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    w.openStartupWorkspace();
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QVERIFY(w.workspacePath().isEmpty());
    QVERIFY2(w.lastMessage().contains(QStringLiteral("stopped while opening the last workspace"))
                 && w.lastMessage().contains(path),
             qPrintable(w.lastMessage()));
    QVERIFY(!QSettings().contains(QStringLiteral("workspace/startupOpening")));
}

void TestConsoleTrust::goodLastWorkspace_stillReopens()
{
    const Workspace ws = hd::test::simWorkspace(
        QStringLiteral("Desk"),
        {hd::test::simEndpoint(QStringLiteral("h"), QStringLiteral("/s004/v1/health"), 500)});
    const QString path = m_home.filePath(QStringLiteral("good.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    QSettings().setValue(QStringLiteral("workspace/last"), path);
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    w.openStartupWorkspace();
    QVERIFY(opened.size() > 0 || opened.wait(20000));
    QCOMPARE(w.workspacePath(), path);
    // Once it runs, the start-up marker is gone: the next start reopens it again.
    QVERIFY(!QSettings().contains(QStringLiteral("workspace/startupOpening")));
}

void TestConsoleTrust::foreignHosts_refused_requestsAreNotSentAndSaySo()
{
    const QString path
        = write(QStringLiteral("foreign.json"),
                foreignWorkspace(QStringLiteral("https"), {QStringLiteral("api.broker.example")}));
    const qsizetype askedBefore = SecretHostPrompt::questionsAsked().size();
    SecretHostPrompt::setNextAnswer(false);
    MainWindow w;
    QVERIFY(hd::test::openAndWait(w, path));
    QCOMPARE(SecretHostPrompt::questionsAsked().size(), askedBefore + 1);
    QCOMPARE(SecretHostPrompt::questionsAsked().last(),
             QStringList{QStringLiteral("api.broker.example:443")});
    QVERIFY2(w.warnings().join(u'\n').contains(
                 QStringLiteral("endpoint orders0: host api.broker.example:443 is not trusted")),
             qPrintable(w.warnings().join(u'\n')));
    QVERIFY(SecretHostPrompt::approvedHosts(path).isEmpty());
    // Reopening in the same run does not ask again.
    QVERIFY(hd::test::openAndWait(w, path));
    QCOMPARE(SecretHostPrompt::questionsAsked().size(), askedBefore + 1);
    // The secret appears nowhere the user can see.
    QVERIFY(!w.warnings().join(u'\n').contains(QStringLiteral("trust-token-value")));
}

void TestConsoleTrust::foreignHosts_approved_areRememberedUntilTheHostsChange()
{
    // http:// on purpose: even an approved host never gets a secret over plain http, so the
    // test proves the approval by the message that follows it, without any traffic.
    const QString path
        = write(QStringLiteral("approved.json"),
                foreignWorkspace(QStringLiteral("http"), {QStringLiteral("api.broker.example")}));
    const qsizetype askedBefore = SecretHostPrompt::questionsAsked().size();
    {
        SecretHostPrompt::setNextAnswer(true);
        MainWindow w;
        QVERIFY(hd::test::openAndWait(w, path));
        QCOMPARE(SecretHostPrompt::questionsAsked().size(), askedBefore + 1);
        QCOMPARE(SecretHostPrompt::approvedHosts(path),
                 QStringList{QStringLiteral("api.broker.example:80")});
        QVERIFY2(w.warnings().join(u'\n').contains(QStringLiteral(
                     "endpoint orders0: refused to send a stored secret over plain http:// to "
                     "api.broker.example:80")),
                 qPrintable(w.warnings().join(u'\n')));
    }
    {
        // Another run: remembered, no question.
        MainWindow w;
        QVERIFY(hd::test::openAndWait(w, path));
        QCOMPARE(SecretHostPrompt::questionsAsked().size(), askedBefore + 1);
    }
    // The file now names one more host: asked again, about that one.
    write(QStringLiteral("approved.json"),
          foreignWorkspace(QStringLiteral("http"), {QStringLiteral("api.broker.example"),
                                                    QStringLiteral("exfil.example")}));
    SecretHostPrompt::setNextAnswer(false);
    MainWindow w;
    QVERIFY(hd::test::openAndWait(w, path));
    QCOMPARE(SecretHostPrompt::questionsAsked().size(), askedBefore + 2);
    QCOMPARE(SecretHostPrompt::questionsAsked().last(),
             QStringList{QStringLiteral("exfil.example:80")});
    QVERIFY2(w.warnings().join(u'\n').contains(
                 QStringLiteral("endpoint orders1: host exfil.example:80 is not trusted")),
             qPrintable(w.warnings().join(u'\n')));
}

QTEST_MAIN(TestConsoleTrust)
#include "tst_consoletrust.moc"
