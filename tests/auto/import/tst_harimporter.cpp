// HAR 1.2 from a browser session.
#include "harimporter.h"
#include "importtesthelpers.h"

using namespace hd;
using namespace hd::test;

class TestHarImporter : public QObject
{
    Q_OBJECT
private slots:
    void distinctRequests_becomeCandidates();
    void browserNoise_leftOut();
    void secrets_headersAndBodies();
    void badInput_clearMessage();
    void everyTruncation_refusedNeverCrashes();
};

static ImportResult session()
{
    return importHar(fixture(QStringLiteral("session.har")), QStringLiteral("session.har"));
}

void TestHarImporter::distinctRequests_becomeCandidates()
{
    const ImportResult r = session();
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.endpoints.size(), 3); // positions (twice, other values), login, orders/unknown
    const auto *positions = endpointAt(r, QStringLiteral("GET"),
                                       QStringLiteral("/v1/positions?account=A1&ts=1700000000"));
    QVERIFY(positions);
    QVERIFY(positions->selected);
    QCOMPARE(r.environments.size(), 1);
    QCOMPARE(r.environments.first().baseUrl, QStringLiteral("https://api.broker.example"));
    const auto *missing
        = endpointAt(r, QStringLiteral("GET"), QStringLiteral("/v1/orders/unknown"));
    QVERIFY(missing && !missing->selected);
    QVERIFY(missing->note.contains(QStringLiteral("404")));
}

void TestHarImporter::browserNoise_leftOut()
{
    const ImportResult r = session();
    const auto *positions = endpointAt(r, QStringLiteral("GET"),
                                       QStringLiteral("/v1/positions?account=A1&ts=1700000000"));
    QStringList names;
    for (const auto &h : positions->endpoint.headers)
        names.append(h.first);
    QCOMPARE(names, (QStringList{QStringLiteral("Accept"), QStringLiteral("X-Desk-Id")}));
    const QString skipped = [&] {
        QStringList s;
        for (const auto &x : r.skipped)
            s.append(x.why);
        return s.join(u'\n');
    }();
    QVERIFY(skipped.contains(QStringLiteral("1 static assets")));
    QVERIFY(skipped.contains(QStringLiteral("1 CORS preflight")));
    QVERIFY(skipped.contains(QStringLiteral("1 repeats")));
    QVERIFY(skipped.contains(QStringLiteral("WebSocket")));
    QVERIFY(r.notes.join(u'\n').contains(QStringLiteral("cookies")));
}

void TestHarImporter::secrets_headersAndBodies()
{
    const ImportResult r = session();
    QCOMPARE(r.credentials.size(), 1);
    HD_COMPARE_METHOD(r.credentials.first().method, Credential::Method::Bearer);
    QCOMPARE(r.secrets.size(), 1);
    QCOMPARE(r.secrets.first().value, QStringLiteral("har-token-1"));
    const auto *login = endpointAt(r, QStringLiteral("POST"), QStringLiteral("/v1/login"));
    QVERIFY(login && !login->selected);
    QVERIFY(!login->endpoint.body.contains(QStringLiteral("hunter2")));
    QVERIFY(workspaceHasNoSecretValues(r));
}

void TestHarImporter::badInput_clearMessage()
{
    QCOMPARE(importHar("{}", QStringLiteral("x.har")).error,
             QStringLiteral("x.har: not a HAR file (no \"log\")"));
    QCOMPARE(importHar(R"({"log":{"entries":{}}})", QStringLiteral("x.har")).error,
             QStringLiteral("x.har: at /log/entries: must be an array"));
    QCOMPARE(importHar(R"({"log":{"version":"2.0","entries":[]}})", QStringLiteral("x.har")).error,
             QStringLiteral("x.har: at /log/version: HAR 2.0 is not supported (1.1 and 1.2 are)"));
    const ImportResult cut
        = importHar(fixture(QStringLiteral("session.har")).left(3000), QStringLiteral("x.har"));
    QVERIFY(cut.error.startsWith(QStringLiteral("x.har: at line ")));
    QVERIFY(cut.endpoints.isEmpty());
}

void TestHarImporter::everyTruncation_refusedNeverCrashes()
{
    const QByteArray full = fixture(QStringLiteral("session.har"));
    for (qsizetype n = 0; n + 1 < full.size(); n += 31) {
        const ImportResult r = importHar(full.left(n), QStringLiteral("cut"));
        QVERIFY(!r.ok());
        QVERIFY(r.endpoints.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestHarImporter)
#include "tst_harimporter.moc"
