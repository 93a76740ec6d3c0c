// PagerDuty's V3 webhook deliveries as untrusted input: the v1 HMAC-SHA256 signature against a
// published test vector, several signatures during a secret's rotation, and every way a
// signature or a body can be wrong; the few members read from the body, bounded and cleaned.
#include "pagerdutywebhook.h"

#include <QTest>

using namespace hd;

class TestPagerDutyWebhook : public QObject
{
    Q_OBJECT
private slots:
    void signature_matchesThePublishedVector();
    void signature_anyOfSeveralDuringRotation();
    void signature_refusesWhatDoesNotMatch_data();
    void signature_refusesWhatDoesNotMatch();
    void parse_readsTheAcknowledgement();
    void parse_refusesWhatIsNotAnEvent_data();
    void parse_refusesWhatIsNotAnEvent();
    void parse_boundsAndCleansTexts();
};

// RFC 4231-style vector that is widely published: HMAC-SHA256("key", "The quick brown fox…").
static const QByteArray Body = "The quick brown fox jumps over the lazy dog";
static const QByteArray Vector = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

void TestPagerDutyWebhook::signature_matchesThePublishedVector()
{
    QVERIFY(pagerdutywebhook::verifySignature(Body, "v1=" + Vector, "key"));
    QVERIFY(pagerdutywebhook::verifySignature(Body, "v1=" + Vector.toUpper(), "key"));
    QVERIFY(!pagerdutywebhook::verifySignature(Body + " ", "v1=" + Vector, "key"));
    QVERIFY(!pagerdutywebhook::verifySignature(Body, "v1=" + Vector, "Key"));
}

void TestPagerDutyWebhook::signature_anyOfSeveralDuringRotation()
{
    const QByteArray other = QByteArray(64, 'a');
    QVERIFY(pagerdutywebhook::verifySignature(Body, "v1=" + other + ",v1=" + Vector, "key"));
    QVERIFY(pagerdutywebhook::verifySignature(Body, "v1=" + Vector + ", v1=" + other, "key"));
    QVERIFY(!pagerdutywebhook::verifySignature(Body, "v1=" + other + ",v1=" + other, "key"));
}

void TestPagerDutyWebhook::signature_refusesWhatDoesNotMatch_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("empty header") << QByteArray() << QByteArray("key");
    QTest::newRow("no secret") << "v1=" + Vector << QByteArray();
    QTest::newRow("other version") << "v0=" + Vector << QByteArray("key");
    QTest::newRow("no prefix") << Vector << QByteArray("key");
    QTest::newRow("truncated") << "v1=" + Vector.left(63) << QByteArray("key");
    QTest::newRow("longer") << "v1=" + Vector + "00" << QByteArray("key");
    QTest::newRow("oversized header")
        << QByteArray(pagerdutywebhook::MaxSignatureHeaderBytes, ',') + "v1=" + Vector
        << QByteArray("key");
}

void TestPagerDutyWebhook::signature_refusesWhatDoesNotMatch()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, secret);
    QVERIFY(!pagerdutywebhook::verifySignature(Body, header, secret));
}

void TestPagerDutyWebhook::parse_readsTheAcknowledgement()
{
    // The shape of PagerDuty's documented V3 payload, with the members it has around ours.
    const QByteArray body = R"({"event":{"id":"5ac64822-4adc-4fda-ade0-410becf0de4f",
        "event_type":"incident.acknowledged","resource_type":"incident",
        "occurred_at":"2026-11-21T22:02:00.000Z",
        "agent":{"html_url":"https://acme.example/users/PLH1HKV","id":"PLH1HKV",
                 "summary":"Tenex Engineer","type":"user_reference"},
        "client":{"name":"PagerDuty"},
        "data":{"id":"PGR0VU2","type":"incident","number":2,"status":"acknowledged",
                "incident_key":"hd-3f6c2a9e","title":"prod.orders: down",
                "assignees":[{"id":"PTUXL6G","summary":"User 123","type":"user_reference"}],
                "urgency":"high","resolve_reason":null}}})";
    QString error;
    const auto event = pagerdutywebhook::parse(body, &error);
    QVERIFY2(event, qPrintable(error));
    QCOMPARE(event->eventType, QStringLiteral("incident.acknowledged"));
    QCOMPARE(event->incidentKey, QStringLiteral("hd-3f6c2a9e"));
    QCOMPARE(event->incidentId, QStringLiteral("PGR0VU2"));
    QCOMPARE(event->agent, QStringLiteral("Tenex Engineer"));

    // A service event, no agent: read, with nothing about an incident.
    const auto service = pagerdutywebhook::parse(
        R"({"event":{"event_type":"service.updated","agent":null,"data":{"id":"PF9KMXH"}}})");
    QVERIFY(service);
    QCOMPARE(service->agent, QString());
    QCOMPARE(service->incidentKey, QString());
}

void TestPagerDutyWebhook::parse_refusesWhatIsNotAnEvent_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not valid JSON");
    QTest::newRow("truncated") << QByteArray(R"({"event":{"event_type":)")
                               << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QByteArray("[1]") << QStringLiteral("no event object");
    QTest::newRow("event string") << QByteArray(R"({"event":"x"})")
                                  << QStringLiteral("no event object");
    QTest::newRow("no type") << QByteArray(R"({"event":{"data":{}}})")
                             << QStringLiteral("event.event_type is missing");
    QTest::newRow("type number") << QByteArray(R"({"event":{"event_type":7}})")
                                 << QStringLiteral("event.event_type is missing");
    QTest::newRow("deep") << QByteArray(R"({"event":{"event_type":"x","data":)")
                                 + QByteArray(100, '[') + QByteArray(100, ']') + "}}"
                          << QStringLiteral("nested deeper than 16 levels");
    QTest::newRow("huge") << QByteArray(R"({"event":{"event_type":")")
                                 + QByteArray(pagerdutywebhook::MaxBodyBytes, 'x') + "\"}}"
                          << QStringLiteral("larger than");
}

void TestPagerDutyWebhook::parse_refusesWhatIsNotAnEvent()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!pagerdutywebhook::parse(body, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
    QVERIFY(!why.contains(u'\n'));
}

void TestPagerDutyWebhook::parse_boundsAndCleansTexts()
{
    const QByteArray body = R"({"event":{"event_type":"incident.acknowledged",
        "agent":{"summary":"Mallory\u001b[2J\u202eevil\nroot"},
        "data":{"incident_key":")"
                            + QByteArray(5000, 'k') + R"("}}})";
    const auto event = pagerdutywebhook::parse(body);
    QVERIFY(event);
    QCOMPARE(event->agent, QStringLiteral("Mallory[2Jevil root")); // one line: the break is a space
    QCOMPARE(event->incidentKey.size(), 200);
}

QTEST_GUILESS_MAIN(TestPagerDutyWebhook)
#include "tst_pagerdutywebhook.moc"
