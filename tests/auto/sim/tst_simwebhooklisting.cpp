// The console's reading of the simulator inbox's listing (app/sim/simwebhooklisting): every
// channel kind's real body (channelpayload) posted to the real inbox (SimWebhookInbox, no
// network needed) comes back with its action, title and severity; a body that is not a
// notification keeps a one-line title; what is not a listing, too large or too deep is one line
// of error.

#include "channelpayload.h"
#include "simwebhookinbox.h"
#include "simwebhooklisting.h"

#include <QTest>

using namespace hd;

class TestSimWebhookListing : public QObject
{
    Q_OBJECT
private slots:
    void everyKind_actionTitleSeverity();
    void otherBodies_oneBoundedLine();
    void notAListing_oneLineError();

private:
    void post(SimWebhookInbox &inbox, const QByteArray &body, qint64 ms);
    static SimWebhookListing list(SimWebhookInbox &inbox);
};

void TestSimWebhookListing::post(SimWebhookInbox &inbox, const QByteArray &body, qint64 ms)
{
    SimRequest r;
    r.method = "POST";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    QCOMPARE(inbox.handle(r, ms).status, 202);
}

SimWebhookListing TestSimWebhookListing::list(SimWebhookInbox &inbox)
{
    SimRequest r;
    r.method = "GET";
    QString error;
    const auto listing = SimWebhookListing::parse(inbox.handle(r, 0).body, &error);
    if (!listing) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return *listing;
}

void TestSimWebhookListing::everyKind_actionTitleSeverity()
{
    AlertState a;
    a.ruleId = QStringLiteral("prod-down");
    a.kind = QStringLiteral("down");
    a.subject = QStringLiteral("prod.orders.list");
    a.message = QStringLiteral("prod.orders.list: down, 5 failed requests in a row");
    a.firedAtMs = 1795298400000;
    const AlertNotification fired = AlertNotification::from(
        a, AlertNotification::Action::Trigger, QStringLiteral("desk"), a.firedAtMs + 1000);
    AlertNotification remind = fired;
    remind.action = AlertNotification::Action::Remind;
    const AlertNotification test = AlertNotification::test(QStringLiteral("desk"), QString(),
                                                           QStringLiteral("desk"), a.firedAtMs);
    AlertNotification resolved = fired;
    resolved.action = AlertNotification::Action::Resolve;
    resolved.resolvedAtMs = a.firedAtMs + 60000;

    SimWebhookInbox inbox;
    post(inbox, channelpayload::webhook(fired), 1);
    post(inbox, channelpayload::slack(remind), 2);
    post(inbox, channelpayload::teams(test), 3);
    post(inbox, channelpayload::pagerDuty(fired, QStringLiteral("ROUTINGKEY")), 4);
    post(inbox, channelpayload::pagerDuty(resolved, QStringLiteral("ROUTINGKEY")), 5);
    const SimWebhookListing l = list(inbox);
    QCOMPARE(l.received, 5);
    QCOMPARE(l.messages.size(), 5);
    const SimWebhookMessage &hook = l.messages.at(0);
    QCOMPARE(hook.shape, QStringLiteral("webhook"));
    QCOMPARE(hook.timeMs, 1);
    QCOMPARE(hook.action, QStringLiteral("trigger"));
    QCOMPARE(hook.title,
             QStringLiteral("FIRING: prod.orders.list: down, 5 failed requests in a row"));
    QCOMPARE(hook.severity, QStringLiteral("critical"));
    QVERIFY(hook.bytes > 100);
    const SimWebhookMessage &slack = l.messages.at(1);
    QCOMPARE(slack.shape, QStringLiteral("slack"));
    QCOMPARE(slack.action, QStringLiteral("remind"));
    QVERIFY(slack.title.startsWith(QStringLiteral("STILL FIRING: prod.orders.list")));
    QCOMPARE(slack.severity, QStringLiteral("critical"));
    const SimWebhookMessage &teams = l.messages.at(2);
    QCOMPARE(teams.shape, QStringLiteral("teams"));
    QCOMPARE(teams.action, QStringLiteral("test"));
    QCOMPARE(teams.title, QStringLiteral("TEST: HealthDeck test notification to channel desk"));
    QCOMPARE(teams.severity, QStringLiteral("info"));
    const SimWebhookMessage &pd = l.messages.at(3);
    QCOMPARE(pd.shape, QStringLiteral("pagerduty"));
    QCOMPARE(pd.action, QStringLiteral("trigger"));
    QCOMPARE(pd.title, QStringLiteral("prod.orders.list: down, 5 failed requests in a row"));
    QCOMPARE(pd.severity, QStringLiteral("critical"));
    // A resolve has no payload: its dedup key stands for the title, never the routing key.
    const SimWebhookMessage &pdResolve = l.messages.at(4);
    QCOMPARE(pdResolve.action, QStringLiteral("resolve"));
    QCOMPARE(pdResolve.title, fired.dedupKey);
}

void TestSimWebhookListing::otherBodies_oneBoundedLine()
{
    SimWebhookInbox inbox;
    post(inbox, "{\"text\":\"line one\\nline two\"}", 1);
    post(inbox, "not json at all\r\nX-Injected: yes", 2);
    post(inbox, QByteArray("{\"title\":\"") + QByteArray(5000, 'x') + "\"}", 3);
    const SimWebhookListing l = list(inbox);
    QCOMPARE(l.messages.size(), 3);
    QCOMPARE(l.messages.at(0).shape, QStringLiteral("json"));
    QCOMPARE(l.messages.at(0).title, QStringLiteral("line one line two"));
    QCOMPARE(l.messages.at(0).action, QString());
    QCOMPARE(l.messages.at(1).shape, QStringLiteral("text"));
    QCOMPARE(l.messages.at(1).title, QStringLiteral("not json at all X-Injected: yes"));
    QCOMPARE(l.messages.at(2).title.size(), SimWebhookListing::MaxTextChars);
    QVERIFY(l.messages.at(2).title.endsWith(u'…'));
}

void TestSimWebhookListing::notAListing_oneLineError()
{
    QString error;
    QVERIFY(!SimWebhookListing::parse("{\"entries\":{}}", &error));
    QVERIFY2(error.startsWith(QStringLiteral("inbox listing: no \"entries\" list")),
             qPrintable(error));
    QVERIFY(!SimWebhookListing::parse("{\"entries\":[", &error));
    QVERIFY(error.startsWith(QStringLiteral("inbox listing: ")));
    QVERIFY(!error.contains(u'\n'));
    const QByteArray deep
        = QByteArray("{\"entries\":[") + QByteArray(200, '[') + QByteArray(200, ']') + "]}";
    QVERIFY(!SimWebhookListing::parse(deep, &error));
    QVERIFY2(error.contains(QStringLiteral("nested deeper than 128")), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
    const auto empty
        = SimWebhookListing::parse("{\"received\":0,\"kept\":0,\"entries\":[]}", &error);
    QVERIFY(empty && empty->messages.isEmpty());
    QVERIFY(error.isEmpty());
}

QTEST_MAIN(TestSimWebhookListing)
#include "tst_simwebhooklisting.moc"
