// The endpoint tree shows what the network told (docs/network.md): days left of a TLS
// endpoint's server certificate in the Cert column (kept when a later event has no TLS facts),
// the certificate's subject, issuer and problems in its tooltip, and a degraded endpoint as
// degraded — an amber light and "· degraded" after its status.
#include "endpointtree.h"

#include <QDateTime>
#include <QTest>

using namespace hd;

class TestEndpointTreeHealth : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void tlsEndpoint_showsDaysLeftAndChainInTheTooltip();
    void degradedSuccess_isAmberAndSaysDegraded();
    void certificateText_formats();

private:
    ApiEvent eventOf(Category c) const;
    Workspace m_ws;
};

void TestEndpointTreeHealth::init()
{
    m_ws = {};
    m_ws.environments.append({QStringLiteral("uat"),
                              QStringLiteral("UAT"),
                              QStringLiteral("https://127.0.0.1:8443"),
                              {}});
    Endpoint ep;
    ep.id = QStringLiteral("gw");
    ep.environment = QStringLiteral("uat");
    m_ws.endpoints.append(ep);
}

ApiEvent TestEndpointTreeHealth::eventOf(Category c) const
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.endpoint = QStringLiteral("gw");
    e.environment = QStringLiteral("uat");
    e.category = c;
    e.outcome = outcomeOf(c);
    e.httpStatus = 200;
    e.durationMs = 12;
    return e;
}

void TestEndpointTreeHealth::tlsEndpoint_showsDaysLeftAndChainInTheTooltip()
{
    EndpointTree tree;
    tree.setWorkspace(m_ws);
    ApiEvent e = eventOf(Category::Ok);
    TlsInfo tls;
    tls.protocol = QStringLiteral("TLSv1.3");
    tls.subject = QStringLiteral("CN=gw.uat.test");
    tls.issuer = QStringLiteral("CN=UAT CA");
    tls.notAfterMs = QDateTime::currentMSecsSinceEpoch() + 3LL * 86400000 + 3600000;
    tls.daysLeft = 3;
    tls.problems = {QStringLiteral("SELF_SIGNED_CERT_IN_CHAIN: test")};
    e.tls = tls;
    tree.record(e);
    tree.refresh();
    QTreeWidgetItem *item = tree.itemForEndpoint(QStringLiteral("gw"));
    QVERIFY(item);
    QCOMPARE(item->text(EndpointTree::Certificate), QStringLiteral("3 d"));
    const QString tip = item->toolTip(EndpointTree::Certificate);
    QVERIFY2(tip.contains(QStringLiteral("CN=gw.uat.test"))
                 && tip.contains(QStringLiteral("CN=UAT CA"))
                 && tip.contains(QStringLiteral("SELF_SIGNED_CERT_IN_CHAIN")),
             qPrintable(tip));
    // A later event without TLS facts (a plain failure before the handshake) keeps the column.
    ApiEvent refused = eventOf(Category::ConnectionRefused);
    refused.httpStatus.reset();
    tree.record(refused);
    tree.refresh();
    QCOMPARE(item->text(EndpointTree::Certificate), QStringLiteral("3 d"));
}

void TestEndpointTreeHealth::degradedSuccess_isAmberAndSaysDegraded()
{
    EndpointTree tree;
    tree.setWorkspace(m_ws);
    ApiEvent slow = eventOf(Category::Ok);
    slow.durationMs = 900;
    slow.health = Health::Degraded;
    tree.record(slow);
    tree.refresh();
    QTreeWidgetItem *item = tree.itemForEndpoint(QStringLiteral("gw"));
    QVERIFY(item->text(EndpointTree::Status).contains(QStringLiteral("degraded")));
    QCOMPARE(item->icon(EndpointTree::Name).pixmap(14).toImage(),
             EndpointTree::degradedLight().pixmap(14).toImage());
    tree.record(eventOf(Category::Ok));
    tree.refresh();
    QVERIFY(!item->text(EndpointTree::Status).contains(QStringLiteral("degraded")));
}

void TestEndpointTreeHealth::certificateText_formats()
{
    const qint64 now = 1795298400000;
    QCOMPARE(EndpointTree::certificateText(now + 41LL * 86400000 + 60000, now),
             QStringLiteral("41 d"));
    QCOMPARE(EndpointTree::certificateText(now + 30LL * 3600000, now), QStringLiteral("1 d 6 h"));
    QCOMPARE(EndpointTree::certificateText(now - 5LL * 86400000, now),
             QStringLiteral("expired 5 d ago"));
}

QTEST_MAIN(TestEndpointTreeHealth)
#include "tst_endpointtreehealth.moc"
