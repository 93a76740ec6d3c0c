// The bundle's writers, rule by rule: curl scripts turn masks into named $VARIABLES, CSV quotes
// and defuses formulas, the summary counts and chains retries, times parse, a cancelled export
// leaves nothing, and the redactor masks the encoded forms of a held secret.

#include "bundleeventloader.h"
#include "bundlesummary.h"
#include "bundletestevents.h"
#include "curlscriptwriter.h"
#include "eventcsvwriter.h"
#include "harwriter.h"
#include "redactor.h"
#include "supportbundlewriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestBundleWriters : public QObject
{
    Q_OBJECT
private slots:
    void curl_masksBecomeNamedVariables();
    void curl_quotesSingleQuotes();
    void csv_quotesAndDefusesFormulas();
    void har_urlIsAValidUri();
    void summary_countsCategoriesEndpointsAndRetryChains();
    void parseTime_acceptsIsoAndAges();
    void cancelledExport_leavesNoFile();
    void redactor_masksEncodedFormsOfHeldSecrets();
};

void TestBundleWriters::curl_masksBecomeNamedVariables()
{
    ApiEvent e = test::plantedBundle(1795298400000).events.front();
    Redactor().redactEvent(e);
    const CurlScriptWriter::Script s = CurlScriptWriter::write(e, 7);
    QCOMPARE(s.fileName, QStringLiteral("curl/007-orders.place-409.sh"));
    const QString text = QString::fromUtf8(s.text);
    QVERIFY(text.startsWith(QStringLiteral("#!/bin/sh\n")));
    QVERIFY(text.contains(QStringLiteral("-H 'Authorization: Bearer '\"$AUTHORIZATION\"")));
    QVERIFY(text.contains(QStringLiteral("\"password\":\"'\"$PASSWORD\"'\"")));
    QVERIFY(text.contains(QStringLiteral("\"p-ticket\":\"'\"$P_TICKET\"'\"")));
    QVERIFY(text.contains(QStringLiteral("&token='\"$TOKEN\"'&access_token='\"$ACCESS_TOKEN\"")));
    QVERIFY(text.contains(QStringLiteral(": \"${PROXY_AUTHORIZATION:?")));
    QVERIFY(text.contains(QStringLiteral("# identifiers: traceId=trace-7f3e9a01")));
    QVERIFY(s.variables.contains(QStringLiteral("CLIENT_SECRET")));
    QCOMPARE(CurlScriptWriter::variableName(QStringLiteral("x-api-key")),
             QStringLiteral("X_API_KEY"));
    QCOMPARE(CurlScriptWriter::variableName(QStringLiteral("2fa")), QStringLiteral("V_2FA"));
}

void TestBundleWriters::curl_quotesSingleQuotes()
{
    QStringList vars;
    QCOMPARE(CurlScriptWriter::shellWord(QStringLiteral("it's"), QStringLiteral("X"), vars),
             QStringLiteral("'it'\\''s'"));
    QCOMPARE(CurlScriptWriter::shellWord(QStringLiteral("[REDACTED]"), QStringLiteral("X"), vars),
             QStringLiteral("\"$X\""));
    QCOMPARE(vars, QStringList{QStringLiteral("X")});
    QCOMPARE(CurlScriptWriter::shellWord(QString(), QStringLiteral("X"), vars),
             QStringLiteral("''"));
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
    QCOMPARE(r.secretValueCount(), 4);
}

QTEST_GUILESS_MAIN(TestBundleWriters)
#include "tst_bundlewriters.moc"
