// installer/prometheus/ as Prometheus's own tool sees it: the alert rules pass `promtool check
// rules` and their unit tests (`promtool test rules`: error rate above 1% over 30 minutes,
// lockout, token expiry, headroom, SLO burn rate held in maintenance windows, …), and the
// example configuration passes `promtool check config`. Fails (never skips) when promtool is not
// installed.
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

class TestPrometheusRules : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void checkRules();
    void testRules();
    void checkConfig();
    void brokenRule_isRejected();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray output;
    };
    Result promtool(const QStringList &args, const QString &workingDir = {});
    QString m_promtool;
    QString m_dir;
};

void TestPrometheusRules::initTestCase()
{
    m_promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!m_promtool.isEmpty(),
             "promtool not found: install Debian's prometheus package (see .ci/deps)");
    m_dir = hd::test::sourcePath(QStringLiteral("installer/prometheus"));
}

TestPrometheusRules::Result TestPrometheusRules::promtool(const QStringList &args,
                                                          const QString &workingDir)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(workingDir.isEmpty() ? m_dir : workingDir);
    p.start(m_promtool, args);
    Result r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitCode();
    r.output = p.readAll();
    return r;
}

void TestPrometheusRules::checkRules()
{
    const auto r = promtool(
        {QStringLiteral("check"), QStringLiteral("rules"), QStringLiteral("healthdeck-rules.yml")});
    QVERIFY2(r.exitCode == 0, r.output.constData());
    QVERIFY2(r.output.contains("SUCCESS: 17 rules found"), r.output.constData());
}

void TestPrometheusRules::testRules()
{
    const auto r = promtool({QStringLiteral("test"), QStringLiteral("rules"),
                             QStringLiteral("healthdeck-rules.test.yml")});
    QVERIFY2(r.exitCode == 0, r.output.constData());
    QVERIFY2(r.output.contains("SUCCESS"), r.output.constData());
}

void TestPrometheusRules::checkConfig()
{
    const auto r = promtool(
        {QStringLiteral("check"), QStringLiteral("config"), QStringLiteral("prometheus.yml")});
    QVERIFY2(r.exitCode == 0, r.output.constData());
    QVERIFY2(r.output.contains("SUCCESS: 1 rule files found"), r.output.constData());
}

void TestPrometheusRules::brokenRule_isRejected()
{
    // The checks above would mean little if promtool accepted anything.
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("bad.yml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: "
            "rate(healthdeck_requests_total[5m]\n");
    f.close();
    const auto r
        = promtool({QStringLiteral("check"), QStringLiteral("rules"), f.fileName()}, dir.path());
    QVERIFY2(r.exitCode != 0, r.output.constData());
}

QTEST_GUILESS_MAIN(TestPrometheusRules)
#include "tst_prometheusrules.moc"
