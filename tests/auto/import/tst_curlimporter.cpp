// curl command lines as vendor docs and our own support bundles write them.
#include "curlimporter.h"
#include "importtesthelpers.h"

using namespace hd;
using namespace hd::test;

class TestCurlImporter : public QObject
{
    Q_OBJECT
private slots:
    void vendorDocs_bearerFromExportedVariableBecomesSecret();
    void vendorDocs_postIsListedNotSelected();
    void vendorDocs_basicAuthPasswordWithSpace();
    void vendorDocs_getWithDataAndApiKeyHeader();
    void vendorDocs_apiKeyInQueryLeavesThePath();
    void vendorDocs_tokenRequestBecomesOAuthCredential();
    void vendorDocs_placeholderNamesSecretAndInsecureIsNoted();
    void vendorDocs_noSecretValueInWorkspace();
    void bundle_variablesNameSecretsWithoutValues();
    void quoting_ansiCAndEscapesAndShortClusters();
    void multipleCommandsOnOneLine();
    void secretBodyFieldsAreLeftOut();
    void badInput_clearMessageNothingImported_data();
    void badInput_clearMessageNothingImported();
    void garbage_neverCrashes();
    void merge_reimportIsUnchanged();
    void fuzzFinding_secretExpandedIntoUrlIsLeftOut();
};

static ImportResult docs()
{
    return importCurl(fixture(QStringLiteral("vendor-docs.sh")), QStringLiteral("vendor-docs.sh"));
}

void TestCurlImporter::vendorDocs_bearerFromExportedVariableBecomesSecret()
{
    const ImportResult r = docs();
    QVERIFY2(r.ok(), qPrintable(r.error));
    const auto *e = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/v1/accounts"));
    QVERIFY(e);
    QVERIFY(e->selected);
    QCOMPARE(e->endpoint.environment, QStringLiteral("broker"));
    QCOMPARE(e->endpoint.id, QStringLiteral("v1.accounts"));
    QCOMPARE(e->endpoint.headers.size(), 1);
    QCOMPARE(e->endpoint.headers.first().first, QStringLiteral("Accept"));
    const Credential *c = credentialOf(r, e->endpoint.credential);
    QVERIFY(c);
    HD_COMPARE_METHOD(c->method, Credential::Method::Bearer);
    QCOMPARE(c->secretName, QStringLiteral("BROKER_TOKEN"));
    const ImportedSecret *s = secretNamed(r, QStringLiteral("BROKER_TOKEN"));
    QVERIFY(s);
    QCOMPARE(s->value, QStringLiteral("eyJhbGciOiJIUzI1NiJ9.c2lt.dGVzdA"));
    QVERIFY(s->foundAt.contains(QStringLiteral("Authorization")));
    QVERIFY(!s->foundAt.contains(s->value));
}

void TestCurlImporter::vendorDocs_postIsListedNotSelected()
{
    const ImportResult r = docs();
    const auto *e = endpointAt(r, QStringLiteral("POST"), QStringLiteral("/v1/orders"));
    QVERIFY(e);
    QVERIFY(!e->selected);
    QVERIFY(e->note.contains(QStringLiteral("POST")));
    QCOMPARE(e->endpoint.body, QStringLiteral("{\"symbol\":\"ESZ6\",\"qty\":1,\"side\":\"buy\"}"));
    QCOMPARE(e->endpoint.id, QStringLiteral("post.v1.orders"));
    // The same token on the same host: one credential, not two.
    const auto *get = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/v1/accounts"));
    QCOMPARE(e->endpoint.credential, get->endpoint.credential);
}

void TestCurlImporter::vendorDocs_basicAuthPasswordWithSpace()
{
    const ImportResult r = docs();
    const auto *e = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/api/v2/status.json"));
    QVERIFY(e);
    QVERIFY(e->selected);
    const Credential *c = credentialOf(r, e->endpoint.credential);
    QVERIFY(c);
    HD_COMPARE_METHOD(c->method, Credential::Method::Basic);
    QCOMPARE(c->username, QStringLiteral("desk"));
    QCOMPARE(secretNamed(r, c->secretName)->value, QStringLiteral("s3cr3t pass"));
}

void TestCurlImporter::vendorDocs_getWithDataAndApiKeyHeader()
{
    const ImportResult r = docs();
    const auto *e = endpointAt(r, QStringLiteral("GET"),
                               QStringLiteral("/quotes?symbol=ESZ6&fields=bid%2Cask%20last"));
    QVERIFY2(e, qPrintable(r.endpoints.isEmpty() ? QString() : r.endpoints.at(3).endpoint.path));
    QVERIFY(e->endpoint.body.isEmpty());
    QCOMPARE(e->endpoint.timeoutMs, 5000);
    const Credential *c = credentialOf(r, e->endpoint.credential);
    QVERIFY(c);
    HD_COMPARE_METHOD(c->method, Credential::Method::ApiKeyHeader);
    QCOMPARE(c->headerName, QStringLiteral("X-Api-Key"));
    QCOMPARE(secretNamed(r, c->secretName)->value, QStringLiteral("live_key_123"));
}

void TestCurlImporter::vendorDocs_apiKeyInQueryLeavesThePath()
{
    const ImportResult r = docs();
    const auto *e = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/bars?symbol=NQZ6"));
    QVERIFY(e);
    const Credential *c = credentialOf(r, e->endpoint.credential);
    QVERIFY(c);
    HD_COMPARE_METHOD(c->method, Credential::Method::ApiKeyQuery);
    QCOMPARE(c->queryName, QStringLiteral("apikey"));
    QCOMPARE(secretNamed(r, c->secretName)->value, QStringLiteral("qk_999"));
    // $'…\t' gave a real tab, trimmed from the header value.
    QCOMPARE(e->endpoint.headers.value(0).second, QStringLiteral("application/json"));
}

void TestCurlImporter::vendorDocs_tokenRequestBecomesOAuthCredential()
{
    const ImportResult r = docs();
    QVERIFY(!endpointAt(r, QStringLiteral("POST"), QStringLiteral("/oauth/token")));
    const Credential *c = nullptr;
    for (const auto &x : r.credentials)
        if (x.method == Credential::Method::OAuth2ClientCredentials)
            c = &x;
    QVERIFY(c);
    QCOMPARE(c->tokenUrl, QStringLiteral("https://auth.vendor.example/oauth/token"));
    QCOMPARE(c->clientId, QStringLiteral("desk-poller"));
    QCOMPARE(c->scope, QStringLiteral("read"));
    QCOMPARE(secretNamed(r, c->secretName)->value, QStringLiteral("cs_abc"));
}

void TestCurlImporter::vendorDocs_placeholderNamesSecretAndInsecureIsNoted()
{
    const ImportResult r = docs();
    const auto *e = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/v1/health"));
    QVERIFY(e);
    const Credential *c = credentialOf(r, e->endpoint.credential);
    QVERIFY(c);
    QCOMPARE(c->secretName, QStringLiteral("TOKEN"));
    QVERIFY(!secretNamed(r, QStringLiteral("TOKEN"))->hasValue());
    QVERIFY(r.notes.join(u'\n').contains(QStringLiteral("TLS verification off")));
}

void TestCurlImporter::vendorDocs_noSecretValueInWorkspace()
{
    const ImportResult r = docs();
    QVERIFY(workspaceHasNoSecretValues(r));
    // The "export" line and the prompt are not requests.
    QCOMPARE(r.environments.size(), 4); // broker, status, md, auth
}

void TestCurlImporter::bundle_variablesNameSecretsWithoutValues()
{
    const ImportResult r = importCurl(fixture(QStringLiteral("bundle.sh")));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoints.size(), 1);
    const Endpoint &e = r.endpoints.first().endpoint;
    QCOMPARE(e.method, QStringLiteral("POST"));
    QCOMPARE(e.path, QStringLiteral("/s002/v1/orders"));
    QCOMPARE(e.body, QStringLiteral("{\"name\":\"o'neil\",\"qty\":2}"));
    QCOMPARE(e.timeoutMs, 10000);
    QCOMPARE(r.environments.first().baseUrl, QStringLiteral("http://127.0.0.1:8080"));
    QVERIFY(secretNamed(r, QStringLiteral("TRADING_OAUTH_TOKEN")));
    QVERIFY(secretNamed(r, QStringLiteral("SIGNALS_API_KEY")));
    for (const auto &s : r.secrets)
        QVERIFY(!s.hasValue());
    QCOMPARE(r.credentials.size(), 2);
    QVERIFY(r.endpoints.first().note.contains(QStringLiteral("2 credentials")));
}

void TestCurlImporter::quoting_ansiCAndEscapesAndShortClusters()
{
    const QByteArray text = "curl -sSXPUT -HX-Desk:\\ ldn \"http://h.example/a b\"/c"
                            " -d $'{\"a\":\"x\\'y\\u00e9\"}' --data-binary \"line\\\"q\"";
    const ImportResult r = importCurl(text);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoints.size(), 1);
    const Endpoint &e = r.endpoints.first().endpoint;
    QCOMPARE(e.method, QStringLiteral("PUT"));
    QCOMPARE(e.path, QStringLiteral("/a%20b/c"));
    QCOMPARE(e.headers.value(0), std::make_pair(QStringLiteral("X-Desk"), QStringLiteral("ldn")));
    QCOMPARE(e.body, QString::fromUtf8("{\"a\":\"x'y\u00e9\"}&line\"q"));
}

void TestCurlImporter::multipleCommandsOnOneLine()
{
    const ImportResult r = importCurl(
        "curl https://a.example/x && curl https://b.example/y; curl https://a.example/z | jq .");
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoints.size(), 3);
    QCOMPARE(r.environments.size(), 2);
    QCOMPARE(r.skipped.size(), 1); // jq
}

void TestCurlImporter::secretBodyFieldsAreLeftOut()
{
    const ImportResult r = importCurl(
        R"(curl https://x.example/login --json '{"user":"desk","password":"hunter2"}')");
    QVERIFY2(r.ok(), qPrintable(r.error));
    const Endpoint &e = r.endpoints.first().endpoint;
    QVERIFY(!e.body.contains(QStringLiteral("hunter2")));
    QVERIFY(!r.endpoints.first().selected);
    QVERIFY(std::any_of(e.headers.cbegin(), e.headers.cend(), [](const auto &h) {
        return h.first == u"Content-Type" && h.second == u"application/json";
    }));
}

void TestCurlImporter::badInput_clearMessageNothingImported_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unterminated quote")
        << QByteArray("curl https://x.example/a\ncurl 'https://x")
        << QStringLiteral("f.sh: at line 2: unterminated single quote");
    QTest::newRow("no curl") << QByteArray("wget https://x.example\n")
                             << QStringLiteral("f.sh: no curl command found");
    QTest::newRow("option without value") << QByteArray("curl https://x.example -H")
                                          << QStringLiteral("f.sh: at line 1: -H needs a value");
    QTest::newRow("unterminated dquote")
        << QByteArray("curl \"https://x.example")
        << QStringLiteral("f.sh: at line 1: unterminated double quote");
}

void TestCurlImporter::badInput_clearMessageNothingImported()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const ImportResult r = importCurl(text, QStringLiteral("f.sh"));
    QCOMPARE(r.error, message);
    QVERIFY(r.endpoints.isEmpty());
    QVERIFY(r.environments.isEmpty());
    QVERIFY(r.secrets.isEmpty());
}

void TestCurlImporter::garbage_neverCrashes()
{
    // Deterministic noise made of the characters the tokenizer cares about.
    const char alphabet[] = "curl -XHdu'\"$\\\n ;&|#{}=:@^http://a.b/?";
    quint32 seed = 7;
    for (int round = 0; round < 300; ++round) {
        QByteArray text("curl ");
        for (int i = 0; i < 200; ++i) {
            seed = seed * 1103515245u + 12345u;
            text.append(alphabet[(seed >> 16) % (sizeof alphabet - 1)]);
        }
        const ImportResult r = importCurl(text);
        QVERIFY(r.ok() || (r.endpoints.isEmpty() && !r.error.contains(u'\n')));
    }
    QVERIFY(!importCurl(QByteArray(ImportMaxBytes + 1, 'a')).ok());
}

void TestCurlImporter::merge_reimportIsUnchanged()
{
    const ImportResult r = docs();
    const auto first = mergeImport(Workspace{}, r);
    QVERIFY2(first.ok(), qPrintable(first.error));
    const int endpoints = int(first.workspace.endpoints.size());
    QCOMPARE(endpoints, r.selectedCount());
    Workspace tuned = first.workspace;
    tuned.endpoints.first().intervalMs = 5000;
    const auto again = mergeImport(tuned, r);
    QVERIFY2(again.ok(), qPrintable(again.error));
    QCOMPARE(again.workspace.endpoints.size(), endpoints);
    QCOMPARE(again.workspace.environments.size(), first.workspace.environments.size());
    QCOMPARE(again.workspace.credentials.size(), first.workspace.credentials.size());
    QCOMPARE(again.workspace.endpoints.first().intervalMs, 5000); // the user's tuning stays
    for (const auto &c : again.changes)
        QVERIFY2(c.kind != ImportChange::Kind::Added, qPrintable(c.what + u' ' + c.id));
}

// Found by fuzz_importcurl: an unbalanced quote made the next command's Authorization header,
// with $BROKER_TOKEN expanded, part of a POST's URL — so the token went into the endpoint's
// path and id. Such an endpoint is left out, and no message quotes the value.
void TestCurlImporter::fuzzFinding_secretExpandedIntoUrlIsLeftOut()
{
    const QByteArray text = "export BROKER_TOKEN=\"eyJhbGciOiJIUzI1NiJ9.c2lt.dGVzdA\"\n"
                            "curl https://api.broker.example/v1/accounts \\\n"
                            "  -H \"Authorization: Bearer $BROKER_TOKEN\"\n"
                            "curl -X POST \"https://api.broker.example/v1/orders/$BROKER_TOKEN\"\n";
    const ImportResult r = importCurl(text, QStringLiteral("docs.sh"));
    QVERIFY2(r.ok(), qPrintable(r.error));
    const QString token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.c2lt.dGVzdA");
    QCOMPARE(secretNamed(r, QStringLiteral("BROKER_TOKEN"))->value, token);
    QVERIFY(endpointAt(r, QStringLiteral("GET"), QStringLiteral("/v1/accounts")));
    QCOMPARE(r.endpoints.size(), 1); // the POST carrying the token in its path is not proposed
    bool said = false;
    for (const ImportSkip &skip : r.skipped) {
        QVERIFY2(!skip.where.contains(token) && !skip.why.contains(token), qPrintable(skip.why));
        said = said || skip.why.contains(QStringLiteral("value of secret BROKER_TOKEN"));
    }
    QVERIFY(said);
    QVERIFY(workspaceHasNoSecretValues(r));
}

QTEST_GUILESS_MAIN(TestCurlImporter)
#include "tst_curlimporter.moc"
