// Stream monitors against the built-in simulator's seed 003 WebSocket (127.0.0.1, port 0):
// a normal session, a 401 frame and re-authorization, a dropped server and reconnects with
// growing delays, the reconnect limit, a missed heartbeat, malformed frames. Backoff waits run
// on a ManualClock (tick() after advancing it); only what a real socket must do runs on real
// time, with short simulator timings.
#include "aggregator.h"
#include "alertengine.h"
#include "metricscollector.h"
#include "monitorengine.h"
#include "monitorsession.h"
#include "simdemosecrets.h"
#include "simulator.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QTest>

using namespace hd;

// StreamHealth::State by its name, so a failure prints "reconnecting" vs "connected".
#define COMPARE_STATE(actual, expected) QCOMPARE(hd::toString(actual), hd::toString(expected))

class TestStreamMonitor : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void normalSession_authorizesSubscribesAndAnswersEveryRequest();
    void unauthorizedFrame_reauthorizesWithAFreshToken();
    void serverDrop_reconnectsWithGrowingDelays();
    void reconnectLimit_givesUpLoudlyWithAnAlert();
    void heartbeatMissed_isATimeoutAndReconnects();
    void malformedFrames_areClearEventsAndTheSessionGoesOn();
    void stableSession_resetsTheBackoff();
    void serverClose_isStreamDroppedWithItsCodeAndReason();

private:
    Workspace workspace(const QByteArray &stream) const;
    std::unique_ptr<MonitorEngine> engine(const Workspace &ws, const Clock &clock);
    QList<ApiEvent> streamEvents() const;
    static int count(const QList<ApiEvent> &events, const std::function<bool(const ApiEvent &)> &f);
    static bool isRequestTo(const ApiEvent &e, const char *endpoint);

    std::unique_ptr<Simulator> m_sim;
    QList<ApiEvent> m_events;
};

void TestStreamMonitor::init()
{
    SimConfig config;
    config.heartbeatMs = 50;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY(m_sim->start(0) != 0);
    m_events.clear();
}

void TestStreamMonitor::cleanup()
{
    m_sim.reset();
}

Workspace TestStreamMonitor::workspace(const QByteArray &stream) const
{
    const QByteArray text = R"({"schema":"healthdeck.workspace/1","name":"streams",
        "environments":[{"id":"prod","baseUrl":"sim:/prod"}],
        "credentials":[{"id":"tradovate","method":"tradovate_token",
            "tokenUrl":"sim:/s003/v1/auth/accesstokenrequest","username":"sim-user",
            "appId":"HealthDeck","cid":"8","secretName":"HDECK_SIM_TRADOVATE_PASSWORD",
            "secondSecretName":"HDECK_SIM_TRADOVATE_SEC"}],
        "streams":[)" + stream
                            + "]}";
    const auto r = WorkspaceFile::parse(text, QStringLiteral("test"));
    if (!r.workspace)
        qFatal("%s", qPrintable(r.error));
    return *r.workspace;
}

std::unique_ptr<MonitorEngine> TestStreamMonitor::engine(const Workspace &ws, const Clock &clock)
{
    auto e = std::make_unique<MonitorEngine>(clock);
    EngineOptions o;
    o.simulatorBaseUrl = m_sim->baseUrl().toString();
    o.secretLookup = &SimDemoSecrets::lookup;
    o.streamRandom = [] {
        return 0.9999999;
    }; // every delay at its ceiling: exact figures
    const QString error = e->load(ws, o);
    if (!error.isEmpty())
        qFatal("%s", qPrintable(error));
    connect(e.get(), &MonitorEngine::eventReady, this,
            [this](const ApiEvent &ev) { m_events.append(ev); });
    return e;
}

QList<ApiEvent> TestStreamMonitor::streamEvents() const
{
    QList<ApiEvent> out;
    for (const ApiEvent &e : m_events)
        if (e.endpoint == u"md")
            out.append(e);
    return out;
}

int TestStreamMonitor::count(const QList<ApiEvent> &events,
                             const std::function<bool(const ApiEvent &)> &f)
{
    return int(std::count_if(events.cbegin(), events.cend(), f));
}

bool TestStreamMonitor::isRequestTo(const ApiEvent &e, const char *endpoint)
{
    return e.request && e.request->body.startsWith(QLatin1String(endpoint) + u'\n');
}

void TestStreamMonitor::normalSession_authorizesSubscribesAndAnswersEveryRequest()
{
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "heartbeatMs":100,"heartbeatTimeoutMs":3000,"intervalMs":100,
        "subscribe":[{"endpoint":"md/subscribequote","body":"{\"symbol\":\"ESZ6\"}"}],
        "requests":[{"endpoint":"user/syncrequest","body":"{\"users\":[4242]}"}]})"),
                      Clock::system());
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    QVERIFY(m);
    QCOMPARE(m->url().scheme(), QStringLiteral("ws"));
    QCOMPARE(m->url().path(), QStringLiteral("/prod/s003/v1/websocket"));
    eng->start();
    // Quotes come every 500 ms: wait for a few requests and at least one pushed quote.
    QTRY_VERIFY_WITH_TIMEOUT(
        count(streamEvents(), [](const ApiEvent &e) { return isRequestTo(e, "user/syncrequest"); })
                >= 4
            && m->health().pushed >= 1,
        5000);
    const StreamHealth h = m->health();
    const QByteArray metrics = MetricsCollector().render(eng.get());
    eng->stop();
    QVERIFY(metrics.contains(R"(healthdeck_stream_connected{endpoint="md",environment="prod"} 1)"));
    QVERIFY(metrics.contains(
        R"(healthdeck_stream_reconnects_total{endpoint="md",environment="prod"} 0)"));

    const QList<ApiEvent> events = streamEvents();
    for (const ApiEvent &e : events) {
        QVERIFY2(!e.isFailure(),
                 qPrintable(e.error ? e.error->message : toQString(toString(e.category))));
        QCOMPARE(e.environment, QStringLiteral("prod"));
        QCOMPARE(e.profile, QStringLiteral("tradovate"));
        QCOMPARE(e.httpStatus, std::optional<int>(200));
        QVERIFY(!e.identifiers.traceId.isEmpty()); // the frame's request id
        QCOMPARE(e.request->method, QStringLiteral("WS"));
    }
    // First the authorization (the token never reaches the event), then the subscription.
    QVERIFY(isRequestTo(events.value(0), "authorize"));
    QVERIFY(events[0].request->body.endsWith(StreamMonitor::tokenPlaceholder()));
    QVERIFY(events[0].token);
    QCOMPARE(events[0].token->subject, QStringLiteral("sim-user"));
    QVERIFY(isRequestTo(events.value(1), "md/subscribequote"));
    QCOMPARE(count(m_events, [](const ApiEvent &e) { return e.endpoint == u"token:tradovate"; }),
             1);
    // Every event id differs; the sync answers carry their data.
    QSet<QString> ids;
    for (const ApiEvent &e : events)
        ids.insert(e.id);
    QCOMPARE(ids.size(), events.size());
    const auto sync = std::find_if(events.cbegin(), events.cend(), [](const ApiEvent &e) {
        return isRequestTo(e, "user/syncrequest");
    });
    QVERIFY(sync->response->body.contains(QStringLiteral("4242")));

    COMPARE_STATE(h.state, StreamHealth::State::Connected);
    QCOMPARE(h.sessions, 1);
    QCOMPARE(h.reconnects, 0);
    QCOMPARE(h.drops, 0);
    QCOMPARE(h.heartbeatMisses, 0);
    QVERIFY(h.connectedSinceMs > 0);
    QVERIFY(h.connectedTotalMs > 0);
    QVERIFY2(h.lastHeartbeatGapMs > 0 && h.lastHeartbeatGapMs < 1000,
             qPrintable(QString::number(h.lastHeartbeatGapMs)));
    QVERIFY(h.maxHeartbeatGapMs >= h.lastHeartbeatGapMs);
    QVERIFY(h.frames > 10);
    QVERIFY(h.messagesPerSecond > 1.0);
    QVERIFY(h.lastFrameMs > 0);
    QVERIFY(!h.lastFrame.isEmpty());
    COMPARE_STATE(m->state(), StreamHealth::State::Idle); // stopped
}

void TestStreamMonitor::unauthorizedFrame_reauthorizesWithAFreshToken()
{
    // The simulator answers the first request after the subscription with 401, once.
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "path":"/s003/v1/websocket?unauthorize_after=1","heartbeatTimeoutMs":3000,"intervalMs":100,
        "subscribe":[{"endpoint":"md/subscribequote"}],
        "requests":[{"endpoint":"user/syncrequest"}]})"),
                      Clock::system());
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    auto okSyncAfter401 = [this] {
        const QList<ApiEvent> events = streamEvents();
        bool seen401 = false;
        for (const ApiEvent &e : events) {
            if (e.category == Category::Unauthorized)
                seen401 = true;
            else if (seen401 && isRequestTo(e, "user/syncrequest") && !e.isFailure())
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(okSyncAfter401(), 5000);
    const StreamHealth h = m->health();
    eng->stop();

    const QList<ApiEvent> events = streamEvents();
    const auto unauthorized = std::find_if(events.cbegin(), events.cend(), [](const ApiEvent &e) {
        return e.category == Category::Unauthorized;
    });
    QVERIFY(isRequestTo(*unauthorized, "user/syncrequest"));
    QCOMPARE(unauthorized->httpStatus, std::optional<int>(401));
    HD_COMPARE_ENUM(unauthorized->retry.action, RetryAction::RefreshToken);
    QCOMPARE(count(events, [](const ApiEvent &e) { return e.category == Category::Unauthorized; }),
             1);
    // A second token request, a second authorization, the subscription sent again: all on the
    // same connection.
    QCOMPARE(count(m_events, [](const ApiEvent &e) { return e.endpoint == u"token:tradovate"; }),
             2);
    QCOMPARE(count(events,
                   [](const ApiEvent &e) { return isRequestTo(e, "authorize") && !e.isFailure(); }),
             2);
    QCOMPARE(count(events,
                   [](const ApiEvent &e) {
                       return isRequestTo(e, "md/subscribequote") && !e.isFailure();
                   }),
             2);
    QCOMPARE(h.sessions, 2);
    QCOMPARE(h.reconnects, 0);
    QCOMPARE(h.drops, 0);
    COMPARE_STATE(h.state, StreamHealth::State::Connected);
}

void TestStreamMonitor::serverDrop_reconnectsWithGrowingDelays()
{
    ManualClock clock;
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "path":"/s003/v1/websocket?drop_after_ms=150",
        "subscribe":[{"endpoint":"md/subscribequote"}],
        "reconnect":{"baseMs":100,"capMs":10000,"maxAttempts":10,"stableMs":60000}})"),
                      clock);
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    auto dropped = [this] {
        QList<ApiEvent> out;
        for (const ApiEvent &e : streamEvents())
            if (e.category == Category::StreamDropped)
                out.append(e);
        return out;
    };
    auto subscribed = [this] {
        return count(streamEvents(), [](const ApiEvent &e) {
            return isRequestTo(e, "md/subscribequote") && !e.isFailure();
        });
    };
    QList<qint64> delays;
    for (int k = 1; k <= 3; ++k) {
        QTRY_COMPARE_WITH_TIMEOUT(dropped().size(), k, 5000);
        const ApiEvent e = dropped().last();
        HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
        QCOMPARE(e.networkError, QStringLiteral("websocket dropped"));
        HD_COMPARE_ENUM(e.retry.action, RetryAction::RetryBackoff);
        QCOMPARE(e.attempt, k);
        QVERIFY(e.retry.delayMs);
        COMPARE_STATE(m->state(), StreamHealth::State::Reconnecting);
        QVERIFY(m->health().nextReconnectAtMs >= clock.nowMs());
        delays.append(*e.retry.delayMs);
        // Nothing happens before the backoff is over…
        clock.advance(*e.retry.delayMs - 1);
        m->tick();
        COMPARE_STATE(m->state(), StreamHealth::State::Reconnecting);
        // …and the reconnect goes out when it is.
        clock.advance(1);
        m->tick();
        QVERIFY(m->state() != StreamHealth::State::Reconnecting);
        // The subscription is resumed on the new session.
        QTRY_COMPARE_WITH_TIMEOUT(subscribed(), k + 1, 5000);
    }
    QCOMPARE(delays, (QList<qint64>{100, 200, 400}));
    const StreamHealth h = m->health();
    eng->stop();
    QCOMPARE(h.reconnects, 3);
    QCOMPARE(h.drops, 3);
    QCOMPARE(h.sessions, 4);
    QCOMPARE(h.failuresInRow, 3); // never stable for 60 s
}

void TestStreamMonitor::reconnectLimit_givesUpLoudlyWithAnAlert()
{
    ManualClock clock;
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "path":"/s003/v1/websocket?refuse_handshake=503",
        "reconnect":{"baseMs":100,"capMs":10000,"maxAttempts":3}})"),
                      clock);
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    auto refused = [this] {
        QList<ApiEvent> out;
        for (const ApiEvent &e : streamEvents())
            if (e.httpStatus == 503)
                out.append(e);
        return out;
    };
    QList<qint64> delays;
    for (int k = 1; k <= 4; ++k) {
        QTRY_COMPARE_WITH_TIMEOUT(refused().size(), k, 5000);
        const ApiEvent e = refused().last();
        HD_COMPARE_ENUM(e.category, Category::Unavailable);
        QVERIFY2(e.error->message.contains(QStringLiteral("handshake refused with HTTP 503")),
                 qPrintable(e.error->message));
        QCOMPARE(e.attempt, k);
        if (k == 4) {
            QVERIFY(!e.retry.retryable);
            QVERIFY(!e.retry.delayMs);
            break;
        }
        delays.append(*e.retry.delayMs);
        clock.advance(*e.retry.delayMs);
        m->tick();
    }
    QCOMPARE(delays, (QList<qint64>{100, 200, 400}));
    COMPARE_STATE(m->state(), StreamHealth::State::GaveUp);
    const QList<ApiEvent> events = streamEvents();
    const ApiEvent last = events.last();
    QCOMPARE(last.error->code, QStringLiteral("stream_gave_up"));
    HD_COMPARE_ENUM(last.category, Category::StreamDropped);
    QVERIFY(last.error->message.contains(QStringLiteral("3 failed reconnect")));
    // Given up means given up: no more attempts however long we wait.
    clock.advance(3600 * 1000);
    m->tick();
    QTest::qWait(100);
    QCOMPARE(streamEvents().size(), events.size());
    QCOMPARE(m->health().reconnects, 3);

    // The session's default rules turn that event into an alert.
    Aggregator aggregator(clock);
    AlertEngine alerts(clock, &aggregator);
    alerts.setRules(MonitorSession::defaultAlertRules());
    QList<AlertState> fired;
    connect(&alerts, &AlertEngine::fired, this, [&](const AlertState &a) { fired.append(a); });
    for (const ApiEvent &e : events) {
        aggregator.add(e);
        alerts.observe(e);
    }
    alerts.evaluate();
    const auto gaveUp = std::find_if(fired.cbegin(), fired.cend(), [](const AlertState &a) {
        return a.kind == u"stream_gave_up";
    });
    QVERIFY(gaveUp != fired.cend());
    QCOMPARE(gaveUp->subject, QStringLiteral("md"));
    QVERIFY(gaveUp->message.contains(QStringLiteral("gave up")));
    // And /metrics shows it.
    const QByteArray metrics = MetricsCollector(clock).render(eng.get());
    QVERIFY(metrics.contains(R"(healthdeck_stream_gave_up{endpoint="md",environment="prod"} 1)"));
    QVERIFY(metrics.contains(R"(healthdeck_stream_connected{endpoint="md",environment="prod"} 0)"));
    QVERIFY(metrics.contains(
        R"(healthdeck_stream_reconnects_total{endpoint="md",environment="prod"} 3)"));
    eng->stop();
}

void TestStreamMonitor::heartbeatMissed_isATimeoutAndReconnects()
{
    // The simulator heartbeats every 50 ms and stops after 300 ms; 400 ms of silence is a miss.
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "path":"/s003/v1/websocket?heartbeat_stop_after_ms=300",
        "heartbeatMs":100,"heartbeatTimeoutMs":400,
        "reconnect":{"baseMs":60000,"capMs":60000,"maxAttempts":3}})"),
                      Clock::system());
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    QTRY_VERIFY_WITH_TIMEOUT(m->health().heartbeatMisses == 1, 5000);
    const StreamHealth h = m->health();
    eng->stop();
    const QList<ApiEvent> events = streamEvents();
    QCOMPARE(count(events, [](const ApiEvent &e) { return e.isFailure(); }), 1);
    const ApiEvent miss = events.last();
    HD_COMPARE_ENUM(miss.category, Category::Timeout);
    HD_COMPARE_ENUM(miss.outcome, Outcome::ConnectionError);
    QCOMPARE(miss.networkError, QStringLiteral("heartbeat missed"));
    QVERIFY(miss.error->message.contains(QStringLiteral("heartbeat missed")));
    HD_COMPARE_ENUM(miss.retry.action, RetryAction::RetryBackoff);
    QCOMPARE(miss.retry.delayMs, std::optional<qint64>(60000));
    // Before it stopped, the heartbeat came on time.
    QVERIFY2(h.maxHeartbeatGapMs > 0 && h.maxHeartbeatGapMs < 400,
             qPrintable(QString::number(h.maxHeartbeatGapMs)));
    COMPARE_STATE(h.state, StreamHealth::State::Reconnecting);
    QCOMPARE(h.drops, 1);
    QCOMPARE(h.connectedSinceMs, 0);
}

void TestStreamMonitor::malformedFrames_areClearEventsAndTheSessionGoesOn()
{
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "path":"/s003/v1/websocket?malformed_after_ms=50","heartbeatTimeoutMs":3000,
        "intervalMs":100,"requests":[{"endpoint":"user/syncrequest"}]})"),
                      Clock::system());
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    auto isMalformed = [](const ApiEvent &e) {
        return e.error && e.error->code == u"malformed_frame";
    };
    auto okAfterMalformed = [&] {
        int malformed = 0;
        for (const ApiEvent &e : streamEvents()) {
            if (isMalformed(e))
                ++malformed;
            else if (malformed == 2 && isRequestTo(e, "user/syncrequest") && !e.isFailure())
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(okAfterMalformed(), 5000);
    const StreamHealth h = m->health();
    eng->stop();
    QList<ApiEvent> malformed;
    for (const ApiEvent &e : streamEvents())
        if (isMalformed(e))
            malformed.append(e);
    QCOMPARE(malformed.size(), 2);
    for (const ApiEvent &e : malformed) {
        HD_COMPARE_ENUM(e.category, Category::NetworkOther);
        QCOMPARE(e.networkError, QStringLiteral("malformed frame"));
        QVERIFY(!e.retry.retryable);
    }
    QVERIFY2(malformed[0].error->message.contains(QStringLiteral("does not parse")),
             qPrintable(malformed[0].error->message));
    QVERIFY(malformed[0].response->body.startsWith(QStringLiteral("a[{\"s\":200")));
    QVERIFY2(malformed[1].error->message.contains(QStringLiteral("unknown frame type")),
             qPrintable(malformed[1].error->message));
    QCOMPARE(count(streamEvents(),
                   [](const ApiEvent &e) { return e.category == Category::StreamDropped; }),
             0);
    COMPARE_STATE(h.state, StreamHealth::State::Connected);
    QCOMPARE(h.sessions, 1);
    QCOMPARE(h.reconnects, 0);
}

void TestStreamMonitor::stableSession_resetsTheBackoff()
{
    // The state machine on a ManualClock: silence is whatever the clock says, so misses,
    // backoff and the stable reset happen exactly when the test moves time.
    ManualClock clock;
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "heartbeatTimeoutMs":5000,"subscribe":[{"endpoint":"md/subscribequote"}],
        "reconnect":{"baseMs":100,"capMs":10000,"maxAttempts":5,"stableMs":8000}})"),
                      clock);
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    auto subscribed = [this] {
        return count(streamEvents(), [](const ApiEvent &e) {
            return isRequestTo(e, "md/subscribequote") && !e.isFailure();
        });
    };
    auto missAndReconnect = [&](int sessionsBefore) -> qint64 {
        [&] {
            QTRY_COMPARE_WITH_TIMEOUT(subscribed(), sessionsBefore, 5000);
        }();
        clock.advance(4999);
        m->tick();
        if (m->state() != StreamHealth::State::Connected)
            return -1; // missed too early
        clock.advance(1);
        m->tick();
        if (m->state() != StreamHealth::State::Reconnecting)
            return -2;
        const ApiEvent miss = streamEvents().last();
        if (miss.networkError != u"heartbeat missed" || !miss.retry.delayMs)
            return -3;
        clock.advance(*miss.retry.delayMs);
        m->tick();
        return *miss.retry.delayMs;
    };
    QCOMPARE(missAndReconnect(1), 100);
    QCOMPARE(missAndReconnect(2), 200);
    QCOMPARE(m->health().failuresInRow, 2);
    // The third session stays up for stableMs (a heartbeat arrives halfway, so it is not
    // silent for heartbeatTimeoutMs): the count starts over.
    QTRY_COMPARE_WITH_TIMEOUT(subscribed(), 3, 5000);
    clock.advance(4000);
    m->tick();
    const quint64 frames = m->health().frames;
    QTRY_VERIFY_WITH_TIMEOUT(m->health().frames > frames, 5000);
    clock.advance(4000);
    m->tick();
    COMPARE_STATE(m->state(), StreamHealth::State::Connected);
    QCOMPARE(m->health().failuresInRow, 0);
    // The next miss counts from a frame at the clock's present.
    const quint64 framesNow = m->health().frames;
    QTRY_VERIFY_WITH_TIMEOUT(m->health().frames > framesNow, 5000);
    QCOMPARE(missAndReconnect(3), 100);
    QTRY_COMPARE_WITH_TIMEOUT(subscribed(), 4, 5000);
    const StreamHealth h = m->health();
    eng->stop();
    QCOMPARE(h.heartbeatMisses, 3);
    QCOMPARE(h.sessions, 4);
    QCOMPARE(h.reconnects, 3);
    // Authorized time is measured on the clock too: 5000 + 5000 + (8000 + 5000) ms.
    QCOMPARE(h.connectedTotalMs, 23000);
}

void TestStreamMonitor::serverClose_isStreamDroppedWithItsCodeAndReason()
{
    // "logout" makes the simulator answer, send c[1000,"Closed by request"] and close.
    auto eng = engine(workspace(R"({"id":"md","environment":"prod","credential":"tradovate",
        "heartbeatTimeoutMs":3000,"intervalMs":100000,"requests":[{"endpoint":"logout"}],
        "reconnect":{"baseMs":60000,"capMs":60000,"maxAttempts":3}})"),
                      Clock::system());
    StreamMonitor *m = eng->streamMonitor(QStringLiteral("md"));
    eng->start();
    QTRY_COMPARE_WITH_TIMEOUT(m->health().drops, 1, 5000);
    const StreamHealth h = m->health();
    eng->stop();
    const QList<ApiEvent> events = streamEvents();
    QVERIFY(isRequestTo(events.value(1), "logout"));
    QVERIFY(!events[1].isFailure());
    const ApiEvent closed = events.last();
    HD_COMPARE_ENUM(closed.category, Category::StreamDropped);
    QCOMPARE(closed.networkError, QStringLiteral("websocket closed"));
    QVERIFY2(closed.error->message.contains(QStringLiteral("close code 1000: Closed by request")),
             qPrintable(closed.error->message));
    QCOMPARE(closed.retry.delayMs, std::optional<qint64>(60000));
    COMPARE_STATE(h.state, StreamHealth::State::Reconnecting);
    QCOMPARE(count(events, [](const ApiEvent &e) { return e.isFailure(); }), 1);
}

QTEST_GUILESS_MAIN(TestStreamMonitor)
#include "tst_streammonitor.moc"
