// `hdeck watch` as a process: events as JSON lines, --duration, clean shutdown on SIGTERM and
// SIGINT with a summary line, clear failures for bad workspaces.
#include "eventjson.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
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

QTEST_GUILESS_MAIN(TestHdeckWatch)
#include "tst_hdeckwatch.moc"
