// cert_expiry on the simulator's short-lived certificate: a workspace whose environment is
// "sim+tls-short:" with the simulator's CA ("sim:ca.pem") is polled by the engine; the alert
// engine (ManualClock) warns at 30 days, turns critical at 7, resolves when a renewed
// certificate comes back; /metrics exports the seconds to expiry and the phase histogram.
#include "aggregator.h"
#include "alertengine.h"
#include "engineprobe.h"
#include "metricscollector.h"
#include "monitorengine.h"
#include "simulator.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestCertExpiry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void shortLivedCertificate_firesWarningThenCritical();
    void renewedCertificate_resolves();
    void metrics_exportSecondsToExpiryAndPhases();
    void ruleThresholds_fromTheWorkspace();

private:
    ApiEvent pollOnce(const QString &baseUrl);
    static AlertRule rule(double warnDays = 0, double criticalDays = 0);

    std::unique_ptr<Simulator> m_sim;
    ApiEvent m_short;
};

void TestCertExpiry::initTestCase()
{
    SimConfig config;
    config.tls = true;
    config.tlsShortLivedDays = 10; // a warning now, critical four days on
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY2(m_sim->start(0) != 0, qPrintable(m_sim->errorString()));
    m_short = pollOnce(QStringLiteral("sim+tls-short:"));
    HD_COMPARE_ENUM(m_short.category, Category::Ok);
    QVERIFY(m_short.tls && m_short.tls->notAfterMs > 0);
}

ApiEvent TestCertExpiry::pollOnce(const QString &baseUrl)
{
    Environment env;
    env.id = QStringLiteral("uat");
    env.baseUrl = baseUrl;
    env.caFile = QStringLiteral("sim:ca.pem");
    env.caMode = Environment::CaMode::Replace;
    EngineOptions options;
    options.simulatorBaseUrl = m_sim->baseUrl().toString();
    options.simulatorPlaceholders = m_sim->placeholders();
    return hd::test::probeOnce(hd::test::oneEndpointWorkspace(env,
                                                              QStringLiteral("/s004/v1/health"),
                                                              QStringLiteral("uat.health")),
                               QStringLiteral("uat.health"), options)
        .event;
}

AlertRule TestCertExpiry::rule(double warnDays, double criticalDays)
{
    AlertRule r;
    r.id = QStringLiteral("cert");
    r.kind = QStringLiteral("cert_expiry");
    r.scope = QStringLiteral("*");
    r.threshold = warnDays;
    r.critical = criticalDays;
    return r;
}

void TestCertExpiry::shortLivedCertificate_firesWarningThenCritical()
{
    ManualClock clock(m_short.timeMs);
    AlertEngine alerts(clock, nullptr);
    alerts.setRules({rule()}); // defaults: 30 and 7 days
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    alerts.observe(m_short);
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    AlertState a = fired.last().first().value<AlertState>();
    QCOMPARE(a.kind, QStringLiteral("cert_expiry"));
    QCOMPARE(a.subject, QStringLiteral("uat.health"));
    QCOMPARE(a.severity, QStringLiteral("warning"));
    QVERIFY2(a.message.contains(QStringLiteral("short-lived.sim")), qPrintable(a.message));
    QVERIFY2(a.value > 9 && a.value <= 10, qPrintable(QString::number(a.value)));

    clock.advance(4 * 86400000LL); // 6 days left: critical, announced again
    alerts.evaluate();
    QCOMPARE(fired.size(), 2);
    a = fired.last().first().value<AlertState>();
    QCOMPARE(a.severity, QStringLiteral("critical"));
    QCOMPARE(alerts.active().size(), 1);

    clock.advance(7 * 86400000LL); // expired: still critical, message says so
    alerts.evaluate();
    QCOMPARE(fired.size(), 2);
    QVERIFY(alerts.active().first().message.contains(QStringLiteral("expired")));
}

void TestCertExpiry::renewedCertificate_resolves()
{
    ManualClock clock(m_short.timeMs);
    AlertEngine alerts(clock, nullptr);
    alerts.setClearHoldMs(0);
    alerts.setRules({rule()});
    QSignalSpy resolved(&alerts, &AlertEngine::resolved);
    alerts.observe(m_short);
    alerts.evaluate();
    QCOMPARE(alerts.active().size(), 1);
    // The same endpoint now answers with the simulator's 90-day certificate.
    ApiEvent renewed = pollOnce(QStringLiteral("sim+tls:"));
    QVERIFY(renewed.tls);
    renewed.endpoint = m_short.endpoint;
    alerts.observe(renewed);
    alerts.evaluate();
    QCOMPARE(resolved.size(), 1);
    QVERIFY(alerts.active().isEmpty());
}

void TestCertExpiry::metrics_exportSecondsToExpiryAndPhases()
{
    ManualClock clock(m_short.timeMs);
    MetricsCollector metrics(clock);
    metrics.observe(m_short);
    const QByteArray text = metrics.render();
    const QByteArray prefix
        = "healthdeck_tls_cert_expiry_seconds{endpoint=\"uat.health\",environment=\"uat\"} ";
    const qsizetype at = text.indexOf(prefix);
    QVERIFY2(at >= 0, text.constData());
    const double seconds
        = text.mid(at + prefix.size(), text.indexOf('\n', at) - at - prefix.size()).toDouble();
    QVERIFY2(seconds > 9 * 86400 && seconds <= 10 * 86400, qPrintable(QString::number(seconds)));
    // A fresh connection: the tls phase is in the histogram.
    QVERIFY2(text.contains("healthdeck_request_phase_duration_seconds_count{endpoint=\"uat."
                           "health\",environment=\"uat\",phase=\"tls\"} 1"),
             text.constData());
    QVERIFY(text.contains("healthdeck_endpoint_health{endpoint=\"uat.health\",environment=\"uat\","
                          "state=\"up\"} 1"));
}

void TestCertExpiry::ruleThresholds_fromTheWorkspace()
{
    // warn at 5 days: 10 days left is fine; critical at 2.
    ManualClock clock(m_short.timeMs);
    AlertEngine alerts(clock, nullptr);
    alerts.setRules({rule(5, 2)});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    alerts.observe(m_short);
    alerts.evaluate();
    QCOMPARE(fired.size(), 0);
    clock.advance(6 * 86400000LL); // 4 days left
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired.last().first().value<AlertState>().severity, QStringLiteral("warning"));
    clock.advance(3 * 86400000LL); // 1 day left
    alerts.evaluate();
    QCOMPARE(fired.last().first().value<AlertState>().severity, QStringLiteral("critical"));
}

QTEST_GUILESS_MAIN(TestCertExpiry)
#include "tst_certexpiry.moc"
