// MonitorSession::reload() against the built-in simulator: an edited workspace keeps what did
// not change (the token of an unchanged credential is not requested again, the governor, the
// history and the aggregator's counts carry on), restarts what changed, stops what was
// removed and starts what was added; a workspace of which nothing can be polled is refused
// and the old one keeps running.
#include "aggregator.h"
#include "historystore.h"
#include "monitorsession.h"
#include "rawhttpserver.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestSessionReload : public QObject
{
    Q_OBJECT
private slots:
    void editedWorkspace_keepsUnchangedAndStartsNew();
    void changedCredential_getsANewTokenService();
    void unpollableWorkspace_isRefusedAndOldKeepsRunning();
    void streamsAndAlertRules_followTheEdit();
    void schedulePhase_ofUnchangedEndpointIsKept();
    void simulatorHttps_isResolvedAfterReload();
    void simulatorHttps_gainedByReload_isPolled();

private:
    static Workspace base();
    static void addHttps(Workspace &ws);
    static Endpoint endpoint(const QString &id, const QString &path, const QString &cred,
                             int intervalMs);
};

Endpoint TestSessionReload::endpoint(const QString &id, const QString &path, const QString &cred,
                                     int intervalMs)
{
    Endpoint e;
    e.id = id;
    e.environment = QStringLiteral("dev");
    e.path = path;
    e.intervalMs = intervalMs;
    e.timeoutMs = 2000;
    e.credential = cred;
    e.quotaShare = 1.0;
    return e;
}

Workspace TestSessionReload::base()
{
    Workspace ws;
    ws.name = QStringLiteral("reload");
    ws.simulator = true;
    ws.environments.append(
        {QStringLiteral("dev"), QStringLiteral("Dev"), QStringLiteral("sim:/dev"), {}});
    Credential oauth;
    oauth.id = QStringLiteral("trading-oauth");
    oauth.method = Credential::Method::OAuth2ClientCredentials;
    oauth.tokenUrl = QStringLiteral("sim:/s000/oauth/token");
    oauth.clientId = QStringLiteral("sim-client");
    oauth.audience = QStringLiteral("s000");
    oauth.scope = QStringLiteral("orders:read");
    oauth.secretName = QStringLiteral("HDECK_SIM_CLIENT_SECRET");
    ws.credentials = {oauth};
    ws.endpoints
        = {endpoint(QStringLiteral("orders"), QStringLiteral("/s000/v1/orders"), oauth.id, 200),
           endpoint(QStringLiteral("status"), QStringLiteral("/s001/api/v1/health"), {}, 200)};
    return ws;
}

static qint64 countOf(const Aggregator *agg, const QString &endpoint)
{
    return qint64(agg->summary(ScopeKind::Endpoint, endpoint, 5 * 60 * 1000).total);
}

void TestSessionReload::editedWorkspace_keepsUnchangedAndStartsNew()
{
    QTemporaryDir dir;
    MonitorSession session;
    QCOMPARE(session.open(base(), dir.filePath(QStringLiteral("h.db"))), QString());
    QSet<QString> seen;
    connect(&session, &MonitorSession::eventReady, this,
            [&seen](const ApiEvent &e) { seen.insert(e.endpoint); });
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(countOf(session.aggregator(), QStringLiteral("orders")) >= 3, 10000);
    TokenService *tokens = session.engine()->tokenService(QStringLiteral("trading-oauth"));
    QVERIFY(tokens);
    const qint64 tokenRequests = tokens->requestsTotal();
    QCOMPARE(tokenRequests, 1);
    const Governor *governor = session.engine()->governor();
    const HistoryStore *history = session.history();
    const Aggregator *aggregator = session.aggregator();
    const qint64 ordersBefore = countOf(aggregator, QStringLiteral("orders"));

    Workspace edited = base();
    edited.endpoints[1].intervalMs = 300; // status: changed
    edited.endpoints.append(endpoint(QStringLiteral("positions"),
                                     QStringLiteral("/s000/v1/accounts"),
                                     QStringLiteral("trading-oauth"), 200)); // new, same credential
    ReloadSummary summary;
    QCOMPARE(session.reload(edited, &summary), QString());
    QCOMPARE(summary.unchanged, QStringList{QStringLiteral("orders")});
    QCOMPARE(summary.changed, QStringList{QStringLiteral("status")});
    QCOMPARE(summary.added, QStringList{QStringLiteral("positions")});
    QVERIFY(summary.removed.isEmpty());
    QVERIFY(summary.text().contains(QStringLiteral("1 added (positions)")));

    seen.clear();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("positions")), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("status")), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        countOf(session.aggregator(), QStringLiteral("orders")) >= ordersBefore + 3, 10000);
    // What did not change carried on: the same token (no new token request), governor,
    // history and counts.
    QCOMPARE(session.engine()->tokenService(QStringLiteral("trading-oauth")), tokens);
    QCOMPARE(tokens->requestsTotal(), tokenRequests);
    QVERIFY(!seen.contains(QStringLiteral("token:trading-oauth")));
    QCOMPARE(session.engine()->governor(), governor);
    QCOMPARE(session.history(), history);
    QCOMPARE(session.aggregator(), aggregator);
    QCOMPARE(session.workspace(), edited);

    // Removed: no more events from it.
    Workspace smaller = edited;
    smaller.endpoints.removeAt(1);
    QCOMPARE(session.reload(smaller, &summary), QString());
    QCOMPARE(summary.removed, QStringList{QStringLiteral("status")});
    QCOMPARE(summary.unchanged.size(), 2);
    QTest::qWait(100); // an answer in flight for "status" may still land before the drop
    seen.clear();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("positions"))
                                 && seen.contains(QStringLiteral("orders")),
                             5000);
    const qint64 statusNow = countOf(session.aggregator(), QStringLiteral("status"));
    QTRY_VERIFY_WITH_TIMEOUT(
        countOf(session.aggregator(), QStringLiteral("orders")) >= ordersBefore + 8, 10000);
    QCOMPARE(countOf(session.aggregator(), QStringLiteral("status")), statusNow);
    QVERIFY(!seen.contains(QStringLiteral("status")));
    QCOMPARE(tokens->requestsTotal(), tokenRequests);
}

void TestSessionReload::changedCredential_getsANewTokenService()
{
    MonitorSession session;
    QCOMPARE(session.open(base()), QString());
    QSet<QString> seen;
    connect(&session, &MonitorSession::eventReady, this,
            [&seen](const ApiEvent &e) { seen.insert(e.endpoint); });
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("orders")), 10000);
    QPointer<TokenService> before = session.engine()->tokenService(QStringLiteral("trading-oauth"));
    Workspace edited = base();
    edited.credentials[0].name = QStringLiteral("Trading API, renamed");
    ReloadSummary summary;
    QCOMPARE(session.reload(edited, &summary), QString());
    // The credential changed: its endpoint restarts with a new token; the other carries on.
    QCOMPARE(summary.changed, QStringList{QStringLiteral("orders")});
    QCOMPARE(summary.unchanged, QStringList{QStringLiteral("status")});
    TokenService *after = session.engine()->tokenService(QStringLiteral("trading-oauth"));
    QVERIFY(after && after != before.data());
    QTRY_VERIFY(before.isNull()); // the old service is gone (deleteLater)
    seen.clear();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("token:trading-oauth"))
                                 && seen.contains(QStringLiteral("orders")),
                             10000);
    QCOMPARE(after->requestsTotal(), 1);
}

void TestSessionReload::unpollableWorkspace_isRefusedAndOldKeepsRunning()
{
    MonitorSession session;
    QCOMPARE(session.open(base()), QString());
    QSet<QString> seen;
    connect(&session, &MonitorSession::eventReady, this,
            [&seen](const ApiEvent &e) { seen.insert(e.endpoint); });
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(QStringLiteral("orders")), 10000);
    Workspace broken = base();
    for (Endpoint &e : broken.endpoints)
        e.credential = QStringLiteral("nobody"); // every endpoint fails to resolve
    ReloadSummary summary;
    const QString error = session.reload(broken, &summary);
    QVERIFY2(error.contains(QStringLiteral("can be polled")), qPrintable(error));
    QCOMPARE(session.workspace(), base());
    QCOMPARE(session.engine()->workspace(), base());
    seen.clear();
    QTRY_VERIFY_WITH_TIMEOUT(
        seen.contains(QStringLiteral("orders")) && seen.contains(QStringLiteral("status")), 5000);
}

void TestSessionReload::streamsAndAlertRules_followTheEdit()
{
    MonitorSession session;
    Workspace ws = base();
    QCOMPARE(session.open(ws), QString());
    session.start();
    QCOMPARE(session.alerts()->rules(), MonitorSession::defaultAlertRules());
    Workspace edited = ws;
    AlertRule rule;
    rule.id = QStringLiteral("down-fast");
    rule.kind = QStringLiteral("down");
    rule.scope = QStringLiteral("*");
    rule.count = 1;
    edited.alerts = {rule};
    StreamEndpoint st;
    st.id = QStringLiteral("md");
    st.environment = QStringLiteral("dev");
    st.paused = true;
    edited.streams = {st};
    ReloadSummary summary;
    QCOMPARE(session.reload(edited, &summary), QString());
    QCOMPARE(session.alerts()->rules(), edited.alerts);
    QCOMPARE(summary.added, QStringList{QStringLiteral("md")});
    QVERIFY(session.engine()->streamMonitor(QStringLiteral("md")));
    StreamMonitor *md = session.engine()->streamMonitor(QStringLiteral("md"));
    QCOMPARE(session.reload(edited, &summary), QString()); // same file again: nothing moves
    QCOMPARE(summary.unchanged.size(), 3);
    QCOMPARE(session.engine()->streamMonitor(QStringLiteral("md")), md);
    QCOMPARE(session.reload(ws, &summary), QString());
    QCOMPARE(summary.removed, QStringList{QStringLiteral("md")});
    QVERIFY(!session.engine()->streamMonitor(QStringLiteral("md")));
}

void TestSessionReload::schedulePhase_ofUnchangedEndpointIsKept()
{
    // Once a minute each: "a" fires at start (the first slot of the spread), "b" later. After
    // the reload "a" waits for its own minute, "b" (changed) and "c" (new) go within a second.
    hd::test::RawHttpServer server;
    QVERIFY(server.start());
    server.setResponses({hd::test::RawHttpServer::response(200, "{}")});
    auto ws = [&server](bool edited) {
        Workspace w;
        w.name = QStringLiteral("phase");
        w.environments.append(
            {QStringLiteral("dev"), QStringLiteral("Dev"), server.url().chopped(1), {}});
        for (const char *id : {"a", "b", "c"}) {
            if (!edited && id[0] == 'c')
                continue;
            Endpoint e
                = endpoint(QLatin1String(id), QStringLiteral("/") + QLatin1String(id), {}, 60000);
            if (edited && id[0] == 'b')
                e.timeoutMs = 3000;
            w.endpoints.append(e);
        }
        return w;
    };
    MonitorEngine engine;
    QCOMPARE(engine.load(ws(false)), QString());
    QHash<QString, int> polls;
    connect(&engine, &MonitorEngine::eventReady, this,
            [&polls](const ApiEvent &e) { ++polls[e.endpoint]; });
    engine.start();
    QTRY_COMPARE(polls.value(QStringLiteral("a")), 1);
    QCOMPARE(polls.value(QStringLiteral("b")), 0); // its slot is about 37 s in
    ReloadSummary summary;
    QCOMPARE(engine.reload(ws(true), &summary), QString());
    QCOMPARE(summary.unchanged, QStringList{QStringLiteral("a")});
    QCOMPARE(summary.changed, QStringList{QStringLiteral("b")});
    QCOMPARE(summary.added, QStringList{QStringLiteral("c")});
    QTRY_VERIFY_WITH_TIMEOUT(
        polls.value(QStringLiteral("b")) == 1 && polls.value(QStringLiteral("c")) == 1, 3000);
    QCOMPARE(polls.value(QStringLiteral("a")), 1);
    QCOMPARE(engine.scheduler()->requestsSent(), 3);
}

QTEST_GUILESS_MAIN(TestSessionReload)
// The simulator's HTTPS environment (base URL sim+tls:, CA sim:ca.pem) as the demo's uat.
void TestSessionReload::addHttps(Workspace &ws)
{
    Environment uat;
    uat.id = QStringLiteral("uat");
    uat.name = QStringLiteral("UAT");
    uat.baseUrl = QStringLiteral("sim+tls:");
    uat.caFile = QStringLiteral("sim:ca.pem");
    uat.caMode = Environment::CaMode::Replace;
    ws.environments.append(uat);
    Endpoint ep = endpoint(QStringLiteral("tls"), QStringLiteral("/s004/v1/health"), {}, 200);
    ep.environment = uat.id;
    ws.endpoints.append(ep);
}

void TestSessionReload::simulatorHttps_isResolvedAfterReload()
{
    QTemporaryDir dir;
    MonitorSession session;
    Workspace ws = base();
    addHttps(ws);
    QCOMPARE(session.open(ws, dir.filePath(QStringLiteral("h.db"))), QString());
    QList<ApiEvent> tls;
    connect(&session, &MonitorSession::eventReady, this, [&tls](const ApiEvent &e) {
        if (e.endpoint == u"tls")
            tls.append(e);
    });
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(!tls.isEmpty(), 10000);
    QVERIFY(tls.first().category == Category::Ok);

    // An edit elsewhere: the HTTPS environment and its endpoint are untouched, so unchanged
    // (its placeholders resolved as at open, not compared as written).
    Workspace edited = ws;
    edited.endpoints[1].intervalMs = 300;
    ReloadSummary summary;
    QCOMPARE(session.reload(edited, &summary), QString());
    QVERIFY2(summary.unchanged.contains(QStringLiteral("tls")), qPrintable(summary.text()));
    tls.clear();
    QTRY_VERIFY_WITH_TIMEOUT(tls.size() >= 2, 10000);
    for (const ApiEvent &e : std::as_const(tls))
        QVERIFY2(e.category == Category::Ok, qPrintable(e.error ? e.error->message : QString()));
    QVERIFY(tls.last().tls.has_value()); // answered over TLS, by the simulator's HTTPS port
}

void TestSessionReload::simulatorHttps_gainedByReload_isPolled()
{
    // Started without the simulator's HTTPS routes; the edit adds them, so the reload starts a
    // simulator with TLS and must resolve sim+tls: and sim:ca.pem as open() does.
    QTemporaryDir dir;
    MonitorSession session;
    Workspace ws = base();
    ws.simulator = false;
    ws.environments[0].baseUrl = QStringLiteral("http://127.0.0.1:9/dev"); // discard: refused
    ws.credentials.clear();
    ws.endpoints = {endpoint(QStringLiteral("status"), QStringLiteral("/x"), {}, 200)};
    QCOMPARE(session.open(ws, dir.filePath(QStringLiteral("h.db"))), QString());
    QList<ApiEvent> tls;
    connect(&session, &MonitorSession::eventReady, this, [&tls](const ApiEvent &e) {
        if (e.endpoint == u"tls")
            tls.append(e);
    });
    session.start();
    Workspace edited = ws;
    addHttps(edited);
    ReloadSummary summary;
    QCOMPARE(session.reload(edited, &summary), QString());
    QCOMPARE(summary.added, QStringList{QStringLiteral("tls")});
    QTRY_VERIFY_WITH_TIMEOUT(!tls.isEmpty(), 10000);
    QVERIFY2(tls.first().category == Category::Ok,
             qPrintable(tls.first().error ? tls.first().error->message : QString()));
    QVERIFY(tls.first().tls.has_value());
}

#include "tst_sessionreload.moc"
