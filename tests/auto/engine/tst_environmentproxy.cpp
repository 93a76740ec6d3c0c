// Proxies per environment (docs/network.md) with real proxies on 127.0.0.1, started by the
// test and stopped with it: Debian's tinyproxy (HTTP, CONNECT for https) and microsocks
// (SOCKS5, with a user and a password from the secret lookup). A private-CA https endpoint with
// a client certificate polled through the HTTP proxy; a proxy that is down is named in the
// message. Skipped, with the reason, where the proxies are not installed.
#include "engineprobe.h"
#include "rawhttpserver.h"
#include "serverprocess.h"
#include "testpki.h"
#include "testsupport.h"
#include "tlstestserver.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::RawHttpServer;
using hd::test::ServerProcess;
using hd::test::TestPki;
using hd::test::TlsTestServer;

class TestEnvironmentProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void httpProxy_carriesPlainHttp();
    void httpProxy_connect_privateCaAndClientCertificate();
    void socks5_withCredentialsFromTheKeychain();
    void proxyDown_isNamedInTheMessage();
    void systemMode_neverProxiesLoopback();

private:
    bool startTinyproxy(ServerProcess &proxy, quint16 *port);
    ApiEvent pollOnce(const Environment &env, const QString &url);

    QTemporaryDir m_dir;
    TestPki m_pki;
    QString m_tinyproxy;
    QString m_microsocks;
};

void TestEnvironmentProxy::initTestCase()
{
    m_tinyproxy = QStandardPaths::findExecutable(QStringLiteral("tinyproxy"));
    if (m_tinyproxy.isEmpty())
        m_tinyproxy = QStandardPaths::findExecutable(
            QStringLiteral("tinyproxy"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    m_microsocks = QStandardPaths::findExecutable(QStringLiteral("microsocks"));
    QString error;
    QVERIFY2(m_pki.create(&error), qPrintable(error));
}

bool TestEnvironmentProxy::startTinyproxy(ServerProcess &proxy, quint16 *port)
{
    *port = hd::test::freeLoopbackPort();
    QFile conf(m_dir.filePath(QStringLiteral("tinyproxy-%1.conf").arg(*port)));
    if (!conf.open(QIODevice::WriteOnly))
        return false;
    // No ConnectPort line: CONNECT to any port (the test servers use ephemeral ones).
    conf.write(QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\n"
                              "MaxClients 20\nLogLevel Error\n")
                   .arg(*port)
                   .toUtf8());
    conf.close();
    return proxy.start(m_tinyproxy, {QStringLiteral("-d"), QStringLiteral("-c"), conf.fileName()},
                       *port);
}

ApiEvent TestEnvironmentProxy::pollOnce(const Environment &env, const QString &url)
{
    EngineOptions options;
    options.secretLookup = [](const QString &name) -> std::optional<QString> {
        if (name == u"client-key")
            return TestPki::passphrase();
        if (name == u"socks-password")
            return QStringLiteral("s3cret-socks");
        return std::nullopt;
    };
    return hd::test::probeOnce(hd::test::oneEndpointWorkspace(env, url), QStringLiteral("status"),
                               options)
        .event;
}

static Environment proxied(ProxySettings::Mode mode, quint16 port)
{
    Environment e;
    e.id = QStringLiteral("desk");
    e.baseUrl = QStringLiteral("http://127.0.0.1");
    e.proxy.mode = mode;
    e.proxy.host = QStringLiteral("127.0.0.1");
    e.proxy.port = port;
    return e;
}

void TestEnvironmentProxy::httpProxy_carriesPlainHttp()
{
    if (m_tinyproxy.isEmpty())
        QSKIP("tinyproxy is not installed (Debian package tinyproxy)");
    ServerProcess proxy;
    quint16 port = 0;
    QVERIFY(startTinyproxy(proxy, &port));
    RawHttpServer server;
    QVERIFY(server.start());
    const ApiEvent e = pollOnce(proxied(ProxySettings::Mode::Http, port), server.url());
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QCOMPARE(server.requestCount(), 1);
    // The successful event names the proxy that carried it.
    QCOMPARE(e.proxy, QStringLiteral("http://127.0.0.1:%1").arg(port));
    // tinyproxy announces itself in Via: proof the request went through it.
    QVERIFY2(server.requests().first().toLower().contains("via:"),
             server.requests().first().constData());
}

void TestEnvironmentProxy::httpProxy_connect_privateCaAndClientCertificate()
{
    if (m_tinyproxy.isEmpty())
        QSKIP("tinyproxy is not installed (Debian package tinyproxy)");
    ServerProcess proxy;
    quint16 port = 0;
    QVERIFY(startTinyproxy(proxy, &port));
    TlsTestServer server;
    QVERIFY(server.start(m_pki.path(QStringLiteral("server.pem")),
                         m_pki.path(QStringLiteral("server.key")),
                         m_pki.path(QStringLiteral("ca.pem"))));
    Environment env = proxied(ProxySettings::Mode::Http, port);
    env.caFile = m_pki.path(QStringLiteral("ca.pem"));
    env.caMode = Environment::CaMode::Replace;
    env.clientCertFile = m_pki.path(QStringLiteral("client.pem"));
    env.clientKeyFile = m_pki.path(QStringLiteral("client.key"));
    env.clientKeySecret = QStringLiteral("client-key");
    const ApiEvent e = pollOnce(env, server.url());
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(e.proxy, QStringLiteral("http://127.0.0.1:%1").arg(port));
    QVERIFY(e.tls && e.tls->issuer.contains(QStringLiteral("HealthDeck Test CA")));

    proxy.stop();
    const ApiEvent down = pollOnce(env, server.url());
    QVERIFY2(
        down.category == Category::ConnectionRefused,
        qPrintable(down.networkError + u" / " + (down.error ? down.error->message : QString())));
    QCOMPARE(down.networkError, QStringLiteral("ECONNREFUSED (proxy)"));
    QCOMPARE(server.requestCount(), 1);
}

void TestEnvironmentProxy::socks5_withCredentialsFromTheKeychain()
{
    if (m_microsocks.isEmpty())
        QSKIP("microsocks is not installed (Debian package microsocks)");
    const quint16 port = hd::test::freeLoopbackPort();
    ServerProcess proxy;
    QVERIFY(proxy.start(m_microsocks,
                        {QStringLiteral("-i"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                         QString::number(port), QStringLiteral("-u"), QStringLiteral("desk"),
                         QStringLiteral("-P"), QStringLiteral("s3cret-socks")},
                        port));
    RawHttpServer server;
    QVERIFY(server.start());
    Environment env = proxied(ProxySettings::Mode::Socks5, port);
    env.proxy.username = QStringLiteral("desk");
    env.proxy.passwordSecret = QStringLiteral("socks-password");
    const ApiEvent ok = pollOnce(env, server.url());
    HD_COMPARE_ENUM(ok.category, Category::Ok);
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(ok.proxy, QStringLiteral("socks5://127.0.0.1:%1").arg(port));

    env.proxy.passwordSecret.clear(); // no password: microsocks refuses
    const ApiEvent refused = pollOnce(env, server.url());
    QVERIFY(refused.isFailure());
    QVERIFY2(refused.error && refused.error->message.contains(u"socks5://127.0.0.1"),
             qPrintable(refused.error ? refused.error->message : QString()));
    QCOMPARE(server.requestCount(), 1);
}

void TestEnvironmentProxy::proxyDown_isNamedInTheMessage()
{
    RawHttpServer server;
    QVERIFY(server.start());
    const quint16 dead = hd::test::freeLoopbackPort();
    const ApiEvent e = pollOnce(proxied(ProxySettings::Mode::Http, dead), server.url());
    HD_COMPARE_ENUM(e.category, Category::ConnectionRefused);
    QCOMPARE(e.networkError, QStringLiteral("ECONNREFUSED (proxy)"));
    QVERIFY2(
        e.error
            && e.error->message.startsWith(QStringLiteral("proxy http://127.0.0.1:%1").arg(dead)),
        qPrintable(e.error ? e.error->message : QString()));
    QVERIFY(e.retry.advice.contains(u"proxy"));
    QCOMPARE(server.requestCount(), 0);
}

void TestEnvironmentProxy::systemMode_neverProxiesLoopback()
{
    // A system proxy that does not exist: loopback must not go through it.
    qputenv("http_proxy", QByteArrayLiteral("http://127.0.0.1:9"));
    RawHttpServer server;
    QVERIFY(server.start());
    Environment env;
    env.id = QStringLiteral("local");
    env.baseUrl = QStringLiteral("http://127.0.0.1");
    const ApiEvent e = pollOnce(env, server.url());
    qunsetenv("http_proxy");
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY2(e.proxy.isEmpty(), qPrintable(e.proxy)); // went direct, and says so
}

QTEST_GUILESS_MAIN(TestEnvironmentProxy)
#include "tst_environmentproxy.moc"
