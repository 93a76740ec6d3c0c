// Issue 5, "done when", end to end: `hdeck watch` (a real process) against the simulator's
// token endpoints — OAuth2 client credentials and a Tradovate-style access-token request —
// with 30 s tokens, for 150 s, with history (--db) and events (--events). Several endpoints
// share each credential. Then:
//  - no request was refused with 401 (no token ever went out expired);
//  - exactly one token request per refresh period per credential: successive token requests
//    of a credential are at least refreshAt × lifetime apart, and at most that plus one poll
//    interval (the refresh starts when the first endpoint asks after the refresh point);
//  - the simulator's token endpoints are switched to fail mid-run (POST /_sim/config
//    {"token_failure_status": 503}); the refresh failure is an event of its own on
//    token:<credential>, retried with backoff (not a loop), and the refresh_failed alert
//    fires (hdeck watch prints alerts on stderr);
//  - a leak scan reads every byte HealthDeck wrote during the run — the events file, the
//    SQLite history with its -wal/-shm, stdout/stderr, the workspace file, anything under the
//    temporary HOME / XDG_CONFIG_HOME (QSettings) — for every secret and every token the
//    simulator issued (re-minted from its deterministic signing key), and for anything shaped
//    like a JWT at all, and finds none.
// The only long test of the suite (TIMEOUT 300). HDECK_TOKEN_RUN_S / HDECK_TOKEN_LIFETIME_S
// shorten it for local iteration; the defaults are the issue's figures.
#include "eventjson.h"
#include "simjwt.h"
#include "simulator.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace hd;

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

constexpr double RefreshAt = 0.8;
const QString ClientSecret = QStringLiteral("sim-secret");
const QString TradovatePassword = QStringLiteral("sim-pass");
const QString TradovateSec = QStringLiteral("lt-sec-5b0f9e77c1d2");
const QString ApiKey = QStringLiteral("sim-key");

QByteArray workspaceJson(const QUrl &sim)
{
    const QString base = sim.toString(QUrl::StripTrailingSlash);
    QJsonArray endpoints;
    auto ep = [&](const char *id, const char *path, const char *cred, int intervalMs) {
        endpoints.append(QJsonObject{{QStringLiteral("id"), QLatin1String(id)},
                                     {QStringLiteral("environment"), QStringLiteral("dev")},
                                     {QStringLiteral("path"), QLatin1String(path)},
                                     {QStringLiteral("credential"), QLatin1String(cred)},
                                     {QStringLiteral("intervalMs"), intervalMs},
                                     {QStringLiteral("timeoutMs"), 3000}});
    };
    // Three endpoints share the OAuth2 credential, two the Tradovate one.
    ep("orders.a", "/s000/v1/orders", "auth0", 2000);
    ep("orders.b", "/s000/v1/orders", "auth0", 3000);
    ep("orders.c", "/s000/v1/orders/1", "auth0", 5000);
    ep("tdv.me", "/s003/v1/auth/me", "tradovate", 3000);
    ep("tdv.accounts", "/s003/v1/account/list", "tradovate", 5000);
    ep("signals", "/s001/api/v1/signals", "signals-key", 5000);
    const QJsonObject ws{
        {QStringLiteral("schema"), QStringLiteral("healthdeck.workspace/1")},
        {QStringLiteral("name"), QStringLiteral("token lifetime run")},
        {QStringLiteral("environments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("dev")},
                                {QStringLiteral("name"), QStringLiteral("Dev")},
                                {QStringLiteral("baseUrl"), base}}}},
        {QStringLiteral("credentials"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), QStringLiteral("auth0")},
                         {QStringLiteral("method"), QStringLiteral("oauth2_client_credentials")},
                         {QStringLiteral("tokenUrl"), QStringLiteral("/s000/oauth/token")},
                         {QStringLiteral("clientId"), QStringLiteral("sim-client")},
                         {QStringLiteral("audience"), QStringLiteral("s000")},
                         {QStringLiteral("scope"), QStringLiteral("orders:read")},
                         {QStringLiteral("secretName"), QStringLiteral("LT_CLIENT_SECRET")},
                         {QStringLiteral("refreshAt"), RefreshAt}},
             QJsonObject{
                 {QStringLiteral("id"), QStringLiteral("tradovate")},
                 {QStringLiteral("method"), QStringLiteral("tradovate_token")},
                 {QStringLiteral("tokenUrl"), QStringLiteral("/s003/v1/auth/accesstokenrequest")},
                 {QStringLiteral("username"), QStringLiteral("sim-user")},
                 {QStringLiteral("appId"), QStringLiteral("HealthDeck")},
                 {QStringLiteral("cid"), QStringLiteral("8")},
                 {QStringLiteral("secretName"), QStringLiteral("LT_TDV_PASSWORD")},
                 {QStringLiteral("secondSecretName"), QStringLiteral("LT_TDV_SEC")},
                 {QStringLiteral("refreshAt"), RefreshAt}},
             QJsonObject{{QStringLiteral("id"), QStringLiteral("signals-key")},
                         {QStringLiteral("method"), QStringLiteral("api_key_header")},
                         {QStringLiteral("headerName"), QStringLiteral("X-API-Key")},
                         {QStringLiteral("secretName"), QStringLiteral("LT_SIGNALS_KEY")}}}},
        {QStringLiteral("endpoints"), endpoints}};
    return QJsonDocument(ws).toJson();
}

} // namespace

class TestTokenLifetime : public QObject
{
    Q_OBJECT
private slots:
    void watchRun_reusesTokensSurfacesRefreshFailureAndLeaksNothing();

private:
    bool postConfig(const QUrl &sim, const QJsonObject &body);
};

bool TestTokenLifetime::postConfig(const QUrl &sim, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(sim.resolved(QUrl(QStringLiteral("/_sim/config"))));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QElapsedTimer waited;
    waited.start();
    while (!reply->isFinished() && waited.elapsed() < 5000)
        QTest::qWait(10);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status == 200;
}

void TestTokenLifetime::watchRun_reusesTokensSurfacesRefreshFailureAndLeaksNothing()
{
    const int runS = envInt("HDECK_TOKEN_RUN_S", 150);
    const int lifetimeS = envInt("HDECK_TOKEN_LIFETIME_S", 30);
    const qint64 refreshMs = qint64(RefreshAt * lifetimeS * 1000);
    const int failAtS = runS * 7 / 10; // after several refreshes, before the run ends

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString home = dir.filePath(QStringLiteral("home"));
    const QString config = dir.filePath(QStringLiteral("config"));
    QVERIFY(QDir().mkpath(home) && QDir().mkpath(config));

    SimConfig simConfig;
    simConfig.seed = 11;
    simConfig.tokenLifetimeS = lifetimeS;
    simConfig.backgroundErrorRate = 0; // every failure below is one this test caused
    Simulator sim(simConfig);
    QVERIFY(sim.start(0) != 0);

    const QString wsPath = dir.filePath(QStringLiteral("workspace.json"));
    {
        QFile f(wsPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(workspaceJson(sim.baseUrl()));
    }
    const QString eventsPath = dir.filePath(QStringLiteral("events.jsonl"));
    const QString dbPath = dir.filePath(QStringLiteral("history.db"));

    QProcess hdeck;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
    env.insert(QStringLiteral("HDECK_SECRET_LT_CLIENT_SECRET"), ClientSecret);
    env.insert(QStringLiteral("HDECK_SECRET_LT_TDV_PASSWORD"), TradovatePassword);
    env.insert(QStringLiteral("HDECK_SECRET_LT_TDV_SEC"), TradovateSec);
    env.insert(QStringLiteral("HDECK_SECRET_LT_SIGNALS_KEY"), ApiKey);
    hdeck.setProcessEnvironment(env);
    hdeck.setWorkingDirectory(dir.path());
    hdeck.setStandardOutputFile(dir.filePath(QStringLiteral("stdout.txt")));
    hdeck.setStandardErrorFile(dir.filePath(QStringLiteral("stderr.txt")));
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    hdeck.start(hd::test::hdeckPath(),
                {QStringLiteral("watch"), QStringLiteral("--workspace"), wsPath,
                 QStringLiteral("--duration"), QString::number(runS), QStringLiteral("--events"),
                 eventsPath, QStringLiteral("--db"), dbPath});
    QVERIFY2(hdeck.waitForStarted(10000), qPrintable(hdeck.errorString()));

    // Mid-run: the simulator's token endpoints (both kinds) start failing with 503.
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= failAtS * 1000LL
                                 || hdeck.state() == QProcess::NotRunning,
                             (failAtS + 10) * 1000);
    QCOMPARE(hdeck.state(), QProcess::Running);
    // The write-ahead log exists only while hdeck runs (closing checkpoints it away): keep a
    // copy of it as it is now, for the leak scan.
    QByteArray walMidRun;
    for (const char *suffix : {"-wal", "-shm"}) {
        QFile f(dbPath + QLatin1String(suffix));
        if (f.open(QIODevice::ReadOnly))
            walMidRun += f.readAll();
    }
    QVERIFY2(walMidRun.contains("token:auth0"), "the history's WAL holds the token events");
    {
        QFile copy(dir.filePath(QStringLiteral("history.db-wal.mid-run")));
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write(walMidRun);
    }
    const qint64 failFromMs = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(postConfig(sim.baseUrl(), {{QStringLiteral("token_failure_status"), 503}}));

    QTRY_VERIFY_WITH_TIMEOUT(hdeck.state() == QProcess::NotRunning, (runS - failAtS + 60) * 1000);
    const qint64 endMs = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(hdeck.exitStatus(), QProcess::NormalExit);
    QFile errFile(dir.filePath(QStringLiteral("stderr.txt")));
    QVERIFY(errFile.open(QIODevice::ReadOnly));
    const QByteArray stderrText = errFile.readAll();
    QVERIFY2(hdeck.exitCode() == 0, stderrText.constData());

    // ---- the events ----------------------------------------------------------------------
    QFile eventsFile(eventsPath);
    QVERIFY(eventsFile.open(QIODevice::ReadOnly));
    QList<ApiEvent> events;
    while (!eventsFile.atEnd()) {
        const QByteArray line = eventsFile.readLine().trimmed();
        if (line.isEmpty())
            continue;
        auto parsed = eventFromJsonText(line);
        QVERIFY2(parsed.event, qPrintable(parsed.error));
        events.append(*parsed.event);
    }
    QHash<QString, int> perEndpoint;
    for (const ApiEvent &e : std::as_const(events))
        ++perEndpoint[e.endpoint];
    // Every endpoint polled many times.
    for (const char *id : {"orders.a", "orders.b", "orders.c", "tdv.me", "tdv.accounts", "signals"})
        QVERIFY2(perEndpoint.value(QLatin1String(id)) >= runS / 10,
                 qPrintable(QStringLiteral("%1 polled %2 times")
                                .arg(QLatin1String(id))
                                .arg(perEndpoint.value(QLatin1String(id)))));

    // No 401 at all: a token never went out expired, before or after the token endpoint broke.
    for (const ApiEvent &e : std::as_const(events))
        QVERIFY2(e.httpStatus.value_or(0) != 401,
                 qPrintable(QStringLiteral("401 on %1 at +%2 ms: %3")
                                .arg(e.endpoint)
                                .arg(e.timeMs - startMs)
                                .arg(e.error ? e.error->message : QString())));

    for (const QString &cred : {QStringLiteral("auth0"), QStringLiteral("tradovate")}) {
        QList<qint64> ok;
        QList<const ApiEvent *> failed;
        for (const ApiEvent &e : std::as_const(events)) {
            if (e.endpoint != u"token:" + cred)
                continue;
            if (e.outcome == Outcome::Success) {
                ok.append(e.timeMs);
                QVERIFY2(e.timeMs < failFromMs + 1000, "a token was issued after the switch");
                QVERIFY(e.token && e.token->expiresInS);
            } else {
                failed.append(&e);
            }
        }
        // Before the switch: one token request per refresh period, however many endpoints.
        const int expected = int((failFromMs - startMs) / refreshMs) + 1;
        QVERIFY2(ok.size() >= expected - 1 && ok.size() <= expected,
                 qPrintable(QStringLiteral("%1: %2 token requests before the switch at +%3 s, "
                                           "expected %4 (one per %5 ms)")
                                .arg(cred)
                                .arg(ok.size())
                                .arg((failFromMs - startMs) / 1000)
                                .arg(expected)
                                .arg(refreshMs)));
        // A refresh starts when the first endpoint asks for the token after the refresh point,
        // so the gap is the refresh period plus at most the credential's shortest poll interval.
        const qint64 pollMs = cred == u"auth0" ? 2000 : 3000;
        for (qsizetype i = 1; i < ok.size(); ++i) {
            const qint64 gap = ok[i] - ok[i - 1];
            QVERIFY2(gap >= refreshMs - 1500 && gap < refreshMs + pollMs + 1500,
                     qPrintable(QStringLiteral("%1: token requests %2 ms apart (refresh every %3 "
                                               "ms, lifetime %4 s)")
                                    .arg(cred)
                                    .arg(gap)
                                    .arg(refreshMs)
                                    .arg(lifetimeS)));
        }
        // After the switch: the refresh failure is an event of its own, with the server's
        // answer, and retries back off instead of looping.
        QVERIFY2(!failed.isEmpty(),
                 qPrintable(cred + QStringLiteral(": no refresh failure event")));
        for (const ApiEvent *e : std::as_const(failed)) {
            QVERIFY(e->timeMs >= failFromMs);
            QCOMPARE(e->httpStatus.value_or(0), 503);
            QVERIFY(e->isFailure());
        }
        const qint64 failingS = (endMs - failFromMs) / 1000;
        // 5 s, 10 s, 20 s… backoff: a handful in the remaining time, never one per poll.
        // (Tradovate: a refused renewal is followed at once by one full token request.)
        const int bound = (cred == u"tradovate" ? 2 : 1) * (int(failingS / 5) + 1);
        QVERIFY2(failed.size() <= bound,
                 qPrintable(QStringLiteral("%1: %2 failed token requests in %3 s")
                                .arg(cred)
                                .arg(failed.size())
                                .arg(failingS)));
        QVERIFY2(failed.last()->error
                     && failed.last()->error->message.contains(QStringLiteral("next attempt in")),
                 "the failure says when the next attempt is");
        // The refresh_failed alert fired (hdeck watch prints alerts on stderr).
        QVERIFY2(stderrText.contains((QStringLiteral("alert: token:") + cred).toUtf8()),
                 stderrText.constData());
    }

    // Reusing tokens as intended never trips the churn warning (token requests per hour).
    QVERIFY2(!stderrText.contains("token requests in the last hour"), stderrText.constData());

    // ---- the leak scan ---------------------------------------------------------------------
    // Every token the simulator can have issued during the run, re-minted with its key: the
    // claims are deterministic (subject, audience, scopes, iat in whole seconds, lifetime).
    SimJwt minter("healthdeck-sim-secret-" + QByteArray::number(simConfig.seed));
    QList<QByteArray> needles{ClientSecret.toUtf8(), TradovatePassword.toUtf8(),
                              TradovateSec.toUtf8(), ApiKey.toUtf8()};
    for (qint64 s = startMs / 1000 - 2; s <= endMs / 1000 + 2; ++s) {
        needles.append(minter.mint(QStringLiteral("sim-client"), QStringLiteral("s000"),
                                   {QStringLiteral("orders:read")}, s, lifetimeS));
        needles.append(minter.mint(QStringLiteral("sim-user"), QStringLiteral("s003"),
                                   {QStringLiteral("trade"), QStringLiteral("read")}, s,
                                   lifetimeS));
    }
    // The re-minting is right: a token fetched now from the same simulator is among them.
    QVERIFY(postConfig(sim.baseUrl(), {{QStringLiteral("token_failure_status"), 0}}));
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(sim.baseUrl().resolved(QUrl(QStringLiteral("/s000/oauth/token"))));
        req.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
        QNetworkReply *reply = nam.post(req, "grant_type=client_credentials&client_id=sim-client"
                                             "&client_secret=sim-secret&scope=orders:read");
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        const QByteArray token = QJsonDocument::fromJson(reply->readAll())
                                     .object()
                                     .value(QStringLiteral("access_token"))
                                     .toString()
                                     .toUtf8();
        reply->deleteLater();
        QVERIFY(!token.isEmpty());
        const qint64 nowS = QDateTime::currentSecsSinceEpoch();
        bool minted = false;
        for (qint64 s = nowS - 2; s <= nowS + 2 && !minted; ++s)
            minted = minter.mint(QStringLiteral("sim-client"), QStringLiteral("s000"),
                                 {QStringLiteral("orders:read")}, s, lifetimeS)
                     == token;
        QVERIFY2(minted, "the test re-mints the simulator's tokens wrongly");
    }
    const QRegularExpression jwtShape(
        QStringLiteral(R"(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"));

    qint64 scannedBytes = 0;
    QStringList scannedFiles;
    QDirIterator it(dir.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = f.readAll();
        scannedBytes += bytes.size();
        scannedFiles.append(QDir(dir.path()).relativeFilePath(path));
        for (const QByteArray &needle : std::as_const(needles))
            QVERIFY2(!bytes.contains(needle),
                     qPrintable(QStringLiteral("%1 holds a secret or token (%2…)")
                                    .arg(path, QString::fromUtf8(needle.left(6)))));
        const auto match = jwtShape.match(QString::fromLatin1(bytes));
        QVERIFY2(
            !match.hasMatch(),
            qPrintable(QStringLiteral("%1 holds a JWT: %2…").arg(path, match.captured().left(12))));
    }
    // The scan saw what HealthDeck wrote, as raw bytes: the history database has the token
    // events in it (so a token in it would have been found), and so do events and stderr.
    QVERIFY2(scannedFiles.contains(QStringLiteral("history.db")),
             qPrintable(scannedFiles.join(u',')));
    QFile db(dbPath);
    QVERIFY(db.open(QIODevice::ReadOnly));
    const QByteArray dbBytes = db.readAll() + [&] {
        QFile wal(dbPath + QStringLiteral("-wal"));
        return wal.open(QIODevice::ReadOnly) ? wal.readAll() : QByteArray();
    }();
    QVERIFY(dbBytes.contains("token:auth0") && dbBytes.contains("token:tradovate"));
    QVERIFY(dbBytes.contains("no access token") || dbBytes.contains("503"));
    QVERIFY(scannedFiles.contains(QStringLiteral("history.db-wal.mid-run")));
    QVERIFY(scannedFiles.contains(QStringLiteral("events.jsonl")));
    QVERIFY(scannedFiles.contains(QStringLiteral("stderr.txt")));
    QVERIFY(scannedFiles.contains(QStringLiteral("workspace.json")));
    qInfo("%d events, %lld bytes in %d files scanned: %s", int(events.size()), scannedBytes,
          int(scannedFiles.size()), qPrintable(scannedFiles.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TestTokenLifetime)
#include "tst_tokenlifetime.moc"
