// `hdeck watch --db` loses at most the batch window when the machine dies: SIGKILL it mid-run
// and every event older than the window is in the database afterwards.
#include "eventjson.h"
#include "historystore.h"
#include "rawhttpserver.h"
#include "testsupport.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace hd;
using hd::test::RawHttpServer;

class TestHdeckWatchDb : public QObject
{
    Q_OBJECT
private slots:
    void sigkill_losesNothingOlderThanTheBatchWindow();
    void secondInstance_isRefusedWithAClearMessage();

private:
    QString writeWorkspace(const QTemporaryDir &dir, quint16 port);
};

QString TestHdeckWatchDb::writeWorkspace(const QTemporaryDir &dir, quint16 port)
{
    const QString path = dir.filePath(QStringLiteral("ws.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QString endpoints;
    for (int i = 0; i < 10; ++i)
        endpoints += QStringLiteral(
                         R"(%1{"id":"ep%2","environment":"dev","path":"/e/%2","intervalMs":100})")
                         .arg(i ? QStringLiteral(",") : QString())
                         .arg(i);
    f.write(QStringLiteral(R"({"schema":"healthdeck.workspace/1","name":"t",
      "environments":[{"id":"dev","baseUrl":"http://127.0.0.1:%1"}],"endpoints":[%2]})")
                .arg(port)
                .arg(endpoints)
                .toUtf8());
    return path;
}

void TestHdeckWatchDb::sigkill_losesNothingOlderThanTheBatchWindow()
{
    RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses(
        {RawHttpServer::response(
             503,
             R"({"error_code":"service_unavailable","error_type":"unavailable","message":"x"})"),
         RawHttpServer::response(200, "{}")});
    QTemporaryDir dir;
    const QString ws = writeWorkspace(dir, server.serverPort());
    const QString db = dir.filePath(QStringLiteral("history.db"));
    const QString eventsPath = dir.filePath(QStringLiteral("events.jsonl"));
    QProcess proc;
    proc.start(hd::test::hdeckPath(),
               {QStringLiteral("watch"), QStringLiteral("--workspace"), ws, QStringLiteral("--db"),
                db, QStringLiteral("--events"), eventsPath});
    QVERIFY(proc.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 300, 15000);
    const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
    ::kill(pid_t(proc.processId()), SIGKILL);
    QVERIFY(proc.waitForFinished(5000));
    QCOMPARE(proc.exitStatus(), QProcess::CrashExit);

    // The events file is flushed per event: it is the record of what hdeck saw.
    QFile f(eventsPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<ApiEvent> seen;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (auto r = eventFromJsonText(line); r.event)
            seen.append(*r.event);
    QVERIFY(seen.size() >= 200);

    HistoryStore store;
    const auto opened = store.open(db);
    QVERIFY2(opened.ok, qPrintable(opened.error));
    // An event's time is its request's start; it reaches the store when its response lands.
    // Anything that finished more than the 250 ms batch window (plus a margin for a loaded
    // machine) before the kill must be there.
    int mustBeThere = 0;
    for (const ApiEvent &e : std::as_const(seen)) {
        if (e.timeMs + qint64(e.durationMs) > killedAt - 750)
            continue;
        ++mustBeThere;
        QVERIFY2(store.eventById(e.id).has_value(), qPrintable(e.id));
    }
    QVERIFY2(mustBeThere >= 150, qPrintable(QString::number(mustBeThere)));
    QVERIFY(store.count() >= mustBeThere);
    store.close();
}

void TestHdeckWatchDb::secondInstance_isRefusedWithAClearMessage()
{
    RawHttpServer server;
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QString ws = writeWorkspace(dir, server.serverPort());
    const QString db = dir.filePath(QStringLiteral("history.db"));
    QProcess first;
    first.start(hd::test::hdeckPath(), {QStringLiteral("watch"), QStringLiteral("--workspace"), ws,
                                        QStringLiteral("--db"), db});
    QVERIFY(first.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 5, 10000);
    const auto second = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"),
                                            ws, QStringLiteral("--db"), db,
                                            QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains("history.db"), second.err.constData());
    ::kill(pid_t(first.processId()), SIGTERM);
    QTRY_VERIFY_WITH_TIMEOUT(first.state() == QProcess::NotRunning, 10000);
    QCOMPARE(first.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestHdeckWatchDb)
#include "tst_hdeckwatchdb.moc"
