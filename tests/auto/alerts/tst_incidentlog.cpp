// Incidents under a ManualClock: one per firing, its timeline (escalation, who was told,
// acknowledged once, notes, resolved), its failed events, the JSON it is kept as, and what a
// damaged row or a hostile note cannot do.
#include "alertengine.h"
#include "incidentlog.h"
#include "redactor.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace hd;
using Kind = IncidentEntry::Kind;

class TestIncidentLog : public QObject
{
    Q_OBJECT
private slots:
    void lifecycle_firedAcknowledgedNotedResolved();
    void fireWhileOpen_isAnEscalationNotANewIncident();
    void acknowledge_countsOnceAndNeedsAnOpenIncident();
    void notified_landsOnTheNewestIncidentEvenAfterItResolved();
    void observe_linksFailedEventsOnItsSubjectBounded();
    void note_isRedactedCleanedAndBounded();
    void note_refusesEmptyAndUnknownIncident();
    void json_roundTripsEveryField();
    void json_refusesWhatIsNotAnIncident_data();
    void json_refusesWhatIsNotAnIncident();
    void restore_closesWhatWasOpenWhenItStopped();
    void memory_dropsOldResolvedButNeverOpenIncidents();
    void overlapping_selectsByRange();

private:
    AlertState alert(const QString &rule, const QString &subject, const QString &message,
                     const QString &severity = QStringLiteral("critical")) const;
    // The same alert, resolved now.
    AlertState resolved(const QString &rule, const QString &subject, const QString &message) const;
    ApiEvent failure(const QString &endpoint, const QString &environment) const;
    ManualClock m_clock;
};

AlertState TestIncidentLog::alert(const QString &rule, const QString &subject,
                                  const QString &message, const QString &severity) const
{
    AlertState a;
    a.ruleId = rule;
    a.kind = QStringLiteral("down");
    a.subject = subject;
    a.message = message;
    a.severity = severity;
    a.firedAtMs = m_clock.nowMs();
    return a;
}

AlertState TestIncidentLog::resolved(const QString &rule, const QString &subject,
                                     const QString &message) const
{
    AlertState a = alert(rule, subject, message);
    a.resolvedAtMs = m_clock.nowMs();
    return a;
}

ApiEvent TestIncidentLog::failure(const QString &endpoint, const QString &environment) const
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.endpoint = endpoint;
    e.environment = environment;
    e.category = Category::Unavailable;
    e.outcome = outcomeOf(e.category);
    return e;
}

void TestIncidentLog::lifecycle_firedAcknowledgedNotedResolved()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    QSignalSpy changed(&log, &IncidentLog::changed);
    const qint64 t0 = m_clock.nowMs();
    log.alertFired(alert(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                         QStringLiteral("prod.orders: down, 3 failed requests in a row")));
    QCOMPARE(log.incidents().size(), 1);
    const QString id = log.incidents().first().id;
    QVERIFY(id.startsWith(QStringLiteral("inc-")));
    QCOMPARE(id.size(), 20);
    QCOMPARE(log.incidents().first().state(), QStringLiteral("firing"));

    m_clock.advance(30000);
    log.notified(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                 QStringLiteral("told desk-slack (slack, trigger)"), false);
    m_clock.advance(90000);
    const auto acked = log.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                                       QStringLiteral("alice"), QStringLiteral("console"));
    QVERIFY(acked);
    QCOMPARE(acked->acknowledgedBy, QStringLiteral("alice"));
    QCOMPARE(acked->acknowledgedVia, QStringLiteral("console"));
    QCOMPARE(acked->acknowledgedAtMs, t0 + 120000);
    QCOMPARE(acked->state(), QStringLiteral("acknowledged"));
    m_clock.advance(60000);
    QCOMPARE(log.addNote(id, QStringLiteral("alice"),
                         QStringLiteral("Vendor ticket 48213 opened; their status page is red.")),
             QString());
    m_clock.advance(240000);
    log.alertResolved(resolved(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                               QStringLiteral("prod.orders: answers again")));

    const Incident inc = *log.incident(id);
    QCOMPARE(inc.state(), QStringLiteral("resolved"));
    QCOMPARE(inc.firedAtMs, t0);
    QCOMPARE(inc.resolvedAtMs, t0 + 420000);
    QCOMPARE(inc.timeline.size(), 5);
    const QList<Kind> kinds{Kind::Fired, Kind::Notified, Kind::Acknowledged, Kind::Note,
                            Kind::Resolved};
    for (int i = 0; i < kinds.size(); ++i)
        QCOMPARE(inc.timeline.at(i).kind, kinds.at(i));
    QCOMPARE(inc.timeline.at(0).atMs, t0);
    QCOMPARE(inc.timeline.at(2).author, QStringLiteral("alice"));
    QCOMPARE(inc.timeline.at(2).text, QStringLiteral("acknowledged from console"));
    QCOMPARE(inc.timeline.at(3).text,
             QStringLiteral("Vendor ticket 48213 opened; their status page is red."));
    QCOMPARE(inc.timeline.at(4).atMs, t0 + 420000);
    QCOMPARE(changed.size(), 5); // each step was announced (the session saves each)
    QVERIFY(!log.openIncident(QStringLiteral("prod-down"), QStringLiteral("prod.orders")));

    // The same alert firing again later is a new incident with its own id.
    m_clock.advance(60000);
    log.alertFired(alert(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                         QStringLiteral("prod.orders: down again")));
    QCOMPARE(log.incidents().size(), 2);
    QVERIFY(log.incidents().first().id != id);
    QVERIFY(log.incidents().first().open());
}

void TestIncidentLog::fireWhileOpen_isAnEscalationNotANewIncident()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("cert"), QStringLiteral("prod.api"),
                         QStringLiteral("certificate expires in 12 days"),
                         QStringLiteral("warning")));
    m_clock.advance(3600000);
    log.alertFired(alert(QStringLiteral("cert"), QStringLiteral("prod.api"),
                         QStringLiteral("certificate expires in 2 days"),
                         QStringLiteral("critical")));
    QCOMPARE(log.incidents().size(), 1);
    const Incident &inc = log.incidents().first();
    QCOMPARE(inc.severity, QStringLiteral("critical"));
    QCOMPARE(inc.summary, QStringLiteral("certificate expires in 2 days"));
    QCOMPARE(inc.timeline.last().kind, Kind::Escalated);
    QCOMPARE(inc.timeline.last().text, QStringLiteral("certificate expires in 2 days"));
}

void TestIncidentLog::acknowledge_countsOnceAndNeedsAnOpenIncident()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    QVERIFY(!log.acknowledge(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("bob"),
                             QStringLiteral("console")));
    log.alertFired(alert(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: down")));
    QVERIFY(log.acknowledge(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("bob"),
                            QStringLiteral("pagerduty")));
    m_clock.advance(1000);
    QVERIFY(!log.acknowledge(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("carol"),
                             QStringLiteral("console")));
    const Incident &inc = log.incidents().first();
    QCOMPARE(inc.acknowledgedBy, QStringLiteral("bob"));
    QCOMPARE(inc.acknowledgedVia, QStringLiteral("pagerduty"));
    QCOMPARE(std::count_if(inc.timeline.cbegin(), inc.timeline.cend(),
                           [](const IncidentEntry &e) { return e.kind == Kind::Acknowledged; }),
             1);
    // A name is one clean line; none at all is still someone.
    log.alertFired(alert(QStringLiteral("r2"), QStringLiteral("s"), QStringLiteral("s: down")));
    QVERIFY(log.acknowledge(QStringLiteral("r2"), QStringLiteral("s"),
                            QStringLiteral("  eve\n\x1b[31mroot\x7f "), QStringLiteral("console")));
    QCOMPARE(log.incidents().first().acknowledgedBy, QStringLiteral("eve [31mroot"));
    log.alertFired(alert(QStringLiteral("r3"), QStringLiteral("s"), QStringLiteral("s: down")));
    QVERIFY(log.acknowledge(QStringLiteral("r3"), QStringLiteral("s"), QString(),
                            QStringLiteral("console")));
    QCOMPARE(log.incidents().first().acknowledgedBy, QStringLiteral("someone"));
}

void TestIncidentLog::notified_landsOnTheNewestIncidentEvenAfterItResolved()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: down")));
    log.alertResolved(resolved(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: ok")));
    m_clock.advance(2000); // the resolve message is delivered after the incident closed
    log.notified(QStringLiteral("r"), QStringLiteral("s"),
                 QStringLiteral("oncall: resolve not delivered after 3 attempt(s): HTTP 503"),
                 true);
    const Incident &inc = log.incidents().first();
    QCOMPARE(inc.timeline.last().kind, Kind::NotifyFailed);
    QVERIFY(inc.timeline.last().text.contains(QStringLiteral("HTTP 503")));
    // Nothing for an alert that never fired.
    log.notified(QStringLiteral("other"), QStringLiteral("s"), QStringLiteral("told x"), false);
    QCOMPARE(log.incidents().size(), 1);
}

void TestIncidentLog::observe_linksFailedEventsOnItsSubjectBounded()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("down"), QStringLiteral("prod.orders"),
                         QStringLiteral("prod.orders: down")));
    log.alertFired(alert(QStringLiteral("rate"), QStringLiteral("prod"),
                         QStringLiteral("prod: error rate 4 %")));
    log.alertFired(alert(QStringLiteral("token"), QStringLiteral("broker-oauth"),
                         QStringLiteral("broker-oauth: refresh failed")));
    const ApiEvent orders = failure(QStringLiteral("prod.orders"), QStringLiteral("prod"));
    log.observe(orders);
    log.observe(failure(QStringLiteral("uat.orders"), QStringLiteral("uat")));
    log.observe(failure(QStringLiteral("token:broker-oauth"), QStringLiteral("prod")));
    ApiEvent ok = failure(QStringLiteral("prod.orders"), QStringLiteral("prod"));
    ok.category = Category::Ok;
    ok.outcome = outcomeOf(ok.category);
    log.observe(ok);

    const Incident down = *log.openIncident(QStringLiteral("down"), QStringLiteral("prod.orders"));
    QCOMPARE(down.eventIds, QStringList{orders.id});
    const Incident rate = *log.openIncident(QStringLiteral("rate"), QStringLiteral("prod"));
    QCOMPARE(rate.eventCount, 2); // prod.orders and the prod token request
    const Incident token
        = *log.openIncident(QStringLiteral("token"), QStringLiteral("broker-oauth"));
    QCOMPARE(token.eventCount, 1);

    for (int i = 0; i < Incident::MaxEventIds + 50; ++i)
        log.observe(failure(QStringLiteral("prod.orders"), QStringLiteral("prod")));
    const Incident full = *log.openIncident(QStringLiteral("down"), QStringLiteral("prod.orders"));
    QCOMPARE(full.eventIds.size(), Incident::MaxEventIds);
    QCOMPARE(full.eventCount, Incident::MaxEventIds + 51);
    QCOMPARE(full.eventIds.first(), orders.id); // the first evidence is kept
}

void TestIncidentLog::note_isRedactedCleanedAndBounded()
{
    Redactor redactor(m_clock);
    const QString held = QStringLiteral("sk_live_held_value_8d2f1c");
    redactor.addSecretValue(held);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: down")));
    const QString id = log.incidents().first().id;
    QCOMPARE(log.addNote(id, QStringLiteral("bob"),
                         QStringLiteral("tried again with\nAuthorization: Bearer eyJhbGciOiJIUzI1Ni"
                                        "J9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl and key ")
                             + held + QStringLiteral("\x1b[2J\x07")),
             QString());
    const QString text = log.incidents().first().timeline.last().text;
    QVERIFY2(!text.contains(QStringLiteral("eyJhbGciOiJIUzI1NiJ9")), qPrintable(text));
    QVERIFY2(!text.contains(held), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("[REDACTED]")));
    QVERIFY(text.contains(u'\n'));        // lines stay
    QVERIFY(!text.contains(QChar(0x1b))); // terminal controls do not
    QVERIFY(!text.contains(QChar(0x07)));
    QVERIFY(text.startsWith(QStringLiteral("tried again with")));

    QCOMPARE(log.addNote(id, QStringLiteral("bob"), QString(100000, u'x')), QString());
    QCOMPARE(log.incidents().first().timeline.last().text.size(), IncidentLog::MaxNoteChars);
}

void TestIncidentLog::note_refusesEmptyAndUnknownIncident()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: down")));
    const QString id = log.incidents().first().id;
    QCOMPARE(log.addNote(id, QStringLiteral("bob"), QStringLiteral(" \n\t ")),
             QStringLiteral("the note is empty"));
    QCOMPARE(log.addNote(QStringLiteral("inc-0000000000000000"), QStringLiteral("bob"),
                         QStringLiteral("hello")),
             QStringLiteral("no incident inc-0000000000000000"));
    QCOMPARE(log.incidents().first().timeline.size(), 1);
    // A note on a resolved incident is allowed: the post-mortem comes after.
    log.alertResolved(resolved(QStringLiteral("r"), QStringLiteral("s"), QStringLiteral("s: ok")));
    QCOMPARE(log.addNote(id, QStringLiteral("bob"), QStringLiteral("root cause: DNS")), QString());
}

void TestIncidentLog::json_roundTripsEveryField()
{
    m_clock.setNow(1795298400000); // 2026-11-21T22:00:00Z
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                         QStringLiteral("prod.orders: down — 東証 注文エラー")));
    log.observe(failure(QStringLiteral("prod.orders"), QStringLiteral("prod")));
    m_clock.advance(5000);
    log.acknowledge(QStringLiteral("prod-down"), QStringLiteral("prod.orders"),
                    QStringLiteral("Zoë"), QStringLiteral("console"));
    log.addNote(log.incidents().first().id, QStringLiteral("Zoë"),
                QStringLiteral("line one\nline two"));
    m_clock.advance(5000);
    log.alertResolved(
        resolved(QStringLiteral("prod-down"), QStringLiteral("prod.orders"), QStringLiteral("ok")));
    const Incident inc = log.incidents().first();

    const QByteArray bytes = inc.toJsonBytes();
    QString error;
    const auto back = Incident::fromJson(bytes, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, inc);
    QVERIFY(bytes.contains("\"schema\":\"healthdeck.incident/1\""));
    QVERIFY(bytes.contains("\"state\":\"resolved\""));
    QVERIFY(bytes.contains("\"acknowledgedBy\""));
    QVERIFY(bytes.contains("\"firedAt\":\"2026-11-21T22:00:00.000Z\""));
}

void TestIncidentLog::json_refusesWhatIsNotAnIncident_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    const QByteArray head = R"({"schema":"healthdeck.incident/1","id":"inc-1","rule":"r",)";
    QTest::newRow("not json") << QByteArray("{\"schema\":") << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not an object");
    QTest::newRow("schema") << QByteArray(R"({"schema":"healthdeck.event/1"})")
                            << QStringLiteral("schema: not healthdeck.incident/1");
    QTest::newRow("no subject") << head + R"("firedAtMs":1})" << QStringLiteral("subject: missing");
    QTest::newRow("time type") << head + R"("subject":"s","firedAtMs":"soon"})"
                               << QStringLiteral("firedAtMs: not an integer");
    QTest::newRow("timeline type")
        << head + R"("subject":"s","timeline":{}})" << QStringLiteral("timeline: not an array");
    QTest::newRow("entry kind") << head + R"("subject":"s","timeline":[{"kind":"exploded"}]})"
                                << QStringLiteral("timeline[0].kind: unknown (exploded)");
    QTest::newRow("entry type") << head + R"("subject":"s","timeline":[{"kind":"note"},7]})"
                                << QStringLiteral("timeline[1]: not an object");
    QTest::newRow("ids") << head + R"("subject":"s","eventIds":[1]})"
                         << QStringLiteral("eventIds: not a list of strings");
    QTest::newRow("deep") << head + R"("subject":"s","x":)" + QByteArray(50, '[')
                                 + QByteArray(50, ']') + "}"
                          << QStringLiteral("nested deeper than 8 levels");
}

void TestIncidentLog::json_refusesWhatIsNotAnIncident()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Incident::fromJson(text, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
}

void TestIncidentLog::restore_closesWhatWasOpenWhenItStopped()
{
    Redactor redactor(m_clock);
    QList<Incident> stored;
    {
        IncidentLog before(m_clock, redactor);
        before.alertFired(alert(QStringLiteral("a"), QStringLiteral("s"), QStringLiteral("a")));
        m_clock.advance(1000);
        before.alertFired(alert(QStringLiteral("b"), QStringLiteral("s"), QStringLiteral("b")));
        before.alertResolved(
            resolved(QStringLiteral("a"), QStringLiteral("s"), QStringLiteral("ok")));
        stored = before.incidents();
        std::reverse(stored.begin(), stored.end()); // any order comes back newest first
    }
    m_clock.advance(3600000);
    IncidentLog log(m_clock, redactor);
    QSignalSpy changed(&log, &IncidentLog::changed);
    log.restore(stored);
    QCOMPARE(log.incidents().size(), 2);
    QCOMPARE(log.incidents().at(0).ruleId, QStringLiteral("b"));
    const Incident b = log.incidents().at(0);
    QVERIFY(!b.open());
    QCOMPARE(b.resolvedAtMs, m_clock.nowMs());
    QVERIFY(b.timeline.last().text.contains(QStringLiteral("HealthDeck started again")));
    QCOMPARE(changed.size(), 1); // the closed one is saved again; the resolved one untouched
    // The alert firing again now opens a new incident.
    log.alertFired(alert(QStringLiteral("b"), QStringLiteral("s"), QStringLiteral("b")));
    QCOMPARE(log.incidents().size(), 3);
}

void TestIncidentLog::memory_dropsOldResolvedButNeverOpenIncidents()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    log.alertFired(alert(QStringLiteral("stuck"), QStringLiteral("s"), QStringLiteral("stuck")));
    for (int i = 0; i < IncidentLog::KeptIncidents + 20; ++i) {
        m_clock.advance(1000);
        log.alertFired(alert(QStringLiteral("flaky"), QStringLiteral("s"), QStringLiteral("x")));
        log.alertResolved(
            resolved(QStringLiteral("flaky"), QStringLiteral("s"), QStringLiteral("ok")));
    }
    QCOMPARE(log.incidents().size(), IncidentLog::KeptIncidents);
    QVERIFY(log.openIncident(QStringLiteral("stuck"), QStringLiteral("s")));
}

void TestIncidentLog::overlapping_selectsByRange()
{
    Redactor redactor(m_clock);
    IncidentLog log(m_clock, redactor);
    const qint64 t0 = m_clock.nowMs();
    log.alertFired(alert(QStringLiteral("early"), QStringLiteral("s"), QStringLiteral("e")));
    m_clock.advance(10000);
    log.alertResolved(resolved(QStringLiteral("early"), QStringLiteral("s"), QStringLiteral("ok")));
    m_clock.advance(50000);
    log.alertFired(alert(QStringLiteral("late"), QStringLiteral("s"), QStringLiteral("l")));
    const auto rules = [](const QList<Incident> &list) {
        QStringList out;
        for (const Incident &i : list)
            out << i.ruleId;
        return out;
    };
    QCOMPARE(rules(log.overlapping(t0 + 20000, t0 + 30000)), QStringList());
    QCOMPARE(rules(log.overlapping(t0 + 5000, t0 + 30000)), QStringList{QStringLiteral("early")});
    QCOMPARE(rules(log.overlapping(t0 + 20000, t0 + 90000)), QStringList{QStringLiteral("late")});
    QCOMPARE(rules(log.overlapping(t0, t0 + 90000)),
             (QStringList{QStringLiteral("late"), QStringLiteral("early")}));
}

QTEST_GUILESS_MAIN(TestIncidentLog)
#include "tst_incidentlog.moc"
