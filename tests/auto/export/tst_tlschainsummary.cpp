// tls-certificates.json of a support bundle: the newest TLS facts per endpoint, names and dates
// only — never a key or a PEM block.
#include "tlschainsummary.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace hd;

class TestTlsChainSummary : public QObject
{
    Q_OBJECT
private slots:
    void newestFactsPerEndpoint_sortedAndComplete();
    void noTlsEvents_emptyList();
};

static ApiEvent tlsEvent(const QString &endpoint, qint64 timeMs, int daysLeft)
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = timeMs;
    e.endpoint = endpoint;
    e.environment = QStringLiteral("uat");
    TlsInfo t;
    t.protocol = QStringLiteral("TLSv1.3");
    t.subject = QStringLiteral("CN=%1.test").arg(endpoint);
    t.issuer = QStringLiteral("CN=UAT CA");
    t.notAfterMs = timeMs + qint64(daysLeft) * 86400000;
    t.daysLeft = daysLeft;
    t.chain = {{t.subject, t.issuer, t.notAfterMs}};
    e.tls = t;
    return e;
}

void TestTlsChainSummary::newestFactsPerEndpoint_sortedAndComplete()
{
    const qint64 t0 = 1795298400000;
    ApiEvent plain;
    plain.endpoint = QStringLiteral("plain");
    const QList<ApiEvent> events{tlsEvent(QStringLiteral("zeta"), t0, 40), plain,
                                 tlsEvent(QStringLiteral("alpha"), t0, 10),
                                 tlsEvent(QStringLiteral("zeta"), t0 + 1000, 3)};
    const QByteArray text = TlsChainSummary::json(events);
    const auto j = nlohmann::json::parse(text.toStdString());
    QVERIFY(j["schema"] == "healthdeck.tls-certificates/1");
    QCOMPARE(j["endpoints"].size(), std::size_t(2));
    QVERIFY(j["endpoints"][0]["endpoint"] == "alpha");
    QVERIFY(j["endpoints"][1]["endpoint"] == "zeta");
    QVERIFY(j["endpoints"][1]["days_left"] == 3); // the newest of the two
    QVERIFY(j["endpoints"][1]["subject"] == "CN=zeta.test");
    QCOMPARE(j["endpoints"][1]["chain"].size(), std::size_t(1));
    QVERIFY(!text.contains("PRIVATE KEY"));
    QVERIFY(!text.contains("BEGIN CERTIFICATE"));
}

void TestTlsChainSummary::noTlsEvents_emptyList()
{
    const auto j = nlohmann::json::parse(TlsChainSummary::json({ApiEvent{}}).toStdString());
    QVERIFY(j["endpoints"].empty());
}

QTEST_GUILESS_MAIN(TestTlsChainSummary)
#include "tst_tlschainsummary.moc"
