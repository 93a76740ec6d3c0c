// `hdeck watch` hot reload as a process against the built-in simulator: an editor that
// replaces the file by rename, one that writes in place, SIGHUP, and an invalid edit. The
// unchanged endpoint's OAuth token is not requested again and its polling never stops; the
// new endpoint is polled; a broken file is one line on stderr and the old workspace runs on.
#include "eventjson.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace hd;

class TestHdeckWatchReload : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void renamedEdit_addsEndpointKeepsTokenAndHistory();
    void inPlaceEdit_andInvalidEdit();
    void sighup_reloadsEvenWhenUnchanged();

private:
    static QByteArray workspace(bool withPositions, int statusIntervalMs = 250);
    bool writeByRename(const QByteArray &contents);
    bool writeInPlace(const QByteArray &contents);
    void startWatch();
    // Reads what the process wrote so far; events are counted per endpoint.
    void drain();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QProcess m_proc;
    QByteArray m_stdoutRest;
    QString m_stderr;
    QHash<QString, int> m_events;
};

QByteArray TestHdeckWatchReload::workspace(bool withPositions, int statusIntervalMs)
{
    QByteArray positions = withPositions ? R"(,
      {"id":"positions","environment":"dev","path":"/s000/v1/accounts","intervalMs":250,
       "timeoutMs":2000,"credential":"trading-oauth","quotaShare":1.0})"
                                         : "";
    return QByteArray(R"({"schema":"healthdeck.workspace/1","name":"reload",
  "simulator":{"enabled":true,"seed":1},
  "environments":[{"id":"dev","baseUrl":"sim:/dev"}],
  "credentials":[{"id":"trading-oauth","method":"oauth2_client_credentials",
    "tokenUrl":"sim:/s000/oauth/token","clientId":"sim-client","audience":"s000",
    "scope":"orders:read","secretName":"HDECK_SIM_CLIENT_SECRET"}],
  "endpoints":[
    {"id":"orders","environment":"dev","path":"/s000/v1/orders","intervalMs":250,
     "timeoutMs":2000,"credential":"trading-oauth","quotaShare":1.0},
    {"id":"status","environment":"dev","path":"/s001/api/v1/health","intervalMs":%1,
     "timeoutMs":2000}%2]})")
        .replace("%1", QByteArray::number(statusIntervalMs))
        .replace("%2", positions);
}

void TestHdeckWatchReload::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("ws.json"));
    m_stdoutRest.clear();
    m_stderr.clear();
    m_events.clear();
}

void TestHdeckWatchReload::cleanup()
{
    if (m_proc.state() != QProcess::NotRunning) {
        m_proc.terminate();
        m_proc.waitForFinished(10000);
    }
}

bool TestHdeckWatchReload::writeByRename(const QByteArray &contents)
{
    QSaveFile f(m_path); // a new file renamed over the old one, as vim and VS Code do
    return f.open(QIODevice::WriteOnly) && f.write(contents) == contents.size() && f.commit();
}

bool TestHdeckWatchReload::writeInPlace(const QByteArray &contents)
{
    QFile f(m_path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
           && f.write(contents) == contents.size();
}

void TestHdeckWatchReload::startWatch()
{
    m_proc.start(hd::test::hdeckPath(), {QStringLiteral("watch"), QStringLiteral("--workspace"),
                                         m_path, QStringLiteral("--events"), QStringLiteral("-")});
    QVERIFY(m_proc.waitForStarted());
}

void TestHdeckWatchReload::drain()
{
    m_stderr += QString::fromUtf8(m_proc.readAllStandardError());
    m_stdoutRest += m_proc.readAllStandardOutput();
    const qsizetype end = m_stdoutRest.lastIndexOf('\n');
    if (end < 0)
        return;
    for (const QByteArray &line : m_stdoutRest.left(end).split('\n'))
        if (const auto r = eventFromJsonText(line); r.event)
            ++m_events[r.event->endpoint];
    m_stdoutRest = m_stdoutRest.mid(end + 1);
}

void TestHdeckWatchReload::renamedEdit_addsEndpointKeepsTokenAndHistory()
{
    QVERIFY(writeInPlace(workspace(false)));
    startWatch();
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_events.value(QStringLiteral("orders")) >= 3), 15000);
    QCOMPARE(m_events.value(QStringLiteral("token:trading-oauth")), 1);

    QVERIFY(writeByRename(workspace(true)));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_stderr.contains(QStringLiteral("reloaded"))), 10000);
    QVERIFY2(m_stderr.contains(QStringLiteral("1 added (positions), 0 changed, 0 removed, "
                                              "2 unchanged")),
             qPrintable(m_stderr));
    const int ordersAtReload = m_events.value(QStringLiteral("orders"));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_events.value(QStringLiteral("positions")) >= 2), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        (drain(), m_events.value(QStringLiteral("orders")) >= ordersAtReload + 3), 10000);
    // The new endpoint shares the unchanged credential: still the one token request.
    QCOMPARE(m_events.value(QStringLiteral("token:trading-oauth")), 1);

    // A second edit by rename: the watch follows the new file, not the replaced inode.
    QVERIFY(writeByRename(workspace(false)));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_stderr.contains(QStringLiteral("1 removed (positions)"))),
                             10000);
    m_proc.terminate();
    QVERIFY(m_proc.waitForFinished(10000));
    drain();
    QCOMPARE(m_proc.exitCode(), 0);
    QCOMPARE(m_events.value(QStringLiteral("token:trading-oauth")), 1);
    QVERIFY2(m_stderr.contains(QStringLiteral("from 2 endpoints")), qPrintable(m_stderr));
}

void TestHdeckWatchReload::inPlaceEdit_andInvalidEdit()
{
    QVERIFY(writeInPlace(workspace(false)));
    startWatch();
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_events.value(QStringLiteral("status")) >= 2), 15000);

    QVERIFY(writeInPlace(workspace(false, 300)));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_stderr.contains(QStringLiteral("reloaded"))), 10000);
    QVERIFY2(m_stderr.contains(QStringLiteral("0 added, 1 changed (status), 0 removed, "
                                              "1 unchanged")),
             qPrintable(m_stderr));

    // A broken edit (half-written, a typo): one line, and everything keeps running.
    QVERIFY(writeInPlace("{\"schema\":\"healthdeck.workspace/1\", \"endpoints\": [ oops"));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_stderr.contains(QStringLiteral("reload refused"))), 10000);
    const QStringList refused = m_stderr.split(u'\n').filter(QStringLiteral("reload refused"));
    QCOMPARE(refused.size(), 1);
    QVERIFY2(refused.first().contains(QStringLiteral("still running the previous workspace"))
                 && refused.first().contains(QStringLiteral("ws.json")),
             qPrintable(refused.first()));
    const int statusNow = m_events.value(QStringLiteral("status"));
    const int ordersNow = m_events.value(QStringLiteral("orders"));
    QTRY_VERIFY_WITH_TIMEOUT(
        (drain(), m_events.value(QStringLiteral("status")) >= statusNow + 2
                      && m_events.value(QStringLiteral("orders")) >= ordersNow + 2),
        10000);
    QCOMPARE(m_events.value(QStringLiteral("token:trading-oauth")), 1);
    QCOMPARE(m_proc.state(), QProcess::Running);
}

void TestHdeckWatchReload::sighup_reloadsEvenWhenUnchanged()
{
    QVERIFY(writeInPlace(workspace(false)));
    startWatch();
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_events.value(QStringLiteral("orders")) >= 2), 15000);
    QVERIFY(::kill(pid_t(m_proc.processId()), SIGHUP) == 0);
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_stderr.contains(QStringLiteral("reloaded"))), 10000);
    QVERIFY2(m_stderr.contains(QStringLiteral("0 added, 0 changed, 0 removed, 2 unchanged")),
             qPrintable(m_stderr));
    QCOMPARE(m_proc.state(), QProcess::Running); // SIGHUP no longer ends the process
    const int orders = m_events.value(QStringLiteral("orders"));
    QTRY_VERIFY_WITH_TIMEOUT((drain(), m_events.value(QStringLiteral("orders")) >= orders + 2),
                             10000);
    QCOMPARE(m_events.value(QStringLiteral("token:trading-oauth")), 1);
}

QTEST_GUILESS_MAIN(TestHdeckWatchReload)
#include "tst_hdeckwatchreload.moc"
