// An acknowledgement made in PagerDuty comes back, end to end on loopback: a session on the
// built-in simulator fires a "down" alert, the trigger goes to PagerDuty's Events API (the
// simulator's inbox stands in for it) with a dedup_key; PagerDuty's V3 webhook — signed with
// the subscription's secret — is POSTed to the session's HTTP endpoint (/pagerduty next to
// /metrics); the alert and its incident are acknowledged in the PagerDuty user's name, the
// other channels are told, PagerDuty is not told again. Unsigned, wrongly signed, malformed,
// oversized and length-less deliveries are refused with the right status.
#include "alertengine.h"
#include "incidentlog.h"
#include "metricsexporter.h"
#include "monitorsession.h"
#include "simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

using namespace hd;

class TestPagerDutyAck : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void acknowledgedInPagerDuty_comesBack();
    void badDeliveries_areRefused();

private:
    Workspace workspace() const;
    QJsonArray inbox(const QUrl &simulator);
    // POST /pagerduty; returns the status and body.
    // length: the Content-Length to send (-1: the body's size; -2: none at all).
    std::pair<int, QByteArray> post(const QByteArray &body, const QByteArray &signature,
                                    qint64 length = -1);
    static QByteArray sign(const QByteArray &body, const QByteArray &secret);
    static QByteArray acknowledgement(const QString &incidentKey);

    QNetworkAccessManager m_nam;
    // Each test: a session on the workspace below, its HTTP endpoint on a free loopback port.
    std::unique_ptr<MonitorSession> m_session;
    std::unique_ptr<MetricsExporter> m_exporter;
    quint16 m_port = 0;
};

static const QByteArray HookSecret = "whsec-test-0f3b7c1d9e2a4b6c";

void TestPagerDutyAck::initTestCase()
{
    qputenv("HDECK_SECRET_PD_ROUTING_KEY", "R0UT1NGKEY0000000000000000000000");
    qputenv("HDECK_SECRET_PD_WEBHOOK_SECRET", HookSecret);
}

void TestPagerDutyAck::init()
{
    m_session = std::make_unique<MonitorSession>();
    QCOMPARE(m_session->open(workspace()), QString());
    m_exporter = std::make_unique<MetricsExporter>();
    m_exporter->setSession(m_session.get());
    QCOMPARE(m_exporter->start(QHostAddress(QHostAddress::LocalHost), 0), QString());
    m_port = quint16(m_exporter->url().port());
}

void TestPagerDutyAck::cleanup()
{
    m_exporter.reset();
    if (m_session)
        m_session->close();
    m_session.reset();
}

Workspace TestPagerDutyAck::workspace() const
{
    Workspace ws;
    ws.name = QStringLiteral("pd-ack");
    ws.simulator = true;
    ws.environments.append(
        {QStringLiteral("prod"), QStringLiteral("Prod"), QStringLiteral("sim:/prod"), {}});
    Endpoint ep;
    ep.id = QStringLiteral("prod.maintenance");
    ep.environment = QStringLiteral("prod");
    ep.path = QStringLiteral("/s004/v1/maintenance/status"); // answers 503: goes down
    ep.intervalMs = 200;
    ep.timeoutMs = 2000;
    ws.endpoints = {ep};
    NotificationChannel pd;
    pd.id = QStringLiteral("oncall");
    pd.kind = QStringLiteral("pagerduty");
    pd.name = pd.id;
    pd.url = QStringLiteral("sim:/_sim/webhook"); // the Events API, played by the inbox
    pd.secretName = QStringLiteral("PD_ROUTING_KEY");
    pd.webhookSecretName = QStringLiteral("PD_WEBHOOK_SECRET");
    NotificationChannel hook;
    hook.id = QStringLiteral("desk");
    hook.kind = QStringLiteral("webhook");
    hook.name = hook.id;
    hook.url = QStringLiteral("sim:/_sim/webhook");
    ws.channels = {pd, hook};
    AlertRule down;
    down.id = QStringLiteral("prod-down");
    down.kind = QStringLiteral("down");
    down.scope = QStringLiteral("*");
    down.count = 2;
    down.groupWindowS = 0;
    down.channels = {pd.id, hook.id};
    ws.alerts = {down};
    return ws;
}

QJsonArray TestPagerDutyAck::inbox(const QUrl &simulator)
{
    QNetworkReply *reply
        = m_nam.get(QNetworkRequest(QUrl(simulator.toString() + QStringLiteral("/_sim/webhook"))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(u"entries").toArray();
}

QByteArray TestPagerDutyAck::sign(const QByteArray &body, const QByteArray &secret)
{
    return "v1="
           + QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray TestPagerDutyAck::acknowledgement(const QString &incidentKey)
{
    QJsonObject data{{QStringLiteral("id"), QStringLiteral("PGR0VU2")},
                     {QStringLiteral("type"), QStringLiteral("incident")},
                     {QStringLiteral("incident_key"), incidentKey},
                     {QStringLiteral("status"), QStringLiteral("acknowledged")}};
    QJsonObject agent{{QStringLiteral("id"), QStringLiteral("PLH1HKV")},
                      {QStringLiteral("summary"), QStringLiteral("Tenex Engineer")},
                      {QStringLiteral("type"), QStringLiteral("user_reference")}};
    QJsonObject event{{QStringLiteral("id"), QStringLiteral("5ac64822")},
                      {QStringLiteral("event_type"), QStringLiteral("incident.acknowledged")},
                      {QStringLiteral("resource_type"), QStringLiteral("incident")},
                      {QStringLiteral("agent"), agent},
                      {QStringLiteral("data"), data}};
    return QJsonDocument(QJsonObject{{QStringLiteral("event"), event}})
        .toJson(QJsonDocument::Compact);
}

std::pair<int, QByteArray> TestPagerDutyAck::post(const QByteArray &body,
                                                  const QByteArray &signature, qint64 length)
{
    // A raw socket: what a webhook sender puts on the wire, byte for byte.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(5000))
        return {0, "no connection"};
    QByteArray request = "POST /pagerduty HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\n";
    if (!signature.isEmpty())
        request += "X-PagerDuty-Signature: " + signature + "\r\n";
    if (length != -2)
        request += "Content-Length: " + QByteArray::number(length == -1 ? body.size() : length)
                   + "\r\n";
    request += "\r\n" + body;
    socket.write(request);
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    answer += socket.readAll();
    const int status = answer.mid(9, 3).toInt();
    const qsizetype bodyStart = answer.indexOf("\r\n\r\n");
    return {status, bodyStart < 0 ? QByteArray() : answer.mid(bodyStart + 4)};
}

void TestPagerDutyAck::acknowledgedInPagerDuty_comesBack()
{
    MonitorSession &session = *m_session;
    const QUrl sim = session.simulator()->baseUrl();
    session.start();

    // The alert fires; PagerDuty's trigger carries the dedup_key it will send back.
    QString dedupKey;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &v : inbox(sim)) {
                const QJsonObject j = v.toObject().value(u"json").toObject();
                if (j.value(u"event_action").toString() == u"trigger")
                    dedupKey = j.value(u"dedup_key").toString();
            }
            return !dedupKey.isEmpty();
        }(),
        20000);
    QVERIFY(session.incidents()->openIncident(QStringLiteral("prod-down"),
                                              QStringLiteral("prod.maintenance")));

    const QByteArray body = acknowledgement(dedupKey);
    const auto [status, text] = post(body, sign(body, HookSecret));
    QCOMPARE(status, 200);
    QCOMPARE(text, QByteArray("acknowledged 1 alert(s)\n"));

    const Incident inc = *session.incidents()->openIncident(QStringLiteral("prod-down"),
                                                            QStringLiteral("prod.maintenance"));
    QCOMPARE(inc.acknowledgedBy, QStringLiteral("Tenex Engineer"));
    QCOMPARE(inc.acknowledgedVia, QStringLiteral("pagerduty"));
    const QList<AlertState> active = session.alerts()->active();
    QCOMPARE(active.size(), 1);
    QVERIFY(active.first().acknowledged);

    // The desk's webhook hears who took it; PagerDuty is not told what it said itself.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &v : inbox(sim)) {
                const QJsonObject j = v.toObject().value(u"json").toObject();
                if (j.value(u"action").toString() == u"acknowledge")
                    return j.value(u"acknowledgedBy").toString() == u"Tenex Engineer (pagerduty)";
            }
            return false;
        }(),
        10000);
    for (const QJsonValue &v : inbox(sim))
        QVERIFY(v.toObject().value(u"json").toObject().value(u"event_action").toString()
                != u"acknowledge");

    // The same delivery again (PagerDuty retries): nothing more to acknowledge.
    const auto again = post(body, sign(body, HookSecret));
    QCOMPARE(again.first, 200);
    QCOMPARE(again.second, QByteArray("acknowledged 0 alert(s)\n"));
}

void TestPagerDutyAck::badDeliveries_areRefused()
{
    // The session is open but not polling: nothing fires, so no key is ours.
    const QByteArray body = acknowledgement(QStringLiteral("hd-unknown"));
    QCOMPARE(post(body, {}).first, 401);
    QCOMPARE(post(body, sign(body, "another secret")).first, 401);
    QCOMPARE(post(body + " ", sign(body, HookSecret)).first, 401); // altered after signing
    const QByteArray garbage = "{\"event\":";
    const auto bad = post(garbage, sign(garbage, HookSecret));
    QCOMPARE(bad.first, 400);
    QVERIFY(bad.second.contains("not valid JSON"));
    QCOMPARE(post(body, sign(body, HookSecret), -2).first, 411);
    // Refused on its announced length, before a byte of the body is read.
    QCOMPARE(post({}, sign(body, HookSecret), MetricsServer::MaxBodyBytes + 1).first, 413);
    // Signed, well-formed, about no alert of ours, or another event type: accepted, ignored.
    const auto none = post(body, sign(body, HookSecret));
    QCOMPARE(none.first, 200);
    QCOMPARE(none.second, QByteArray("no firing alert has this incident key\n"));
    const QByteArray resolved
        = QByteArray(body).replace("incident.acknowledged", "incident.resolved");
    const auto ignored = post(resolved, sign(resolved, HookSecret));
    QCOMPARE(ignored.first, 200);
    QCOMPARE(ignored.second, QByteArray("ignored: incident.resolved\n"));
    // /metrics still answers GET, and only /pagerduty takes a POST.
    QNetworkReply *metrics = m_nam.get(QNetworkRequest(m_exporter->url()));
    QTRY_VERIFY(metrics->isFinished());
    QCOMPARE(metrics->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    metrics->deleteLater();
}

QTEST_GUILESS_MAIN(TestPagerDutyAck)
#include "tst_pagerdutyack.moc"
