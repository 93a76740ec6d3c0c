// requests.har is valid HAR 1.2 — checked by the real har-validator (npm) under node, not by a
// copy of the schema. The validator must be installed (.ci/deps); without it this test fails.

#include "bundletestevents.h"
#include "harwriter.h"
#include "supportbundlewriter.h"

#include <JlCompress.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestHarValidation : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void bundleHar_isValidHar12();
    void brokenHar_isRejectedByTheValidator();
    void connectionError_hasStatusZeroAndTheErrorName();

private:
    int validate(const QString &harPath, QByteArray *errors);
    QTemporaryDir m_dir;
    QString m_node;
    QString m_modules;
    QString m_script;
    QString m_har;
};

void TestHarValidation::initTestCase()
{
    m_node = qEnvironmentVariable("HDECK_NODE");
    m_modules = qEnvironmentVariable("HDECK_HAR_VALIDATOR_MODULES");
    m_script = qEnvironmentVariable("HDECK_HAR_VALIDATE_SCRIPT");
    QVERIFY2(!m_node.isEmpty() && QFile::exists(m_node),
             "node not found: run .ci/deps (apt-get install nodejs npm) and reconfigure");
    QVERIFY2(QFile::exists(m_modules + QStringLiteral("/har-validator/package.json")),
             qPrintable(QStringLiteral("har-validator not found in %1: run .ci/deps (npm install "
                                       "--prefix /opt/healthdeck-test-tools har-validator) or "
                                       "configure with -DHDECK_HAR_VALIDATOR_MODULES=DIR")
                            .arg(m_modules)));
    QVERIFY(QFile::exists(m_script));

    SupportBundleRequest request;
    request.events
        = test::mixedEvents(1795298400000, 40) + test::plantedBundle(1795298500000).events;
    const QString zip = m_dir.filePath(QStringLiteral("b.zip"));
    const auto r = SupportBundleWriter::write(request, zip);
    QVERIFY2(r.ok(), qPrintable(r.error));
    m_har = JlCompress::extractFile(zip, QStringLiteral("requests.har"),
                                    m_dir.filePath(QStringLiteral("requests.har")));
    QVERIFY(!m_har.isEmpty());
}

int TestHarValidation::validate(const QString &harPath, QByteArray *errors)
{
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NODE_PATH"), m_modules);
    node.setProcessEnvironment(env);
    node.start(m_node, {m_script, harPath});
    if (!node.waitForFinished(30000))
        return -1;
    *errors = node.readAllStandardError() + node.readAllStandardOutput();
    return node.exitStatus() == QProcess::NormalExit ? node.exitCode() : -1;
}

void TestHarValidation::bundleHar_isValidHar12()
{
    QByteArray errors;
    QCOMPARE(validate(m_har, &errors), 0);
    QVERIFY2(errors.contains("valid HAR 1.2: 44 entries"), errors.constData());
}

void TestHarValidation::brokenHar_isRejectedByTheValidator()
{
    // The validator really looks: an entry without a response and a log without a version fail.
    QFile f(m_har);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    QJsonObject log = doc.value(QStringLiteral("log")).toObject();
    log.remove(QStringLiteral("version"));
    QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QJsonObject first = entries.first().toObject();
    first.remove(QStringLiteral("response"));
    entries.replace(0, first);
    log.insert(QStringLiteral("entries"), entries);
    doc.insert(QStringLiteral("log"), log);
    const QString broken = m_dir.filePath(QStringLiteral("broken.har"));
    QFile out(broken);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(doc).toJson());
    out.close();
    QByteArray errors;
    QCOMPARE(validate(broken, &errors), 1);
    QVERIFY2(errors.contains("version") || errors.contains("response"), errors.constData());
}

void TestHarValidation::connectionError_hasStatusZeroAndTheErrorName()
{
    ApiEvent e = test::plantedBundle(1795298400000).events.at(3);
    QVERIFY(!e.response);
    const QByteArray har = HarWriter::write({&e}, QStringLiteral("one"));
    const QJsonObject entry = QJsonDocument::fromJson(har)
                                  .object()[QStringLiteral("log")]
                                  .toObject()[QStringLiteral("entries")]
                                  .toArray()
                                  .first()
                                  .toObject();
    const QJsonObject response = entry[QStringLiteral("response")].toObject();
    QCOMPARE(response[QStringLiteral("status")].toInt(-1), 0);
    QCOMPARE(response[QStringLiteral("_error")].toString(), QStringLiteral("ECONNRESET"));
    QCOMPARE(entry[QStringLiteral("_healthdeck")].toObject()[QStringLiteral("category")].toString(),
             QStringLiteral("connection_reset"));
}

QTEST_GUILESS_MAIN(TestHarValidation)
#include "tst_harvalidation.moc"
