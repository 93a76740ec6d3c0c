// Noise control in the Notifier, on the injected clock, delivered to the simulator's inbox on
// loopback: endpoints of one host that go down within the grouping window make one message that
// lists them, and one resolve when the last of them resolves; a member that joins later is part
// of the same incident; grouping by environment, and no grouping; an alert that fires and
// resolves too often is said to flap once, then nothing until it is stable, then its state.

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

class TestNotifierNoise : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void grouping_oneHostOneMessageListingThem();
    void grouping_lateMemberJoinsTheIncident();
    void grouping_remindersAreForTheIncident();
    void grouping_byEnvironmentAndOff();
    void grouping_resolvedInsideTheWindow_notTold();
    void flapping_saidOnceThenSilentThenStillFiring();
    void flapping_settlesResolved();
    void flapping_slowFiringsAreNotFlaps();

private:
    Workspace workspace(const QString &groupBy, int groupWindowS, int flapCount) const;
    AlertState down(const QString &endpoint) const;
    QJsonArray inbox();
    std::unique_ptr<Notifier> notifier(const Workspace &ws);
    static QList<AlertNotification> told(const Notifier &n);

    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    ManualClock m_clock;
};

void TestNotifierNoise::initTestCase()
{
    SimConfig config;
    config.backgroundErrorRate = 0;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY(m_sim->start(0) != 0);
}

void TestNotifierNoise::init()
{
    QNetworkRequest r(QUrl(m_sim->baseUrl().toString() + QStringLiteral("/_sim/webhook")));
    QNetworkReply *reply = m_nam.sendCustomRequest(r, "DELETE");
    QTRY_VERIFY(reply->isFinished());
    reply->deleteLater();
}

QJsonArray TestNotifierNoise::inbox()
{
    QNetworkReply *reply = m_nam.get(
        QNetworkRequest(QUrl(m_sim->baseUrl().toString() + QStringLiteral("/_sim/webhook"))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(u"entries").toArray();
}

// Two environments on one host (prod and prod-eu), one on another (uat); the hosts are only
// names here: nothing is requested from them.
Workspace TestNotifierNoise::workspace(const QString &groupBy, int groupWindowS,
                                       int flapCount) const
{
    Workspace ws;
    ws.name = QStringLiteral("desk");
    Environment prod;
    prod.id = QStringLiteral("prod");
    prod.baseUrl = QStringLiteral("https://api.broker.test");
    Environment prodEu = prod;
    prodEu.id = QStringLiteral("prod-eu");
    prodEu.baseUrl = QStringLiteral("https://API.broker.test/eu");
    Environment uat = prod;
    uat.id = QStringLiteral("uat");
    uat.baseUrl = QStringLiteral("https://uat.broker.test");
    ws.environments = {prod, prodEu, uat};
    const auto endpoint = [](const char *id, const char *env) {
        Endpoint e;
        e.id = QLatin1String(id);
        e.environment = QLatin1String(env);
        e.path = QStringLiteral("/x");
        return e;
    };
    ws.endpoints = {endpoint("prod.orders.list", "prod"), endpoint("prod.orders.get", "prod"),
                    endpoint("prod.positions", "prod"), endpoint("eu.orders.list", "prod-eu"),
                    endpoint("uat.orders.list", "uat")};
    NotificationChannel hook;
    hook.id = QStringLiteral("hook");
    hook.name = hook.id;
    hook.kind = QStringLiteral("webhook");
    hook.url = QStringLiteral("sim:/_sim/webhook");
    ws.channels = {hook};
    AlertRule rule;
    rule.id = QStringLiteral("down");
    rule.kind = QStringLiteral("down");
    rule.scope = QStringLiteral("*");
    rule.channels = {hook.id};
    rule.groupBy = groupBy;
    rule.groupWindowS = groupWindowS;
    rule.flapCount = flapCount;
    rule.flapWindowS = 1800;
    ws.alerts = {rule};
    return ws;
}

AlertState TestNotifierNoise::down(const QString &endpoint) const
{
    AlertState a;
    a.ruleId = QStringLiteral("down");
    a.kind = QStringLiteral("down");
    a.subject = endpoint;
    a.message = endpoint + QStringLiteral(": down, 3 failed requests in a row");
    a.value = 3;
    a.firedAtMs = m_clock.nowMs();
    return a;
}

std::unique_ptr<Notifier> TestNotifierNoise::notifier(const Workspace &ws)
{
    auto n = std::make_unique<Notifier>(m_clock, [](const QString &) { return std::nullopt; });
    n->setSimulatorBaseUrl(m_sim->baseUrl().toString());
    n->setWorkspace(ws, ws.name);
    return n;
}

QList<AlertNotification> TestNotifierNoise::told(const Notifier &n)
{
    QList<AlertNotification> out;
    for (const Notifier::Delivery &d : n.recentDeliveries())
        out.append(d.notification);
    return out;
}

void TestNotifierNoise::grouping_oneHostOneMessageListingThem()
{
    auto n = notifier(workspace(QStringLiteral("host"), 60, 3));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    n->alertFired(down(QStringLiteral("prod.orders.list")));
    m_clock.advance(5000);
    n->alertFired(down(QStringLiteral("uat.orders.list")));
    m_clock.advance(5000);
    n->alertFired(down(QStringLiteral("prod.orders.get")));
    m_clock.advance(20000);
    n->alertFired(down(QStringLiteral("eu.orders.list"))); // another environment, same host
    n->alertFired(down(QStringLiteral("prod.positions")));
    n->tick();
    QCOMPARE(n->pending(), 0);
    QCOMPARE(n->recentDeliveries().size(), 0); // inside the window: nothing yet

    m_clock.advance(30000); // 60 s after the first: the host's group is due, uat's is not
    n->tick();
    QTRY_COMPARE(delivered.size(), 1);
    AlertNotification g = told(*n).constFirst();
    QCOMPARE(g.action, AlertNotification::Action::Trigger);
    QCOMPARE(g.subject, QStringLiteral("host api.broker.test"));
    QCOMPARE(g.members,
             (QStringList{QStringLiteral("prod.orders.list"), QStringLiteral("prod.orders.get"),
                          QStringLiteral("eu.orders.list"), QStringLiteral("prod.positions")}));
    QCOMPARE(g.summary, QStringLiteral("host api.broker.test: down on 4 endpoints "
                                       "(eu.orders.list, prod.orders.get, prod.orders.list, "
                                       "prod.positions)"));
    QVERIFY(g.advice.startsWith(QStringLiteral("Several endpoints on the same host fail")));
    QCOMPARE(g.severity, QStringLiteral("critical"));

    m_clock.advance(5000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 2);
    QCOMPARE(told(*n).at(1).subject, QStringLiteral("uat.orders.list")); // alone: told as itself
    QVERIFY(told(*n).at(1).members.isEmpty());

    // The webhook body lists them too.
    const QJsonArray entries = inbox();
    QCOMPARE(entries.size(), 2);
    const QJsonObject body = entries.at(0).toObject().value(u"json").toObject();
    QCOMPARE(body.value(u"subject").toString(), QStringLiteral("host api.broker.test"));
    QCOMPARE(body.value(u"members").toArray().size(), 4);

    // The incident holds until the last of them resolves, then one resolve, same key.
    for (const char *e : {"prod.orders.list", "prod.orders.get", "eu.orders.list"}) {
        m_clock.advance(1000);
        AlertState a = down(QLatin1String(e));
        a.resolvedAtMs = m_clock.nowMs();
        n->alertResolved(a);
    }
    n->tick();
    QCOMPARE(n->recentDeliveries().size(), 2);
    AlertState last = down(QStringLiteral("prod.positions"));
    last.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(last);
    QTRY_COMPARE(delivered.size(), 3);
    const AlertNotification r = told(*n).at(2);
    QCOMPARE(r.action, AlertNotification::Action::Resolve);
    QCOMPARE(r.dedupKey, g.dedupKey);
    QCOMPARE(r.subject, QStringLiteral("host api.broker.test"));
    QCOMPARE(r.members.size(), 4);
}

void TestNotifierNoise::grouping_lateMemberJoinsTheIncident()
{
    auto n = notifier(workspace(QStringLiteral("host"), 60, 3));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    AlertState a = down(QStringLiteral("prod.orders.list"));
    n->alertFired(a);
    m_clock.advance(60000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 1);
    const AlertNotification first = told(*n).constFirst();
    QCOMPARE(first.subject, QStringLiteral("prod.orders.list")); // one endpoint: itself
    QVERIFY(first.members.isEmpty());

    m_clock.advance(30000);
    AlertState b = down(QStringLiteral("prod.orders.get"));
    n->alertFired(b); // the same cause, already told: no second message
    m_clock.advance(120000);
    n->tick();
    a.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(a);
    QCOMPARE(n->recentDeliveries().size(), 1);
    b.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(b);
    QTRY_COMPARE(delivered.size(), 2);
    const AlertNotification r = told(*n).at(1);
    QCOMPARE(r.action, AlertNotification::Action::Resolve);
    QCOMPARE(r.dedupKey, first.dedupKey);
    QCOMPARE(r.members,
             (QStringList{QStringLiteral("prod.orders.list"), QStringLiteral("prod.orders.get")}));
}

void TestNotifierNoise::grouping_remindersAreForTheIncident()
{
    Workspace ws = workspace(QStringLiteral("host"), 60, 3);
    ws.alerts[0].remindEveryS = 600;
    auto n = notifier(ws);
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    n->alertFired(down(QStringLiteral("prod.orders.list")));
    n->alertFired(down(QStringLiteral("prod.orders.get")));
    m_clock.advance(60000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 1);
    const AlertNotification first = told(*n).constFirst();
    // One of them recovers; the incident still holds, and its reminder is still the group's.
    m_clock.advance(60000);
    AlertState a = down(QStringLiteral("prod.orders.list"));
    a.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(a);
    m_clock.advance(540000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 2);
    const AlertNotification reminder = told(*n).at(1);
    QCOMPARE(reminder.action, AlertNotification::Action::Remind);
    QCOMPARE(reminder.dedupKey, first.dedupKey);
    QCOMPARE(reminder.subject, QStringLiteral("host api.broker.test"));
    QCOMPARE(reminder.summary,
             QStringLiteral("host api.broker.test: down on 1 endpoint (prod.orders.get)"));
    // Acknowledging any of its endpoints silences the incident's reminders.
    n->acknowledge(QStringLiteral("down"), QStringLiteral("prod.orders.get"));
    m_clock.advance(1200000);
    n->tick();
    QCOMPARE(n->recentDeliveries().size(), 2);
}

void TestNotifierNoise::grouping_byEnvironmentAndOff()
{
    {
        auto n = notifier(workspace(QStringLiteral("environment"), 60, 3));
        QSignalSpy delivered(n.get(), &Notifier::delivered);
        n->alertFired(down(QStringLiteral("prod.orders.list")));
        n->alertFired(down(QStringLiteral("prod.orders.get")));
        n->alertFired(down(QStringLiteral("eu.orders.list")));
        m_clock.advance(60000);
        n->tick();
        QTRY_COMPARE(delivered.size(), 2);
        QStringList subjects{told(*n).at(0).subject, told(*n).at(1).subject};
        subjects.sort();
        QCOMPARE(subjects, (QStringList{QStringLiteral("environment prod"),
                                        QStringLiteral("eu.orders.list")}));
    }
    {
        auto n = notifier(workspace(QStringLiteral("host"), 0, 3)); // window 0: no grouping
        QSignalSpy delivered(n.get(), &Notifier::delivered);
        n->alertFired(down(QStringLiteral("prod.orders.list")));
        n->alertFired(down(QStringLiteral("prod.orders.get")));
        QTRY_COMPARE(delivered.size(), 2); // at once, one each
    }
}

void TestNotifierNoise::grouping_resolvedInsideTheWindow_notTold()
{
    auto n = notifier(workspace(QStringLiteral("host"), 60, 3));
    AlertState a = down(QStringLiteral("prod.orders.list"));
    n->alertFired(a);
    m_clock.advance(20000);
    a.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(a);
    m_clock.advance(60000);
    n->tick();
    QCOMPARE(n->pending(), 0);
    QCOMPARE(n->recentDeliveries().size(), 0);
}

void TestNotifierNoise::flapping_saidOnceThenSilentThenStillFiring()
{
    auto n = notifier(workspace(QStringLiteral("host"), 0, 3));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    const QString e = QStringLiteral("prod.orders.list");
    // Three firings and resolves a minute apart: each is told.
    for (int i = 0; i < 3; ++i) {
        AlertState a = down(e);
        n->alertFired(a);
        m_clock.advance(60000);
        a.resolvedAtMs = m_clock.nowMs();
        n->alertResolved(a);
        m_clock.advance(60000);
    }
    QTRY_COMPARE(delivered.size(), 6);
    // The fourth firing within 30 min: flapping, said once.
    n->alertFired(down(e));
    QTRY_COMPARE(delivered.size(), 7);
    const AlertNotification flap = told(*n).at(6);
    QCOMPARE(flap.action, AlertNotification::Action::Flapping);
    QVERIFY2(flap.summary.contains(QStringLiteral("flapping: fired 4 times in 30 min")),
             qPrintable(flap.summary));
    QCOMPARE(n->flapping(), QStringList{QStringLiteral("down|prod.orders.list")});
    // The webhook says "flapping" and the title "FLAPPING: …".
    QTRY_COMPARE(inbox().size(), 7);
    const QJsonObject body = inbox().at(6).toObject().value(u"json").toObject();
    QCOMPARE(body.value(u"action").toString(), QStringLiteral("flapping"));
    QVERIFY(body.value(u"title").toString().startsWith(QStringLiteral("FLAPPING: ")));

    // More flapping: silence.
    for (int i = 0; i < 5; ++i) {
        m_clock.advance(60000);
        AlertState a = down(e);
        a.resolvedAtMs = m_clock.nowMs();
        n->alertResolved(a);
        m_clock.advance(60000);
        n->alertFired(down(e));
        n->tick();
    }
    // It keeps firing; not yet stable for 30 min.
    m_clock.advance(29 * 60000);
    n->tick();
    QCOMPARE(n->recentDeliveries().size(), 7);
    m_clock.advance(60000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 8);
    const AlertNotification settled = told(*n).at(7);
    QCOMPARE(settled.action, AlertNotification::Action::Trigger);
    QVERIFY(settled.summary.endsWith(QStringLiteral("stopped flapping and still fires")));
    QCOMPARE(settled.dedupKey, flap.dedupKey);
    QVERIFY(n->flapping().isEmpty());

    // Its resolve closes the same incident.
    AlertState a = down(e);
    a.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(a);
    QTRY_COMPARE(delivered.size(), 9);
    QCOMPARE(told(*n).at(8).action, AlertNotification::Action::Resolve);
    QCOMPARE(told(*n).at(8).dedupKey, flap.dedupKey);
}

void TestNotifierNoise::flapping_settlesResolved()
{
    auto n = notifier(workspace(QStringLiteral("host"), 0, 2));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    const QString e = QStringLiteral("uat.orders.list");
    for (int i = 0; i < 3; ++i) {
        AlertState a = down(e);
        n->alertFired(a);
        m_clock.advance(30000);
        a.resolvedAtMs = m_clock.nowMs();
        n->alertResolved(a);
        m_clock.advance(30000);
    }
    // Two told with their resolves, the third is the flapping notice; its resolve is held.
    QTRY_COMPARE(delivered.size(), 5);
    QList<AlertNotification> flaps;
    for (const AlertNotification &t : told(*n))
        if (t.action == AlertNotification::Action::Flapping)
            flaps.append(t);
    QCOMPARE(flaps.size(), 1);
    m_clock.advance(30 * 60000);
    n->tick();
    QTRY_COMPARE(delivered.size(), 6);
    const AlertNotification settled = told(*n).at(5);
    QCOMPARE(settled.action, AlertNotification::Action::Resolve);
    QVERIFY(settled.summary.endsWith(QStringLiteral("stopped flapping and stays resolved")));
    QCOMPARE(settled.dedupKey, flaps.constFirst().dedupKey);
    m_clock.advance(60 * 60000);
    n->tick();
    QCOMPARE(n->recentDeliveries().size(), 6);
}

void TestNotifierNoise::flapping_slowFiringsAreNotFlaps()
{
    auto n = notifier(workspace(QStringLiteral("host"), 0, 3));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    for (int i = 0; i < 5; ++i) {
        AlertState a = down(QStringLiteral("prod.positions"));
        n->alertFired(a);
        m_clock.advance(60000);
        a.resolvedAtMs = m_clock.nowMs();
        n->alertResolved(a);
        m_clock.advance(10 * 60000); // 11 min apart: at most 3 in any 30 min
        n->tick();
    }
    QTRY_COMPARE(delivered.size(), 10);
    QVERIFY(n->flapping().isEmpty());
}

QTEST_GUILESS_MAIN(TestNotifierNoise)
#include "tst_notifiernoise.moc"
