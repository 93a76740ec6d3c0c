// Notification channels against the built-in simulator's inbox (/_sim/webhook) on loopback:
// every channel kind's body as its vendor documents it, the same PagerDuty dedup_key from
// trigger to resolve, reminders on the injected clock until acknowledged, retries of a failing
// receiver, and failures that never quote a channel's address (its secret).

#include "channelpayload.h"
#include "clock.h"
#include "notifier.h"
#include "simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestNotifier : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void everyKind_bodyAsTheVendorDocumentsIt();
    void resolve_sameDedupKeyAndResolvedWording();
    void reminders_onTheClockUntilAcknowledged();
    void acknowledge_tellsWhoTookItAndPagerDutyAcknowledges();
    void reminders_waitForTheEndOfAMaintenanceWindow();
    void failingReceiver_retriedThenReported();
    void secretAddress_neverInAFailure();
    void missingSecret_saysWhichOne();

private:
    QJsonArray inbox();
    void request(const QByteArray &method, const QString &path);
    Workspace workspace(const QList<NotificationChannel> &channels, int remindEveryS = 0) const;
    AlertState downAlert() const;
    // A notifier on the simulator's inbox with a PagerDuty channel "pd" (routing key PD_KEY
    // stored), a webhook "hook" and these, all routed by the rule.
    std::unique_ptr<Notifier> pagerDutyAndInbox(const QList<NotificationChannel> &more,
                                                int remindEveryS = 0);

    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    ManualClock m_clock;
    QHash<QString, QString> m_secrets;
};

void TestNotifier::initTestCase()
{
    SimConfig config;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY(m_sim->start(0) != 0);
}

void TestNotifier::init()
{
    request("DELETE", QStringLiteral("/_sim/webhook"));
    m_secrets.clear();
}

void TestNotifier::request(const QByteArray &method, const QString &path)
{
    QNetworkRequest r(QUrl(m_sim->baseUrl().toString() + path));
    QNetworkReply *reply = m_nam.sendCustomRequest(r, method);
    QTRY_VERIFY(reply->isFinished());
    reply->deleteLater();
}

QJsonArray TestNotifier::inbox()
{
    QNetworkReply *reply = m_nam.get(
        QNetworkRequest(QUrl(m_sim->baseUrl().toString() + QStringLiteral("/_sim/webhook"))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(u"entries").toArray();
}

Workspace TestNotifier::workspace(const QList<NotificationChannel> &channels,
                                  int remindEveryS) const
{
    Workspace ws;
    ws.name = QStringLiteral("desk");
    ws.channels = channels;
    AlertRule rule;
    rule.id = QStringLiteral("prod-down");
    rule.kind = QStringLiteral("down");
    rule.scope = QStringLiteral("prod");
    rule.remindEveryS = remindEveryS;
    for (const NotificationChannel &c : channels)
        rule.channels.append(c.id);
    ws.alerts = {rule};
    return ws;
}

AlertState TestNotifier::downAlert() const
{
    AlertState a;
    a.ruleId = QStringLiteral("prod-down");
    a.kind = QStringLiteral("down");
    a.subject = QStringLiteral("prod.orders.list");
    a.message = QStringLiteral("prod.orders.list: down, 5 failed requests in a row");
    a.value = 5;
    a.firedAtMs = m_clock.nowMs();
    return a;
}

static NotificationChannel channel(const char *id, const char *kind, const QString &url,
                                   const QString &secretName = {})
{
    NotificationChannel c;
    c.id = QLatin1String(id);
    c.kind = QLatin1String(kind);
    c.name = c.id;
    c.url = url;
    c.secretName = secretName;
    return c;
}

std::unique_ptr<Notifier> TestNotifier::pagerDutyAndInbox(const QList<NotificationChannel> &more,
                                                          int remindEveryS)
{
    m_secrets.insert(QStringLiteral("PD_KEY"), QStringLiteral("R0UT1NGKEY0000000000000000000000"));
    auto n = std::make_unique<Notifier>(
        m_clock, [this](const QString &name) { return std::optional(m_secrets.value(name)); });
    n->setSimulatorBaseUrl(m_sim->baseUrl().toString());
    QList<NotificationChannel> channels{
        channel("pd", "pagerduty", QStringLiteral("sim:/_sim/webhook"), QStringLiteral("PD_KEY")),
        channel("hook", "webhook", QStringLiteral("sim:/_sim/webhook"))};
    channels += more;
    n->setWorkspace(workspace(channels, remindEveryS), QStringLiteral("desk"));
    return n;
}

void TestNotifier::everyKind_bodyAsTheVendorDocumentsIt()
{
    m_secrets.insert(QStringLiteral("PD_KEY"), QStringLiteral("R0UT1NGKEY0000000000000000000000"));
    Notifier n(m_clock,
               [this](const QString &name) { return std::optional(m_secrets.value(name)); });
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    const QString inboxUrl = QStringLiteral("sim:/_sim/webhook");
    n.setWorkspace(
        workspace({channel("hook", "webhook", inboxUrl), channel("slack", "slack", inboxUrl),
                   channel("teams", "teams", inboxUrl),
                   channel("pd", "pagerduty", inboxUrl, QStringLiteral("PD_KEY"))}),
        QStringLiteral("desk"));
    QSignalSpy delivered(&n, &Notifier::delivered);
    n.alertFired(downAlert());
    QTRY_COMPARE(delivered.size(), 4);
    const QJsonArray entries = inbox();
    QCOMPARE(entries.size(), 4);
    QHash<QString, QJsonObject> byKind;
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        QCOMPARE(e.value(u"contentType").toString(), QStringLiteral("application/json"));
        const QJsonObject j = e.value(u"json").toObject();
        QVERIFY2(!j.isEmpty(), "every body is a JSON object");
        const QString kind = j.contains(u"schema")        ? QStringLiteral("webhook")
                             : j.contains(u"blocks")      ? QStringLiteral("slack")
                             : j.contains(u"attachments") ? QStringLiteral("teams")
                             : j.contains(u"routing_key") ? QStringLiteral("pagerduty")
                                                          : QString();
        QVERIFY2(!kind.isEmpty(), QJsonDocument(j).toJson().constData());
        byKind.insert(kind, j);
    }
    // HealthDeck's own schema.
    const QJsonObject hook = byKind.value(QStringLiteral("webhook"));
    QCOMPARE(hook.value(u"schema").toString(), QStringLiteral("healthdeck.notification/1"));
    QCOMPARE(hook.value(u"action").toString(), QStringLiteral("trigger"));
    QCOMPARE(hook.value(u"severity").toString(), QStringLiteral("critical"));
    QCOMPARE(hook.value(u"subject").toString(), QStringLiteral("prod.orders.list"));
    QCOMPARE(hook.value(u"title").toString(),
             QStringLiteral("FIRING: prod.orders.list: down, 5 failed requests in a row"));
    QVERIFY(hook.value(u"advice").toString().contains(QStringLiteral("status page")));
    QVERIFY(hook.value(u"firedAt").toString().endsWith(u'Z'));
    // Slack: fallback text, Block Kit header + section fields + context.
    const QJsonObject slack = byKind.value(QStringLiteral("slack"));
    QVERIFY(slack.value(u"text").toString().startsWith(QStringLiteral("FIRING: ")));
    const QJsonArray blocks = slack.value(u"blocks").toArray();
    QCOMPARE(blocks.first().toObject().value(u"type").toString(), QStringLiteral("header"));
    QCOMPARE(blocks.first().toObject().value(u"text").toObject().value(u"type").toString(),
             QStringLiteral("plain_text"));
    QCOMPARE(blocks.at(1).toObject().value(u"fields").toArray().size(), 4);
    for (const QJsonValue &f : blocks.at(1).toObject().value(u"fields").toArray())
        QCOMPARE(f.toObject().value(u"type").toString(), QStringLiteral("mrkdwn"));
    QCOMPARE(blocks.last().toObject().value(u"type").toString(), QStringLiteral("context"));
    // Teams Workflows: a message with one Adaptive Card attachment.
    const QJsonObject teams = byKind.value(QStringLiteral("teams"));
    QCOMPARE(teams.value(u"type").toString(), QStringLiteral("message"));
    const QJsonObject attachment = teams.value(u"attachments").toArray().first().toObject();
    QCOMPARE(attachment.value(u"contentType").toString(),
             QStringLiteral("application/vnd.microsoft.card.adaptive"));
    const QJsonObject card = attachment.value(u"content").toObject();
    QCOMPARE(card.value(u"type").toString(), QStringLiteral("AdaptiveCard"));
    QCOMPARE(card.value(u"version").toString(), QStringLiteral("1.4"));
    QCOMPARE(card.value(u"body").toArray().at(1).toObject().value(u"type").toString(),
             QStringLiteral("FactSet"));
    // PagerDuty Events API v2.
    const QJsonObject pd = byKind.value(QStringLiteral("pagerduty"));
    QCOMPARE(pd.value(u"routing_key").toString(),
             QStringLiteral("R0UT1NGKEY0000000000000000000000"));
    QCOMPARE(pd.value(u"event_action").toString(), QStringLiteral("trigger"));
    QVERIFY(pd.value(u"dedup_key").toString().startsWith(QStringLiteral("healthdeck-")));
    const QJsonObject payload = pd.value(u"payload").toObject();
    for (const char *required : {"summary", "source", "severity"})
        QVERIFY2(!payload.value(QLatin1String(required)).toString().isEmpty(), required);
    QVERIFY(QStringList({QStringLiteral("critical"), QStringLiteral("error"),
                         QStringLiteral("warning"), QStringLiteral("info")})
                .contains(payload.value(u"severity").toString()));
    QCOMPARE(n.recentDeliveries().size(), 4);
}

void TestNotifier::resolve_sameDedupKeyAndResolvedWording()
{
    const auto notifier = pagerDutyAndInbox({});
    Notifier &n = *notifier;
    QSignalSpy delivered(&n, &Notifier::delivered);
    AlertState a = downAlert();
    n.alertFired(a);
    QTRY_COMPARE(delivered.size(), 2);
    m_clock.advance(3 * 3600 * 1000 + 5 * 60 * 1000);
    a.resolvedAtMs = m_clock.nowMs();
    n.alertResolved(a);
    QTRY_COMPARE(delivered.size(), 4);
    QStringList pdKeys;
    QString resolvedTitle;
    for (const QJsonValue &v : inbox()) {
        const QJsonObject j = v.toObject().value(u"json").toObject();
        if (j.contains(u"routing_key")) {
            pdKeys << j.value(u"dedup_key").toString();
            if (j.value(u"event_action").toString() == u"resolve")
                QVERIFY2(!j.contains(u"payload"), "a resolve event carries no payload");
        } else if (j.value(u"action").toString() == u"resolve") {
            resolvedTitle = j.value(u"title").toString();
            QCOMPARE(j.value(u"resolvedAt").toString().isEmpty(), false);
        }
    }
    QCOMPARE(pdKeys.size(), 2);
    QCOMPARE(pdKeys.at(0), pdKeys.at(1));
    QVERIFY(resolvedTitle.startsWith(QStringLiteral("RESOLVED: prod.orders.list")));
    QCOMPARE(n.recentDeliveries().last().notification.durationText(),
             QStringLiteral("resolved after 3 h 5 min"));
}

void TestNotifier::reminders_onTheClockUntilAcknowledged()
{
    Notifier n(m_clock, {});
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    n.setWorkspace(
        workspace({channel("hook", "webhook", QStringLiteral("sim:/_sim/webhook"))}, 600),
        QStringLiteral("desk"));
    QSignalSpy delivered(&n, &Notifier::delivered);
    n.alertFired(downAlert());
    QTRY_COMPARE(delivered.size(), 1);
    m_clock.advance(599 * 1000);
    n.tick();
    m_clock.advance(1000);
    n.tick(); // 600 s after firing: one reminder
    QTRY_COMPARE(delivered.size(), 2);
    QCOMPARE(delivered.last().first().value<Notifier::Delivery>().notification.action,
             AlertNotification::Action::Remind);
    n.tick(); // not again at the same time
    m_clock.advance(600 * 1000);
    n.tick();
    QTRY_COMPARE(delivered.size(), 3);
    n.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders.list"));
    m_clock.advance(3600 * 1000);
    n.tick();
    QTest::qWait(100);
    QCOMPARE(delivered.size(), 3);
    const QJsonArray entries = inbox();
    QCOMPARE(entries.size(), 3);
    QVERIFY(
        entries.at(1).toObject().value(u"json").toObject().value(u"title").toString().startsWith(
            QStringLiteral("STILL FIRING: ")));
}

void TestNotifier::acknowledge_tellsWhoTookItAndPagerDutyAcknowledges()
{
    const auto notifier
        = pagerDutyAndInbox({channel("chat", "slack", QStringLiteral("sim:/_sim/webhook"))}, 600);
    Notifier &n = *notifier;
    QSignalSpy delivered(&n, &Notifier::delivered);
    n.alertFired(downAlert());
    QTRY_COMPARE(delivered.size(), 3);
    m_clock.advance(120 * 1000);
    n.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders.list"),
                  QStringLiteral("alice (console)"));
    QTRY_COMPARE(delivered.size(), 6);
    n.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders.list"),
                  QStringLiteral("bob (console)")); // taken already: nothing more
    m_clock.advance(3600 * 1000);
    n.tick(); // and no reminders
    QTest::qWait(100);
    QCOMPARE(delivered.size(), 6);

    QStringList pdActions;
    QSet<QString> pdKeys;
    bool webhookSeen = false;
    bool slackSeen = false;
    for (const QJsonValue &v : inbox()) {
        const QJsonObject j = v.toObject().value(u"json").toObject();
        if (j.contains(u"routing_key")) {
            pdActions << j.value(u"event_action").toString();
            pdKeys.insert(j.value(u"dedup_key").toString());
            if (j.value(u"event_action").toString() == u"acknowledge")
                QVERIFY2(!j.contains(u"payload"), "an acknowledge event carries only its key");
        } else if (j.value(u"action").toString() == u"acknowledge") {
            webhookSeen = true;
            QCOMPARE(j.value(u"acknowledgedBy").toString(), QStringLiteral("alice (console)"));
            QCOMPARE(j.value(u"title").toString(),
                     QStringLiteral("ACKNOWLEDGED by alice (console): prod.orders.list: down, 5 "
                                    "failed requests in a row"));
        } else if (j.value(u"text").toString().startsWith(QStringLiteral("ACKNOWLEDGED by "))) {
            slackSeen = true;
        }
    }
    QCOMPARE(pdActions, (QStringList{QStringLiteral("trigger"), QStringLiteral("acknowledge")}));
    QCOMPARE(pdKeys.size(), 1); // the trigger's incident is the one acknowledged
    QVERIFY(webhookSeen);
    QVERIFY(slackSeen);
}

void TestNotifier::reminders_waitForTheEndOfAMaintenanceWindow()
{
    Notifier n(m_clock, {});
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    n.setWorkspace(
        workspace({channel("hook", "webhook", QStringLiteral("sim:/_sim/webhook"))}, 600),
        QStringLiteral("desk"));
    bool inWindow = false;
    QStringList asked;
    n.setWindowCheck([&](const QString &subject) {
        asked << subject;
        return inWindow;
    });
    QSignalSpy delivered(&n, &Notifier::delivered);
    n.alertFired(downAlert());
    QTRY_COMPARE(delivered.size(), 1);
    inWindow = true; // the desk's maintenance window starts while the alert fires
    for (int i = 0; i < 6; ++i) {
        m_clock.advance(600 * 1000);
        n.tick();
    }
    QTest::qWait(100);
    QCOMPARE(delivered.size(), 1); // an hour of due reminders, all held
    QVERIFY(asked.contains(QStringLiteral("prod.orders.list")));
    inWindow = false;
    m_clock.advance(15 * 1000);
    n.tick(); // the first check after the window: one reminder, not six
    QTRY_COMPARE(delivered.size(), 2);
    QCOMPARE(delivered.last().first().value<Notifier::Delivery>().notification.action,
             AlertNotification::Action::Remind);
    n.tick();
    QTest::qWait(100);
    QCOMPARE(delivered.size(), 2);
}

void TestNotifier::failingReceiver_retriedThenReported()
{
    Notifier n(m_clock, {});
    n.setRetryDelaysMs(20, 40);
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    n.setWorkspace(workspace({channel("hook", "webhook", QStringLiteral("sim:/_sim/webhook"))}),
                   QStringLiteral("desk"));
    QSignalSpy delivered(&n, &Notifier::delivered);
    QSignalSpy failed(&n, &Notifier::deliveryFailed);
    request("POST", QStringLiteral("/_sim/webhook?fail=1"));
    n.alertFired(downAlert());
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(delivered.first().first().value<Notifier::Delivery>().attempts, 2);
    QCOMPARE(inbox().size(), 1);

    request("POST", QStringLiteral("/_sim/webhook?fail=5"));
    AlertState again = downAlert();
    again.subject = QStringLiteral("prod.orders.place");
    n.alertFired(again);
    QTRY_COMPARE(failed.size(), 1);
    const auto d = failed.first().first().value<Notifier::Delivery>();
    QCOMPARE(d.attempts, Notifier::MaxAttempts);
    QCOMPARE(d.status, 503);
    QCOMPARE(d.error, QStringLiteral("HTTP 503"));
    QCOMPARE(n.pending(), 0);
}

void TestNotifier::secretAddress_neverInAFailure()
{
    // The webhook's address is its secret: a receiver answering 404 is reported by status only.
    const QString secretUrl = m_sim->baseUrl().toString()
                              + QStringLiteral("/_sim/no-such-inbox/T0SECRET/B0SECRET/XYZSECRET");
    m_secrets.insert(QStringLiteral("SLACK_URL"), secretUrl);
    Notifier n(m_clock,
               [this](const QString &name) { return std::optional(m_secrets.value(name)); });
    n.setWorkspace(workspace({channel("slack", "slack", {}, QStringLiteral("SLACK_URL"))}),
                   QStringLiteral("desk"));
    QSignalSpy failed(&n, &Notifier::deliveryFailed);
    n.alertFired(downAlert());
    QTRY_COMPARE(failed.size(), 1);
    const auto d = failed.first().first().value<Notifier::Delivery>();
    QVERIFY2(d.error.startsWith(QStringLiteral("HTTP 4")), qPrintable(d.error));
    QVERIFY(!d.error.contains(QStringLiteral("SECRET")));
    QCOMPARE(d.attempts, 1); // a 4xx is not retried

    // A dead receiver: the network error, not Qt's text (which would quote the URL).
    m_secrets.insert(QStringLiteral("SLACK_URL"),
                     QStringLiteral("http://127.0.0.1:1/services/T0SECRET/B0SECRET/XYZSECRET"));
    n.setRetryDelaysMs(10, 10);
    AlertState again = downAlert();
    again.subject = QStringLiteral("other");
    n.alertFired(again);
    QTRY_COMPARE(failed.size(), 2);
    const auto dead = failed.last().first().value<Notifier::Delivery>();
    QCOMPARE(dead.error, QStringLiteral("connection refused"));
    QCOMPARE(dead.attempts, Notifier::MaxAttempts);
}

void TestNotifier::missingSecret_saysWhichOne()
{
    Notifier n(m_clock, [](const QString &) { return std::optional<QString>(); });
    n.setWorkspace(workspace({channel("pd", "pagerduty", {}, QStringLiteral("PD_ROUTING_KEY"))}),
                   QStringLiteral("desk"));
    QSignalSpy failed(&n, &Notifier::deliveryFailed);
    n.alertFired(downAlert());
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().value<Notifier::Delivery>().error,
             QStringLiteral("secret PD_ROUTING_KEY is not stored (keychain or "
                            "HDECK_SECRET_PD_ROUTING_KEY)"));
}

QTEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
