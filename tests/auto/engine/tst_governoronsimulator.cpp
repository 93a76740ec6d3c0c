// The polling engine against the built-in simulator's seed APIs: HealthDeck must never be the
// one that locks a trading account out, and never spend more than its share of a quota. The
// session runs on a ManualClock moved in 100 ms steps, so the counts below are exact.
#include "clockstepper.h"
#include "monitorsession.h"
#include "simulator.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace hd;

class TestGovernorOnSimulator : public QObject
{
    Q_OBJECT
private slots:
    void tradovate_slowsDownOn423_andSendsNothingDuringTheLockout();
    void quotaShare_isNeverExceededOnARealQuota();

private:
    static Workspace workspace(const QByteArray &credentials, const QByteArray &endpoint);
    static bool configure(const QUrl &base, const QByteArray &json);
};

Workspace TestGovernorOnSimulator::workspace(const QByteArray &credentials,
                                             const QByteArray &endpoint)
{
    const QByteArray text
        = R"({"schema":"healthdeck.workspace/1","name":"t","simulator":{"enabled":true,"seed":7},
        "environments":[{"id":"prod","baseUrl":"sim:/prod"}],"credentials":[)"
          + credentials + R"(],
        "endpoints":[)"
          + endpoint + "]}";
    const auto r = WorkspaceFile::parse(text, QStringLiteral("test"));
    if (!r.workspace)
        qFatal("%s", qPrintable(r.error));
    return *r.workspace;
}

bool TestGovernorOnSimulator::configure(const QUrl &base, const QByteArray &json)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/_sim/config"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.post(request, json);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const bool ok = reply->error() == QNetworkReply::NoError;
    reply->deleteLater();
    return ok;
}

void TestGovernorOnSimulator::tradovate_slowsDownOn423_andSendsNothingDuringTheLockout()
{
    const Workspace ws = workspace(
        R"({"id":"tradovate","method":"tradovate_token","tokenUrl":"sim:/s003/v1/auth/accesstokenrequest","username":"sim-user",
            "appId":"HealthDeck","cid":"8","secretName":"HDECK_SIM_TRADOVATE_PASSWORD","secondSecretName":"HDECK_SIM_TRADOVATE_SEC"})",
        R"({"id":"accounts","environment":"prod","path":"/s003/v1/account/list","intervalMs":100,"profile":"tradovate",
            "credential":"tradovate","quotaShare":1.0})");
    ManualClock clock;
    MonitorSession session(clock);
    QCOMPARE(session.open(ws), QString());
    QVERIFY(configure(
        session.simulator()->baseUrl(),
        R"({"tradovate_window_ms":20000,"tradovate_warn_at":3,"tradovate_lock_at":6,"lockout_window_ms":4000})"));
    QList<ApiEvent> events;
    connect(&session, &MonitorSession::eventReady, this, [&](const ApiEvent &e) {
        if (e.endpoint == u"accounts")
            events.append(e);
    });
    session.start();
    auto lockedAt = [&]() -> qsizetype {
        for (qsizetype i = 0; i < events.size(); ++i)
            if (events[i].retry.action == RetryAction::StopLockout)
                return i;
        return -1;
    };
    PollScheduler &scheduler = *session.engine()->scheduler();
    // One poll per 100 ms of the session's clock until the simulator locks the account out.
    for (int step = 0; step < 300 && lockedAt() < 0; ++step)
        QVERIFY(test::stepClock(clock, scheduler, 100, 100));
    QVERIFY2(lockedAt() >= 0, "the simulator never locked the account out");
    const qsizetype lock = lockedAt();
    // The warning came first, and HealthDeck slowed down after it.
    qsizetype warning = -1;
    for (qsizetype i = 0; i < lock; ++i)
        if (events[i].category == Category::LockoutWarning) {
            warning = i;
            break;
        }
    QVERIFY2(warning >= 0, "no 423 before the 429");
    if (warning + 1 < lock) {
        const qint64 gap = events[warning + 1].timeMs - events[warning].timeMs;
        QVERIFY2(gap >= 400, qPrintable(QString::number(gap))); // 4× the 100 ms interval
    }
    // During the lockout window nothing more is sent: every request would extend it.
    const qsizetype afterLock = events.size();
    const qint64 sent = scheduler.requestsSent();
    QVERIFY(test::stepClock(clock, scheduler, 2500, 100));
    QCOMPARE(events.size(), afterLock);
    QCOMPARE(scheduler.requestsSent(), sent);
    QVERIFY(session.engine()->scheduler()->deferredByGovernor() > 0);
}

void TestGovernorOnSimulator::quotaShare_isNeverExceededOnARealQuota()
{
    const Workspace ws = workspace(
        R"({"id":"trading-oauth","method":"oauth2_client_credentials","tokenUrl":"sim:/s000/oauth/token","clientId":"sim-client",
            "audience":"s000","scope":"orders:read","secretName":"HDECK_SIM_CLIENT_SECRET"})",
        R"({"id":"orders","environment":"prod","path":"/s000/v1/orders","intervalMs":100,"credential":"trading-oauth",
            "quotaShare":0.25})");
    ManualClock clock;
    MonitorSession session(clock);
    QCOMPARE(session.open(ws), QString());
    QVERIFY(
        configure(session.simulator()->baseUrl(), R"({"quota_window_s":60,"default_quota":20})"));
    QList<ApiEvent> events;
    connect(&session, &MonitorSession::eventReady, this, [&](const ApiEvent &e) {
        if (e.endpoint == u"orders")
            events.append(e);
    });
    session.start();
    QVERIFY(test::stepClock(clock, *session.engine()->scheduler(), 3000, 100));
    // 30 polls were due; a quarter of a 20-request quota is 5.
    QCOMPARE(events.size(), 5);
    for (const ApiEvent &e : std::as_const(events))
        QVERIFY2(e.category != Category::RateLimited,
                 qPrintable(e.error ? e.error->message : QString()));
    QCOMPARE(events.last().rateLimit.value_or(RateLimitInfo{}).limit.value_or(0), 20);
    QVERIFY(session.engine()->scheduler()->deferredByGovernor() > 0);
}

QTEST_GUILESS_MAIN(TestGovernorOnSimulator)
#include "tst_governoronsimulator.moc"
