// HTTP/2 through ALPN against a real HTTP/2 server: Debian's nghttpd (package nghttp2-server)
// on 127.0.0.1, with a certificate of a private CA made by `openssl` at test time. With the
// environment's http2 on (the default) the engine negotiates HTTP/2 and says so in the event
// (response.http_version) and in the HAR; with it off, Qt offers only HTTP/1.1, which this
// h2-only server refuses: the event must say what happened, not claim success. Fails (never
// skips) when nghttpd is not installed: .ci/deps installs it.
#include "engineprobe.h"
#include "eventjson.h"
#include "harwriter.h"
#include "rawhttpserver.h"
#include "serverprocess.h"
#include "testpki.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace hd;
using hd::test::RawHttpServer;
using hd::test::ServerProcess;
using hd::test::TestPki;

class TestHttp2 : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void http2On_negotiatesHttp2AndSaysSo();
    void http2Off_offersOnlyHttp11();
    void plainHttp_isHttp11();

private:
    Environment env(bool http2) const;

    TestPki m_pki;
    QTemporaryDir m_docroot;
    ServerProcess m_server;
    quint16 m_port = 0;
};

void TestHttp2::initTestCase()
{
    const QString nghttpd = QStandardPaths::findExecutable(
        QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    QVERIFY2(!nghttpd.isEmpty(),
             "nghttpd not found: install Debian's nghttp2-server package (see .ci/deps)");
    QString error;
    QVERIFY2(m_pki.create(&error), qPrintable(error));
    QVERIFY(m_docroot.isValid());
    QDir(m_docroot.path()).mkpath(QStringLiteral("v1"));
    QFile health(m_docroot.filePath(QStringLiteral("v1/health")));
    QVERIFY(health.open(QIODevice::WriteOnly));
    health.write(R"({"status":"ok","server":"nghttpd"})");
    health.close();
    // A free port can be taken between probing and binding: try a few.
    for (int attempt = 0; attempt < 3 && !m_server.isRunning(); ++attempt) {
        m_port = hd::test::freeLoopbackPort();
        QVERIFY(m_port);
        if (!m_server.start(nghttpd,
                            {QStringLiteral("--address=127.0.0.1"),
                             QStringLiteral("--htdocs=") + m_docroot.path(),
                             QString::number(m_port), m_pki.path(QStringLiteral("server.key")),
                             m_pki.path(QStringLiteral("server.pem"))},
                            m_port)) {
            qWarning("nghttpd did not start on %d: %s", m_port, qPrintable(m_server.lastOutput()));
            m_server.stop();
        }
    }
    QVERIFY2(m_server.isRunning(), "nghttpd did not start");
}

Environment TestHttp2::env(bool http2) const
{
    Environment e;
    e.id = QStringLiteral("gateway");
    e.baseUrl = QStringLiteral("https://127.0.0.1:%1").arg(m_port);
    e.caFile = m_pki.path(QStringLiteral("ca.pem"));
    e.caMode = Environment::CaMode::Replace;
    e.http2 = http2;
    return e;
}

void TestHttp2::http2On_negotiatesHttp2AndSaysSo()
{
    const auto r = hd::test::probeOnce(
        hd::test::oneEndpointWorkspace(env(true), QStringLiteral("/v1/health")),
        QStringLiteral("status"));
    QVERIFY2(r.loadMessages.isEmpty(), qPrintable(r.loadMessages));
    const ApiEvent &e = r.event;
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QCOMPARE(e.httpStatus.value_or(0), 200);
    QVERIFY(e.response);
    QCOMPARE(e.response->httpVersion, QStringLiteral("HTTP/2"));
    QVERIFY(e.response->body.contains(QStringLiteral("nghttpd")));
    // The phases Qt lets us see over HTTP/2 too: a new connection, its TLS, the answer.
    QVERIFY(e.timing);
    QVERIFY(e.timing->tlsMs.has_value());
    QVERIFY(e.timing->firstByteMs.has_value() || e.timing->transferMs.has_value());
    QVERIFY(e.tls && e.tls->protocol.startsWith(QStringLiteral("TLS")));

    // Kept through the event JSON and written into the HAR, where it used to be blank.
    const EventParseResult back = eventFromJsonText(toJsonLine(e));
    QVERIFY2(back.event, qPrintable(back.error));
    QCOMPARE(back.event->response->httpVersion, QStringLiteral("HTTP/2"));
    QVERIFY(toJsonLine(e).contains(R"("http_version":"HTTP/2")"));
    const auto har = nlohmann::json::parse(HarWriter::write({&e}, QString()).toStdString());
    const auto &entry = har["log"]["entries"][0];
    QCOMPARE(QString::fromStdString(entry["response"]["httpVersion"].get<std::string>()),
             QStringLiteral("HTTP/2"));
    QCOMPARE(QString::fromStdString(entry["request"]["httpVersion"].get<std::string>()),
             QStringLiteral("HTTP/2"));
}

void TestHttp2::http2Off_offersOnlyHttp11()
{
    const auto r = hd::test::probeOnce(
        hd::test::oneEndpointWorkspace(env(false), QStringLiteral("/v1/health")),
        QStringLiteral("status"));
    QVERIFY2(r.gotEvent, qPrintable(r.event.networkError));
    const ApiEvent &e = r.event;
    // nghttpd speaks nothing but HTTP/2: over HTTP/1.1 there is no answer to classify as ok.
    QVERIFY2(e.isFailure(), toJsonLine(e).constData());
    QVERIFY(!e.response || e.response->httpVersion != QStringLiteral("HTTP/2"));
    QVERIFY(!e.retry.advice.isEmpty());
}

void TestHttp2::plainHttp_isHttp11()
{
    // Qt offers HTTP/2 only through ALPN, which needs TLS: a plain-http server is HTTP/1.1
    // whatever the environment's http2 says.
    RawHttpServer server;
    QVERIFY(server.start());
    Environment plain;
    plain.id = QStringLiteral("plain");
    plain.baseUrl = server.url();
    const ApiEvent e = hd::test::probeOnce(hd::test::oneEndpointWorkspace(plain, server.url()),
                                           QStringLiteral("status"))
                           .event;
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY(e.response);
    QCOMPARE(e.response->httpVersion, QStringLiteral("HTTP/1.1"));
}

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
