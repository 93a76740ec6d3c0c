// The support bundle's promise (issue 8): secrets planted in headers, bodies, query strings,
// URLs and the workspace's credentials appear nowhere in the bundle, in no form — while every
// identifier and client id a support desk needs is still there. Runs the real `hdeck export`
// on a history database and on an events file, and unpacks the ZIP with QuaZip.

#include "bundletestevents.h"
#include "eventjson.h"
#include "historystore.h"
#include "testsupport.h"

#include <JlCompress.h>

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

namespace {

// What a reader of the file sees: the bytes, or for a PDF (compressed streams, glyph ids) its
// text as poppler's pdftotext extracts it, which is what a leak would look like.
QByteArray readable(const QString &path)
{
    if (!path.endsWith(QStringLiteral(".pdf"))) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (pdftotext.isEmpty())
        qFatal("pdftotext (Debian poppler-utils) is needed");
    QProcess p;
    p.start(pdftotext, {path, QStringLiteral("-")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    // pdftotext breaks long lines; identifiers are checked without the breaks.
    return p.readAllStandardOutput().replace('\n', "");
}

} // namespace

class TestBundleLeak : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void exportFromHistory_leaksNoSecretAndKeepsIdentifiers();
    void exportFromEventsFile_leaksNoSecretAndKeepsIdentifiers();

private:
    void checkBundle(const QString &zip, bool withIncidents = false);

    QTemporaryDir m_dir;
    test::PlantedBundle m_planted;
    QString m_workspace;
};

void TestBundleLeak::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_planted = test::plantedBundle(1795298400000);
    m_workspace = m_dir.filePath(QStringLiteral("workspace.json"));
    QFile ws(m_workspace);
    QVERIFY(ws.open(QIODevice::WriteOnly));
    ws.write(m_planted.workspaceJson.toUtf8());
    ws.close();
    // The child hdeck finds the held secrets where a headless run would: HDECK_SECRET_<NAME>.
    for (const auto &[name, value] : m_planted.heldSecrets)
        qputenv((QStringLiteral("HDECK_SECRET_") + name).toLatin1().constData(), value.toUtf8());
}

void TestBundleLeak::checkBundle(const QString &zip, bool withIncidents)
{
    const QString out = m_dir.filePath(QFileInfo(zip).baseName());
    const QStringList extracted = JlCompress::extractDir(zip, out);
    QVERIFY2(!extracted.isEmpty(), "QuaZip could not unpack the bundle");
    for (const char *name :
         {"report.html", "report.pdf", "requests.har", "events.jsonl", "events.csv",
          "environment.json", "tls-certificates.json", "REDACTIONS.txt"})
        QVERIFY2(QFile::exists(out + u'/' + QLatin1String(name)), name);

    // Every file, every planted secret, in every form it was planted in.
    QByteArray everything;
    int files = 0;
    for (QDirIterator it(out, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
        const QString path = it.next();
        const QByteArray data = readable(path);
        QVERIFY2(!data.isEmpty(), qPrintable(path));
        ++files;
        for (const QString &secret : m_planted.secrets) {
            const QByteArray forms[]
                = {secret.toUtf8(), QUrl::toPercentEncoding(secret), secret.toUtf8().toBase64()};
            for (const QByteArray &form : forms)
                QVERIFY2(!data.contains(form),
                         qPrintable(QStringLiteral("%1 leaks a planted secret (%2…)")
                                        .arg(QFileInfo(path).fileName(), secret.left(6))));
        }
        everything += data;
    }
    QVERIFY(files >= 9); // seven files and at least two curl scripts

    // The incidents of the range (a history has them; an events file does not): the timeline
    // with its notes, whose pasted secrets are masked like everything else (checked above).
    QCOMPARE(QFile::exists(out + QStringLiteral("/incidents.json")), withIncidents);
    if (withIncidents) {
        QFile f(out + QStringLiteral("/incidents.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray json = f.readAll();
        QVERIFY(json.contains("\"schema\": \"healthdeck.incidents/1\""));
        QVERIFY(json.contains("inc-00000000000000aa"));
        QVERIFY(json.contains("vendor ticket 77120"));
        QVERIFY(json.contains("\"acknowledgedBy\": \"alice\""));
        QFile html(out + QStringLiteral("/report.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray report = html.readAll();
        QVERIFY(report.contains("<h2>Incidents</h2>"));
        QVERIFY(report.contains("vendor ticket 77120"));
    }

    // What a support desk needs is all there: identifiers and client ids in the report, the
    // events and the HAR.
    for (const QString &file : {QStringLiteral("report.html"), QStringLiteral("events.jsonl"),
                                QStringLiteral("requests.har"), QStringLiteral("report.pdf")}) {
        const QByteArray data = readable(out + u'/' + file);
        for (const QString &id :
             {QStringLiteral("trace-7f3e9a01"), QStringLiteral("ACC-778812"),
              QStringLiteral("ORD-55120931"), QStringLiteral("EXEC-00917"),
              QStringLiteral("TRADE-44190"), QStringLiteral("CLORD-2026-11-21-0001")})
            QVERIFY2(data.contains(id.toUtf8()), qPrintable(file + QStringLiteral(" lacks ") + id));
    }
    QFile report(out + QStringLiteral("/report.html"));
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QByteArray html = report.readAll();
    QVERIFY(html.contains("client-id-desk-42")); // the credentials the selection used
    QFile env(out + QStringLiteral("/environment.json"));
    QVERIFY(env.open(QIODevice::ReadOnly));
    const QByteArray envJson = env.readAll();
    QVERIFY(envJson.contains("\"client_id\": \"client-id-desk-42\""));
    QVERIFY(envJson.contains("\"app_id\": \"tradovate-app-7\"")); // every credential
    QVERIFY(envJson.contains("LEAK_CLIENT_SECRET")); // the secret's name, never its value
    QVERIFY(everything.contains("[REDACTED]"));

    // The redaction report names what was masked (never the values).
    QFile red(out + QStringLiteral("/REDACTIONS.txt"));
    QVERIFY(red.open(QIODevice::ReadOnly));
    const QByteArray redactions = red.readAll();
    for (const char *name :
         {"'Authorization'", "'Cookie'", "'X-API-Key'", "'Proxy-Authorization'", "'password'",
          "'client_secret'", "'sec'", "'p-ticket'", "'deskPin'", "'access_token'",
          "'refresh_token'", "'token'", "equals a secret held for the workspace",
          "Your own secret fields: deskPin"})
        QVERIFY2(redactions.contains(name), name);

    // One curl script per failing request (three failed); secrets are the console's HDECK_*
    // variables (the workspace names orders.place's credential); sh parses them.
    const QStringList scripts
        = QDir(out + QStringLiteral("/curl")).entryList(QDir::Files, QDir::Name);
    QCOMPARE(scripts.size(), 3);
    QByteArray allScripts;
    for (const QString &s : scripts) {
        const QString path = out + QStringLiteral("/curl/") + s;
        QProcess sh;
        sh.start(QStringLiteral("sh"), {QStringLiteral("-n"), path});
        QVERIFY(sh.waitForFinished(10000));
        QVERIFY2(sh.exitCode() == 0, sh.readAllStandardError().constData());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        allScripts += f.readAll();
    }
    for (const char *var : {"\"$HDECK_TOKEN_DESK_OAUTH\"", "\"$HDECK_SECRET_PASSWORD\"",
                            "\"$HDECK_SECRET_P_TICKET\"", "\"$HDECK_SECRET_CLIENT_SECRET\"",
                            "\"$HDECK_SECRET_TOKEN\"", "\"$HDECK_SECRET_X_API_KEY\"",
                            "[ -n \"${HDECK_SECRET_PASSWORD:-}\" ] ||", "# credential: desk-oauth"})
        QVERIFY2(allScripts.contains(var), var);
}

void TestBundleLeak::exportFromHistory_leaksNoSecretAndKeepsIdentifiers()
{
    const QString db = m_dir.filePath(QStringLiteral("history.db"));
    {
        HistoryStore store;
        QVERIFY(store.open(db).ok);
        store.append(m_planted.events);
        // An incident of the same time whose note has the held secrets pasted into it, and
        // was kept that way (an old version, or a redactor that did not hold them yet).
        Incident inc;
        inc.id = QStringLiteral("inc-00000000000000aa");
        inc.ruleId = QStringLiteral("orders-down");
        inc.kind = QStringLiteral("down");
        inc.subject = m_planted.events.first().endpoint;
        inc.summary = QStringLiteral("orders: down, 3 failed requests in a row");
        inc.severity = QStringLiteral("critical");
        inc.firedAtMs = m_planted.events.first().timeMs;
        inc.acknowledgedAtMs = inc.firedAtMs + 1000;
        inc.acknowledgedBy = QStringLiteral("alice");
        inc.acknowledgedVia = QStringLiteral("console");
        QString pasted = QStringLiteral("vendor ticket 77120; tried by hand with");
        for (const auto &[name, value] : m_planted.heldSecrets)
            pasted += u' ' + value;
        inc.timeline
            = {{inc.firedAtMs, IncidentEntry::Kind::Fired, {}, inc.summary},
               {inc.firedAtMs + 1000, IncidentEntry::Kind::Acknowledged, QStringLiteral("alice"),
                QStringLiteral("acknowledged from console")},
               {inc.firedAtMs + 2000, IncidentEntry::Kind::Note, QStringLiteral("alice"), pasted}};
        store.saveIncident(inc);
        store.flush();
        store.close();
    }
    const QString zip = m_dir.filePath(QStringLiteral("from-history.zip"));
    const auto r = test::runHdeck({QStringLiteral("export"), QStringLiteral("--db"), db,
                                   QStringLiteral("--workspace"), m_workspace,
                                   QStringLiteral("--out"), zip});
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QVERIFY(r.err.contains("4 events (3 failed)"));
    QVERIFY2(r.err.contains("1 incidents"), r.err.constData());
    checkBundle(zip, true);
}

void TestBundleLeak::exportFromEventsFile_leaksNoSecretAndKeepsIdentifiers()
{
    QByteArray lines;
    for (const ApiEvent &e : m_planted.events)
        lines += toJsonLine(e) + '\n';
    const QString zip = m_dir.filePath(QStringLiteral("from-stdin.zip"));
    const auto r
        = test::runHdeck({QStringLiteral("export"), QStringLiteral("--events"), QStringLiteral("-"),
                          QStringLiteral("--workspace"), m_workspace, QStringLiteral("--out"), zip},
                         30000, lines);
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    checkBundle(zip);
}

QTEST_MAIN(TestBundleLeak)
#include "tst_bundleleak.moc"
