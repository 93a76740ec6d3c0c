// --metrics HOST:PORT: what is accepted, where it binds, and the one-line reasons for the rest.
#include "metricsaddress.h"

#include <QTest>

using namespace hd;

class TestMetricsAddress : public QObject
{
    Q_OBJECT
private slots:
    void accepted_data();
    void accepted();
    void rejected_data();
    void rejected();
    void format_bracketsIpv6();
};

void TestMetricsAddress::accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << "127.0.0.1:9464"
                          << "127.0.0.1" << 9464;
    QTest::newRow("port 0") << "127.0.0.1:0"
                            << "127.0.0.1" << 0;
    QTest::newRow("any") << "0.0.0.0:9464"
                         << "0.0.0.0" << 9464;
    QTest::newRow("empty host is loopback") << ":9464"
                                            << "127.0.0.1" << 9464;
    QTest::newRow("bare port is loopback") << "9464"
                                           << "127.0.0.1" << 9464;
    QTest::newRow("localhost") << "localhost:65535"
                               << "127.0.0.1" << 65535;
    QTest::newRow("LOCALHOST") << "LocalHost:1"
                               << "127.0.0.1" << 1;
    QTest::newRow("ipv6 loopback") << "[::1]:9464"
                                   << "::1" << 9464;
    QTest::newRow("ipv6 any") << "[::]:0"
                              << "::" << 0;
    QTest::newRow("spaces trimmed") << " 10.1.2.3:80 "
                                    << "10.1.2.3" << 80;
}

void TestMetricsAddress::accepted()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString error;
    const auto a = MetricsAddress::parse(text, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(a->host, QHostAddress(host));
    QCOMPARE(int(a->port), port);
}

void TestMetricsAddress::rejected_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << ""
                           << "got nothing";
    QTest::newRow("no port") << "127.0.0.1:"
                             << "the port is missing";
    QTest::newRow("port too big") << "127.0.0.1:65536"
                                  << "from 0 to 65535, not '65536'";
    QTest::newRow("negative port") << "127.0.0.1:-1"
                                   << "from 0 to 65535, not '-1'";
    QTest::newRow("port with sign") << "127.0.0.1:+80"
                                    << "from 0 to 65535, not '+80'";
    QTest::newRow("port word") << "127.0.0.1:http"
                               << "not 'http'";
    QTest::newRow("host name") << "metrics.example:9464"
                               << "'metrics.example' is not an IP address";
    QTest::newRow("bad ipv4") << "256.1.1.1:9464"
                              << "'256.1.1.1' is not an IP address";
    QTest::newRow("bare ipv6") << "::1:9464"
                               << "put an IPv6 address in brackets";
    QTest::newRow("unclosed bracket") << "[::1:9464"
                                      << "missing ']'";
    QTest::newRow("bracket without port") << "[::1]"
                                          << "expected :PORT";
    QTest::newRow("ipv4 in brackets") << "[127.0.0.1]:80"
                                      << "only IPv6 addresses go in brackets";
    QTest::newRow("multicast") << "224.0.0.1:9464"
                               << "cannot be listened on";
}

void TestMetricsAddress::rejected()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!MetricsAddress::parse(text, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestMetricsAddress::format_bracketsIpv6()
{
    QCOMPARE(MetricsAddress::format(QHostAddress(QStringLiteral("127.0.0.1")), 9464),
             QStringLiteral("127.0.0.1:9464"));
    QCOMPARE(MetricsAddress::format(QHostAddress(QStringLiteral("::1")), 80),
             QStringLiteral("[::1]:80"));
}

QTEST_GUILESS_MAIN(TestMetricsAddress)
#include "tst_metricsaddress.moc"
