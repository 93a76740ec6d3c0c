// `hdeck watch --metrics` as a process against the built-in simulator: the real output passes
// `promtool check metrics` (Debian's prometheus package) and a strict parser, labels stay
// within the documented set, and bad or busy addresses are clear one-line errors.
#include "exposition.h"
#include "rawhttpclient.h"
#include "testsupport.h"
#include "watchprocess.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace hd;
using hd::test::Exposition;
using hd::test::RawHttpClient;
using hd::test::WatchProcess;

class TestHdeckWatchMetrics : public QObject
{
    Q_OBJECT
private slots:
    void realOutput_passesPromtoolAndAStrictParser();
    void defaultHost_isLoopback();
    void badAddress_isAUsageError_data();
    void badAddress_isAUsageError();
    void busyPort_isAFailure();
};

void TestHdeckWatchMetrics::realOutput_passesPromtoolAndAStrictParser()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!promtool.isEmpty(),
             "promtool not found: install Debian's prometheus package (see .ci/deps)");
    QTemporaryDir dir;
    WatchProcess watch;
    QVERIFY2(watch.start(WatchProcess::writeSimWorkspace(dir.path())),
             watch.stderrText().constData());
    QCOMPARE(watch.metricsUrl().host(), QStringLiteral("127.0.0.1"));

    // Wait until every family has something to say.
    QByteArray body;
    QTRY_VERIFY_WITH_TIMEOUT(
        (body = RawHttpClient::get(watch.port(), "/metrics").body).contains("endpoint=\"missing\"")
            && body.contains("healthdeck_token_expiry_seconds{")
            && body.contains("healthdeck_rate_limit_headroom_ratio{")
            && body.contains("healthdeck_alert_firing{rule=\"dev-errors\",kind=\"error_rate\"} 1"),
        20000);

    QProcess check;
    check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(check.waitForStarted());
    check.write(body);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(30000));
    const QByteArray said = check.readAllStandardOutput() + check.readAllStandardError();
    QVERIFY2(check.exitCode() == 0 && said.trimmed().isEmpty(), said.constData());

    const Exposition x = Exposition::parse(body);
    QVERIFY2(x.errors.isEmpty(), qPrintable(x.errors.join(u'\n')));
    QSet<QString> labelNames;
    for (const auto &set : x.labelSets)
        for (auto it = set.cbegin(); it != set.cend(); ++it)
            labelNames.insert(it.key());
    const QSet<QString> allowed{
        QStringLiteral("endpoint"), QStringLiteral("environment"), QStringLiteral("outcome"),
        QStringLiteral("category"), QStringLiteral("le"), QStringLiteral("rule"),
        QStringLiteral("kind"), QStringLiteral("version"), QStringLiteral("qt_version"),
        // Closed vocabularies: timing phases and health states (docs/network.md).
        QStringLiteral("phase"), QStringLiteral("state")};
    QVERIFY2((labelNames - allowed).isEmpty(),
             qPrintable(QStringList((labelNames - allowed).values()).join(u',')));
    QCOMPARE(x.labelValues(QStringLiteral("endpoint")),
             (QStringList{QStringLiteral("health"), QStringLiteral("missing"),
                          QStringLiteral("orders"), QStringLiteral("token:trading-oauth")}));
    QCOMPARE(x.labelValues(QStringLiteral("environment")),
             (QStringList{QStringLiteral("dev"), QStringLiteral("prod")}));
    // No URL, port or secret ever reaches the exposition.
    QVERIFY(!body.contains("http://"));
    QVERIFY(!body.contains("sim-secret"));
    QVERIFY(!body.contains("/s000/"));

    QVERIFY2(watch.stop(), watch.stderrText().constData());
    QVERIFY(watch.stderrText().contains("hdeck watch: "));
    // The port is closed once hdeck has exited.
    QVERIFY(!RawHttpClient::get(watch.port(), "/metrics").ok);
}

void TestHdeckWatchMetrics::defaultHost_isLoopback()
{
    QTemporaryDir dir;
    WatchProcess watch;
    QVERIFY2(watch.start(WatchProcess::writeSimWorkspace(dir.path(), 1000), QStringLiteral("0")),
             watch.stderrText().constData());
    QCOMPARE(watch.metricsUrl().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(RawHttpClient::get(watch.port(), "/metrics").status, 200);
    QVERIFY(watch.stop());
}

void TestHdeckWatchMetrics::badAddress_isAUsageError_data()
{
    QTest::addColumn<QString>("arg");
    QTest::addColumn<QString>("says");
    QTest::newRow("no port") << "127.0.0.1:"
                             << "the port is missing";
    QTest::newRow("port out of range") << "127.0.0.1:70000"
                                       << "from 0 to 65535";
    QTest::newRow("host name") << "metrics.example:9464"
                               << "is not an IP address";
    QTest::newRow("bare ipv6") << "::1:9464"
                               << "in brackets";
}

void TestHdeckWatchMetrics::badAddress_isAUsageError()
{
    QFETCH(QString, arg);
    QFETCH(QString, says);
    QTemporaryDir dir;
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"),
                                       WatchProcess::writeSimWorkspace(dir.path()),
                                       QStringLiteral("--metrics"), arg});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("hdeck: watch: --metrics: ") && r.err.contains(says.toUtf8()),
             r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.out.isEmpty());
}

void TestHdeckWatchMetrics::busyPort_isAFailure()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), 0));
    QTemporaryDir dir;
    const auto r = hd::test::runHdeck({QStringLiteral("watch"), QStringLiteral("--workspace"),
                                       WatchProcess::writeSimWorkspace(dir.path()),
                                       QStringLiteral("--metrics"),
                                       QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort()),
                                       QStringLiteral("--duration"), QStringLiteral("5")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("hdeck: watch: --metrics: cannot listen on 127.0.0.1:%1")
                                .arg(squatter.serverPort())
                                .toUtf8()),
             r.err.constData());
}

QTEST_GUILESS_MAIN(TestHdeckWatchMetrics)
#include "tst_hdeckwatchmetrics.moc"
