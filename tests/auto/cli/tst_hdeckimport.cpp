// hdeck import and hdeck validate as a pipeline runs them (DESIGN §5).
#include "testsupport.h"
#include "workspacefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::runHdeck;
using hd::test::sourcePath;

class TestHdeckImport : public QObject
{
    Q_OBJECT
private slots:
    void import_printsProposedWorkspaceAndNamesSecrets();
    void import_intoCreatesThenMergesIdempotently();
    void import_badFileIsOneLineAndTouchesNothing();
    void import_usageErrors();
    void import_postmanWithEnvironmentFromStdin();
    void validate_exitCodesAndOneLineErrors();
};

static QString data(const char *name)
{
    return sourcePath(QStringLiteral("tests/auto/import/data/") + QLatin1String(name));
}

void TestHdeckImport::import_printsProposedWorkspaceAndNamesSecrets()
{
    const auto r
        = runHdeck({QStringLiteral("import"), QStringLiteral("curl"), data("vendor-docs.sh")});
    QCOMPARE(r.exitCode, 0);
    const auto ws = WorkspaceFile::parse(r.out, QStringLiteral("stdout"));
    QVERIFY2(ws.workspace, qPrintable(ws.error));
    QVERIFY(ws.workspace->endpoint(QStringLiteral("v1.accounts")));
    QVERIFY(!ws.workspace->endpoint(QStringLiteral("post.v1.orders"))); // not selected
    // Secrets: named with the variable to set, never their values.
    QVERIFY(r.err.contains("HDECK_SECRET_BROKER_TOKEN"));
    for (const char *value :
         {"eyJhbGciOiJIUzI1NiJ9", "s3cr3t pass", "live_key_123", "qk_999", "cs_abc"}) {
        QVERIFY2(!r.out.contains(value), value);
        QVERIFY2(!r.err.contains(value), value);
    }
    QVERIFY(r.err.contains("skipped endpoint post.v1.orders"));

    const auto all = runHdeck({QStringLiteral("import"), QStringLiteral("curl"),
                               data("vendor-docs.sh"), QStringLiteral("--all")});
    QCOMPARE(all.exitCode, 0);
    const auto allWs = WorkspaceFile::parse(all.out, QStringLiteral("stdout"));
    QVERIFY(allWs.workspace);
    QVERIFY(allWs.workspace->endpoint(QStringLiteral("post.v1.orders")));
    QVERIFY(allWs.workspace->endpoint(QStringLiteral("post.v1.orders"))->paused);
}

void TestHdeckImport::import_intoCreatesThenMergesIdempotently()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("ws.json"));
    const auto first = runHdeck({QStringLiteral("import"), QStringLiteral("openapi"),
                                 data("petstore.yaml"), QStringLiteral("--into"), target});
    QCOMPARE(first.exitCode, 0);
    QVERIFY(first.out.isEmpty());
    auto loaded = WorkspaceFile::load(target);
    QVERIFY2(loaded.workspace, qPrintable(loaded.error));
    const qsizetype endpoints = loaded.workspace->endpoints.size();
    QVERIFY(endpoints >= 3);
    const auto second = runHdeck({QStringLiteral("import"), QStringLiteral("har"),
                                  data("session.har"), QStringLiteral("--into"), target});
    QCOMPARE(second.exitCode, 0);
    loaded = WorkspaceFile::load(target);
    QVERIFY(loaded.workspace);
    QCOMPARE(loaded.workspace->endpoints.size(), endpoints + 1); // HAR adds positions
    const QByteArray before = [&] {
        QFile f(target);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    const auto again = runHdeck({QStringLiteral("import"), QStringLiteral("har"),
                                 data("session.har"), QStringLiteral("--into"), target});
    QCOMPARE(again.exitCode, 0);
    QFile f(target);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    QVERIFY(!before.contains("har-token-1"));
}

void TestHdeckImport::import_badFileIsOneLineAndTouchesNothing()
{
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("ws.json"));
    QVERIFY(runHdeck({QStringLiteral("import"), QStringLiteral("har"), data("session.har"),
                      QStringLiteral("--into"), target})
                .exitCode
            == 0);
    QFile f(target);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray before = f.readAll();
    f.close();
    const QString bad = dir.filePath(QStringLiteral("bad.yaml"));
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write("openapi: 3.0.0\npaths: {\n");
    b.close();
    const auto r = runHdeck({QStringLiteral("import"), QStringLiteral("openapi"), bad,
                             QStringLiteral("--into"), target});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.contains("bad.yaml: at line "));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
}

void TestHdeckImport::import_usageErrors()
{
    QCOMPARE(runHdeck({QStringLiteral("import")}).exitCode, 2);
    QCOMPARE(runHdeck({QStringLiteral("import"), QStringLiteral("wsdl"), data("petstore.yaml")})
                 .exitCode,
             2);
    QCOMPARE(runHdeck({QStringLiteral("import"), QStringLiteral("curl"), data("vendor-docs.sh"),
                       QStringLiteral("--endpoint"), QStringLiteral("nope")})
                 .exitCode,
             2);
    const auto missing = runHdeck(
        {QStringLiteral("import"), QStringLiteral("har"), QStringLiteral("/nonexistent/x.har")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("cannot open"));
}

void TestHdeckImport::import_postmanWithEnvironmentFromStdin()
{
    QFile c(data("trading.postman_collection.json"));
    QVERIFY(c.open(QIODevice::ReadOnly));
    const auto r
        = runHdeck({QStringLiteral("import"), QStringLiteral("postman"), QStringLiteral("-"),
                    QStringLiteral("--environment"), data("uat.postman_environment.json")},
                   30000, c.readAll());
    QCOMPARE(r.exitCode, 0);
    const auto ws = WorkspaceFile::parse(r.out, QStringLiteral("stdout"));
    QVERIFY2(ws.workspace, qPrintable(ws.error));
    QVERIFY(ws.workspace->environment(QStringLiteral("uat-london")));
    QVERIFY(r.err.contains("HDECK_SECRET_ORDERS_KEY"));
    QVERIFY(!r.out.contains("ok_live_777") && !r.err.contains("ok_live_777"));
}

void TestHdeckImport::validate_exitCodesAndOneLineErrors()
{
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("good.json"));
    QVERIFY(runHdeck({QStringLiteral("import"), QStringLiteral("har"), data("session.har"),
                      QStringLiteral("--into"), good})
                .exitCode
            == 0);
    const auto ok = runHdeck({QStringLiteral("validate"), good});
    QCOMPARE(ok.exitCode, 0);
    QVERIFY(ok.out.contains("valid"));
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        R"({"schema":"healthdeck.workspace/1","environments":[],"endpoints":[{"id":"a","environment":"prod","path":"/"}]})");
    f.close();
    const auto r = runHdeck({QStringLiteral("validate"), good, bad});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.contains("bad.json: at /endpoints/0/environment: no environment \"prod\""));
    QCOMPARE(runHdeck({QStringLiteral("validate")}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestHdeckImport)
#include "tst_hdeckimport.moc"
