// Issue 5, "done when": run a short engine session with OAuth2 (2 s tokens, so several
// refreshes, a revoked token and its 401, a 403) plus a Tradovate credential, write everything
// HealthDeck writes — events as JSON lines, the workspace file, log output, QSettings — into a
// temporary directory, then scan every byte for the secrets and the tokens. None may appear.
#include "clockstepper.h"
#include "datadirectory.h"
#include "eventjson.h"
#include "monitorengine.h"
#include "tokentestserver.h"
#include "workspacefile.h"

#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;
using hd::test::TokenTestServer;

namespace {
QFile *g_log = nullptr;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    if (g_log)
        g_log->write(msg.toUtf8() + '\n');
}
} // namespace

class TestSecretLeak : public QObject
{
    Q_OBJECT
private slots:
    void engineSession_writesNoSecretAndNoToken();
};

void TestSecretLeak::engineSession_writesNoSecretAndNoToken()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("HOME", dir.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (dir.path() + QStringLiteral("/config")).toUtf8());
    QStandardPaths::setTestModeEnabled(true);
    QFile log(dir.filePath(QStringLiteral("healthdeck.log")));
    QVERIFY(log.open(QIODevice::WriteOnly));
    g_log = &log;
    const auto previousHandler = qInstallMessageHandler(captureLog);

    TokenTestServer server;
    QVERIFY(server.start());
    server.setLifetimeS(2);
    server.setCheckExpiry(true);
    // Tokens expire on the engine's clock, moved in 50 ms steps: no sleeping for refreshes.
    ManualClock clock;
    server.setClock(clock);

    Workspace ws;
    ws.name = QStringLiteral("leak check");
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), server.url(QString()), {}});
    Credential oauth;
    oauth.id = QStringLiteral("auth0");
    oauth.method = Credential::Method::OAuth2ClientCredentials;
    oauth.tokenUrl = QStringLiteral("/oauth/token");
    oauth.clientId = QLatin1String(TokenTestServer::ClientId);
    oauth.audience = QStringLiteral("https://api.broker.example");
    oauth.scope = QStringLiteral("read:orders");
    oauth.secretName = QStringLiteral("CLIENT_SECRET");
    oauth.refreshAt = 0.5;
    Credential tdv;
    tdv.id = QStringLiteral("tdv");
    tdv.method = Credential::Method::TradovateToken;
    tdv.tokenUrl = QStringLiteral("/auth/accesstokenrequest");
    tdv.username = QLatin1String(TokenTestServer::UserName);
    tdv.appId = QStringLiteral("HealthDeck");
    tdv.cid = QStringLiteral("8");
    tdv.secretName = QStringLiteral("TDV_PASSWORD");
    tdv.secondSecretName = QStringLiteral("TDV_SEC");
    tdv.refreshAt = 0.5;
    ws.credentials = {oauth, tdv};
    const QList<std::tuple<QString, QString, QString>> eps{
        {QStringLiteral("orders"), QStringLiteral("/api/orders"), QStringLiteral("auth0")},
        {QStringLiteral("admin"), QStringLiteral("/api/admin"), QStringLiteral("auth0")},
        {QStringLiteral("me"), QStringLiteral("/api/me"), QStringLiteral("tdv")}};
    for (const auto &[id, path, cred] : eps) {
        Endpoint e;
        e.id = id;
        e.environment = QStringLiteral("dev");
        e.path = path;
        e.intervalMs = 200;
        e.timeoutMs = 2000;
        e.credential = cred;
        e.quotaShare = 1.0;
        e.requiredScopes = {QStringLiteral("admin:write")};
        ws.endpoints.append(e);
    }
    QCOMPARE(WorkspaceFile::save(ws, dir.filePath(QStringLiteral("workspace.json"))), QString());

    EngineOptions options;
    options.secretLookup = [](const QString &name) -> std::optional<QString> {
        if (name == u"CLIENT_SECRET")
            return QLatin1String(TokenTestServer::ClientSecret);
        if (name == u"TDV_PASSWORD")
            return QLatin1String(TokenTestServer::Password);
        if (name == u"TDV_SEC")
            return QLatin1String(TokenTestServer::Sec);
        return std::nullopt;
    };
    MonitorEngine engine(clock);
    QFile events(dir.filePath(QStringLiteral("events.jsonl")));
    QVERIFY(events.open(QIODevice::WriteOnly));
    int count = 0;
    connect(&engine, &MonitorEngine::eventReady, this, [&](const ApiEvent &e) {
        events.write(toJsonLine(e));
        ++count;
        qDebug() << e.endpoint << e.error.value_or(ErrorInfo{}).message;
    });
    connect(&engine, &MonitorEngine::warning, this,
            [](const QString &w) { qWarning("%s", qPrintable(w)); });
    QCOMPARE(engine.load(ws, options), QString());
    engine.start();
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 2500, 50));
    server.revokeAll(); // a 401, its refresh and retry, with the rejected token in flight
    QVERIFY(test::stepClock(clock, *engine.scheduler(), 1500, 50));
    engine.stop();
    events.close();
    QSettings settings;
    settings.setValue(QStringLiteral("lastWorkspace"),
                      dir.filePath(QStringLiteral("workspace.json")));
    settings.sync();

    qInstallMessageHandler(previousHandler);
    g_log = nullptr;
    log.close();

    QVERIFY2(count > 30, qPrintable(QString::number(count)));
    QVERIFY2(server.issuedTokens().size() >= 6,
             qPrintable(QString::number(server.issuedTokens().size())));
    QVERIFY(server.unauthorized() >= 1);

    QList<QByteArray> needles{
        QByteArray(TokenTestServer::ClientSecret), QByteArray(TokenTestServer::Password),
        QByteArray(TokenTestServer::Sec),
        QUrl::toPercentEncoding(QLatin1String(TokenTestServer::ClientSecret))};
    for (const QString &t : server.issuedTokens()) {
        needles.append(t.toLatin1());
        needles.append(t.section(u'.', 1, 1).toLatin1()); // the claims part alone identifies it too
    }
    // Every file under the roots whose bytes hold any needle.
    QStringList scanned;
    const auto leaks = [&](const QStringList &roots) {
        QStringList found;
        for (const QString &root : roots) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (scanned.contains(path))
                    continue;
                scanned.append(path);
                QFile f(path);
                if (!f.open(QIODevice::ReadOnly)) {
                    found.append(path + QStringLiteral(" (unreadable)"));
                    continue;
                }
                const QByteArray content = f.readAll();
                for (const QByteArray &n : std::as_const(needles))
                    if (content.contains(n)) {
                        found.append(path);
                        break;
                    }
            }
        }
        return found;
    };
    const QStringList found = leaks(
        {dir.path(), QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
         QStandardPaths::writableLocation(QStandardPaths::AppDataLocation), DataDirectory::path()});
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u", ")));
    // The scan itself works: a planted token is found.
    QTemporaryDir canary;
    QFile plant(canary.filePath(QStringLiteral("plant.txt")));
    QVERIFY(plant.open(QIODevice::WriteOnly));
    plant.write("x " + server.issuedTokens().last().toLatin1() + " y");
    plant.close();
    QCOMPARE(leaks({canary.path()}).size(), 1);
    scanned.removeLast();
    QVERIFY2(scanned.size() >= 4,
             qPrintable(scanned.join(u','))); // workspace, events, log, settings
    QFile ev(dir.filePath(QStringLiteral("events.jsonl")));
    QVERIFY(ev.open(QIODevice::ReadOnly));
    const QByteArray evText = ev.readAll();
    QVERIFY(evText.contains("\"token:auth0\"") && evText.contains("\"token:tdv\"")
            && evText.contains("\"expires_in_s\""));
}

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
