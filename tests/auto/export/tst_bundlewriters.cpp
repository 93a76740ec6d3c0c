// The bundle's writers, rule by rule: curl scripts wrap the console's CurlCommand (masks become
// $HDECK_TOKEN_<CRED> / $HDECK_SECRET_<NAME>) and refuse to run while one is unset, CSV quotes
// and defuses formulas, the summary counts and chains retries, times parse, a cancelled export
// leaves nothing, and the redactor masks the encoded forms of a held secret.

#include "bundleeventloader.h"
#include "bundlesummary.h"
#include "bundletestevents.h"
#include "curlcommand.h"
#include "curlscriptwriter.h"
#include "eventcsvwriter.h"
#include "harwriter.h"
#include "redactor.h"
#include "supportbundlewriter.h"
#include "workspacefile.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestBundleWriters : public QObject
{
    Q_OBJECT
private slots:
    void curl_masksBecomeTheConsolesVariables();
    void curl_withoutWorkspace_namesMasksAfterTheirField();
    void curl_refusesToRunWhileAVariableIsUnset();
    void csv_quotesAndDefusesFormulas();
    void har_urlIsAValidUri();
    void summary_countsCategoriesEndpointsAndRetryChains();
    void parseTime_acceptsIsoAndAges();
    void cancelledExport_leavesNoFile();
    void redactor_masksEncodedFormsOfHeldSecrets();
    void csv_everyFormulaStartIsNeutralised_data();
    void csv_everyFormulaStartIsNeutralised();
    void bundle_isOwnerOnly();
    void bundle_withoutGuiApplication_hasNoPdfAndSaysWhy();
};

void TestBundleWriters::curl_masksBecomeTheConsolesVariables()
{
    const test::PlantedBundle planted = test::plantedBundle(1795298400000);
    const auto ws = WorkspaceFile::parse(planted.workspaceJson.toUtf8(), QStringLiteral("t"));
    QVERIFY2(ws.workspace, qPrintable(ws.error));
    ApiEvent e = planted.events.front(); // orders.place, credential desk-oauth (OAuth2)
    Redactor().redactEvent(e);
    const Credential *cred = ws.workspace->credential(QStringLiteral("desk-oauth"));
    QVERIFY(cred);
    const CurlScriptWriter::Script s = CurlScriptWriter::write(e, 7, cred);
    QCOMPARE(s.fileName, QStringLiteral("curl/007-orders.place-409.sh"));
    const QString text = QString::fromUtf8(s.text);
    QVERIFY(text.startsWith(QStringLiteral("#!/bin/sh\n")));
    QVERIFY2(
        text.contains(QStringLiteral("-H 'Authorization: Bearer '\"$HDECK_TOKEN_DESK_OAUTH\"")),
        qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("\"password\":\"'\"$HDECK_SECRET_PASSWORD\"'\"")));
    QVERIFY(text.contains(QStringLiteral("\"p-ticket\":\"'\"$HDECK_SECRET_P_TICKET\"'\"")));
    QVERIFY(text.contains(QStringLiteral(
        "&token='\"$HDECK_SECRET_TOKEN\"'&access_token='\"$HDECK_SECRET_ACCESS_TOKEN\"")));
    QVERIFY(text.contains(
        QStringLiteral("[ -n \"${HDECK_SECRET_PROXY_AUTHORIZATION:-}\" ] || { printf")));
    QVERIFY(text.contains(QStringLiteral(
        "#   export HDECK_TOKEN_DESK_OAUTH='...'  # a current access token of credential "
        "desk-oauth\n")));
    QVERIFY(text.contains(QStringLiteral("# identifiers: traceId=trace-7f3e9a01")));
    QVERIFY(text.contains(QStringLiteral("# credential: desk-oauth\n")));
    QVERIFY(!text.contains(QStringLiteral("REDACTED")));
    QVERIFY(s.variables.contains(QStringLiteral("HDECK_SECRET_CLIENT_SECRET")));
    // Every variable the command uses is checked before curl runs.
    const qsizetype curlAt = text.indexOf(QStringLiteral("\ncurl -sS -i \\\n  --max-time 30 \\\n"));
    QVERIFY(curlAt > 0);
    for (const QString &v : s.variables) {
        const qsizetype check = text.indexOf(QStringLiteral("[ -n \"${%1:-}\" ]").arg(v));
        QVERIFY2(check > 0 && check < curlAt, qPrintable(v));
    }

    // One implementation: the script's command line is the console's Copy as curl, and both
    // ask for the same variables.
    CurlCommand::Options options;
    options.credential = cred;
    options.withVariableComment = false;
    options.multiLine = true;
    options.maxTimeSeconds = 30;
    const CurlCommand curl = CurlCommand::fromEvent(e, options);
    QVERIFY(text.endsWith(curl.command() + u'\n'));
    CurlCommand::Options console;
    console.credential = cred;
    QCOMPARE(CurlCommand::fromEvent(e, console).variables(), s.variables);
    QVERIFY(!curl.command().contains(QStringLiteral("'Content-Length:")));
}

void TestBundleWriters::curl_withoutWorkspace_namesMasksAfterTheirField()
{
    ApiEvent e = test::plantedBundle(1795298400000).events.front();
    Redactor().redactEvent(e);
    const CurlScriptWriter::Script s = CurlScriptWriter::write(e, 1);
    const QString text = QString::fromUtf8(s.text);
    QVERIFY2(
        text.contains(QStringLiteral("-H 'Authorization: Bearer '\"$HDECK_SECRET_AUTHORIZATION\"")),
        qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("-H 'X-API-Key: '\"$HDECK_SECRET_X_API_KEY\"")));
    QVERIFY(!text.contains(QStringLiteral("HDECK_TOKEN_")));
    QVERIFY(!text.contains(QStringLiteral("# credential:")));
    QVERIFY(text.contains(QStringLiteral("the value HealthDeck removed from the request")));
    QCOMPARE(s.variables, CurlCommand::fromEvent(e).variables());
}

void TestBundleWriters::curl_refusesToRunWhileAVariableIsUnset()
{
    // A loopback URL and an empty PATH: even a broken check could not reach anything.
    ApiEvent e;
    e.id = QStringLiteral("evt-it's");
    e.endpoint = QStringLiteral("orders.list");
    e.httpStatus = 401;
    e.request
        = RequestInfo{QStringLiteral("POST"),
                      QStringLiteral("http://127.0.0.1:9/v1/orders?note=it's"),
                      {{QStringLiteral("Authorization"), QStringLiteral("Bearer [REDACTED]")}},
                      QStringLiteral("{\"password\":\"[REDACTED]\"}")};
    const CurlScriptWriter::Script s = CurlScriptWriter::write(e, 3);
    QCOMPARE(s.variables, (QStringList{QStringLiteral("HDECK_SECRET_AUTHORIZATION"),
                                       QStringLiteral("HDECK_SECRET_PASSWORD")}));
    QVERIFY(QString::fromUtf8(s.text).contains(QStringLiteral("note=it'\\''s'")));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("repro.sh"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(s.text);
    f.close();

    auto run = [&](const QProcessEnvironment &env) {
        QProcess sh;
        sh.setProcessEnvironment(env);
        sh.start(QStringLiteral("/bin/sh"), {path});
        [&] {
            QVERIFY(sh.waitForFinished(10000));
        }();
        return std::pair{sh.exitCode(), QString::fromUtf8(sh.readAllStandardError())};
    };
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), dir.path());
    {
        const auto [code, err] = run(env);
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("set HDECK_SECRET_AUTHORIZATION to")),
                 qPrintable(err));
    }
    env.insert(QStringLiteral("HDECK_SECRET_AUTHORIZATION"), QStringLiteral("x"));
    {
        const auto [code, err] = run(env);
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("003-orders.list-401.sh: set HDECK_SECRET_PASSWORD")),
                 qPrintable(err));
    }
    env.insert(QStringLiteral("HDECK_SECRET_PASSWORD"), QString()); // empty counts as unset
    QCOMPARE(run(env).first, 2);
    env.insert(QStringLiteral("HDECK_SECRET_PASSWORD"), QStringLiteral("y"));
    // Both set: the checks pass and the script gets to curl, which the empty PATH lacks.
    QCOMPARE(run(env).first, 127);
}

void TestBundleWriters::csv_quotesAndDefusesFormulas()
{
    QCOMPARE(EventCsvWriter::cell(QStringLiteral("plain")), QByteArray("plain"));
    QCOMPARE(EventCsvWriter::cell(QStringLiteral("a,b")), QByteArray("\"a,b\""));
    QCOMPARE(EventCsvWriter::cell(QStringLiteral("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
    QCOMPARE(EventCsvWriter::cell(QStringLiteral("=cmd()")), QByteArray("'=cmd()"));
    QCOMPARE(EventCsvWriter::cell(QStringLiteral("-12")), QByteArray("-12"));
    const QList<QByteArray> header = EventCsvWriter::header().trimmed().split(',');
    const ApiEvent e = test::plantedBundle(1795298400000).events.front();
    const QByteArray row = EventCsvWriter::row(e);
    QVERIFY(row.endsWith("\r\n"));
    QVERIFY(row.contains(",409,"));
    QVERIFY(row.contains("CLORD-2026-11-21-0001"));
    QCOMPARE(header.size(), 27);
}

void TestBundleWriters::har_urlIsAValidUri()
{
    QCOMPARE(HarWriter::harUrl(QStringLiteral("https://h.example/p?token=[REDACTED]&a=b c")),
             QStringLiteral("https://h.example/p?token=%5BREDACTED%5D&a=b%20c"));
}

void TestBundleWriters::summary_countsCategoriesEndpointsAndRetryChains()
{
    QList<ApiEvent> events = test::mixedEvents(1795298400000, 25);
    // Make events 2, 3 and 4 one retry chain on one endpoint.
    for (int i : {2, 3, 4}) {
        events[i].endpoint = QStringLiteral("chain.ep");
        events[i].environment = QStringLiteral("prod");
        events[i].attempt = i - 1;
    }
    SupportBundleRequest request;
    request.maxReportFailures = 100;
    const BundleSummary s = BundleSummary::build(events, request);
    QCOMPARE(s.total, 25);
    QCOMPARE(s.failures, 15); // i % 5 in {2,3,4}
    int sum = 0;
    for (const auto &b : s.timeline)
        sum += b.total();
    QCOMPARE(sum, 25);
    QCOMPARE(s.categories.size(), 3);
    QCOMPARE(s.categories.front().count, 5);
    QVERIFY(!s.topEndpoints.isEmpty());
    QCOMPARE(s.selectedFailures.size(), 15);
    QCOMPARE(s.selectedFailures.front().event.id, events.back().id); // newest first
    const auto chain = std::find_if(s.selectedFailures.cbegin(), s.selectedFailures.cend(),
                                    [&](const auto &f) { return f.event.id == events[3].id; });
    QVERIFY(chain != s.selectedFailures.cend());
    QCOMPARE(chain->attempts.size(), 3);
    QCOMPARE(chain->attempts.front().id, events[2].id);
    QCOMPARE(chain->attempts.back().id, events[4].id);
    request.maxReportFailures = 2;
    QCOMPARE(BundleSummary::build(events, request).failuresLeftOut, 13);
}

void TestBundleWriters::parseTime_acceptsIsoAndAges()
{
    const qint64 now = 1795298400000;
    QCOMPARE(BundleEventLoader::parseTime(QStringLiteral("15m"), now), now - 15 * 60000);
    QCOMPARE(BundleEventLoader::parseTime(QStringLiteral("2d"), now), now - 2 * 86400000LL);
    QCOMPARE(BundleEventLoader::parseTime(QStringLiteral("2026-11-21T22:00:00Z"), now), now);
    QCOMPARE(BundleEventLoader::parseTime(QStringLiteral("2026-11-21T22:00:00"), now), now);
    QCOMPARE(BundleEventLoader::parseTime(QStringLiteral("2026-11-21T23:00:00+01:00"), now), now);
    QVERIFY(!BundleEventLoader::parseTime(QStringLiteral("soon"), now));
}

void TestBundleWriters::cancelledExport_leavesNoFile()
{
    QTemporaryDir dir;
    const QString zip = dir.filePath(QStringLiteral("c.zip"));
    SupportBundleRequest request;
    request.events = test::mixedEvents(1795298400000, 50);
    int calls = 0;
    const auto r = SupportBundleWriter::write(request, zip, [&calls](int percent, const QString &) {
        ++calls;
        return percent < 50;
    });
    QCOMPARE(r.error, QStringLiteral("cancelled"));
    QVERIFY(calls >= 2);
    QVERIFY(!QFile::exists(zip));
    QVERIFY(!QFile::exists(zip + QStringLiteral(".part")));
}

void TestBundleWriters::redactor_masksEncodedFormsOfHeldSecrets()
{
    Redactor r;
    const QString secret = QStringLiteral("s3cr3t/with+chars");
    r.addSecretValue(secret);
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(secret));
    const QString base64 = QString::fromLatin1(secret.toUtf8().toBase64());
    QCOMPARE(r.maskKnownValues(QStringLiteral("a ") + secret), QStringLiteral("a [REDACTED]"));
    QCOMPARE(r.redactUrl(QStringLiteral("https://h/p?x=") + encoded),
             QStringLiteral("https://h/p?x=[REDACTED]"));
    QCOMPARE(r.redactHeaderValue(QStringLiteral("X-Upstream"), QStringLiteral("Basic ") + base64),
             QStringLiteral("Basic [REDACTED]"));
    QVERIFY(r.heldValueForms().contains(encoded));
    QCOMPARE(r.secretValueCount(), 1); // one value (its encoded forms are not counted)
}

void TestBundleWriters::csv_everyFormulaStartIsNeutralised_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("cell");
    QTest::newRow("=") << QStringLiteral("=HYPERLINK(\"x\")")
                       << QByteArray("\"'=HYPERLINK(\"\"x\"\")\"");
    QTest::newRow("+") << QStringLiteral("+cmd|' /C calc'!A0") << QByteArray("'+cmd|' /C calc'!A0");
    QTest::newRow("-") << QStringLiteral("-cmd|x") << QByteArray("'-cmd|x");
    // Issue #16: a digit after the sign used to pass ("-2+3+cmd…").
    QTest::newRow("-digit formula")
        << QStringLiteral("-2+3+cmd|' /C calc'!A0") << QByteArray("'-2+3+cmd|' /C calc'!A0");
    QTest::newRow("+digit formula") << QStringLiteral("+1-SUM(A1)") << QByteArray("'+1-SUM(A1)");
    QTest::newRow("@") << QStringLiteral("@SUM(1+1)") << QByteArray("'@SUM(1+1)");
    QTest::newRow("tab") << QStringLiteral("\t=1") << QByteArray("'\t=1");
    QTest::newRow("CR") << QStringLiteral("\r=1") << QByteArray("\"'\r=1\"");
    QTest::newRow("space then =") << QStringLiteral("  =1+1") << QByteArray("'  =1+1");
    QTest::newRow("space then -") << QStringLiteral(" -1") << QByteArray("' -1");
    QTest::newRow("newline then @") << QStringLiteral("\n@x") << QByteArray("\"'\n@x\"");
    QTest::newRow("lone -") << QStringLiteral("-") << QByteArray("'-");
    QTest::newRow("plain negative code") << QStringLiteral("-1013") << QByteArray("-1013");
    QTest::newRow("plain decimal") << QStringLiteral("-0.5") << QByteArray("-0.5");
    QTest::newRow("plain positive") << QStringLiteral("+42") << QByteArray("+42");
    QTest::newRow("text") << QStringLiteral("a=b") << QByteArray("a=b");
}

void TestBundleWriters::csv_everyFormulaStartIsNeutralised()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, cell);
    QCOMPARE(EventCsvWriter::cell(text), cell);
    // …in every text column of a row, too.
    ApiEvent e = test::plantedBundle(1795298400000).events.front();
    e.error->message = text;
    e.endpoint = text;
    const QByteArray row = EventCsvWriter::row(e);
    QCOMPARE(row.count(cell), qsizetype(2));
}

void TestBundleWriters::bundle_isOwnerOnly()
{
    QTemporaryDir dir;
    const QString zip = dir.filePath(QStringLiteral("b.zip"));
    SupportBundleRequest request;
    request.events = test::mixedEvents(1795298400000, 20);
    const auto r
        = SupportBundleWriter::write(request, zip, [](int, const QString &) { return true; });
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(QFileInfo(zip).permissions() & QFileDevice::Permissions(0x7077),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

// This test runs a QCoreApplication, as a library user without QtGui would: nothing can lay out
// the PDF, so the bundle is written without report.pdf and says why; report.html is there.
void TestBundleWriters::bundle_withoutGuiApplication_hasNoPdfAndSaysWhy()
{
    QTemporaryDir dir;
    const QString zip = dir.filePath(QStringLiteral("b.zip"));
    SupportBundleRequest request;
    request.events = test::mixedEvents(1795298400000, 20);
    const auto r
        = SupportBundleWriter::write(request, zip, [](int, const QString &) { return true; });
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(r.files.contains(QStringLiteral("report.html")));
    QVERIFY(!r.files.contains(QStringLiteral("report.pdf")));
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY(r.warnings.first().startsWith(QStringLiteral("report.pdf not written")));
}

QTEST_GUILESS_MAIN(TestBundleWriters)
#include "tst_bundlewriters.moc"
