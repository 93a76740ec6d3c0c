// The real Prometheus (Debian's prometheus package) on 127.0.0.1 scrapes `hdeck watch --metrics`
// running against the built-in simulator every second, with installer/prometheus's alert rules
// loaded; its HTTP API must then answer with the expected series, the rules must evaluate
// cleanly, and every query of the Grafana dashboard must be valid PromQL over this data.
// Fails (never skips) when prometheus is not installed.
#include "serverprocess.h"
#include "testsupport.h"
#include "watchprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUrlQuery>

#include <csignal>

using namespace hd;
using hd::test::WatchProcess;

class TestPrometheusScrape : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void series_areScrapedAndQueryable();
    void alertRules_loadAndEvaluate();
    void dashboardQueries_areValid();
    void cleanupTestCase();

private:
    QJsonObject api(const QString &path, const QUrlQuery &query = {});
    // Instant query; the result vector (empty on errors, which are recorded).
    QJsonArray query(const QString &promql);
    double scalar(const QString &promql); // first sample's value, NaN if none
    bool waitFor(const QString &promql, int timeoutMs);

    QTemporaryDir m_dir;
    WatchProcess m_watch;
    QProcess m_prometheus;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;
    QString m_lastError;
};

void TestPrometheusScrape::initTestCase()
{
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    QVERIFY2(!prometheus.isEmpty(),
             "prometheus not found: install Debian's prometheus package (see .ci/deps)");
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_watch.start(WatchProcess::writeSimWorkspace(m_dir.path())),
             m_watch.stderrText().constData());

    const QString rules
        = hd::test::sourcePath(QStringLiteral("installer/prometheus/healthdeck-rules.yml"));
    QVERIFY(QFile::exists(rules));
    const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("global:\n"
                           "  scrape_interval: 1s\n"
                           "  scrape_timeout: 1s\n"
                           "  evaluation_interval: 1s\n"
                           "rule_files:\n"
                           "  - %1\n"
                           "scrape_configs:\n"
                           "  - job_name: healthdeck\n"
                           "    static_configs:\n"
                           "      - targets: ['127.0.0.1:%2']\n")
                .arg(rules)
                .arg(m_watch.port())
                .toUtf8());
    f.close();

    // A free port can be taken between probing and binding: try a few.
    for (int attempt = 0; attempt < 3 && m_prometheus.state() != QProcess::Running; ++attempt) {
        m_port = hd::test::freeLoopbackPort();
        QVERIFY(m_port);
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.start(
            prometheus,
            {QStringLiteral("--config.file=") + config,
             QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
             QStringLiteral("--log.level=warn")});
        QVERIFY(m_prometheus.waitForStarted(10000));
        QElapsedTimer t;
        t.start();
        bool ready = false;
        while (!ready && t.elapsed() < 20000 && m_prometheus.state() == QProcess::Running) {
            QNetworkReply *reply = m_nam.get(
                QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/-/ready").arg(m_port))));
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            ready = reply->error() == QNetworkReply::NoError;
            reply->deleteLater();
            if (!ready)
                QTest::qWait(200);
        }
        if (ready)
            break;
        m_prometheus.kill();
        m_prometheus.waitForFinished(5000);
        qWarning("prometheus did not come up on %d: %s", m_port,
                 m_prometheus.readAll().right(2000).constData());
    }
    QVERIFY2(m_prometheus.state() == QProcess::Running, "prometheus did not start");
    // Two scrapes at least, so rates and the histogram have something to work with.
    QVERIFY2(waitFor(QStringLiteral("count_over_time(up{job=\"healthdeck\"}[1m]) >= 3"), 20000),
             qPrintable(m_lastError));
}

void TestPrometheusScrape::cleanupTestCase()
{
    if (m_prometheus.state() != QProcess::NotRunning) {
        m_prometheus.terminate();
        if (!m_prometheus.waitForFinished(10000)) {
            m_prometheus.kill();
            m_prometheus.waitForFinished(5000);
        }
    }
    if (m_watch.process().state() != QProcess::NotRunning)
        QVERIFY2(m_watch.stop(), m_watch.stderrText().constData());
}

QJsonObject TestPrometheusScrape::api(const QString &path, const QUrlQuery &query)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    url.setQuery(query);
    QNetworkReply *reply = m_nam.get(QNetworkRequest(url));
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.value(QStringLiteral("status")).toString() != u"success")
        m_lastError = QStringLiteral("%1 %2: %3")
                          .arg(path, query.toString(QUrl::FullyDecoded), QString::fromUtf8(body));
    return o;
}

QJsonArray TestPrometheusScrape::query(const QString &promql)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), promql);
    const QJsonObject o = api(QStringLiteral("/api/v1/query"), q);
    return o.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
}

double TestPrometheusScrape::scalar(const QString &promql)
{
    const QJsonArray r = query(promql);
    if (r.isEmpty())
        return qQNaN();
    return r.at(0).toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
}

bool TestPrometheusScrape::waitFor(const QString &promql, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (!query(promql).isEmpty())
            return true;
        QTest::qWait(200); // Prometheus scrapes and evaluates on its own schedule: ask again
    }
    m_lastError = QStringLiteral("no result for %1 after %2 ms; last error: %3")
                      .arg(promql)
                      .arg(timeoutMs)
                      .arg(m_lastError);
    return false;
}

void TestPrometheusScrape::series_areScrapedAndQueryable()
{
    QCOMPARE(scalar(QStringLiteral("up{job=\"healthdeck\"}")), 1.0);
    // Requests by endpoint, environment, outcome and category.
    QVERIFY(
        scalar(QStringLiteral("healthdeck_requests_total{endpoint=\"orders\",environment=\"prod\","
                              "outcome=\"success\",category=\"ok\"}"))
        > 0);
    QVERIFY(
        scalar(QStringLiteral("healthdeck_requests_total{endpoint=\"missing\",environment=\"dev\","
                              "outcome=\"client_error\",category=\"not_found\"}"))
        > 0);
    QVERIFY(scalar(QStringLiteral(
                "healthdeck_requests_total{endpoint=\"token:trading-oauth\",outcome=\"success\"}"))
            >= 1);
    // Bounded label values: exactly the workspace's endpoints and environments.
    QCOMPARE(scalar(QStringLiteral("count(count by (endpoint) (healthdeck_requests_total))")), 4.0);
    QCOMPARE(scalar(QStringLiteral("count(count by (environment) (healthdeck_requests_total))")),
             2.0);
    // A histogram Prometheus can compute quantiles from.
    QVERIFY2(
        waitFor(QStringLiteral(
                    "histogram_quantile(0.95, sum by (le) (rate("
                    "healthdeck_request_duration_seconds_bucket{endpoint=\"orders\"}[30s]))) >= 0"),
                15000),
        qPrintable(m_lastError));
    QCOMPARE(scalar(QStringLiteral(
                 "count(healthdeck_request_duration_seconds_bucket{endpoint=\"orders\"})")),
             12.0); // 11 bounds + Inf
    // Rate-limit headroom, token expiry, governor state.
    const double headroom
        = scalar(QStringLiteral("healthdeck_rate_limit_headroom_ratio{endpoint=\"orders\"}"));
    QVERIFY2(headroom > 0 && headroom <= 1, qPrintable(QString::number(headroom)));
    const double expiry = scalar(
        QStringLiteral("healthdeck_token_expiry_seconds{endpoint=\"token:trading-oauth\"}"));
    QVERIFY2(expiry > 0 && expiry <= 3600, qPrintable(QString::number(expiry)));
    QCOMPARE(scalar(QStringLiteral("count(healthdeck_governor_paused)")), 3.0);
    QCOMPARE(scalar(QStringLiteral("sum(healthdeck_governor_breaker_open)")), 0.0);
    QVERIFY(!query(QStringLiteral("healthdeck_governor_deferred_total")).isEmpty());
    QCOMPARE(scalar(QStringLiteral("healthdeck_endpoint_up{endpoint=\"health\"}")), 1.0);
    QCOMPARE(scalar(QStringLiteral("healthdeck_endpoint_up{endpoint=\"missing\"}")), 0.0);
    QCOMPARE(scalar(QStringLiteral("healthdeck_build_info")), 1.0);
    // The workspace's alert rules, one series each; the 404s keep dev's error rate high.
    QCOMPARE(scalar(QStringLiteral("count(healthdeck_alert_firing)")), 2.0);
    QVERIFY2(waitFor(QStringLiteral("healthdeck_alert_firing{rule=\"dev-errors\"} == 1"), 15000),
             qPrintable(m_lastError));
    QCOMPARE(scalar(QStringLiteral("healthdeck_alert_firing{rule=\"token-expiry\"}")), 0.0);
}

void TestPrometheusScrape::alertRules_loadAndEvaluate()
{
    QElapsedTimer t;
    t.start();
    QStringList names;
    QStringList unhealthy;
    // Every rule has been evaluated at least once without an error.
    while (t.elapsed() < 15000) {
        names.clear();
        unhealthy.clear();
        const QJsonObject o = api(QStringLiteral("/api/v1/rules"));
        for (const auto &g :
             o.value(QStringLiteral("data")).toObject().value(QStringLiteral("groups")).toArray())
            for (const auto &r : g.toObject().value(QStringLiteral("rules")).toArray()) {
                const QJsonObject rule = r.toObject();
                names.append(rule.value(QStringLiteral("name")).toString());
                if (rule.value(QStringLiteral("health")).toString() != u"ok")
                    unhealthy.append(rule.value(QStringLiteral("name")).toString() + u": "
                                     + rule.value(QStringLiteral("health")).toString() + u' '
                                     + rule.value(QStringLiteral("lastError")).toString());
            }
        if (!names.isEmpty() && unhealthy.isEmpty())
            break;
        QTest::qWait(200); // the rule files load on Prometheus's schedule: ask again
    }
    QVERIFY2(unhealthy.isEmpty(), qPrintable(unhealthy.join(u'\n')));
    for (const char *expected :
         {"healthdeck:request_error_ratio:rate30m", "HealthDeckErrorRateAbove1Percent",
          "HealthDeckLockout", "HealthDeckTokenExpiring", "HealthDeckRateLimitHeadroomLow",
          "HealthDeckWorkspaceAlert"})
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
    // The recording rule produces the 30-minute error ratio from the live counters: every
    // request to "missing" fails, none to "health".
    QVERIFY2(
        waitFor(QStringLiteral("healthdeck:request_error_ratio:rate30m{endpoint=\"missing\"} == 1"),
                10000),
        qPrintable(m_lastError));
    QCOMPARE(scalar(QStringLiteral("healthdeck:request_error_ratio:rate30m{endpoint=\"health\"}")),
             0.0);
    // The in-app rule that fires is mirrored by HealthDeckWorkspaceAlert (pending or firing).
    QVERIFY2(waitFor(QStringLiteral(
                         "ALERTS{alertname=\"HealthDeckWorkspaceAlert\",rule=\"dev-errors\"}"),
                     10000),
             qPrintable(m_lastError));
}

void TestPrometheusScrape::dashboardQueries_areValid()
{
    QFile f(hd::test::sourcePath(QStringLiteral("installer/prometheus/grafana-dashboard.json")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject dash = QJsonDocument::fromJson(f.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QStringList exprs;
    for (const auto &p : dash.value(QStringLiteral("panels")).toArray())
        for (const auto &t : p.toObject().value(QStringLiteral("targets")).toArray())
            exprs.append(t.toObject().value(QStringLiteral("expr")).toString());
    QVERIFY(exprs.size() >= 10);
    int withData = 0;
    for (QString e : std::as_const(exprs)) {
        QVERIFY(!e.isEmpty());
        e.replace(QStringLiteral("$__rate_interval"), QStringLiteral("30s"))
            .replace(QStringLiteral("$instance"), QStringLiteral(".*"))
            .replace(QStringLiteral("$environment"), QStringLiteral(".*"));
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("query"), e);
        m_lastError.clear();
        const QJsonObject o = api(QStringLiteral("/api/v1/query"), q);
        QVERIFY2(o.value(QStringLiteral("status")).toString() == u"success",
                 qPrintable(m_lastError));
        if (!o.value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("result"))
                 .toArray()
                 .isEmpty())
            ++withData;
    }
    // Lockouts, pauses and firing alerts may legitimately be empty; most panels are not.
    QVERIFY2(withData >= exprs.size() - 3,
             qPrintable(QStringLiteral("%1 of %2").arg(withData).arg(exprs.size())));
}

QTEST_GUILESS_MAIN(TestPrometheusScrape)
#include "tst_prometheusscrape.moc"
