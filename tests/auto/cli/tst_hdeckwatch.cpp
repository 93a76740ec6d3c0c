// `hdeck watch` as a process: events as JSON lines, --duration, clean shutdown on SIGTERM and
// SIGINT with a summary line, clear failures for bad workspaces.
#include "eventjson.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace hd;
using hd::test::RawHttpServer;

class TestHdeckWatch : public QObject
{
    Q_OBJECT
private slots:
    void duration_writesEventsAndSummary();
    void signals_shutDownCleanly_data();
    void signals_shutDownCleanly();
    void brokenWorkspace_isFailureNamingTheFile();
    void missingWorkspaceOption_isUsageError();
    void hostileWorkspace_isOneLineFailureNotAbort_data();
    void hostileWorkspace_isOneLineFailureNotAbort();
    void eventsFile_isCreatedOwnerOnly();
    void untrustedSecretHosts_areRefusedWithTheirList();
    void trustHostsFlag_letsTheWorkspaceRun();
    void plainHttpSecret_isRefusedEvenWhenTrusted();

private:
    QString writeWorkspace(const QTemporaryDir &dir, quint16 port, int intervalMs = 200);
};

QString TestHdeckWatch::writeWorkspace(const QTemporaryDir &dir, quint16 port, int intervalMs)
{
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QStringLiteral(R"({"schema":"healthdeck.workspace/1","name":"t",
      "environments":[{"id":"dev","baseUrl":"http://127.0.0.1:%1"}],
      "endpoints":[{"id":"health","environment":"dev","path":"/health","intervalMs":%2},
                   {"id":"orders","environment":"dev","path":"/orders","intervalMs":%2,"profile":"tradovate"}]})")
                .arg(port)
                .arg(intervalMs)
                .toUtf8());
    return path;
}

void TestHdeckWatch::duration_writesEventsAndSummary()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, R"({"ok":true})")});
    QTemporaryDir dir;
    const QString ws = writeWorkspace(dir, server.serverPort());
    QProcess proc;
    proc.start(hd::test::hdeckPath(), {QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                       QStringLiteral("--duration"), QStringLiteral("1.2"),
                                       QStringLiteral("--events"), QStringLiteral("-")});
    QVERIFY(proc.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 15000);
    QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
    QCOMPARE(proc.exitCode(), 0);
    const QList<QByteArray> lines = proc.readAllStandardOutput().trimmed().split('\n');
    QVERIFY2(lines.size() >= 8, qPrintable(QString::number(lines.size())));
    QSet<QString> endpoints;
    for (const QByteArray &line : lines) {
        const auto r = eventFromJsonText(line);
        QVERIFY2(r.event, qPrintable(r.error));
        endpoints.insert(r.event->endpoint);
        QCOMPARE(r.event->environment, QStringLiteral("dev"));
    }
    QCOMPARE(endpoints, (QSet<QString>{QStringLiteral("health"), QStringLiteral("orders")}));
    const QByteArray err = proc.readAllStandardError();
    QVERIFY2(err.contains("hdeck watch: ") && err.contains(" events from 2 endpoints"),
             err.constData());
}

void TestHdeckWatch::signals_shutDownCleanly_data()
{
    QTest::addColumn<int>("sig");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestHdeckWatch::signals_shutDownCleanly()
{
    QFETCH(int, sig);
    RawHttpServer server;
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QString ws = writeWorkspace(dir, server.serverPort());
    const QString eventsPath = dir.filePath(QStringLiteral("events.jsonl"));
    QProcess proc;
    proc.start(hd::test::hdeckPath(), {QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                       QStringLiteral("--events"), eventsPath});
    QVERIFY(proc.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 4, 10000);
    ::kill(pid_t(proc.processId()), sig);
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 10000);
    QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
    QCOMPARE(proc.exitCode(), 0);
    QVERIFY(proc.readAllStandardError().contains("hdeck watch: "));
    QFile f(eventsPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QVERIFY(lines.size() >= 3);
    for (const QByteArray &line : lines)
        QVERIFY2(eventFromJsonText(line).event, line.constData()); // no torn last line
}

void TestHdeckWatch::brokenWorkspace_isFailureNamingTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"schema":"healthdeck.workspace/1","environments":[{"id":"dev"}]})");
    f.close();
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), path,
                                       QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("broken.json") && r.err.contains("/environments/0/baseUrl"),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    // The file is untouched.
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(),
             QByteArray(R"({"schema":"healthdeck.workspace/1","environments":[{"id":"dev"}]})"));
}

void TestHdeckWatch::missingWorkspaceOption_isUsageError()
{
    const auto r = hd::test::runHdeck(
        {QStringLiteral("watch"), QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--workspace"));
}

void TestHdeckWatch::hostileWorkspace_isOneLineFailureNotAbort_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    // Issue #16: 1e999 used to abort with an uncaught nlohmann::out_of_range (exit 134).
    QTest::newRow("1e999") << QByteArray(R"({"schema":"healthdeck.workspace/1","x":1e999})")
                           << QByteArray("ws.json:1:44: not valid JSON: number overflow");
    QTest::newRow("100000 x [") << QByteArray(100000, '[')
                                << QByteArray("nested deeper than 64 levels");
    QTest::newRow("balanced deep") << QByteArray(R"({"schema":"healthdeck.workspace/1","x":)")
                                          + QByteArray(100000, '[') + QByteArray(100000, ']') + "}"
                                   << QByteArray("nested deeper than 64 levels");
}

void TestHdeckWatch::hostileWorkspace_isOneLineFailureNotAbort()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
    f.close();
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), path,
                                       QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(expected), r.err.constData());
    QVERIFY2(r.err.startsWith(QByteArray(QByteArray("hdeck: ") + path.toUtf8())),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void TestHdeckWatch::eventsFile_isCreatedOwnerOnly()
{
    RawHttpServer server;
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QString ws = writeWorkspace(dir, server.serverPort());
    const QString eventsPath = dir.filePath(QStringLiteral("events.jsonl"));
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                       QStringLiteral("--duration"), QStringLiteral("0.5"),
                                       QStringLiteral("--events"), eventsPath});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QFileInfo(eventsPath).permissions() & QFileDevice::Permissions(0x7077),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // An existing, world-readable file is tightened.
    QFile(eventsPath)
        .setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther
                        | QFileDevice::ReadGroup);
    const auto again = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"),
                                           ws, QStringLiteral("--duration"), QStringLiteral("0.3"),
                                           QStringLiteral("--events"), eventsPath});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(QFileInfo(eventsPath).permissions() & QFileDevice::Permissions(0x7077),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

static QString writeForeignWorkspace(const QTemporaryDir &dir, const QString &baseUrl,
                                     bool allowInsecure = false)
{
    const QString path = dir.filePath(QStringLiteral("foreign.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QStringLiteral(R"({"schema":"healthdeck.workspace/1","name":"from a stranger",
      "environments":[{"id":"prod","baseUrl":"%1"%2}],
      "credentials":[{"id":"key","method":"bearer","secretName":"BROKER_TOKEN"},
                     {"id":"oauth","method":"oauth2_client_credentials","clientId":"c",
                      "secretName":"OAUTH","tokenUrl":"https://auth.other.example/oauth/token"}],
      "endpoints":[{"id":"a","environment":"prod","path":"/a","credential":"key"},
                   {"id":"b","environment":"prod","path":"/b","credential":"oauth"}]})")
                .arg(baseUrl,
                     allowInsecure ? QStringLiteral(R"(,"allowInsecureSecrets":true)") : QString())
                .toUtf8());
    return path;
}

void TestHdeckWatch::untrustedSecretHosts_areRefusedWithTheirList()
{
    QTemporaryDir dir;
    const QString ws = writeForeignWorkspace(dir, QStringLiteral("https://api.broker.example"));
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                       QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("would send stored secrets to api.broker.example:443, "
                            "auth.other.example:443; pass --trust-hosts "
                            "api.broker.example:443,auth.other.example:443"),
             r.err.constData());
    // Trusting one of the two is not enough.
    const auto partly
        = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                              QStringLiteral("--trust-hosts"), QStringLiteral("api.broker.example"),
                              QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(partly.exitCode, 2);
    QVERIFY2(partly.err.contains("would send stored secrets to auth.other.example:443;"),
             partly.err.constData());
}

void TestHdeckWatch::trustHostsFlag_letsTheWorkspaceRun()
{
    // A loopback server is trusted implicitly; the token host is named on the command line.
    // (Nothing reaches the named host: the token URL points back at the loopback server.)
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({RawHttpServer::response(200, R"({"ok":true})")});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral(R"({"schema":"healthdeck.workspace/1",
      "environments":[{"id":"dev","baseUrl":"http://127.0.0.1:%1"}],
      "credentials":[{"id":"key","method":"bearer","secretName":"WATCH_TOKEN"}],
      "endpoints":[{"id":"a","environment":"dev","path":"/a","credential":"key","intervalMs":200}]})")
                .arg(server.serverPort())
                .toUtf8());
    f.close();
    QProcess proc;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HDECK_SECRET_WATCH_TOKEN"), QStringLiteral("tok-123"));
    proc.setProcessEnvironment(env);
    proc.start(hd::test::hdeckPath(),
               {QStringLiteral("watch"), QStringLiteral("--workspace"), path,
                QStringLiteral("--trust-hosts"), QStringLiteral("unused.example"),
                QStringLiteral("--duration"), QStringLiteral("0.8"), QStringLiteral("--events"),
                QStringLiteral("-")});
    // The server answers on this thread's event loop: wait with QTRY, never waitForFinished().
    QVERIFY(proc.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 15000);
    QCOMPARE(proc.exitCode(), 0);
    QVERIFY(server.requestCount() >= 1);
    QVERIFY(server.requests().last().contains("Bearer tok-123"));
}

void TestHdeckWatch::plainHttpSecret_isRefusedEvenWhenTrusted()
{
    // http:// to a host that is not loopback: refused at the engine, before any connection,
    // unless the environment allows it explicitly. Nothing here reaches the network: the only
    // endpoints carry a credential and are refused.
    QTemporaryDir dir;
    const QString ws = writeForeignWorkspace(dir, QStringLiteral("http://api.broker.example"));
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                       QStringLiteral("--trust-workspace-hosts"),
                                       QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("endpoint a: refused to send a stored secret over plain http:// to "
                            "api.broker.example:80; use https, or set \"allowInsecureSecrets\": "
                            "true on environment \"prod\""),
             r.err.constData());
    QVERIFY2(r.err.contains("no endpoint of workspace"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestHdeckWatch)
#include "tst_hdeckwatch.moc"
