// joinUrl and the simulator placeholders (models/urljoin): the one place base URLs are joined,
// which endpoints, streams and token URLs all go through.
#include "urljoin.h"
#include "workspace.h"

#include <QTest>

using namespace hd;

class TestUrlJoin : public QObject
{
    Q_OBJECT
private slots:
    void join_data();
    void join();
    void simulatorPlaceholders();
    void usesSimulator_anyPlaceholderOrTheSwitch();
};

void TestUrlJoin::join_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("joined");
    QTest::newRow("neither slash") << "https://api.test/v1"
                                   << "orders"
                                   << "https://api.test/v1/orders";
    QTest::newRow("both slashes") << "https://api.test/v1/"
                                  << "/orders"
                                  << "https://api.test/v1/orders";
    QTest::newRow("base slash") << "https://api.test/v1/"
                                << "orders"
                                << "https://api.test/v1/orders";
    QTest::newRow("path slash") << "https://api.test/v1"
                                << "/orders?x=1"
                                << "https://api.test/v1/orders?x=1";
    QTest::newRow("empty path") << "https://api.test/v1"
                                << ""
                                << "https://api.test/v1";
    QTest::newRow("host only") << "http://127.0.0.1:8080"
                               << "/s000/oauth/token"
                               << "http://127.0.0.1:8080/s000/oauth/token";
}

void TestUrlJoin::join()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, joined);
    QCOMPARE(joinUrl(base, path), joined);
}

void TestUrlJoin::simulatorPlaceholders()
{
    QVERIFY(isSimulatorUrl(QStringLiteral("sim:/prod")));
    QVERIFY(isSimulatorUrl(QStringLiteral("sim+tls-short:/preprod")));
    QVERIFY(!isSimulatorUrl(QStringLiteral("https://simulator.example")));
    const QString base = QStringLiteral("http://127.0.0.1:4000");
    QCOMPARE(withSimulatorBase(QStringLiteral("sim:/prod"), base), base + QStringLiteral("/prod"));
    QCOMPARE(withSimulatorBase(QStringLiteral("sim:"), base), base);
    // The path joins like any other: no slash lost or doubled.
    QCOMPARE(withSimulatorBase(QStringLiteral("sim:prod"), base), base + QStringLiteral("/prod"));
    QCOMPARE(withSimulatorBase(QStringLiteral("sim:/prod"), base + u'/'),
             base + QStringLiteral("/prod"));
    QCOMPARE(withSimulatorBase(QStringLiteral("https://api.test"), base),
             QStringLiteral("https://api.test"));
    // Needs the simulator, which is not running: empty, for the caller to say so.
    QCOMPARE(withSimulatorBase(QStringLiteral("sim:/prod"), QString()), QString());
    QCOMPARE(withSimulatorBase(QStringLiteral("https://api.test"), QString()),
             QStringLiteral("https://api.test"));
}

void TestUrlJoin::usesSimulator_anyPlaceholderOrTheSwitch()
{
    Workspace ws;
    Environment env;
    env.id = QStringLiteral("prod");
    env.baseUrl = QStringLiteral("https://api.test");
    ws.environments.append(env);
    QVERIFY(!usesSimulator(ws));
    ws.environments[0].baseUrl = QStringLiteral("sim+tls-h2:");
    QVERIFY(usesSimulator(ws)); // the HTTPS routes count too (hdeck export used to miss them)
    ws.environments[0].baseUrl = QStringLiteral("https://api.test");
    ws.simulator = true;
    QVERIFY(usesSimulator(ws));
}

QTEST_GUILESS_MAIN(TestUrlJoin)
#include "tst_urljoin.moc"
