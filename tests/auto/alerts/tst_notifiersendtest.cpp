// Notifier::sendTest — the console's "Send test" button — against the built-in simulator's inbox
// (/_sim/webhook) on loopback: every channel kind gets a message marked as a test in its own
// vendor's shape (webhook action "test", "TEST: …" titles, severity info), whatever the alert
// rules route; PagerDuty's test trigger is resolved right after with the same dedup_key; a
// missing secret and an unknown channel are reported; the e-mail form says it is a test.

#include "channelpayload.h"
#include "clock.h"
#include "notifier.h"
#include "simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestNotifierSendTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void sendTest_everyHttpKindMarkedAsTest_evenWithoutARule();
    void sendTest_pagerDutyTriggerIsResolvedAtOnce();
    void sendTest_missingSecretAndUnknownChannelReported();
    void testEmail_subjectAndHeadersSayTest();

private:
    QJsonArray inbox();
    NotificationChannel channel(const char *id, const char *kind,
                                const QString &secretName = {}) const;

    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    ManualClock m_clock;
    QHash<QString, QString> m_secrets;
};

void TestNotifierSendTest::initTestCase()
{
    SimConfig config;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY(m_sim->start(0) != 0);
}

void TestNotifierSendTest::init()
{
    QNetworkReply *reply = m_nam.sendCustomRequest(
        QNetworkRequest(QUrl(m_sim->baseUrl().toString() + QStringLiteral("/_sim/webhook"))),
        "DELETE");
    QTRY_VERIFY(reply->isFinished());
    reply->deleteLater();
    m_secrets.clear();
}

QJsonArray TestNotifierSendTest::inbox()
{
    QNetworkReply *reply = m_nam.get(
        QNetworkRequest(QUrl(m_sim->baseUrl().toString() + QStringLiteral("/_sim/webhook"))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(u"entries").toArray();
}

NotificationChannel TestNotifierSendTest::channel(const char *id, const char *kind,
                                                  const QString &secretName) const
{
    NotificationChannel c;
    c.id = QLatin1String(id);
    c.kind = QLatin1String(kind);
    c.name = QStringLiteral("Desk ") + c.id;
    c.url = QStringLiteral("sim:/_sim/webhook");
    c.secretName = secretName;
    return c;
}

void TestNotifierSendTest::sendTest_everyHttpKindMarkedAsTest_evenWithoutARule()
{
    Notifier n(m_clock, [](const QString &) { return std::optional<QString>(); });
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    Workspace ws;
    ws.name = QStringLiteral("desk");
    // No alert rule names these channels: a test goes to the channel it is asked for.
    ws.channels
        = {channel("hook", "webhook"), channel("slack", "slack"), channel("teams", "teams")};
    n.setWorkspace(ws, ws.name);
    QSignalSpy delivered(&n, &Notifier::delivered);
    QSignalSpy failed(&n, &Notifier::deliveryFailed);
    for (const char *id : {"hook", "slack", "teams"})
        QCOMPARE(n.sendTest(QLatin1String(id)), QString());
    QTRY_COMPARE(delivered.size(), 3);
    QCOMPARE(failed.size(), 0);

    const QJsonArray entries = inbox();
    QCOMPARE(entries.size(), 3);
    QHash<QString, QJsonObject> byKind;
    for (const QJsonValue &v : entries) {
        const QJsonObject j = v.toObject().value(u"json").toObject();
        byKind.insert(j.contains(u"schema")   ? QStringLiteral("webhook")
                      : j.contains(u"blocks") ? QStringLiteral("slack")
                                              : QStringLiteral("teams"),
                      j);
    }
    const QJsonObject hook = byKind.value(QStringLiteral("webhook"));
    QCOMPARE(hook.value(u"schema").toString(), QStringLiteral("healthdeck.notification/1"));
    QCOMPARE(hook.value(u"action").toString(), QStringLiteral("test"));
    QCOMPARE(hook.value(u"kind").toString(), QStringLiteral("test"));
    QCOMPARE(hook.value(u"rule").toString(), QString());
    QCOMPARE(hook.value(u"severity").toString(), QStringLiteral("info"));
    QCOMPARE(hook.value(u"subject").toString(), QStringLiteral("channel hook"));
    QCOMPARE(hook.value(u"title").toString(),
             QStringLiteral("TEST: HealthDeck test notification to channel hook (Desk hook)"));
    QVERIFY(hook.value(u"dedupKey").toString().startsWith(QStringLiteral("healthdeck-test-")));
    QVERIFY(hook.value(u"advice").toString().startsWith(QStringLiteral("Nothing is wrong")));
    QVERIFY(hook.value(u"sentAt").toString().endsWith(u'Z'));
    QVERIFY(!hook.contains(u"resolvedAt"));

    const QJsonObject slack = byKind.value(QStringLiteral("slack"));
    QVERIFY(slack.value(u"text").toString().startsWith(QStringLiteral("TEST: ")));
    const QJsonArray blocks = slack.value(u"blocks").toArray();
    QCOMPARE(blocks.first().toObject().value(u"type").toString(), QStringLiteral("header"));
    const QJsonArray fields = blocks.at(1).toObject().value(u"fields").toArray();
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields.at(1).toObject().value(u"text").toString(), QStringLiteral("*Alert*\ntest"));
    QVERIFY(fields.at(3).toObject().value(u"text").toString().contains(QStringLiteral("sent ")));
    QCOMPARE(blocks.last().toObject().value(u"type").toString(), QStringLiteral("context"));

    const QJsonObject card = byKind.value(QStringLiteral("teams"))
                                 .value(u"attachments")
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(u"content")
                                 .toObject();
    QCOMPARE(card.value(u"type").toString(), QStringLiteral("AdaptiveCard"));
    const QJsonObject heading = card.value(u"body").toArray().first().toObject();
    QVERIFY(heading.value(u"text").toString().startsWith(QStringLiteral("TEST: ")));
    QCOMPARE(heading.value(u"color").toString(), QStringLiteral("Accent"));
    QCOMPARE(card.value(u"body").toArray().at(1).toObject().value(u"type").toString(),
             QStringLiteral("FactSet"));

    QCOMPARE(n.recentDeliveries().size(), 3);
    for (const Notifier::Delivery &d : n.recentDeliveries()) {
        QCOMPARE(d.notification.action, AlertNotification::Action::Test);
        QCOMPARE(d.attempts, 1);
        QCOMPARE(d.status, 202);
    }
}

void TestNotifierSendTest::sendTest_pagerDutyTriggerIsResolvedAtOnce()
{
    m_secrets.insert(QStringLiteral("PD_KEY"), QStringLiteral("R0UT1NGKEY0000000000000000000000"));
    Notifier n(m_clock,
               [this](const QString &name) { return std::optional(m_secrets.value(name)); });
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    Workspace ws;
    ws.name = QStringLiteral("desk");
    ws.channels = {channel("pd", "pagerduty", QStringLiteral("PD_KEY"))};
    n.setWorkspace(ws, ws.name);
    QSignalSpy delivered(&n, &Notifier::delivered);
    QCOMPARE(n.sendTest(QStringLiteral("pd")), QString());
    QTRY_COMPARE(delivered.size(), 2);

    const QJsonArray entries = inbox();
    QCOMPARE(entries.size(), 2);
    const QJsonObject trigger = entries.at(0).toObject().value(u"json").toObject();
    const QJsonObject resolve = entries.at(1).toObject().value(u"json").toObject();
    QCOMPARE(trigger.value(u"event_action").toString(), QStringLiteral("trigger"));
    QCOMPARE(trigger.value(u"routing_key").toString(),
             QStringLiteral("R0UT1NGKEY0000000000000000000000"));
    const QJsonObject payload = trigger.value(u"payload").toObject();
    QCOMPARE(payload.value(u"severity").toString(), QStringLiteral("info"));
    QCOMPARE(payload.value(u"class").toString(), QStringLiteral("test"));
    QVERIFY(payload.value(u"summary").toString().contains(QStringLiteral("test notification")));
    QVERIFY(!payload.value(u"source").toString().isEmpty());
    QCOMPARE(resolve.value(u"event_action").toString(), QStringLiteral("resolve"));
    QCOMPARE(resolve.value(u"dedup_key").toString(), trigger.value(u"dedup_key").toString());
    QVERIFY(trigger.value(u"dedup_key").toString().startsWith(QStringLiteral("healthdeck-test-")));

    QCOMPARE(n.recentDeliveries().size(), 2);
    QCOMPARE(n.recentDeliveries().at(0).notification.action, AlertNotification::Action::Test);
    QCOMPARE(n.recentDeliveries().at(1).notification.action, AlertNotification::Action::Resolve);
}

void TestNotifierSendTest::sendTest_missingSecretAndUnknownChannelReported()
{
    Notifier n(m_clock, [](const QString &) { return std::optional<QString>(); });
    n.setSimulatorBaseUrl(m_sim->baseUrl().toString());
    Workspace ws;
    ws.name = QStringLiteral("desk");
    NotificationChannel slack = channel("desk-slack", "slack", QStringLiteral("DESK_SLACK"));
    slack.url.clear(); // the address is the secret
    ws.channels = {slack};
    n.setWorkspace(ws, ws.name);
    QSignalSpy failed(&n, &Notifier::deliveryFailed);

    QCOMPARE(n.sendTest(QStringLiteral("nowhere")),
             QStringLiteral("no channel nowhere in this workspace"));
    QCOMPARE(failed.size(), 0);

    QCOMPARE(n.sendTest(QStringLiteral("desk-slack")), QString());
    QTRY_COMPARE(failed.size(), 1);
    const auto d = failed.at(0).at(0).value<Notifier::Delivery>();
    QCOMPARE(d.channel, QStringLiteral("desk-slack"));
    QCOMPARE(d.notification.action, AlertNotification::Action::Test);
    QVERIFY2(d.error.startsWith(QStringLiteral("secret DESK_SLACK is not stored")),
             qPrintable(d.error));
    QCOMPARE(inbox().size(), 0);
}

void TestNotifierSendTest::testEmail_subjectAndHeadersSayTest()
{
    const AlertNotification n
        = AlertNotification::test(QStringLiteral("desk-mail"), QStringLiteral("Desk mail"),
                                  QStringLiteral("desk"), 1795298400000);
    const QByteArray m = channelpayload::email(n, QStringLiteral("healthdeck@example.com"),
                                               {QStringLiteral("desk@example.com")});
    const qsizetype split = m.indexOf("\r\n\r\n");
    QVERIFY(split > 0);
    const QByteArray headers = m.left(split);
    QVERIFY2(headers.contains("Subject: [HealthDeck] TEST: HealthDeck test notification to "
                              "channel desk-mail (Desk mail)"),
             headers.constData());
    QVERIFY(QByteArray(headers + "\r\n").contains("X-HealthDeck-Action: test\r\n"));
    QVERIFY(headers.contains("X-HealthDeck-Dedup-Key: healthdeck-test-"));
    const QString body = QString::fromUtf8(QByteArray::fromBase64(m.mid(split + 4)));
    QVERIFY2(body.contains(QStringLiteral("Test:")), qPrintable(body));
    QVERIFY(body.contains(QStringLiteral("Nothing is wrong")));
    // A test is about no alert: no verdict, no rule, no "since".
    QVERIFY(!body.contains(QStringLiteral("What failed")));
    QVERIFY(!body.contains(QStringLiteral("Verdict")));
    QVERIFY(!body.contains(QStringLiteral("Rule:")));
}

QTEST_MAIN(TestNotifierSendTest)
#include "tst_notifiersendtest.moc"
