// The simulator's HTTPS routes (docs/simulator.md "TLS") polled through HttpAttempt with the
// environment's TLS settings: the CA it exports is trusted, each route gives its own verdict,
// and every TLS answer carries its certificate facts ("tls") and its phase timings ("timing").
#include "classifier.h"
#include "environmentnetwork.h"
#include "httpattempt.h"
#include "simdemosecrets.h"
#include "simulator.h"
#include "testsupport.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>

using namespace hd;

class TestSimTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void exportsItsCaAndClientFiles();
    void goodRoute_succeedsWithTlsFactsAndTimings();
    void reusedConnection_hasNoConnectPhases();
    void freshConnection_everyPollWithConnectionClose();
    void shortLivedRoute_daysLeftFromTheConfig();
    void expiredRoute_isCertHasExpiredWithFacts();
    void wrongHostRoute_isAltNameInvalid();
    void mtlsRoute_withoutClientCertificate_fails();
    void mtlsRoute_withClientCertificate_succeeds();
    void h2Route_answersOverHttp2();
    void h2Route_carriesRequestHeadersAndBody();
    void h2Route_http2Off_fallsBackToHttp11();
    void placeholders_nameEveryRouteAndFile();

private:
    ApiEvent poll(const QUrl &url, const Environment &env, bool closeConnection = false,
                  const QByteArray &method = "GET", const HeaderList &headers = {},
                  const QByteArray &body = {});
    Environment env(bool clientCertificate = false) const;

    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    Classifier m_classifier;
};

void TestSimTls::initTestCase()
{
    SimConfig config;
    config.tls = true;
    config.tlsShortLivedDays = 3;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY2(m_sim->start(0) != 0, qPrintable(m_sim->errorString()));
}

Environment TestSimTls::env(bool clientCertificate) const
{
    Environment e;
    e.id = QStringLiteral("simtls");
    e.baseUrl = QStringLiteral("https://127.0.0.1");
    e.caFile = m_sim->caFile();
    e.caMode = Environment::CaMode::Replace;
    e.proxy.mode = ProxySettings::Mode::None;
    if (clientCertificate) {
        e.clientCertFile = m_sim->clientCertificateFile();
        e.clientKeyFile = m_sim->clientKeyFile();
    }
    return e;
}

ApiEvent TestSimTls::poll(const QUrl &url, const Environment &environment, bool closeConnection,
                          const QByteArray &method, const HeaderList &headers,
                          const QByteArray &body)
{
    QString error;
    HttpRequestSpec spec;
    spec.url = url;
    spec.method = QString::fromLatin1(method);
    spec.headers = headers;
    spec.body = body;
    spec.timeoutMs = 5000;
    spec.environment = environment.id;
    spec.endpoint = QStringLiteral("health");
    spec.closeConnection = closeConnection;
    spec.network = EnvironmentNetwork::build(
        environment, [](const QString &) { return std::optional<QString>(); }, &error);
    if (!spec.network) {
        qWarning("environment not built: %s", qPrintable(error));
        return {};
    }
    HttpAttempt attempt(&m_nam, &m_classifier);
    QSignalSpy done(&attempt, &HttpAttempt::finished);
    attempt.start(spec, 1);
    if (!done.wait(10000))
        return {};
    return done.first().first().value<ApiEvent>();
}

void TestSimTls::exportsItsCaAndClientFiles()
{
    const auto ca = QSslCertificate::fromPath(m_sim->caFile());
    QCOMPARE(ca.size(), 1);
    QVERIFY(ca.first()
                .subjectInfo(QSslCertificate::CommonName)
                .contains(QStringLiteral("HealthDeck Simulator CA")));
    QCOMPARE(QSslCertificate::fromPath(m_sim->clientCertificateFile()).size(), 1);
    QFile key(m_sim->clientKeyFile());
    QVERIFY(key.open(QIODevice::ReadOnly));
    QVERIFY(key.readAll().startsWith("-----BEGIN PRIVATE KEY-----"));
    QCOMPARE(key.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
}

void TestSimTls::goodRoute_succeedsWithTlsFactsAndTimings()
{
    m_nam.clearConnectionCache();
    const QUrl url = m_sim->tlsBaseUrl().resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent e = poll(url, env());
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY(e.tls.has_value());
    QCOMPARE(e.tls->subject, QStringLiteral("CN=127.0.0.1, O=HealthDeck simulator"));
    QVERIFY2(e.tls->issuer.contains(QStringLiteral("CN=HealthDeck Simulator CA")),
             qPrintable(e.tls->issuer));
    QVERIFY(e.tls->protocol.startsWith(QStringLiteral("TLSv1.")));
    QVERIFY(e.tls->daysLeft.has_value());
    QVERIFY2(*e.tls->daysLeft == 89 || *e.tls->daysLeft == 90,
             qPrintable(QString::number(*e.tls->daysLeft)));
    QVERIFY(e.tls->problems.isEmpty());
    QVERIFY(e.tls->chain.size() >= 1);
    QVERIFY(e.timing.has_value());
    QCOMPARE(e.timing->reusedConnection, std::optional<bool>(false));
    QVERIFY(e.timing->dnsMs && e.timing->tlsMs && e.timing->firstByteMs && e.timing->transferMs);
    // A GET has no body: Qt 6.4 emits no requestSent for it, so sent_ms is not observed.
    QVERIFY(!e.timing->sentMs);
    QVERIFY(!e.timing->connectMs); // https: the connect is inside tls_ms
    // The phases fit inside the whole attempt.
    const double sum
        = *e.timing->dnsMs + *e.timing->tlsMs + *e.timing->firstByteMs + *e.timing->transferMs;
    QVERIFY2(sum <= e.durationMs + 0.5,
             qPrintable(QStringLiteral("%1 > %2").arg(sum).arg(e.durationMs)));
    QCOMPARE(e.health, std::optional<Health>(Health::Up));
    QVERIFY(e.proxy.isEmpty()); // direct: loopback never goes through a proxy
}

void TestSimTls::reusedConnection_hasNoConnectPhases()
{
    m_nam.clearConnectionCache();
    const QUrl url = m_sim->tlsBaseUrl().resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent first = poll(url, env());
    const ApiEvent second = poll(url, env());
    HD_COMPARE_ENUM(second.category, Category::Ok);
    QVERIFY(second.timing.has_value());
    QCOMPARE(second.timing->reusedConnection, std::optional<bool>(true));
    QVERIFY(!second.timing->dnsMs && !second.timing->tlsMs && !second.timing->connectMs);
    QVERIFY(second.timing->firstByteMs && second.timing->transferMs);
    // The certificate is still known on a kept-alive connection.
    QVERIFY(second.tls.has_value());
    QCOMPARE(second.tls->notAfterMs, first.tls->notAfterMs);
}

void TestSimTls::freshConnection_everyPollWithConnectionClose()
{
    m_nam.clearConnectionCache();
    const QUrl url = m_sim->tlsBaseUrl().resolved(QUrl(QStringLiteral("/s004/v1/health")));
    poll(url, env(), true); // asks the server to close after answering
    const ApiEvent next = poll(url, env(), true);
    HD_COMPARE_ENUM(next.category, Category::Ok);
    QCOMPARE(next.timing->reusedConnection, std::optional<bool>(false));
    QVERIFY(next.timing->tlsMs.has_value());
}

void TestSimTls::shortLivedRoute_daysLeftFromTheConfig()
{
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("short"))
                         .resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent e = poll(url, env());
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY(e.tls && e.tls->daysLeft);
    QVERIFY2(*e.tls->daysLeft == 2 || *e.tls->daysLeft == 3,
             qPrintable(QString::number(*e.tls->daysLeft)));
    QCOMPARE(e.tls->subject, QStringLiteral("CN=short-lived.sim, O=HealthDeck simulator"));
}

void TestSimTls::expiredRoute_isCertHasExpiredWithFacts()
{
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("expired"))
                         .resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent e = poll(url, env());
    HD_COMPARE_ENUM(e.category, Category::TlsFailure);
    QCOMPARE(e.networkError, QStringLiteral("CERT_HAS_EXPIRED"));
    QVERIFY(e.tls.has_value());
    QVERIFY(e.tls->daysLeft && *e.tls->daysLeft < 0);
    QVERIFY2(std::any_of(e.tls->problems.cbegin(), e.tls->problems.cend(),
                         [](const QString &p) { return p.startsWith(u"CERT_HAS_EXPIRED"); }),
             qPrintable(e.tls->problems.join(u'|')));
    QVERIFY(e.timing && e.timing->tlsMs == std::nullopt); // the handshake never completed
}

void TestSimTls::wrongHostRoute_isAltNameInvalid()
{
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("wronghost"))
                         .resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent e = poll(url, env());
    HD_COMPARE_ENUM(e.category, Category::TlsFailure);
    QCOMPARE(e.networkError, QStringLiteral("ERR_TLS_CERT_ALTNAME_INVALID"));
    QVERIFY(e.error && e.error->message.contains(QStringLiteral("api.wrong-host.test")));
    QVERIFY(e.tls && e.tls->subject.contains(QStringLiteral("api.wrong-host.test")));
}

void TestSimTls::mtlsRoute_withoutClientCertificate_fails()
{
    m_nam.clearConnectionCache();
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("mtls"))
                         .resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent e = poll(url, env(false));
    QVERIFY2(e.outcome == Outcome::ConnectionError, qPrintable(toQString(toString(e.category))));
    // TLS 1.2 servers name the refusal; a TLS 1.3 server closes right after the handshake.
    QVERIFY2(e.category == Category::TlsFailure || e.category == Category::RemoteClosed,
             qPrintable(toQString(toString(e.category))));
    QVERIFY2(e.retry.advice.contains(QStringLiteral("client certificate")),
             qPrintable(e.retry.advice));
}

void TestSimTls::mtlsRoute_withClientCertificate_succeeds()
{
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("mtls"))
                         .resolved(QUrl(QStringLiteral("/s004/v1/health")));
    // Qt keys kept-alive connections by host and port, not by TLS settings: drop the one the
    // previous test opened without a client certificate (the engine keeps one manager per
    // environment for this reason, docs/network.md).
    m_nam.clearConnectionCache();
    const ApiEvent e = poll(url, env(true));
    HD_COMPARE_ENUM(e.category, Category::Ok);
    QVERIFY(e.tls.has_value());
}

void TestSimTls::h2Route_answersOverHttp2()
{
    const QUrl url
        = m_sim->tlsBaseUrl(QStringLiteral("h2")).resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent first = poll(url, env());
    HD_COMPARE_ENUM(first.category, Category::Ok);
    QVERIFY(first.response);
    QCOMPARE(first.response->httpVersion, QStringLiteral("HTTP/2"));
    QVERIFY(!first.response->body.isEmpty());
    QVERIFY(first.tls && first.tls->problems.isEmpty());
    // The simulator's own headers arrive as HTTP/2 fields (lower case, no Connection).
    bool sawServer = false;
    for (const auto &[name, value] : first.response->headers) {
        QVERIFY2(name.compare(QStringLiteral("connection"), Qt::CaseInsensitive) != 0,
                 "a connection-specific header over HTTP/2");
        sawServer = sawServer || (name == u"server" && value == u"healthdeck-sim");
    }
    QVERIFY(sawServer);
    // A second poll rides the same multiplexed connection.
    const ApiEvent second = poll(url, env());
    HD_COMPARE_ENUM(second.category, Category::Ok);
    QCOMPARE(second.response->httpVersion, QStringLiteral("HTTP/2"));
    QVERIFY(second.timing && second.timing->reusedConnection.value_or(false));
}

void TestSimTls::h2Route_carriesRequestHeadersAndBody()
{
    // Seed 001's validation error needs the API key header and a JSON body that lacks the
    // required fields: both must cross as HTTP/2 HEADERS and DATA.
    const auto key = SimDemoSecrets::lookup(QStringLiteral("HDECK_SIM_API_KEY"));
    QVERIFY(key);
    const QUrl url = m_sim->tlsBaseUrl(QStringLiteral("h2"))
                         .resolved(QUrl(QStringLiteral("/s001/api/v1/signals")));
    const ApiEvent e = poll(url, env(), false, "POST",
                            {{QStringLiteral("X-API-Key"), *key},
                             {QStringLiteral("Content-Type"), QStringLiteral("application/json")}},
                            R"({"qty": 1})");
    QCOMPARE(e.httpStatus.value_or(0), 400);
    HD_COMPARE_ENUM(e.category, Category::BadRequest);
    QCOMPARE(e.response->httpVersion, QStringLiteral("HTTP/2"));
    QVERIFY2(e.response->body.contains(QStringLiteral("VALIDATION_ERROR")),
             qPrintable(e.response->body));
}

void TestSimTls::h2Route_http2Off_fallsBackToHttp11()
{
    Environment e = env();
    e.http2 = false;
    const QUrl url
        = m_sim->tlsBaseUrl(QStringLiteral("h2")).resolved(QUrl(QStringLiteral("/s004/v1/health")));
    const ApiEvent ev = poll(url, e);
    HD_COMPARE_ENUM(ev.category, Category::Ok);
    QCOMPARE(ev.response->httpVersion, QStringLiteral("HTTP/1.1"));
}

void TestSimTls::placeholders_nameEveryRouteAndFile()
{
    const auto p = m_sim->placeholders();
    QCOMPARE(p.value(QStringLiteral("sim+tls:")), m_sim->tlsBaseUrl().toString());
    QCOMPARE(p.value(QStringLiteral("sim+tls-short:")),
             m_sim->tlsBaseUrl(QStringLiteral("short")).toString());
    QCOMPARE(p.value(QStringLiteral("sim+tls-mtls:")),
             m_sim->tlsBaseUrl(QStringLiteral("mtls")).toString());
    QCOMPARE(p.value(QStringLiteral("sim+tls-h2:")),
             m_sim->tlsBaseUrl(QStringLiteral("h2")).toString());
    QCOMPARE(p.value(QStringLiteral("sim:ca.pem")), m_sim->caFile());
    QCOMPARE(p.size(), Simulator::tlsRoutes().size() + 3);
}

QTEST_GUILESS_MAIN(TestSimTls)
#include "tst_simtls.moc"
