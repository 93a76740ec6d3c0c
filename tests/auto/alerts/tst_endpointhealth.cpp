// Degraded is a state (DESIGN §2): a slow success and the API asking to slow down (429, 423)
// are degraded, not down; every other failure is down. The degraded alert counts degraded
// answers in a row and the down alert does not count them.
#include "alertengine.h"
#include "endpointhealth.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestEndpointHealth : public QObject
{
    Q_OBJECT
private slots:
    void healthOf_data();
    void healthOf();
    void stampedHealth_wins();
    void degradedAlert_firesAfterCountInARow_andDownDoesNot();

private:
    ApiEvent make(Category c, double durationMs = 10) const;
    ManualClock m_clock;
};

ApiEvent TestEndpointHealth::make(Category c, double durationMs) const
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.endpoint = QStringLiteral("orders");
    e.environment = QStringLiteral("prod");
    e.category = c;
    e.outcome = outcomeOf(c);
    e.durationMs = durationMs;
    return e;
}

void TestEndpointHealth::healthOf_data()
{
    QTest::addColumn<int>("category");
    QTest::addColumn<double>("durationMs");
    QTest::addColumn<int>("thresholdMs"); // 0: none
    QTest::addColumn<QString>("health");
    QTest::newRow("fast success") << int(Category::Ok) << 40.0 << 250 << "up";
    QTest::newRow("slow success") << int(Category::Ok) << 400.0 << 250 << "degraded";
    QTest::newRow("slow, no threshold") << int(Category::Ok) << 4000.0 << 0 << "up";
    QTest::newRow("429") << int(Category::RateLimited) << 5.0 << 0 << "degraded";
    QTest::newRow("423 warning") << int(Category::LockoutWarning) << 5.0 << 0 << "degraded";
    QTest::newRow("423 locked") << int(Category::Locked) << 5.0 << 0 << "degraded";
    QTest::newRow("503") << int(Category::Unavailable) << 5.0 << 250 << "down";
    QTest::newRow("404") << int(Category::NotFound) << 5.0 << 250 << "down";
    QTest::newRow("reset") << int(Category::ConnectionReset) << 5.0 << 250 << "down";
    QTest::newRow("business") << int(Category::BusinessRejected) << 5.0 << 250 << "down";
}

void TestEndpointHealth::healthOf()
{
    QFETCH(int, category);
    QFETCH(double, durationMs);
    QFETCH(int, thresholdMs);
    QFETCH(QString, health);
    const ApiEvent e = make(Category(category), durationMs);
    const auto threshold = thresholdMs ? std::optional<int>(thresholdMs) : std::nullopt;
    QCOMPARE(toQString(toString(hd::healthOf(e, threshold))), health);
}

void TestEndpointHealth::stampedHealth_wins()
{
    ApiEvent e = make(Category::Ok, 900);
    QVERIFY(hd::healthOf(e) == Health::Up); // no threshold known
    e.health = Health::Degraded;            // the engine knew the endpoint's threshold
    QVERIFY(hd::healthOf(e) == Health::Degraded);
    QVERIFY(healthFromString("down") == std::optional<Health>(Health::Down));
    QVERIFY(!healthFromString("sideways"));
}

void TestEndpointHealth::degradedAlert_firesAfterCountInARow_andDownDoesNot()
{
    AlertEngine alerts(m_clock, nullptr);
    AlertRule degraded;
    degraded.id = QStringLiteral("slow");
    degraded.kind = QStringLiteral("degraded");
    degraded.scope = QStringLiteral("*");
    degraded.count = 3;
    AlertRule down = degraded;
    down.id = QStringLiteral("down");
    down.kind = QStringLiteral("down");
    alerts.setRules({degraded, down});
    QSignalSpy fired(&alerts, &AlertEngine::fired);
    for (int i = 0; i < 2; ++i)
        alerts.observe(make(Category::RateLimited));
    alerts.evaluate();
    QCOMPARE(fired.size(), 0);
    ApiEvent slow = make(Category::Ok, 900);
    slow.health = Health::Degraded;
    alerts.observe(slow);
    alerts.evaluate();
    QCOMPARE(fired.size(), 1);
    const AlertState a = fired.first().first().value<AlertState>();
    QCOMPARE(a.ruleId, QStringLiteral("slow"));
    QVERIFY(a.message.contains(QStringLiteral("degraded")));
    // The 429s did not count as down.
    const QList<AlertState> active = alerts.active();
    QVERIFY(std::none_of(active.cbegin(), active.cend(),
                         [](const AlertState &s) { return s.kind == u"down"; }));
}

QTEST_GUILESS_MAIN(TestEndpointHealth)
#include "tst_endpointhealth.moc"
