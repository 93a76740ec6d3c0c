// OpenAPI 3 (YAML with anchors and $refs) and Swagger 2.0 (JSON).
#include "importtesthelpers.h"
#include "openapiimporter.h"

using namespace hd;
using namespace hd::test;

class TestOpenApiImporter : public QObject
{
    Q_OBJECT
private slots:
    void servers_becomeEnvironmentsWithVariableDefaults();
    void operations_getWithoutRequiredParamsSelected();
    void refsAndAnchors_resolvedAndCyclesStop();
    void security_schemesBecomeCredentialsBySecretName();
    void swagger2_hostBasePathAndDefinitions();
    void badInput_clearMessage_data();
    void badInput_clearMessage();
    void aliasBomb_refusedNotExpanded();
    void everyTruncation_refusedOrImportedNeverCrashes();
    void noSecretValueInWorkspace();
    void fuzzFinding_controlCharactersInParserMessagesAreEscaped();
};

static ImportResult petstore()
{
    return importOpenApi(fixture(QStringLiteral("petstore.yaml")), QStringLiteral("petstore.yaml"));
}

void TestOpenApiImporter::servers_becomeEnvironmentsWithVariableDefaults()
{
    const ImportResult r = petstore();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.name, QStringLiteral("Broker Trading API"));
    QCOMPARE(r.environments.size(), 2);
    QCOMPARE(r.environments.at(0).id, QStringLiteral("production"));
    QCOMPARE(r.environments.at(0).baseUrl, QStringLiteral("https://api.broker.example/v2"));
    QCOMPARE(r.environments.at(1).id, QStringLiteral("sandbox"));
    for (const auto &e : r.endpoints)
        QCOMPARE(e.endpoint.environment, QStringLiteral("production"));
}

void TestOpenApiImporter::operations_getWithoutRequiredParamsSelected()
{
    const ImportResult r = petstore();
    const auto *list = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/accounts"));
    QVERIFY(list);
    QVERIFY(list->selected);
    QCOMPARE(list->endpoint.id, QStringLiteral("accounts.list"));
    QCOMPARE(list->endpoint.name, QStringLiteral("List accounts"));
    const auto *quote = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/quotes"));
    QVERIFY(quote && !quote->selected);
    QVERIFY(quote->note.contains(QStringLiteral("symbol")));
    // A required query parameter with a default is filled in and stays selected.
    const auto *instruments
        = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/instruments?exchange=CME"));
    QVERIFY(instruments && instruments->selected);
    QCOMPARE(instruments->endpoint.requiredScopes, QStringList{QStringLiteral("read:instruments")});
    const auto *post = endpointAt(r, QStringLiteral("POST"), QStringLiteral("/orders"));
    QVERIFY(post && !post->selected);
    QVERIFY(post->note.contains(QStringLiteral("request body")));
    const auto *legacy = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/legacy"));
    QVERIFY(legacy && !legacy->selected);
    QVERIFY(legacy->note.contains(QStringLiteral("deprecated")));
    const auto *status = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/status"));
    QVERIFY(status && status->selected);
    QVERIFY(status->endpoint.credential.isEmpty()); // security: [] overrides the global one
}

void TestOpenApiImporter::refsAndAnchors_resolvedAndCyclesStop()
{
    const ImportResult r = petstore();
    // The path-level $ref parameter makes accountId required.
    const auto *one = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/accounts/{accountId}"));
    QVERIFY(one && !one->selected);
    QVERIFY(one->note.contains(QStringLiteral("{accountId}")));
    // The *pageParams alias made an optional parameter: still selected.
    QVERIFY(endpointAt(r, QStringLiteral("GET"), QStringLiteral("/accounts"))->selected);
    bool cycle = false;
    for (const auto &s : r.skipped)
        cycle = cycle || (s.where == u"/paths//loop" && s.why.contains(QStringLiteral("circular")));
    QVERIFY(cycle);
}

void TestOpenApiImporter::security_schemesBecomeCredentialsBySecretName()
{
    const ImportResult r = petstore();
    const Credential *bearer = credentialOf(r, QStringLiteral("bearerauth"));
    QVERIFY(bearer);
    HD_COMPARE_METHOD(bearer->method, Credential::Method::Bearer);
    QCOMPARE(bearer->secretName, QStringLiteral("BEARER_AUTH_TOKEN"));
    const Credential *key = credentialOf(r, QStringLiteral("apikeyheader"));
    QVERIFY(key);
    QCOMPARE(key->headerName, QStringLiteral("X-Api-Key"));
    const Credential *oauth = credentialOf(r, QStringLiteral("oauth"));
    QVERIFY(oauth);
    HD_COMPARE_METHOD(oauth->method, Credential::Method::OAuth2ClientCredentials);
    QCOMPARE(oauth->tokenUrl, QStringLiteral("https://auth.broker.example/oauth/token"));
    QCOMPARE(endpointAt(r, QStringLiteral("GET"), QStringLiteral("/accounts"))->endpoint.credential,
             QStringLiteral("bearerauth"));
    QStringList skippedWhere;
    for (const auto &s : r.skipped)
        skippedWhere.append(s.where);
    QVERIFY(skippedWhere.contains(QStringLiteral("/components/securitySchemes/sessionCookie")));
    QVERIFY(skippedWhere.contains(QStringLiteral("/components/securitySchemes/userLogin")));
    for (const auto &s : r.secrets)
        QVERIFY(!s.hasValue()); // a spec names secrets, it never holds them
}

void TestOpenApiImporter::swagger2_hostBasePathAndDefinitions()
{
    const ImportResult r = importOpenApi(fixture(QStringLiteral("swagger2.json")));
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.environments.size(), 1);
    QCOMPARE(r.environments.first().baseUrl,
             QStringLiteral("https://signals.vendor.example/api/v1"));
    const auto *list = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/signals"));
    QVERIFY(list && list->selected);
    QCOMPARE(list->endpoint.id, QStringLiteral("listSignals"));
    HD_COMPARE_METHOD(credentialOf(r, list->endpoint.credential)->method,
                      Credential::Method::ApiKeyQuery);
    QCOMPARE(credentialOf(r, list->endpoint.credential)->queryName, QStringLiteral("api_key"));
    QVERIFY(!endpointAt(r, QStringLiteral("POST"), QStringLiteral("/signals"))->selected);
    QVERIFY(!endpointAt(r, QStringLiteral("GET"), QStringLiteral("/signals/{id}"))->selected);
    const auto *trades = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/trades"));
    HD_COMPARE_METHOD(credentialOf(r, trades->endpoint.credential)->method,
                      Credential::Method::OAuth2ClientCredentials);
    QVERIFY(workspaceHasNoSecretValues(r));
}

void TestOpenApiImporter::badInput_clearMessage_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("not openapi") << QByteArray("title: hello\n")
                                 << QStringLiteral("api.yaml: not an OpenAPI or Swagger document "
                                                   "(no \"openapi\" or \"swagger\" member)");
    QTest::newRow("openapi 4") << QByteArray("{\"openapi\":\"4.0\"}")
                               << QStringLiteral("api.yaml: at /openapi: only OpenAPI 3.0/3.1 and "
                                                 "Swagger 2.0 are supported");
    QTest::newRow("bad json") << QByteArray("{\"openapi\": \"3.0.0\",\n  \"paths\": {,}}")
                              << QStringLiteral("api.yaml: at line 2:13: not valid JSON");
    QTest::newRow("deep json") << QByteArray(5000, '[')
                               << QStringLiteral("api.yaml: nested deeper than 96 levels");
}

void TestOpenApiImporter::badInput_clearMessage()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const ImportResult r = importOpenApi(text, QStringLiteral("api.yaml"));
    QCOMPARE(r.error, message);
    QVERIFY(r.endpoints.isEmpty() && r.environments.isEmpty() && r.credentials.isEmpty());
    const ImportResult yaml
        = importOpenApi("openapi: 3.0.0\npaths: [unclosed\n", QStringLiteral("a.yaml"));
    QVERIFY(yaml.error.startsWith(QStringLiteral("a.yaml: at line ")));
    QVERIFY(yaml.error.contains(QStringLiteral("not valid YAML")));
}

void TestOpenApiImporter::aliasBomb_refusedNotExpanded()
{
    QByteArray bomb = "openapi: 3.0.0\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'k'; ++c, ++prev)
        bomb += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, prev) + ", *"
                + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev)
                + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *"
                + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev)
                + ", *" + QByteArray(1, prev) + "]\n";
    const ImportResult r = importOpenApi(bomb, QStringLiteral("bomb.yaml"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(QStringLiteral("nodes")), qPrintable(r.error));
}

void TestOpenApiImporter::everyTruncation_refusedOrImportedNeverCrashes()
{
    for (const char *name : {"petstore.yaml", "swagger2.json"}) {
        const QByteArray full = fixture(QLatin1String(name));
        for (qsizetype n = 0; n < full.size(); n += 23) {
            const ImportResult r = importOpenApi(full.left(n), QStringLiteral("cut"));
            if (!r.ok()) {
                QVERIFY(!r.error.contains(u'\n'));
                QVERIFY(r.endpoints.isEmpty() && r.environments.isEmpty());
            }
        }
    }
}

void TestOpenApiImporter::noSecretValueInWorkspace()
{
    const ImportResult r = petstore();
    QVERIFY(workspaceHasNoSecretValues(r));
    const auto merged = mergeImport(Workspace{}, r);
    QVERIFY2(merged.ok(), qPrintable(merged.error));
    QCOMPARE(merged.workspace.endpoints.size(), r.selectedCount());
}

// Found by fuzz_importopenapi: yaml-cpp quotes the offending character in its message ("unknown
// escape character: " and a raw control character), which broke the one-line error and would
// reach a terminal as is. Control characters in messages are escaped.
void TestOpenApiImporter::fuzzFinding_controlCharactersInParserMessagesAreEscaped()
{
    for (const char bad : {'\x01', '\x1b', '\x7f'}) {
        QByteArray text = "openapi: 3.0.3\ninfo:\n  title: \"a\\";
        text += bad;
        text += "b\"\n  version: \"1\"\npaths: {}\n";
        const ImportResult r = importOpenApi(text, QStringLiteral("api.yaml"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.startsWith(QStringLiteral("api.yaml: ")), qPrintable(r.error));
        for (const QChar c : r.error)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f,
                     r.error.toUtf8().toHex().constData());
    }
}

QTEST_GUILESS_MAIN(TestOpenApiImporter)
#include "tst_openapiimporter.moc"
