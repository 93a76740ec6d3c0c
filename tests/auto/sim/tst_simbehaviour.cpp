// What the simulator does beyond single scenarios: real JWTs, the Tradovate lockout's rolling
// window, quotas per credential, the control API, determinism by seed, the WebSocket frame
// protocol, `hdeck sim` as a process, and the demo workspace.
#include "classifier.h"
#include "httpattempt.h"
#include "simulator.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace hd;

namespace {
struct Reply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const char *name) const
    {
        for (const auto &[k, v] : headers)
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};
} // namespace

class TestSimBehaviour : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void token_isRealHs256JwtWithClaims();
    void token_expiresAfterConfiguredLifetime();
    void tradovate_lockoutWindowIsExtendedByEveryRequest();
    void quota_isEnforcedPerCredential();
    void rateLimitHeaders_everyFamilyIsReadByTheEngine();
    void control_injectedFaultHitsOnlyItsRouteAndCount();
    void control_errorRateAndIncidents();
    void control_requestLogAndConfig();
    void seed_makesRunsReproducible();
    void webSocket_speaksTradovateFrames();
    void resolveUrl_substitutesThePort();
    void demoWorkspace_isABadDayNotAWallOfRed();
    void cli_simPrintsListeningLineAndStopsOnSigterm();
    void cli_simRejectsBadArguments();

private:
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QList<std::pair<QByteArray, QByteArray>> &headers = {},
               Simulator *sim = nullptr);
    QByteArray token(const char *api, const char *client, int lifetimeS = 0,
                     Simulator *sim = nullptr);
    ApiEvent probe(const QString &url, const HeaderList &headers = {},
                   const QString &profile = QStringLiteral("auto"), int timeoutMs = 5000);

    SimConfig m_config;
    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    Classifier m_classifier;
};

void TestSimBehaviour::initTestCase()
{
    m_config.backgroundErrorRate = 0;
    m_config.tradovateWarnAt = 3;
    m_config.tradovateLockAt = 5;
    m_config.lockoutWindowMs = 2000;
    m_config.heartbeatMs = 200;
    m_config.seed = 42;
    m_sim = std::make_unique<Simulator>(m_config);
    QVERIFY(m_sim->start(0) != 0);
}

void TestSimBehaviour::init()
{
    m_nam.clearConnectionCache();
    m_sim->reset();
}

Reply TestSimBehaviour::send(const QByteArray &method, const QString &path, const QByteArray &body,
                             const QList<std::pair<QByteArray, QByteArray>> &headers,
                             Simulator *sim)
{
    QNetworkRequest req(QUrl((sim ? sim : m_sim.get())->baseUrl().toString() + path));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return r;
}

QByteArray TestSimBehaviour::token(const char *api, const char *client, int lifetimeS,
                                   Simulator *sim)
{
    QByteArray form = "grant_type=client_credentials&client_id=" + QByteArray(client)
                      + "&client_secret=sim-secret";
    if (lifetimeS > 0)
        form += "&lifetime_s=" + QByteArray::number(lifetimeS);
    const Reply r = send("POST", QStringLiteral("/%1/oauth/token").arg(QLatin1String(api)), form,
                         {{"Content-Type", "application/x-www-form-urlencoded"}}, sim);
    return r.json().value(QStringLiteral("access_token")).toString().toLatin1();
}

ApiEvent TestSimBehaviour::probe(const QString &url, const HeaderList &headers,
                                 const QString &profile, int timeoutMs)
{
    HttpAttempt attempt(&m_nam, &m_classifier);
    HttpRequestSpec spec;
    spec.url = QUrl(url);
    spec.headers = headers;
    spec.profile = profile;
    spec.timeoutMs = timeoutMs;
    ApiEvent out;
    bool finished = false;
    connect(&attempt, &HttpAttempt::finished, this, [&](const ApiEvent &e) {
        out = e;
        finished = true;
    });
    attempt.start(spec, 1);
    if (!QTest::qWaitFor([&] { return finished; }, timeoutMs + 5000))
        return {};
    return out;
}

void TestSimBehaviour::token_isRealHs256JwtWithClaims()
{
    const Reply r = send(
        "POST", QStringLiteral("/s000/oauth/token"),
        R"({"grant_type":"client_credentials","client_id":"sim-readonly","client_secret":"sim-secret"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    const QList<QByteArray> parts
        = r.json().value(QStringLiteral("access_token")).toString().toLatin1().split('.');
    QCOMPARE(parts.size(), 3);
    const auto opts = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    QCOMPARE(QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], opts))
                 .object()
                 .value(QStringLiteral("alg"))
                 .toString(),
             QStringLiteral("HS256"));
    const QJsonObject claims
        = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], opts)).object();
    QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QStringLiteral("sim-readonly"));
    QCOMPARE(claims.value(QStringLiteral("aud")).toString(), QStringLiteral("s000"));
    QCOMPARE(claims.value(QStringLiteral("scope")).toString(),
             QStringLiteral("orders:read reports:read"));
    const qint64 iat = qint64(claims.value(QStringLiteral("iat")).toDouble());
    QCOMPARE(qint64(claims.value(QStringLiteral("exp")).toDouble()) - iat,
             qint64(m_config.tokenLifetimeS));
    QVERIFY(qAbs(iat - QDateTime::currentSecsSinceEpoch()) <= 2);
    // The signature is genuine HS256: tampering with the payload is refused.
    QByteArray forged
        = parts[0] + '.'
          + QJsonDocument(QJsonObject{{QStringLiteral("sub"), QStringLiteral("x")},
                                      {QStringLiteral("aud"), QStringLiteral("s000")},
                                      {QStringLiteral("exp"), 4102444800.0},
                                      {QStringLiteral("scope"), QStringLiteral("orders:read")}})
                .toJson(QJsonDocument::Compact)
                .toBase64(opts)
          + '.' + parts[2];
    QCOMPARE(
        send("GET", QStringLiteral("/s000/v1/orders"), {}, {{"Authorization", "Bearer " + forged}})
            .status,
        401);
    // Scope is enforced: the read-only client cannot write.
    const QByteArray bearer = "Bearer " + parts.join('.');
    QCOMPARE(send("GET", QStringLiteral("/s000/v1/orders"), {}, {{"Authorization", bearer}}).status,
             200);
    const Reply denied = send("POST", QStringLiteral("/s000/v1/orders"), R"({"clOrdId":"A"})",
                              {{"Authorization", bearer}});
    QCOMPARE(denied.status, 403);
    QVERIFY(denied.header("WWW-Authenticate").contains("insufficient_scope"));
}

void TestSimBehaviour::token_expiresAfterConfiguredLifetime()
{
    // A simulator of its own on a ManualClock (starting on a whole second): its tokens expire
    // when the clock says, not after a sleep.
    ManualClock clock;
    SimConfig config = m_config;
    config.clock = &clock;
    Simulator sim(config);
    QVERIFY(sim.start(0) != 0);
    const QByteArray t = token("s004", "sim-client", 1, &sim);
    QVERIFY(!t.isEmpty());
    const QString url = sim.baseUrl().toString() + QStringLiteral("/s004/v1/positions");
    const HeaderList auth{
        {QStringLiteral("Authorization"), QStringLiteral("Bearer ") + QString::fromLatin1(t)}};
    HD_COMPARE_ENUM(probe(url, auth).category, Category::Ok);
    clock.advance(999); // one millisecond before exp: still good
    HD_COMPARE_ENUM(probe(url, auth).category, Category::Ok);
    clock.advance(1); // the token's one-second life runs out
    const ApiEvent expired = probe(url, auth);
    HD_COMPARE_ENUM(expired.category, Category::Unauthorized);
    HD_COMPARE_ENUM(expired.retry.action, RetryAction::RefreshToken);
    QCOMPARE(expired.error->code, QStringLiteral("unauthorized_request"));
    QVERIFY(!expired.identifiers.traceId.isEmpty());
}

void TestSimBehaviour::tradovate_lockoutWindowIsExtendedByEveryRequest()
{
    // The lockout window runs on the simulator's ManualClock: moved, not slept through.
    ManualClock clock;
    SimConfig config = m_config;
    config.clock = &clock;
    Simulator sim(config);
    QVERIFY(sim.start(0) != 0);
    const Reply tok = send(
        "POST", QStringLiteral("/s003/v1/auth/accesstokenrequest"),
        R"({"name":"sim-user","password":"sim-pass","appId":"t","cid":1,"sec":"s"})", {}, &sim);
    QVERIFY(QDateTime::fromString(tok.json().value(QStringLiteral("expirationTime")).toString(),
                                  Qt::ISODateWithMs)
                .isValid());
    const QString bearer
        = QStringLiteral("Bearer ") + tok.json().value(QStringLiteral("accessToken")).toString();
    const QString url = sim.baseUrl().toString() + QStringLiteral("/s003/v1/account/list");
    QList<int> statuses;
    QList<Category> categories;
    // The token request counts against "anonymous"; for sim-user: 3 ok, 2 warnings (423), then
    // the lockout.
    for (int i = 0; i < 6; ++i) {
        const ApiEvent e
            = probe(url, {{QStringLiteral("Authorization"), bearer}}, QStringLiteral("tradovate"));
        statuses.append(e.httpStatus.value_or(0));
        categories.append(e.category);
    }
    QCOMPARE(statuses, (QList<int>{200, 200, 200, 423, 423, 429}));
    HD_COMPARE_ENUM(categories[3], Category::LockoutWarning);
    HD_COMPARE_ENUM(categories[5], Category::RateLimited);
    // While locked out every request restarts the 2 s window: 1.2 s + 1.2 s later still locked.
    for (int i = 0; i < 2; ++i) {
        clock.advance(1200);
        const ApiEvent e
            = probe(url, {{QStringLiteral("Authorization"), bearer}}, QStringLiteral("tradovate"));
        QCOMPARE(e.httpStatus.value_or(0), 429);
        HD_COMPARE_ENUM(e.retry.action, RetryAction::StopLockout);
        QCOMPARE(e.rateLimit->retryAfterS.value_or(0), 2.0);
    }
    // A millisecond before the window ends it is still locked (and restarts the window);
    // silence for a whole window ends it.
    clock.advance(1999);
    QCOMPARE(probe(url, {{QStringLiteral("Authorization"), bearer}}, QStringLiteral("tradovate"))
                 .httpStatus.value_or(0),
             429);
    clock.advance(2000);
    QCOMPARE(probe(url, {{QStringLiteral("Authorization"), bearer}}, QStringLiteral("tradovate"))
                 .httpStatus.value_or(0),
             200);
}

void TestSimBehaviour::quota_isEnforcedPerCredential()
{
    const QByteArray busy = "Bearer " + token("s002", "sim-busy");
    const QByteArray normal = "Bearer " + token("s002", "sim-client");
    QCOMPARE(
        send("GET", QStringLiteral("/s002/v1/instruments"), {}, {{"Authorization", busy}}).status,
        200);
    const Reply limited
        = send("GET", QStringLiteral("/s002/v1/instruments"), {}, {{"Authorization", busy}});
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.header("Retry-After").toInt() >= 1);
    QCOMPARE(limited.json().value(QStringLiteral("code")).toInt(), 42901);
    // Another credential on the same API is unaffected.
    QCOMPARE(
        send("GET", QStringLiteral("/s002/v1/instruments"), {}, {{"Authorization", normal}}).status,
        200);
}

void TestSimBehaviour::rateLimitHeaders_everyFamilyIsReadByTheEngine()
{
    const QString base = m_sim->baseUrl().toString();
    struct Case
    {
        QString path;
        HeaderList headers;
        const char *family;
    };
    const QList<Case> cases{
        {QStringLiteral("/s000/v1/orders"),
         {{QStringLiteral("Authorization"),
           QStringLiteral("Bearer ") + QString::fromLatin1(token("s000", "sim-client"))}},
         "X-RateLimit-Remaining"},
        {QStringLiteral("/s001/api/v1/signals"),
         {{QStringLiteral("X-API-Key"), QStringLiteral("sim-key")}},
         "RateLimit-Remaining"},
        {QStringLiteral("/s002/v1/instruments"),
         {{QStringLiteral("Authorization"),
           QStringLiteral("Bearer ") + QString::fromLatin1(token("s002", "sim-client"))}},
         "RateLimit"},
        {QStringLiteral("/s004/v1/positions"),
         {{QStringLiteral("Authorization"),
           QStringLiteral("Bearer ") + QString::fromLatin1(token("s004", "sim-client"))}},
         "RateLimit-Policy"},
    };
    for (const Case &c : cases) {
        const ApiEvent e = probe(base + c.path, c.headers);
        HD_COMPARE_ENUM(e.category, Category::Ok);
        QVERIFY2(e.rateLimit, qPrintable(c.path));
        QCOMPARE(e.rateLimit->limit.value_or(-1), qint64(m_config.defaultQuota));
        QCOMPARE(e.rateLimit->remaining.value_or(-1), qint64(m_config.defaultQuota - 1));
        QVERIFY2(e.rateLimit->resetS.value_or(-1) > 0
                     && *e.rateLimit->resetS <= m_config.quotaWindowS,
                 qPrintable(c.path));
        bool seen = false;
        for (const auto &[k, v] : e.response->headers)
            seen = seen || k.compare(QLatin1String(c.family), Qt::CaseInsensitive) == 0;
        QVERIFY2(seen, c.family);
    }
}

void TestSimBehaviour::control_injectedFaultHitsOnlyItsRouteAndCount()
{
    const QString base = m_sim->baseUrl().toString();
    QCOMPARE(send("POST", QStringLiteral("/_sim/faults"),
                  R"({"path":"/s004/v1/health","fault":"reset"})")
                 .status,
             201);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/s001/api/v1/health")).category, Category::Ok);
    // Qt resends a request whose connection died before any answer byte (up to twice), so the
    // reset stays until removed rather than being limited by a count.
    const ApiEvent faulted = probe(base + QStringLiteral("/s004/v1/health"));
    HD_COMPARE_ENUM(faulted.outcome, Outcome::ConnectionError);
    const QJsonArray log
        = QJsonDocument::fromJson(send("GET", QStringLiteral("/_sim/log?limit=3")).body).array();
    QVERIFY(std::any_of(log.begin(), log.end(), [](const QJsonValue &v) {
        return v.toObject().value(QStringLiteral("fault")).toString() == u"reset";
    }));
    QCOMPARE(
        QJsonDocument::fromJson(send("DELETE", QStringLiteral("/_sim/faults")).body).array().size(),
        1);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/s004/v1/health")).category, Category::Ok);

    // A status fault with a count: once, in the API's own dialect, then normal again.
    QCOMPARE(send("POST", QStringLiteral("/_sim/faults"),
                  R"({"path":"/s001/api/v1/health","fault":"status","status":503,"count":1})")
                 .status,
             201);
    const ApiEvent status = probe(base + QStringLiteral("/s001/api/v1/health"));
    HD_COMPARE_ENUM(status.category, Category::Unavailable);
    QCOMPARE(status.profile, QStringLiteral("signals"));
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/s001/api/v1/health")).category, Category::Ok);
    QCOMPARE(
        send("POST", QStringLiteral("/_sim/faults"), R"({"path":"/s002/v1/health","fault":"hang"})")
            .status,
        201);
    HD_COMPARE_ENUM(
        probe(base + QStringLiteral("/s002/v1/health"), {}, QStringLiteral("auto"), 200).category,
        Category::Timeout);
    QCOMPARE(
        QJsonDocument::fromJson(send("DELETE", QStringLiteral("/_sim/faults")).body).array().size(),
        1);
    QCOMPARE(
        send("POST", QStringLiteral("/_sim/faults"), R"({"path":"/x","fault":"explode"})").status,
        400);
}

void TestSimBehaviour::control_errorRateAndIncidents()
{
    const QString base = m_sim->baseUrl().toString();
    QCOMPARE(send("POST", QStringLiteral("/_sim/error-rate"), R"({"api":"s004","rate":1})").status,
             200);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/s004/v1/health")).outcome, Outcome::ServerError);
    QCOMPARE(send("POST", QStringLiteral("/_sim/error-rate"), R"({"api":"s004","rate":0})").status,
             200);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/s004/v1/health")).category, Category::Ok);

    // A 5xx storm on prod only: dev keeps working.
    QCOMPARE(
        send("POST", QStringLiteral("/_sim/incidents"),
             R"({"kind":"storm","api":"s001","environment":"prod","rate":1,"duration_ms":60000})")
            .status,
        201);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/prod/s001/api/v1/health")).outcome,
                    Outcome::ServerError);
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/dev/s001/api/v1/health")).category, Category::Ok);
    // A latency spike delays answers by what it says.
    QCOMPARE(send("POST", QStringLiteral("/_sim/incidents"),
                  R"({"kind":"latency","api":"s000","latency_ms":300})")
                 .status,
             201);
    const ApiEvent slow = probe(base + QStringLiteral("/s000/v1/health"));
    HD_COMPARE_ENUM(slow.category, Category::Ok);
    QVERIFY2(slow.durationMs >= 295, qPrintable(QString::number(slow.durationMs)));
    HD_COMPARE_ENUM(
        probe(base + QStringLiteral("/s000/v1/health"), {}, QStringLiteral("auto"), 150).category,
        Category::Timeout);
    QCOMPARE(
        QJsonDocument::fromJson(send("GET", QStringLiteral("/_sim/incidents")).body).array().size(),
        2);
    send("DELETE", QStringLiteral("/_sim/incidents"));
    HD_COMPARE_ENUM(probe(base + QStringLiteral("/prod/s001/api/v1/health")).category,
                    Category::Ok);
}

void TestSimBehaviour::control_requestLogAndConfig()
{
    send("GET", QStringLiteral("/s000/v1/health"));
    send("GET", QStringLiteral("/prod/s002/v1/archive/1"));
    const QJsonArray log
        = QJsonDocument::fromJson(send("GET", QStringLiteral("/_sim/log?limit=2")).body).array();
    QCOMPARE(log.size(), 2);
    QCOMPARE(log[0].toObject().value(QStringLiteral("target")).toString(),
             QStringLiteral("/s000/v1/health"));
    QCOMPARE(log[0].toObject().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(log[1].toObject().value(QStringLiteral("environment")).toString(),
             QStringLiteral("prod"));
    QCOMPARE(log[1].toObject().value(QStringLiteral("status")).toInt(), 401);

    const Reply cfg = send("POST", QStringLiteral("/_sim/config"),
                           R"({"lockout_window_ms":500,"token_lifetime_s":30})");
    QCOMPARE(cfg.status, 200);
    QCOMPARE(cfg.json().value(QStringLiteral("lockout_window_ms")).toInt(), 500);
    QCOMPARE(send("POST", QStringLiteral("/_sim/config"), R"({"lockout_window_ms":-1})").status,
             400);
    QCOMPARE(send("POST", QStringLiteral("/_sim/config"), R"({"nonsense":1})").status, 400);
    QCOMPARE(send("POST", QStringLiteral("/_sim/reset")).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/_sim/config"))
                 .json()
                 .value(QStringLiteral("lockout_window_ms"))
                 .toInt(),
             2000);
    QCOMPARE(send("GET", QStringLiteral("/_sim/nope")).status, 404);
}

void TestSimBehaviour::seed_makesRunsReproducible()
{
    auto run = [this](quint32 seed) {
        SimConfig c;
        c.seed = seed;
        c.backgroundErrorRate = 0.5;
        Simulator sim(c);
        if (!sim.start(0))
            return QList<int>();
        QList<int> statuses;
        for (int i = 0; i < 30; ++i)
            statuses.append(send("GET", QStringLiteral("/s002/v1/health"), {}, {}, &sim).status);
        statuses.append(send("GET", QStringLiteral("/s004/v1/health"), {}, {}, &sim).status);
        return statuses;
    };
    const QList<int> a = run(7);
    QCOMPARE(a.size(), 31);
    QVERIFY(a.contains(200) && std::any_of(a.begin(), a.end(), [](int s) { return s >= 500; }));
    QCOMPARE(run(7), a);
    QVERIFY(run(8) != a);
}

void TestSimBehaviour::webSocket_speaksTradovateFrames()
{
    QWebSocket ws;
    QStringList frames;
    connect(&ws, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { frames.append(m); });
    QSignalSpy closed(&ws, &QWebSocket::disconnected);
    ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/s003/v1/websocket").arg(m_sim->port())));
    QVERIFY(QTest::qWaitFor([&] { return !frames.isEmpty(); }, 5000));
    QCOMPARE(frames.front(), QStringLiteral("o"));
    ws.sendTextMessage(QStringLiteral("user/syncrequest\n1\n\n{}"));
    QVERIFY(QTest::qWaitFor(
        [&] { return frames.contains(QStringLiteral(R"(a[{"i":1,"s":401}])")); }, 5000));

    const Reply tok = send("POST", QStringLiteral("/s003/v1/auth/accesstokenrequest"),
                           R"({"name":"sim-user","password":"sim-pass"})");
    ws.sendTextMessage(QStringLiteral("authorize\n2\n\n")
                       + tok.json().value(QStringLiteral("accessToken")).toString());
    QVERIFY(QTest::qWaitFor(
        [&] { return frames.contains(QStringLiteral(R"(a[{"i":2,"s":200}])")); }, 5000));
    ws.sendTextMessage(QStringLiteral("md/subscribequote\n3\n\n{\"symbol\":\"ESZ6\"}"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::any_of(frames.begin(), frames.end(), [](const QString &f) {
                return f.startsWith(u"a[{\"d\":{\"quotes\"");
            });
        },
        5000));
    QVERIFY(
        QTest::qWaitFor([&] { return frames.contains(QStringLiteral("h")); }, 2000)); // heartbeat
    // The classifier reads the 401 frame as the engine's WebSocket worker would pass it.
    ClassifyInput in;
    in.status = 101;
    in.body = QByteArrayLiteral(R"(a[{"i":1,"s":401}])");
    HD_COMPARE_ENUM(m_classifier.classify(in).category, Category::Unauthorized);

    ws.sendTextMessage(QStringLiteral("logout\n4\n\n"));
    QVERIFY(closed.wait(5000));
    QVERIFY(std::any_of(frames.begin(), frames.end(),
                        [](const QString &f) { return f.startsWith(u"c[1000,"); }));
}

void TestSimBehaviour::resolveUrl_substitutesThePort()
{
    QCOMPARE(Simulator::resolveUrl(QStringLiteral("sim:"), 4000),
             QStringLiteral("http://127.0.0.1:4000"));
    QCOMPARE(Simulator::resolveUrl(QStringLiteral("sim:/prod"), 4000),
             QStringLiteral("http://127.0.0.1:4000/prod"));
    QCOMPARE(Simulator::resolveUrl(QStringLiteral("sim://prod/s000"), 4000),
             QStringLiteral("http://127.0.0.1:4000/prod/s000"));
    QCOMPARE(Simulator::resolveUrl(QStringLiteral("http://127.0.0.1:0/dev"), 4000),
             QStringLiteral("http://127.0.0.1:4000/dev"));
    QCOMPARE(Simulator::resolveUrl(QStringLiteral("http://127.0.0.1:8080/dev"), 4000),
             QStringLiteral("http://127.0.0.1:8080/dev"));
}

void TestSimBehaviour::demoWorkspace_isABadDayNotAWallOfRed()
{
    QFile f(QStringLiteral(":/healthdeck/demo/workspace.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject ws = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(ws.value(QStringLiteral("schema")).toString(),
             QStringLiteral("healthdeck.workspace/1"));
    QHash<QString, QString> bases;
    for (const QJsonValue &v : ws.value(QStringLiteral("environments")).toArray())
        bases.insert(v.toObject().value(QStringLiteral("id")).toString(),
                     v.toObject().value(QStringLiteral("baseUrl")).toString());
    QCOMPARE(QSet<QString>(bases.keyBegin(), bases.keyEnd()),
             (QSet<QString>{QStringLiteral("dev"), QStringLiteral("preprod"),
                            QStringLiteral("prod"), QStringLiteral("uat")}));
    // uat is the simulator's HTTPS route with a certificate that expires in three days
    // (sim+tls-short:): polled through the engine in tests/auto/alerts/tst_certexpiry.
    QVERIFY(bases.value(QStringLiteral("uat")).startsWith(QStringLiteral("sim+tls-short:")));
    // Credentials name secrets, never hold them; here the test plays the keychain with the
    // simulator's public demo values.
    QHash<QString, HeaderList> auth;
    for (const QJsonValue &v : ws.value(QStringLiteral("credentials")).toArray()) {
        const QJsonObject c = v.toObject();
        for (const char *forbidden :
             {"secret", "password", "token", "apiKey", "clientSecret", "sec"})
            QVERIFY2(!c.contains(QLatin1String(forbidden)), forbidden);
        QVERIFY(!c.value(QStringLiteral("secretName")).toString().isEmpty());
        const QString method = c.value(QStringLiteral("method")).toString();
        const QString tokenPath
            = Simulator::resolveUrl(c.value(QStringLiteral("tokenUrl")).toString(), m_sim->port())
                  .mid(m_sim->baseUrl().toString().size());
        QString bearer;
        if (method == u"api_key_header") {
            auth.insert(
                c.value(QStringLiteral("id")).toString(),
                {{c.value(QStringLiteral("headerName")).toString(), QStringLiteral("sim-key")}});
            continue;
        } else if (method == u"oauth2_client_credentials") {
            const Reply r = send("POST", tokenPath,
                                 "grant_type=client_credentials&client_secret=sim-secret&client_id="
                                     + c.value(QStringLiteral("clientId")).toString().toLatin1(),
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
            bearer = r.json().value(QStringLiteral("access_token")).toString();
        } else if (method == u"tradovate_token") {
            const Reply r = send(
                "POST", tokenPath,
                QJsonDocument(
                    QJsonObject{{QStringLiteral("name"), c.value(QStringLiteral("username"))},
                                {QStringLiteral("password"), QStringLiteral("sim-pass")}})
                    .toJson(QJsonDocument::Compact));
            bearer = r.json().value(QStringLiteral("accessToken")).toString();
        }
        QVERIFY2(!bearer.isEmpty(), qPrintable(c.value(QStringLiteral("id")).toString()));
        auth.insert(c.value(QStringLiteral("id")).toString(),
                    {{QStringLiteral("Authorization"), QStringLiteral("Bearer ") + bearer}});
    }
    // Without the demo schedule most endpoints are healthy and a few fail for good reasons;
    // the schedule (tested through the control API's rules) adds the passing incidents.
    int ok = 0, failed = 0;
    QSet<QString> categories;
    const QJsonArray endpoints = ws.value(QStringLiteral("endpoints")).toArray();
    QVERIFY(endpoints.size() >= 15);
    for (const QJsonValue &v : endpoints) {
        const QJsonObject e = v.toObject();
        QVERIFY(bases.contains(e.value(QStringLiteral("environment")).toString()));
        if (bases.value(e.value(QStringLiteral("environment")).toString())
                .startsWith(QStringLiteral("sim+tls")))
            continue; // HTTPS with the simulator's CA: not this plain-HTTP walk
        const QString cred = e.value(QStringLiteral("credential")).toString();
        QVERIFY2(cred.isEmpty() || auth.contains(cred), qPrintable(cred));
        const QString path = e.value(QStringLiteral("path")).toString();
        HttpRequestSpec spec;
        spec.url = QUrl(
            path.startsWith(u"http")
                ? path
                : Simulator::resolveUrl(
                      bases.value(e.value(QStringLiteral("environment")).toString()), m_sim->port())
                      + path);
        spec.method = e.value(QStringLiteral("method")).toString(QStringLiteral("GET"));
        spec.headers = auth.value(cred);
        const QJsonObject headers = e.value(QStringLiteral("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it)
            spec.headers.append({it.key(), it.value().toString()});
        spec.body = e.value(QStringLiteral("body")).toString().toUtf8();
        spec.profile = e.value(QStringLiteral("profile")).toString(QStringLiteral("auto"));
        spec.timeoutMs = e.value(QStringLiteral("timeoutMs")).toInt(5000);
        HttpAttempt attempt(&m_nam, &m_classifier);
        ApiEvent ev;
        bool done = false;
        connect(&attempt, &HttpAttempt::finished, this, [&](const ApiEvent &x) {
            ev = x;
            done = true;
        });
        attempt.start(spec, 1);
        QVERIFY(QTest::qWaitFor([&] { return done; }, spec.timeoutMs + 5000));
        QVERIFY2(ev.httpStatus.value_or(0) != 404, qPrintable(spec.url.toString()));
        categories.insert(toQString(toString(ev.category)));
        (ev.category == Category::Ok ? ok : failed)++;
    }
    qInfo("demo workspace without incidents: %d ok, %d failing (%s)", ok, failed,
          qPrintable(QStringList(categories.begin(), categories.end()).join(u' ')));
    QVERIFY2(ok >= 2 * failed && failed >= 4,
             qPrintable(QStringLiteral("%1 ok, %2 failed").arg(ok).arg(failed)));
}

void TestSimBehaviour::cli_simPrintsListeningLineAndStopsOnSigterm()
{
    QProcess p;
    p.start(hd::test::hdeckPath(),
            {QStringLiteral("sim"), QStringLiteral("--port"), QStringLiteral("0"),
             QStringLiteral("--seed"), QStringLiteral("5")});
    QVERIFY(p.waitForStarted(5000));
    QVERIFY(QTest::qWaitFor([&] { return p.canReadLine(); }, 10000));
    const QString line = QString::fromUtf8(p.readLine()).trimmed();
    const QRegularExpressionMatch m
        = QRegularExpression(QStringLiteral(R"(^listening on http://127\.0\.0\.1:(\d+)$)"))
              .match(line);
    QVERIFY2(m.hasMatch(), qPrintable(line));
    const QString url = QStringLiteral("http://127.0.0.1:%1/s000/v1/health").arg(m.captured(1));
    const auto probe = hd::test::runHdeck({QStringLiteral("probe"), url});
    QCOMPARE(probe.exitCode, 0);
    QVERIFY2(probe.out.contains(R"("category":"ok")"), probe.out.constData());
    p.terminate(); // SIGTERM
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
}

void TestSimBehaviour::cli_simRejectsBadArguments()
{
    QCOMPARE(hd::test::runHdeck(
                 {QStringLiteral("sim"), QStringLiteral("--port"), QStringLiteral("70000")})
                 .exitCode,
             2);
    QCOMPARE(
        hd::test::runHdeck({QStringLiteral("sim"), QStringLiteral("--seed"), QStringLiteral("x")})
            .exitCode,
        2);
    QCOMPARE(hd::test::runHdeck({QStringLiteral("sim"), QStringLiteral("extra")}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestSimBehaviour)
#include "tst_simbehaviour.moc"
