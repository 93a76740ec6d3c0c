// A workspace is a file anyone can send: which hosts it may send stored secrets to. Loopback
// and the built-in simulator are trusted implicitly, other hosts only when named; a secret
// never goes over plain http:// to a host that is not loopback unless the environment allows it.
// The engine enforces both where credentials are attached: endpoints (and so the composer),
// token requests and stream authorization.
#include "monitorengine.h"
#include "secrethosttrust.h"
#include "workspacefile.h"

#include <QTest>

using namespace hd;

class TestSecretHostTrust : public QObject
{
    Q_OBJECT
private slots:
    void hostKey_fillsInThePortAndLowercases();
    void loopback_isTrustedImplicitly_data();
    void loopback_isTrustedImplicitly();
    void namedHosts_matchByHostOrHostAndPort();
    void secretHosts_listsEveryHostThatWouldReceiveASecret();
    void engine_refusesUntrustedHostsForEndpointsTokensAndStreams();
    void engine_refusesPlainHttpUnlessTheEnvironmentAllowsIt();
    void engine_sendsToTrustedHttpsAndLoopback();

private:
    static Workspace workspace(const QByteArray &json);
};

Workspace TestSecretHostTrust::workspace(const QByteArray &json)
{
    const auto r = WorkspaceFile::parse(json, QStringLiteral("ws.json"));
    if (!r.workspace)
        qFatal("%s", qPrintable(r.error));
    return *r.workspace;
}

void TestSecretHostTrust::hostKey_fillsInThePortAndLowercases()
{
    QCOMPARE(SecretHostTrust::hostKey(QUrl(QStringLiteral("https://API.Example.com/x"))),
             QStringLiteral("api.example.com:443"));
    QCOMPARE(SecretHostTrust::hostKey(QUrl(QStringLiteral("http://h:8080"))),
             QStringLiteral("h:8080"));
    QCOMPARE(SecretHostTrust::hostKey(QUrl(QStringLiteral("wss://h/ws"))), QStringLiteral("h:443"));
    QCOMPARE(SecretHostTrust::hostKey(QUrl(QStringLiteral("http://[2001:db8::1]/"))),
             QStringLiteral("[2001:db8::1]:80"));
    QCOMPARE(SecretHostTrust::parseList(QStringLiteral(" A.example, b.example:8443,,")),
             (QStringList{QStringLiteral("a.example"), QStringLiteral("b.example:8443")}));
}

void TestSecretHostTrust::loopback_isTrustedImplicitly_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << QStringLiteral("http://127.0.0.1:9/") << true;
    QTest::newRow("127.8.9.10") << QStringLiteral("http://127.8.9.10/") << true;
    QTest::newRow("::1") << QStringLiteral("http://[::1]:80/") << true;
    QTest::newRow("localhost") << QStringLiteral("http://LOCALHOST/") << true;
    QTest::newRow("10.0.0.1") << QStringLiteral("http://10.0.0.1/") << false;
    QTest::newRow("localhost.evil") << QStringLiteral("http://localhost.evil.example/") << false;
    QTest::newRow("127.0.0.1.nip") << QStringLiteral("http://127.0.0.1.nip.example/") << false;
}

void TestSecretHostTrust::loopback_isTrustedImplicitly()
{
    QFETCH(QString, url);
    QFETCH(bool, loopback);
    QCOMPARE(SecretHostTrust::isLoopback(QUrl(url)), loopback);
    QCOMPARE(SecretHostTrust().isTrusted(QUrl(url)), loopback);
    // Loopback never needs allowInsecureSecrets either.
    QCOMPARE(SecretHostTrust().refusal(QUrl(url), nullptr, QStringLiteral("x")).isEmpty(),
             loopback);
}

void TestSecretHostTrust::namedHosts_matchByHostOrHostAndPort()
{
    const SecretHostTrust trust({QStringLiteral("API.example"), QStringLiteral("b.example:8443")});
    QVERIFY(trust.isTrusted(QUrl(QStringLiteral("https://api.example/x"))));
    QVERIFY(trust.isTrusted(QUrl(QStringLiteral("https://api.example:9999/x"))));
    QVERIFY(trust.isTrusted(QUrl(QStringLiteral("https://b.example:8443/"))));
    QVERIFY(!trust.isTrusted(QUrl(QStringLiteral("https://b.example/"))));
    QVERIFY(!trust.isTrusted(QUrl(QStringLiteral("https://api.example.evil/"))));
    QVERIFY(SecretHostTrust::everyHost().isTrusted(QUrl(QStringLiteral("https://any.example/"))));
}

void TestSecretHostTrust::secretHosts_listsEveryHostThatWouldReceiveASecret()
{
    const Workspace ws = workspace(R"({"schema":"healthdeck.workspace/1",
      "environments":[{"id":"prod","baseUrl":"https://API.broker.example"},
                      {"id":"sim","baseUrl":"sim:/prod"},
                      {"id":"simtls","baseUrl":"sim+tls-private-ca:/uat"},
                      {"id":"local","baseUrl":"http://127.0.0.1:8080"}],
      "credentials":[{"id":"key","method":"bearer","secretName":"K"},
                     {"id":"none","method":"none"},
                     {"id":"oauth","method":"oauth2_client_credentials","clientId":"c","secretName":"S",
                      "tokenUrl":"https://auth.example/oauth/token"},
                     {"id":"rel","method":"tradovate_token","secretName":"P","tokenUrl":"/auth",
                      "environment":"prod"}],
      "endpoints":[{"id":"a","environment":"prod","path":"/a","credential":"key"},
                   {"id":"b","environment":"prod","path":"https://other.example/b","credential":"key"},
                   {"id":"c","environment":"prod","path":"/c","credential":"none"},
                   {"id":"d","environment":"prod","path":"https://public.example/d"},
                   {"id":"e","environment":"sim","path":"/e","credential":"oauth"},
                   {"id":"f","environment":"local","path":"/f","credential":"rel"},
                   {"id":"g","environment":"simtls","path":"/g","credential":"key"}],
      "streams":[{"id":"s","environment":"sim","path":"wss://md.example/ws","credential":"key"}]})");
    QCOMPARE(
        SecretHostTrust::secretHosts(ws),
        (QStringList{QStringLiteral("api.broker.example:443"), QStringLiteral("auth.example:443"),
                     QStringLiteral("md.example:443"), QStringLiteral("other.example:443")}));
    QCOMPARE(SecretHostTrust({QStringLiteral("auth.example"), QStringLiteral("md.example:443")})
                 .untrustedHosts(ws),
             (QStringList{QStringLiteral("api.broker.example:443"),
                          QStringLiteral("other.example:443")}));
}

void TestSecretHostTrust::engine_refusesUntrustedHostsForEndpointsTokensAndStreams()
{
    // Endpoints on loopback, but the token endpoint and the stream are elsewhere.
    const Workspace ws = workspace(R"({"schema":"healthdeck.workspace/1",
      "environments":[{"id":"local","baseUrl":"http://127.0.0.1:9"},
                      {"id":"prod","baseUrl":"https://api.broker.example"}],
      "credentials":[{"id":"key","method":"bearer","secretName":"K"},
                     {"id":"oauth","method":"oauth2_client_credentials","clientId":"c","secretName":"S",
                      "tokenUrl":"https://auth.example/oauth/token"}],
      "endpoints":[{"id":"remote","environment":"prod","path":"/a","credential":"key"},
                   {"id":"token","environment":"local","path":"/b","credential":"oauth"},
                   {"id":"local","environment":"local","path":"/c","credential":"key"}],
      "streams":[{"id":"md","environment":"local","path":"wss://md.example/ws","credential":"key"}]})");
    MonitorEngine engine;
    EngineOptions options;
    options.secretLookup = [](const QString &) {
        return std::optional<QString>(QStringLiteral("v"));
    };
    QStringList warnings;
    connect(&engine, &MonitorEngine::warning, this,
            [&warnings](const QString &w) { warnings << w; });
    QCOMPARE(engine.load(ws, options), QString());
    QCOMPARE(warnings,
             (QStringList{
                 QStringLiteral("endpoint remote: host api.broker.example:443 is not trusted to "
                                "receive stored secrets from this workspace; approve it in the "
                                "console or pass --trust-hosts api.broker.example:443"),
                 QStringLiteral("endpoint token: credential oauth: host auth.example:443 is not "
                                "trusted to receive stored secrets from this workspace; approve "
                                "it in the console or pass --trust-hosts auth.example:443"),
                 QStringLiteral("stream md: host md.example:443 is not trusted to receive stored "
                                "secrets from this workspace; approve it in the console or pass "
                                "--trust-hosts md.example:443")}));
    // The composer goes through resolve(): refused with the same words, nothing to send.
    QString error;
    QVERIFY(!engine.resolve(ws.endpoints[0], &error));
    QVERIFY(error.contains(QStringLiteral("is not trusted")));
    QVERIFY(engine.resolve(ws.endpoints[2], &error));
}

void TestSecretHostTrust::engine_refusesPlainHttpUnlessTheEnvironmentAllowsIt()
{
    const QByteArray base = R"({"schema":"healthdeck.workspace/1",
      "environments":[{"id":"rig","baseUrl":"http://rig.example:8080"%1}],
      "credentials":[{"id":"key","method":"api_key_query","queryName":"k","secretName":"K"}],
      "endpoints":[{"id":"a","environment":"rig","path":"/a","credential":"key"}]})";
    EngineOptions options;
    options.secretLookup = [](const QString &) {
        return std::optional<QString>(QStringLiteral("v"));
    };
    options.secretTrust = SecretHostTrust({QStringLiteral("rig.example")});
    {
        const Workspace ws = workspace(QString::fromUtf8(base).arg(QString()).toUtf8());
        MonitorEngine engine;
        engine.load(ws, options);
        QString error;
        QVERIFY(!engine.resolve(ws.endpoints[0], &error));
        QCOMPARE(error, QStringLiteral("endpoint a: refused to send a stored secret over plain "
                                       "http:// to rig.example:8080; use https, or set "
                                       "\"allowInsecureSecrets\": true on environment \"rig\""));
    }
    {
        const Workspace ws = workspace(QString::fromUtf8(base)
                                           .arg(QStringLiteral(R"(,"allowInsecureSecrets":true)"))
                                           .toUtf8());
        QVERIFY(ws.environments[0].allowInsecureSecrets);
        MonitorEngine engine;
        engine.load(ws, options);
        QString error;
        const auto spec = engine.resolve(ws.endpoints[0], &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->url.toString(), QStringLiteral("http://rig.example:8080/a?k=v"));
        // …and the flag survives a save.
        QVERIFY(WorkspaceFile::toJson(ws)["environments"][0]["allowInsecureSecrets"] == true);
    }
}

void TestSecretHostTrust::engine_sendsToTrustedHttpsAndLoopback()
{
    const Workspace ws = workspace(R"({"schema":"healthdeck.workspace/1",
      "environments":[{"id":"prod","baseUrl":"https://api.broker.example"},
                      {"id":"local","baseUrl":"http://localhost:9"}],
      "credentials":[{"id":"key","method":"bearer","secretName":"K"}],
      "endpoints":[{"id":"a","environment":"prod","path":"/a","credential":"key"},
                   {"id":"b","environment":"local","path":"/b","credential":"key"}]})");
    EngineOptions options;
    options.secretLookup = [](const QString &) {
        return std::optional<QString>(QStringLiteral("v"));
    };
    options.secretTrust = SecretHostTrust({QStringLiteral("api.broker.example:443")});
    MonitorEngine engine;
    QStringList warnings;
    connect(&engine, &MonitorEngine::warning, this,
            [&warnings](const QString &w) { warnings << w; });
    QCOMPARE(engine.load(ws, options), QString());
    QCOMPARE(warnings, QStringList());
    QString error;
    QVERIFY2(engine.resolve(ws.endpoints[0], &error), qPrintable(error));
    QVERIFY2(engine.resolve(ws.endpoints[1], &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSecretHostTrust)
#include "tst_secrethosttrust.moc"
