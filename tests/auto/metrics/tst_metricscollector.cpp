// What /metrics says about a stream of events, under a ManualClock: cumulative counters by
// endpoint, environment, outcome and category; a proper histogram; headroom, token expiry and
// lockouts; alert rule states; and labels that never carry URLs or identifiers.
#include "aggregator.h"
#include "alertengine.h"
#include "exposition.h"
#include "metricscollector.h"
#include "promtextwriter.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;
using namespace Qt::StringLiterals;
using hd::test::Exposition;

class TestMetricsCollector : public QObject
{
    Q_OBJECT
private slots:
    void requests_countedByEndpointEnvironmentOutcomeCategory();
    void latency_isACumulativeHistogramInSeconds();
    void rateLimit_headroomFromTheNewestHeaders();
    void token_expiryCountsDownWithTheClock();
    void lockout_activeForItsWindowThenClears();
    void labels_neverCarryUrlsOrIdentifiers();
    void cardinality_isCappedWithAnOverflowSeries();
    void alerts_firingPerRule();
    void slo_budgetBurnRateAndMaintenance();
    void clear_startsAfresh();
    void output_isAValidExposition();

private:
    ApiEvent make(const QString &endpoint, const QString &env, Category c, double ms = 10);
    ManualClock m_clock;
};

ApiEvent TestMetricsCollector::make(const QString &endpoint, const QString &env, Category c,
                                    double ms)
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.endpoint = endpoint;
    e.environment = env;
    e.category = c;
    e.outcome = outcomeOf(c);
    e.durationMs = ms;
    return e;
}

static QMap<QString, QString> labels(const QString &endpoint, const QString &env)
{
    return {{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("environment"), env}};
}

static QMap<QString, QString> labels(const QString &endpoint, const QString &env,
                                     const QString &outcome, const QString &category)
{
    auto l = labels(endpoint, env);
    l.insert(QStringLiteral("outcome"), outcome);
    l.insert(QStringLiteral("category"), category);
    return l;
}

static Exposition parsed(const QByteArray &text)
{
    Exposition x = Exposition::parse(text);
    if (!x.errors.isEmpty())
        qWarning("%s", qPrintable(x.errors.join(u'\n')));
    return x;
}

void TestMetricsCollector::requests_countedByEndpointEnvironmentOutcomeCategory()
{
    MetricsCollector c(m_clock);
    for (int i = 0; i < 3; ++i)
        c.observe(make(QStringLiteral("orders"), QStringLiteral("prod"), Category::Ok));
    c.observe(make(QStringLiteral("orders"), QStringLiteral("prod"), Category::RateLimited));
    c.observe(make(QStringLiteral("orders"), QStringLiteral("dev"), Category::ConnectionReset));
    c.observe(make(QStringLiteral("orders"), QStringLiteral("dev"), Category::BusinessRejected));
    const Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    const QString name = QStringLiteral("healthdeck_requests_total");
    QCOMPARE(x.types.value(name), QStringLiteral("counter"));
    QCOMPARE(x.value(name, labels(u"orders"_s, u"prod"_s, u"success"_s, u"ok"_s)), 3.0);
    QCOMPARE(x.value(name, labels(u"orders"_s, u"prod"_s, u"client_error"_s, u"rate_limited"_s)),
             1.0);
    QCOMPARE(
        x.value(name, labels(u"orders"_s, u"dev"_s, u"connection_error"_s, u"connection_reset"_s)),
        1.0);
    QCOMPARE(
        x.value(name, labels(u"orders"_s, u"dev"_s, u"business_error"_s, u"business_rejected"_s)),
        1.0);
    // Only combinations that happened are series.
    QVERIFY(!x.has(name, labels(u"orders"_s, u"dev"_s, u"success"_s, u"ok"_s)));
    QCOMPARE(x.value(QStringLiteral("healthdeck_endpoint_up"), labels(u"orders"_s, u"prod"_s)),
             0.0); // the newest prod attempt was the 429
    QCOMPARE(x.value(QStringLiteral("healthdeck_last_request_timestamp_seconds"),
                     labels(u"orders"_s, u"prod"_s)),
             double(m_clock.nowMs()) / 1000.0);
}

void TestMetricsCollector::latency_isACumulativeHistogramInSeconds()
{
    MetricsCollector c(m_clock);
    for (double ms : {1.0, 5.0, 7.0, 30.0, 600.0, 20000.0})
        c.observe(make(QStringLiteral("quotes"), QStringLiteral("prod"), Category::Ok, ms));
    const Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    const QString name = QStringLiteral("healthdeck_request_duration_seconds");
    QCOMPARE(x.types.value(name), QStringLiteral("histogram"));
    auto bucket = [&](const QString &le) {
        auto l = labels(u"quotes"_s, u"prod"_s);
        l.insert(QStringLiteral("le"), le);
        return x.value(name + u"_bucket", l);
    };
    QCOMPARE(bucket(u"0.005"_s), 2.0); // 1 ms and exactly 5 ms (le is inclusive)
    QCOMPARE(bucket(u"0.01"_s), 3.0);
    QCOMPARE(bucket(u"0.025"_s), 3.0);
    QCOMPARE(bucket(u"0.05"_s), 4.0);
    QCOMPARE(bucket(u"0.5"_s), 4.0);
    QCOMPARE(bucket(u"1"_s), 5.0);
    QCOMPARE(bucket(u"10"_s), 5.0);
    QCOMPARE(bucket(u"+Inf"_s), 6.0);
    QCOMPARE(x.value(name + u"_count", labels(u"quotes"_s, u"prod"_s)), 6.0);
    QVERIFY(qAbs(x.value(name + u"_sum", labels(u"quotes"_s, u"prod"_s)) - 20.643) < 1e-9);
    // Buckets never decrease.
    double previous = 0;
    for (double le : MetricsCollector::latencyBucketsS()) {
        const double v = bucket(QString::fromLatin1(PromTextWriter::formatValue(le)));
        QVERIFY(v >= previous);
        previous = v;
    }
}

void TestMetricsCollector::rateLimit_headroomFromTheNewestHeaders()
{
    MetricsCollector c(m_clock);
    ApiEvent e = make(u"orders"_s, u"prod"_s, Category::Ok);
    e.rateLimit = RateLimitInfo{};
    e.rateLimit->limit = 100;
    e.rateLimit->remaining = 40;
    c.observe(e);
    c.observe(make(u"orders"_s, u"prod"_s, Category::Ok)); // no headers: keeps the last figure
    const Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    QCOMPARE(x.value(u"healthdeck_rate_limit_headroom_ratio"_s, labels(u"orders"_s, u"prod"_s)),
             0.4);
    QCOMPARE(x.value(u"healthdeck_rate_limit_remaining"_s, labels(u"orders"_s, u"prod"_s)), 40.0);
    QCOMPARE(x.value(u"healthdeck_rate_limit_limit"_s, labels(u"orders"_s, u"prod"_s)), 100.0);
    e.rateLimit->remaining = 0;
    c.observe(e);
    QCOMPARE(parsed(c.render())
                 .value(u"healthdeck_rate_limit_headroom_ratio"_s, labels(u"orders"_s, u"prod"_s)),
             0.0);
}

void TestMetricsCollector::token_expiryCountsDownWithTheClock()
{
    MetricsCollector c(m_clock);
    ApiEvent e = make(u"token:trading-oauth"_s, u"prod"_s, Category::Ok);
    e.token = TokenInfo{};
    e.token->expiresInS = 300;
    e.token->subject = u"sim-client"_s;
    c.observe(e);
    QCOMPARE(parsed(c.render())
                 .value(u"healthdeck_token_expiry_seconds"_s,
                        labels(u"token:trading-oauth"_s, u"prod"_s)),
             300.0);
    m_clock.advance(120500);
    QCOMPARE(parsed(c.render())
                 .value(u"healthdeck_token_expiry_seconds"_s,
                        labels(u"token:trading-oauth"_s, u"prod"_s)),
             179.5);
    m_clock.advance(200000);
    QCOMPARE(parsed(c.render())
                 .value(u"healthdeck_token_expiry_seconds"_s,
                        labels(u"token:trading-oauth"_s, u"prod"_s)),
             -20.5); // expired
    // The subject and scopes never become labels.
    QVERIFY(!c.render().contains("sim-client"));
}

void TestMetricsCollector::lockout_activeForItsWindowThenClears()
{
    MetricsCollector c(m_clock);
    c.observe(make(u"accounts"_s, u"prod"_s, Category::LockoutWarning));
    ApiEvent e = make(u"accounts"_s, u"prod"_s, Category::RateLimited);
    e.retry.action = RetryAction::StopLockout;
    e.retry.delayMs = 60000;
    c.observe(e);
    Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    QCOMPARE(x.value(u"healthdeck_lockouts_total"_s, labels(u"accounts"_s, u"prod"_s)), 1.0);
    QCOMPARE(x.value(u"healthdeck_lockout_active"_s, labels(u"accounts"_s, u"prod"_s)), 1.0);
    QCOMPARE(x.value(u"healthdeck_requests_total"_s,
                     labels(u"accounts"_s, u"prod"_s, u"client_error"_s, u"lockout_warning"_s)),
             1.0);
    m_clock.advance(60001);
    x = parsed(c.render());
    QCOMPARE(x.value(u"healthdeck_lockout_active"_s, labels(u"accounts"_s, u"prod"_s)), 0.0);
    QCOMPARE(x.value(u"healthdeck_lockouts_total"_s, labels(u"accounts"_s, u"prod"_s)), 1.0);
}

void TestMetricsCollector::labels_neverCarryUrlsOrIdentifiers()
{
    MetricsCollector c(m_clock);
    ApiEvent e = make(u"orders"_s, u"prod"_s, Category::Conflict);
    e.request = RequestInfo{
        u"GET"_s, u"https://api.example.com/v1/orders/ORD-777?account=ACC-9"_s, {}, {}};
    e.identifiers.traceId = u"trace-abc-123"_s;
    e.identifiers.orderId = u"ORD-777"_s;
    e.identifiers.conflictingSignalId = u"SIG-42"_s;
    e.error = ErrorInfo{u"E4091"_s, ErrorType::Conflict, u"order ORD-777 conflicts"_s, {}};
    e.httpStatus = 409;
    e.profile = u"signals"_s;
    c.observe(e);
    const QByteArray text = c.render();
    // The id's bytes outlive the loop: a temporary in the range's initializer would not (C++20).
    const QByteArray id = e.id.toLatin1();
    for (const char *leak :
         {"example.com", "ORD-777", "ACC-9", "trace-abc", "SIG-42", "E4091", id.constData()})
        QVERIFY2(!text.contains(leak), leak);
    const Exposition x = parsed(text);
    QVERIFY(x.errors.isEmpty());
    QSet<QString> names;
    for (const auto &set : x.labelSets)
        for (auto it = set.cbegin(); it != set.cend(); ++it)
            names.insert(it.key());
    // state (up, degraded, down) and phase (the six timing phases) are closed vocabularies too.
    const QSet<QString> allowed{u"endpoint"_s,   u"environment"_s, u"outcome"_s,
                                u"category"_s,   u"le"_s,          u"version"_s,
                                u"qt_version"_s, u"state"_s,       u"phase"_s};
    QVERIFY2(names.subtract(allowed).isEmpty(),
             qPrintable(QStringList(names.cbegin(), names.cend()).join(u',')));
}

void TestMetricsCollector::cardinality_isCappedWithAnOverflowSeries()
{
    MetricsCollector c(m_clock, 5);
    for (int i = 0; i < 50; ++i)
        c.observe(make(u"ep%1"_s.arg(i), u"prod"_s, Category::Ok));
    QCOMPARE(c.seriesCount(), 6); // five named plus the overflow series
    QCOMPARE(c.overflowEvents(), quint64(45));
    const Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    QCOMPARE(x.labelValues(u"endpoint"_s).size(), 6);
    QCOMPARE(x.value(u"healthdeck_requests_total"_s,
                     labels(MetricsCollector::overflowLabel(), MetricsCollector::overflowLabel(),
                            u"success"_s, u"ok"_s)),
             45.0);
    QCOMPARE(x.value(u"healthdeck_metrics_overflow_events_total"_s), 45.0);
    // Known series keep counting after the cap.
    c.observe(make(u"ep0"_s, u"prod"_s, Category::Ok));
    QCOMPARE(parsed(c.render())
                 .value(u"healthdeck_requests_total"_s,
                        labels(u"ep0"_s, u"prod"_s, u"success"_s, u"ok"_s)),
             2.0);
}

void TestMetricsCollector::alerts_firingPerRule()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setRules({AlertRule{u"prod-down"_s, u"down"_s, u"prod"_s, 0, 1800, 3},
                     AlertRule{u"lockout"_s, u"lockout"_s, u"*"_s, 0, 1800, 3}});
    MetricsCollector c(m_clock);
    auto feed = [&](const ApiEvent &e) {
        agg.add(e);
        alerts.observe(e);
        c.observe(e);
    };
    for (int i = 0; i < 3; ++i) {
        feed(make(u"orders"_s, u"prod"_s, Category::Unavailable));
        feed(make(u"positions"_s, u"prod"_s, Category::Unavailable));
    }
    alerts.evaluate();
    const Exposition x = parsed(c.render(nullptr, &alerts));
    QVERIFY(x.errors.isEmpty());
    QCOMPARE(x.value(u"healthdeck_alert_firing"_s,
                     {{u"rule"_s, u"prod-down"_s}, {u"kind"_s, u"down"_s}}),
             1.0);
    QCOMPARE(x.value(u"healthdeck_alert_firing_subjects"_s,
                     {{u"rule"_s, u"prod-down"_s}, {u"kind"_s, u"down"_s}}),
             2.0);
    QCOMPARE(x.value(u"healthdeck_alert_firing"_s,
                     {{u"rule"_s, u"lockout"_s}, {u"kind"_s, u"lockout"_s}}),
             0.0);
}

void TestMetricsCollector::slo_budgetBurnRateAndMaintenance()
{
    Aggregator agg(m_clock);
    AlertEngine alerts(m_clock, &agg);
    alerts.setSlos({Slo{u"prod-slo"_s, {}, u"prod"_s, 99.0, 30}});
    MaintenanceWindow uatAlways;
    uatAlways.id = u"uat-closed"_s;
    uatAlways.scope = u"uat"_s;
    uatAlways.kind = MaintenanceWindow::Kind::Weekly;
    uatAlways.days = {1, 2, 3, 4, 5, 6, 7};
    uatAlways.from = u"00:00"_s;
    uatAlways.to = u"00:00"_s;
    WindowSchedule windows;
    QCOMPARE(windows.add(uatAlways), QString());
    alerts.setWindows(windows);
    MetricsCollector c(m_clock);
    auto feed = [&](const ApiEvent &e) {
        agg.add(e);
        alerts.observe(e);
        c.observe(e);
    };
    for (int i = 0; i < 100; ++i)
        feed(make(u"orders"_s, u"prod"_s, i < 2 ? Category::Unavailable : Category::Ok));
    for (int i = 0; i < 10; ++i) // in a window: left out of every SLO
        feed(make(u"orders"_s, u"uat"_s, Category::Unavailable));
    const Exposition x = parsed(c.render(nullptr, &alerts));
    QVERIFY(x.errors.isEmpty());
    const QMap<QString, QString> prod{{u"slo"_s, u"prod-slo"_s}, {u"scope"_s, u"prod"_s}};
    const QMap<QString, QString> all{{u"slo"_s, u"error-rate"_s}, {u"scope"_s, u"*"_s}};
    QCOMPARE(x.value(u"healthdeck_slo_objective_ratio"_s, prod), 0.99);
    QCOMPARE(x.value(u"healthdeck_slo_objective_ratio"_s, all), 0.99);
    // 2% failed against 1% allowed: twice the budget spent, burn rate 2.
    QCOMPARE(x.value(u"healthdeck_slo_error_budget_remaining_ratio"_s, prod), -1.0);
    QCOMPARE(x.value(u"healthdeck_slo_error_budget_remaining_ratio"_s, all), -1.0);
    auto window = [](QMap<QString, QString> l, const QString &w) {
        l.insert(u"window"_s, w);
        return l;
    };
    QCOMPARE(x.value(u"healthdeck_slo_burn_rate"_s, window(prod, u"5m"_s)), 2.0);
    QCOMPARE(x.value(u"healthdeck_slo_burn_rate"_s, window(prod, u"6h"_s)), 2.0);
    QCOMPARE(x.value(u"healthdeck_maintenance_active"_s, {{u"environment"_s, u"uat"_s}}), 1.0);
    QCOMPARE(x.value(u"healthdeck_maintenance_active"_s, {{u"environment"_s, u"prod"_s}}), 0.0);
}

void TestMetricsCollector::clear_startsAfresh()
{
    MetricsCollector c(m_clock);
    c.observe(make(u"orders"_s, u"prod"_s, Category::Ok));
    m_clock.advance(5000);
    c.clear();
    const Exposition x = parsed(c.render());
    QVERIFY(x.errors.isEmpty());
    QVERIFY(!x.has(u"healthdeck_requests_total"_s,
                   labels(u"orders"_s, u"prod"_s, u"success"_s, u"ok"_s)));
    QCOMPARE(x.value(u"healthdeck_start_time_seconds"_s), double(m_clock.nowMs()) / 1000.0);
}

void TestMetricsCollector::output_isAValidExposition()
{
    MetricsCollector c(m_clock);
    const QString odd = u"we\"ird\\end\npoint"_s;
    for (int i = 0; i < CategoryCount; ++i)
        c.observe(make(odd, u"prod"_s, Category(i), i * 37.0));
    const Exposition x = parsed(c.render());
    QVERIFY2(x.errors.isEmpty(), qPrintable(x.errors.join(u'\n')));
    QCOMPARE(x.labelValues(u"category"_s).size(), CategoryCount);
    QCOMPARE(x.labelValues(u"endpoint"_s), QStringList{odd});
    for (auto it = x.types.cbegin(); it != x.types.cend(); ++it) {
        QVERIFY2(it.key().startsWith(u"healthdeck_"), qPrintable(it.key()));
        QVERIFY2(!x.help.value(it.key()).isEmpty(), qPrintable(it.key()));
        QCOMPARE(it.key().endsWith(u"_total"), it.value() == u"counter");
    }
}

QTEST_GUILESS_MAIN(TestMetricsCollector)
#include "tst_metricscollector.moc"
