// MetricsExporter as the console uses it: in-process, following a MonitorSession on the built-in
// simulator, answering scrapes on a real loopback socket. Also the server's handling of HEAD,
// unknown paths and methods, split and oversized requests, a busy port and stop().
#include "alertengine.h"
#include "clockstepper.h"
#include "exposition.h"
#include "metricsexporter.h"
#include "monitorsession.h"
#include "rawhttpclient.h"
#include "simulator.h"
#include "testsupport.h"
#include "watchprocess.h"
#include "workspacefile.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTest>

using namespace hd;
using hd::test::Exposition;
using hd::test::RawHttpClient;

class TestMetricsServer : public QObject
{
    Q_OBJECT
private slots:
    void exporter_servesTheSessionsMetrics();
    void exporter_followsANewSessionAfresh();
    void governorState_lockoutAndBreakerShowUp();
    void alertEngine_canBeReplaced();
    void head_hasHeadersButNoBody();
    void otherPathsAndMethods_areRefused();
    void splitRequest_isAnsweredOnceComplete();
    void oversizedHeaders_areRefused();
    void busyPort_isAClearError();
    void ipv6Loopback_urlHasBrackets();
    void stop_closesThePort();

private:
    static Workspace simWorkspace(const QTemporaryDir &dir);
};

Workspace TestMetricsServer::simWorkspace(const QTemporaryDir &dir)
{
    const auto loaded
        = WorkspaceFile::load(hd::test::WatchProcess::writeSimWorkspace(dir.path(), 100));
    if (!loaded.workspace)
        qFatal("%s", qPrintable(loaded.error));
    return *loaded.workspace;
}

void TestMetricsServer::exporter_servesTheSessionsMetrics()
{
    QTemporaryDir dir;
    // The session polls on a ManualClock moved in 100 ms steps (the workspace's interval).
    ManualClock clock;
    MonitorSession session(clock);
    QCOMPARE(session.open(simWorkspace(dir)), QString());
    MetricsExporter exporter;
    exporter.setSession(&session);
    QCOMPARE(exporter.url(), QUrl());
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    QVERIFY(exporter.isRunning());
    const QUrl url = exporter.url();
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(url.port() > 0);
    QCOMPARE(url.path(), QStringLiteral("/metrics"));
    session.start();
    PollScheduler &scheduler = *session.engine()->scheduler();
    const auto stepUntil = [&](const std::function<bool()> &done) {
        for (int step = 0; step < 100 && !done(); ++step)
            if (!test::stepClock(clock, scheduler, 100, 100))
                return false;
        return done();
    };
    QVERIFY(stepUntil([&] { return exporter.render().contains("endpoint=\"missing\""); }));
    QVERIFY(
        stepUntil([&] { return exporter.render().contains("healthdeck_token_expiry_seconds"); }));

    const auto r = RawHttpClient::get(quint16(url.port()), "/metrics");
    QVERIFY2(r.ok, r.error.constData());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("content-type"),
             QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(r.headers.value("content-length").toLongLong(), r.body.size());
    const Exposition x = Exposition::parse(r.body);
    QVERIFY2(x.errors.isEmpty(), qPrintable(x.errors.join(u'\n')));
    QVERIFY(x.value(QStringLiteral("healthdeck_requests_total"),
                    {{QStringLiteral("endpoint"), QStringLiteral("missing")},
                     {QStringLiteral("environment"), QStringLiteral("dev")},
                     {QStringLiteral("outcome"), QStringLiteral("client_error")},
                     {QStringLiteral("category"), QStringLiteral("not_found")}})
            >= 1);
    // The governor is read at scrape time, one series per workspace endpoint.
    for (const char *ep : {"orders", "health", "missing"})
        QVERIFY2(x.labelValues(QStringLiteral("endpoint")).contains(QLatin1String(ep)), ep);
    QVERIFY(x.types.contains(QStringLiteral("healthdeck_governor_paused")));
    QVERIFY(x.types.contains(QStringLiteral("healthdeck_governor_deferred_total")));
    // The session's own alert engine: one series per workspace rule.
    QCOMPARE(x.labelValues(QStringLiteral("rule")),
             (QStringList{QStringLiteral("dev-errors"), QStringLiteral("token-expiry")}));
    QVERIFY(x.has(QStringLiteral("healthdeck_alert_firing"),
                  {{QStringLiteral("rule"), QStringLiteral("token-expiry")},
                   {QStringLiteral("kind"), QStringLiteral("token_expiry")}}));
    // The query string does not matter.
    QCOMPARE(RawHttpClient::get(quint16(url.port()), "/metrics?x=1").status, 200);
    // orders, health, missing and token:trading-oauth; nothing else, however long it runs.
    QVERIFY(stepUntil([&] { return exporter.collector().seriesCount() == 4; }));
    QVERIFY(test::stepClock(clock, scheduler, 2000, 100)); // twenty more polls of each
    QCOMPARE(exporter.collector().seriesCount(), 4);
    session.close();
}

void TestMetricsServer::exporter_followsANewSessionAfresh()
{
    QTemporaryDir dir;
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    {
        MonitorSession first;
        QCOMPARE(first.open(simWorkspace(dir)), QString());
        exporter.setSession(&first);
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(exporter.collector().seriesCount() >= 3, 10000);
        first.close();
    }
    // The session is gone: scrapes still work, with what was counted.
    QCOMPARE(RawHttpClient::get(exporter.url().port(), "/metrics").status, 200);
    MonitorSession second;
    QCOMPARE(second.open(simWorkspace(dir)), QString());
    exporter.setSession(&second);
    QCOMPARE(exporter.collector().seriesCount(), 0);
    QVERIFY(!exporter.render().contains("healthdeck_requests_total{endpoint=\"orders\""));
    // A session that has not started still lists its endpoints' governor state.
    QVERIFY(exporter.render().contains("healthdeck_governor_paused{endpoint=\"orders\""));
    second.start();
    QTRY_VERIFY_WITH_TIMEOUT(exporter.collector().seriesCount() >= 3, 10000);
}

void TestMetricsServer::governorState_lockoutAndBreakerShowUp()
{
    // A Tradovate-style API that warns after 3 requests and locks out after 6 (seed 003), and
    // a host that refuses every connection: the governor pauses the first and opens the
    // breaker on the second, and /metrics says so.
    const auto parsed = WorkspaceFile::parse(
        R"({"schema":"healthdeck.workspace/1","name":"t","simulator":{"enabled":true,"seed":7},
        "environments":[{"id":"prod","baseUrl":"sim:/prod"}],
        "credentials":[{"id":"tradovate","method":"tradovate_token","tokenUrl":"sim:/s003/v1/auth/accesstokenrequest",
          "username":"sim-user","appId":"HealthDeck","cid":"8","secretName":"HDECK_SIM_TRADOVATE_PASSWORD",
          "secondSecretName":"HDECK_SIM_TRADOVATE_SEC"}],
        "endpoints":[{"id":"accounts","environment":"prod","path":"/s003/v1/account/list","intervalMs":100,
          "profile":"tradovate","credential":"tradovate","quotaShare":1.0},
          {"id":"backtest","environment":"prod","path":"http://127.0.0.1:9/health","intervalMs":100,"timeoutMs":1000}]})",
        QStringLiteral("test"));
    QVERIFY2(parsed.workspace, qPrintable(parsed.error));
    MonitorSession session;
    QCOMPARE(session.open(*parsed.workspace), QString());
    QNetworkAccessManager nam;
    QNetworkRequest config(
        session.simulator()->baseUrl().resolved(QUrl(QStringLiteral("/_sim/config"))));
    config.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.post(
        config,
        R"({"tradovate_window_ms":20000,"tradovate_warn_at":3,"tradovate_lock_at":6,"lockout_window_ms":30000})");
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    reply->deleteLater();

    MetricsExporter exporter;
    exporter.setSession(&session);
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    session.start();
    const QMap<QString, QString> accounts{{QStringLiteral("endpoint"), QStringLiteral("accounts")},
                                          {QStringLiteral("environment"), QStringLiteral("prod")}};
    const QMap<QString, QString> backtest{{QStringLiteral("endpoint"), QStringLiteral("backtest")},
                                          {QStringLiteral("environment"), QStringLiteral("prod")}};
    auto scrape = [&] {
        return Exposition::parse(
            RawHttpClient::get(quint16(exporter.url().port()), "/metrics").body);
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        scrape().value(QStringLiteral("healthdeck_lockout_active"), accounts) == 1, 20000);
    const Exposition x = scrape();
    QVERIFY2(x.errors.isEmpty(), qPrintable(x.errors.join(u'\n')));
    QCOMPARE(x.value(QStringLiteral("healthdeck_lockouts_total"), accounts), 1.0);
    QCOMPARE(x.value(QStringLiteral("healthdeck_governor_paused"), accounts), 1.0);
    QVERIFY(x.value(QStringLiteral("healthdeck_governor_pause_remaining_seconds"), accounts) > 1);
    QCOMPARE(x.value(QStringLiteral("healthdeck_governor_slowed_down"), accounts), 1.0);
    auto withCategory = [](QMap<QString, QString> l, const char *outcome, const char *category) {
        l.insert(QStringLiteral("outcome"), QLatin1String(outcome));
        l.insert(QStringLiteral("category"), QLatin1String(category));
        return l;
    };
    QVERIFY(x.value(QStringLiteral("healthdeck_requests_total"),
                    withCategory(accounts, "client_error", "lockout_warning"))
            >= 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        scrape().value(QStringLiteral("healthdeck_governor_breaker_open"), backtest) == 1, 20000);
    const Exposition y = scrape();
    QCOMPARE(y.value(QStringLiteral("healthdeck_endpoint_up"), backtest), 0.0);
    QVERIFY(y.value(QStringLiteral("healthdeck_requests_total"),
                    withCategory(backtest, "connection_error", "connection_refused"))
            >= 5);
    QVERIFY(y.value(QStringLiteral("healthdeck_governor_deferred_total")) > 0);
    session.close();
}

void TestMetricsServer::alertEngine_canBeReplaced()
{
    // Without a session there are no alert families; an alert engine given explicitly is
    // reported instead of the session's.
    MetricsExporter exporter;
    QVERIFY(!exporter.render().contains("healthdeck_alert_firing"));
    ManualClock clock;
    Aggregator aggregator(clock);
    AlertEngine alerts(clock, &aggregator);
    alerts.setRules({AlertRule{QStringLiteral("desk-rule"), QStringLiteral("down"),
                               QStringLiteral("*"), 0, 1800, 1}});
    exporter.setAlertEngine(&alerts);
    const Exposition x = Exposition::parse(exporter.render());
    QVERIFY(x.errors.isEmpty());
    QCOMPARE(x.value(QStringLiteral("healthdeck_alert_firing"),
                     {{QStringLiteral("rule"), QStringLiteral("desk-rule")},
                      {QStringLiteral("kind"), QStringLiteral("down")}}),
             0.0);
    ApiEvent e;
    e.endpoint = QStringLiteral("orders");
    e.environment = QStringLiteral("prod");
    e.timeMs = clock.nowMs();
    e.category = Category::ConnectionRefused;
    e.outcome = Outcome::ConnectionError;
    aggregator.add(e);
    alerts.observe(e);
    alerts.evaluate();
    QCOMPARE(Exposition::parse(exporter.render())
                 .value(QStringLiteral("healthdeck_alert_firing"),
                        {{QStringLiteral("rule"), QStringLiteral("desk-rule")},
                         {QStringLiteral("kind"), QStringLiteral("down")}}),
             1.0);
}

void TestMetricsServer::head_hasHeadersButNoBody()
{
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    const auto r = RawHttpClient::exchange(exporter.url().port(),
                                           {"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"});
    QCOMPARE(r.status, 200);
    QVERIFY(r.headers.value("content-length").toInt() > 0);
    QCOMPARE(r.body, QByteArray());
}

void TestMetricsServer::otherPathsAndMethods_areRefused()
{
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    const quint16 port = quint16(exporter.url().port());
    QCOMPARE(RawHttpClient::get(port, "/").status, 200);
    QVERIFY(RawHttpClient::get(port, "/").body.contains("/metrics"));
    QCOMPARE(RawHttpClient::get(port, "/metrics/x").status, 404);
    QCOMPARE(RawHttpClient::get(port, "/../etc/passwd").status, 404);
    const auto post
        = RawHttpClient::exchange(port, {"POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"});
    QCOMPARE(post.status, 405);
    QCOMPARE(post.headers.value("allow"), QByteArray("GET, HEAD"));
    QCOMPARE(RawHttpClient::exchange(port, {"garbage\r\n\r\n"}).status, 400);
}

void TestMetricsServer::splitRequest_isAnsweredOnceComplete()
{
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    const auto r = RawHttpClient::exchange(
        exporter.url().port(), {"GET /met", "rics HTTP/1.1\r\nHo", "st: x\r\n", "\r\n"}, 50);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("# TYPE healthdeck_requests_total counter"));
}

void TestMetricsServer::oversizedHeaders_areRefused()
{
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    const QByteArray huge
        = "GET /metrics HTTP/1.1\r\nX-Big: " + QByteArray(MetricsServer::MaxHeaderBytes + 100, 'a');
    const auto r = RawHttpClient::exchange(exporter.url().port(), {huge});
    QCOMPARE(r.status, 431);
}

void TestMetricsServer::busyPort_isAClearError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), 0));
    MetricsExporter exporter;
    const QString error
        = exporter.start(QHostAddress(QHostAddress::LocalHost), squatter.serverPort());
    QVERIFY2(error.startsWith(
                 QStringLiteral("cannot listen on 127.0.0.1:%1: ").arg(squatter.serverPort())),
             qPrintable(error));
    QVERIFY(!exporter.isRunning());
    QCOMPARE(exporter.url(), QUrl());
}

void TestMetricsServer::ipv6Loopback_urlHasBrackets()
{
    {
        QTcpServer probe; // containers without IPv6 have no ::1 at all
        if (!probe.listen(QHostAddress(QHostAddress::LocalHostIPv6), 0))
            QSKIP("this machine has no IPv6 loopback");
    }
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHostIPv6), 0), QString());
    const QUrl url = exporter.url();
    QVERIFY2(url.toString().startsWith(QStringLiteral("http://[::1]:")),
             qPrintable(url.toString()));
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(),
             QStringLiteral("text/plain; version=0.0.4; charset=utf-8"));
    QVERIFY(reply->readAll().contains("# TYPE healthdeck_build_info gauge"));
    reply->deleteLater();
}

void TestMetricsServer::stop_closesThePort()
{
    MetricsExporter exporter;
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    const quint16 port = quint16(exporter.url().port());
    QCOMPARE(RawHttpClient::get(port, "/metrics").status, 200);
    exporter.stop();
    QVERIFY(!exporter.isRunning());
    const auto r = RawHttpClient::get(port, "/metrics");
    QVERIFY(!r.ok);
    // And it can start again, on any port.
    QCOMPARE(exporter.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    QCOMPARE(RawHttpClient::get(quint16(exporter.url().port()), "/metrics").status, 200);
}

QTEST_GUILESS_MAIN(TestMetricsServer)
#include "tst_metricsserver.moc"
