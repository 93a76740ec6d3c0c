// The console's opt-in Prometheus endpoint (issue 10): off by default, turned on from the View
// menu by object name, serving the running workspace's counters on loopback, remembered across
// starts, and refusing a bad or taken address with a message instead of failing silently.
#include "mainwindow.h"
#include "metrics/metricsoptin.h"
#include "rawhttpclient.h"

#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

using namespace hd;
using hd::test::RawHttpClient;

class TestMetricsOptIn : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void offByDefault();
    void menuAction_servesTheRunningWorkspaceOnLoopback();
    void choiceAndAddress_areRemembered();
    void badAddress_isRefusedWithAReason();
    void takenPort_leavesItOffWithAMessage();
};

void TestMetricsOptIn::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("HealthDeckTest"));
    QApplication::setApplicationName(QStringLiteral("tst_metricsoptin"));
}

void TestMetricsOptIn::init()
{
    QSettings().clear();
}

void TestMetricsOptIn::offByDefault()
{
    MainWindow w;
    w.metrics()->restore();
    QVERIFY(!w.metrics()->isEnabled());
    auto *toggle = w.findChild<QAction *>(QStringLiteral("actionServeMetrics"));
    QVERIFY(toggle);
    QVERIFY(toggle->isCheckable());
    QVERIFY(!toggle->isChecked());
    QCOMPARE(w.metrics()->address(), QString::fromLatin1(MetricsOptIn::DefaultAddress));
}

void TestMetricsOptIn::menuAction_servesTheRunningWorkspaceOnLoopback()
{
    MainWindow w;
    QVERIFY(w.openDemoWorkspace());
    QCOMPARE(w.metrics()->setAddress(QStringLiteral("127.0.0.1:0")), QString());
    auto *toggle = w.findChild<QAction *>(QStringLiteral("actionServeMetrics"));
    toggle->trigger();
    QVERIFY(toggle->isChecked());
    QVERIFY(w.metrics()->isEnabled());
    const QUrl url = w.metrics()->url();
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(url.port() > 0);

    // The demo polls on the in-process simulator; its requests show up by endpoint id.
    QByteArray body;
    QTRY_VERIFY_WITH_TIMEOUT((body = RawHttpClient::get(quint16(url.port()), "/metrics").body)
                                 .contains("healthdeck_requests_total{endpoint=\"prod."),
                             15000);
    QVERIFY(body.contains("healthdeck_build_info"));
    QVERIFY(!body.contains("Bearer"));

    toggle->trigger();
    QVERIFY(!w.metrics()->isEnabled());
    QVERIFY(!RawHttpClient::get(quint16(url.port()), "/metrics").ok);
}

void TestMetricsOptIn::choiceAndAddress_areRemembered()
{
    {
        MainWindow w;
        QCOMPARE(w.metrics()->setAddress(QStringLiteral(":0")), QString());
        QCOMPARE(w.metrics()->setEnabled(true), QString());
    }
    MainWindow again;
    QCOMPARE(again.metrics()->address(), QStringLiteral("127.0.0.1:0"));
    again.metrics()->restore();
    QVERIFY(again.metrics()->isEnabled());
    QVERIFY(again.findChild<QAction *>(QStringLiteral("actionServeMetrics"))->isChecked());
    QVERIFY(RawHttpClient::get(quint16(again.metrics()->url().port()), "/metrics").status == 200);
    again.metrics()->setEnabled(false);

    MainWindow third;
    third.metrics()->restore();
    QVERIFY(!third.metrics()->isEnabled());
}

void TestMetricsOptIn::badAddress_isRefusedWithAReason()
{
    MainWindow w;
    const QString error = w.metrics()->setAddress(QStringLiteral("127.0.0.1:99999"));
    QVERIFY2(error.contains(QStringLiteral("99999")), qPrintable(error));
    QCOMPARE(w.metrics()->address(), QString::fromLatin1(MetricsOptIn::DefaultAddress));
}

void TestMetricsOptIn::takenPort_leavesItOffWithAMessage()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    MainWindow w;
    QString status;
    connect(w.metrics(), &MetricsOptIn::stateChanged, this,
            [&status](const QString &text) { status = text; });
    QCOMPARE(w.metrics()->setAddress(QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())),
             QString());
    const QString error = w.metrics()->setEnabled(true);
    QVERIFY2(!error.isEmpty(), "binding a taken port must fail loudly");
    QVERIFY(!w.metrics()->isEnabled());
    QVERIFY(!w.findChild<QAction *>(QStringLiteral("actionServeMetrics"))->isChecked());
    QVERIFY2(status.contains(QStringLiteral("/metrics off")), qPrintable(status));
    // A failed attempt is not remembered as "on".
    MainWindow again;
    again.metrics()->restore();
    QVERIFY(!again.metrics()->isEnabled());
}

QTEST_MAIN(TestMetricsOptIn)
#include "tst_metricsoptin.moc"
