// The e-mail channel against a REAL SMTP server from Debian (python3-aiosmtpd, started by the
// test on 127.0.0.1 with a free port, tests/support/smtp_sink.py): the message says what failed,
// since when, the verdict, the advice and the identifiers; STARTTLS with a certificate made by
// openssl at test time and AUTH with the password from the secret store; a wrong password and a
// server without STARTTLS fail without quoting a secret or the server; a dead server is retried;
// a server that never answers does not block the caller, and destroying the notifier cuts the
// transfer short.

#include "clock.h"
#include "notifier.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

namespace {

const QString Python = QStringLiteral("/usr/bin/python3");
const QString Password = QStringLiteral("s3cret-Pw-9f2e");

// One aiosmtpd server for one test; stops when the test ends (its stdin closes).
class SmtpSink
{
public:
    bool start(const QStringList &extraArgs)
    {
        const QString script = qEnvironmentVariable("HDECK_SOURCE_DIR")
                               + QStringLiteral("/tests/support/smtp_sink.py");
        m_process.setProgram(Python);
        m_process.setArguments(QStringList{script} + extraArgs);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        const QByteArray line = readLine(15000);
        if (!line.startsWith("listening "))
            return false;
        m_port = line.mid(10).trimmed().toInt();
        return m_port > 0;
    }
    ~SmtpSink()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
    int port() const { return m_port; }
    QByteArray readLine(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine() && t.elapsed() < timeoutMs)
            m_process.waitForReadyRead(100);
        return m_process.canReadLine() ? m_process.readLine() : QByteArray();
    }
    QJsonObject nextMessage() { return QJsonDocument::fromJson(readLine(15000)).object(); }
    QByteArray stderrText() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    int m_port = 0;
};

// Header value and decoded body of an RFC 5322 message as this notifier writes it.
struct Mail
{
    QHash<QString, QString> headers;
    QString body;
};

Mail parse(const QString &data)
{
    Mail m;
    const qsizetype split = data.indexOf(QStringLiteral("\r\n\r\n"));
    QString last;
    for (const QString &line : data.left(split).split(QStringLiteral("\r\n"))) {
        if (line.startsWith(u' ') && !last.isEmpty()) { // a folded header goes on
            m.headers[last] += line;
            continue;
        }
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0) {
            last = line.left(colon).toLower();
            m.headers.insert(last, line.mid(colon + 1).trimmed());
        }
    }
    m.body = QString::fromUtf8(QByteArray::fromBase64(data.mid(split + 4).toLatin1()));
    return m;
}

// RFC 2047 words as channelpayload writes them (UTF-8, base64), folded or not.
QString decodedHeader(const QString &value)
{
    if (!value.startsWith(QStringLiteral("=?UTF-8?B?")))
        return value;
    QByteArray utf8;
    for (const QString &word : value.split(u' ', Qt::SkipEmptyParts))
        utf8 += QByteArray::fromBase64(word.mid(10, word.size() - 12).toLatin1());
    return QString::fromUtf8(utf8);
}

} // namespace

class TestEmailNotifier : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void plainSmtp_messageSaysWhatWhenVerdictAdviceAndIdentifiers();
    void startTlsAndAuth_passwordFromTheSecretStore();
    void wrongPassword_reportedWithoutTheSecretOrTheServer();
    void startTlsRequired_serverWithoutIt_refused();
    void deadServer_retriedThenReported();
    void silentServer_neverBlocksTheCaller();

private:
    std::unique_ptr<Notifier> notifier(const NotificationChannel &c);
    NotificationChannel channel(int port, bool requireTls) const;
    AlertState downAlert() const;

    ManualClock m_clock;
    QHash<QString, QString> m_secrets;
    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;
};

void TestEmailNotifier::initTestCase()
{
    QProcess check;
    check.start(Python, {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")});
    QVERIFY2(check.waitForFinished(20000) && check.exitCode() == 0,
             "needs Debian's python3-aiosmtpd (.ci/deps installs it)");
    QVERIFY(m_dir.isValid());
    m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                   m_key, QStringLiteral("-out"), m_cert, QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                   QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);
}

NotificationChannel TestEmailNotifier::channel(int port, bool requireTls) const
{
    NotificationChannel c;
    c.id = QStringLiteral("ops-mail");
    c.name = c.id;
    c.kind = QStringLiteral("email");
    c.url = QStringLiteral("smtp://127.0.0.1:%1").arg(port);
    c.from = QStringLiteral("healthdeck@desk.example");
    c.to = {QStringLiteral("oncall@desk.example"), QStringLiteral("lead@desk.example")};
    c.requireTls = requireTls;
    return c;
}

std::unique_ptr<Notifier> TestEmailNotifier::notifier(const NotificationChannel &c)
{
    auto n = std::make_unique<Notifier>(
        m_clock, [this](const QString &name) { return std::optional(m_secrets.value(name)); });
    n->setRetryDelaysMs(0, 0);
    Workspace ws;
    ws.name = QStringLiteral("desk");
    ws.channels = {c};
    AlertRule rule;
    rule.id = QStringLiteral("prod-down");
    rule.kind = QStringLiteral("down");
    rule.scope = QStringLiteral("prod");
    rule.channels = {c.id};
    ws.alerts = {rule};
    n->setWorkspace(ws, ws.name);
    return n;
}

AlertState TestEmailNotifier::downAlert() const
{
    AlertState a;
    a.ruleId = QStringLiteral("prod-down");
    a.kind = QStringLiteral("down");
    a.subject = QStringLiteral("prod.orders.list");
    a.message = QStringLiteral("prod.orders.list: down, 5 failed requests in a row");
    a.value = 5;
    a.firedAtMs = m_clock.nowMs() - 12 * 60 * 1000;
    return a;
}

void TestEmailNotifier::plainSmtp_messageSaysWhatWhenVerdictAdviceAndIdentifiers()
{
    SmtpSink sink;
    QVERIFY2(sink.start({}), sink.stderrText().constData());
    auto n = notifier(channel(sink.port(), false));
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    n->alertFired(downAlert());
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20000);
    const QJsonObject received = sink.nextMessage();
    QCOMPARE(received.value(u"from").toString(), QStringLiteral("healthdeck@desk.example"));
    QCOMPARE(
        received.value(u"to").toVariant().toStringList(),
        (QStringList{QStringLiteral("oncall@desk.example"), QStringLiteral("lead@desk.example")}));
    const Mail mail = parse(received.value(u"data").toString());
    QCOMPARE(mail.headers.value(QStringLiteral("subject")),
             QStringLiteral("[HealthDeck] FIRING: prod.orders.list: down, 5 failed requests in a "
                            "row"));
    QCOMPARE(mail.headers.value(QStringLiteral("from")), QStringLiteral("healthdeck@desk.example"));
    QCOMPARE(mail.headers.value(QStringLiteral("content-type")),
             QStringLiteral("text/plain; charset=UTF-8"));
    const Notifier::Delivery d = n->recentDeliveries().constLast();
    QCOMPARE(mail.headers.value(QStringLiteral("x-healthdeck-dedup-key")), d.notification.dedupKey);
    QVERIFY2(mail.body.contains(QStringLiteral(
                 "What failed:    prod.orders.list: down, 5 failed requests in a row")),
             qPrintable(mail.body));
    QVERIFY(mail.body.contains(
        QStringLiteral("Since:          2026-11-21T21:48:00.000Z (firing for 12 min)")));
    QVERIFY(mail.body.contains(
        QStringLiteral("Verdict:        critical — down alert of rule prod-down")));
    QVERIFY(mail.body.contains(QStringLiteral("What to do:\r\nRequests to this endpoint fail")));
    QVERIFY(mail.body.contains(QStringLiteral("  Dedup key:    ") + d.notification.dedupKey));
    QVERIFY(mail.body.contains(QStringLiteral("  Workspace:    desk")));
    QVERIFY(mail.body.contains(QStringLiteral("  Subject:      prod.orders.list")));
    QCOMPARE(d.status, 250);
    QCOMPARE(d.attempts, 1);

    // A subject that is not ASCII goes as RFC 2047 words and reads back the same.
    AlertState accented = downAlert();
    accented.subject = QStringLiteral("prod.ordres.liste");
    accented.message = QStringLiteral("prod.ordres.liste: hors service — échec répété");
    n->alertFired(accented);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20000);
    const Mail second = parse(sink.nextMessage().value(u"data").toString());
    QVERIFY(
        second.headers.value(QStringLiteral("subject")).startsWith(QStringLiteral("=?UTF-8?B?")));
    QCOMPARE(decodedHeader(second.headers.value(QStringLiteral("subject"))),
             QStringLiteral("[HealthDeck] FIRING: prod.ordres.liste: hors service — échec répété"));
    QVERIFY(second.body.contains(QStringLiteral("échec répété")));
}

void TestEmailNotifier::startTlsAndAuth_passwordFromTheSecretStore()
{
    SmtpSink sink;
    QVERIFY2(sink.start({QStringLiteral("--tlscert"), m_cert, QStringLiteral("--tlskey"), m_key,
                         QStringLiteral("--login"), QStringLiteral("desk-bot"),
                         QStringLiteral("--password"), Password}),
             sink.stderrText().constData());
    NotificationChannel c = channel(sink.port(), true);
    c.caFile = m_cert;
    c.username = QStringLiteral("desk-bot");
    c.secretName = QStringLiteral("OPS_SMTP_PASSWORD");
    m_secrets.insert(c.secretName, Password);
    auto n = notifier(c);
    QSignalSpy delivered(n.get(), &Notifier::delivered);
    QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
    AlertState a = downAlert();
    n->alertFired(a);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size() + failed.size(), 1, 20000);
    QVERIFY2(failed.isEmpty(), qPrintable(n->recentDeliveries().constLast().error));
    const QJsonObject received = sink.nextMessage();
    QCOMPARE(received.value(u"tls").toBool(), true);
    QCOMPARE(received.value(u"login").toString(), QStringLiteral("desk-bot"));
    QVERIFY(!received.value(u"data").toString().contains(Password));
    QVERIFY(!parse(received.value(u"data").toString()).body.contains(Password));

    // The resolve goes the same way, and says so.
    m_clock.advance(60000);
    a.resolvedAtMs = m_clock.nowMs();
    n->alertResolved(a);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20000);
    const Mail resolved = parse(sink.nextMessage().value(u"data").toString());
    QVERIFY(resolved.headers.value(QStringLiteral("subject"))
                .startsWith(QStringLiteral("[HealthDeck] RESOLVED: prod.orders.list")));
    QVERIFY(resolved.body.contains(QStringLiteral("resolved after 13 min")));
}

void TestEmailNotifier::wrongPassword_reportedWithoutTheSecretOrTheServer()
{
    SmtpSink sink;
    QVERIFY(sink.start({QStringLiteral("--tlscert"), m_cert, QStringLiteral("--tlskey"), m_key,
                        QStringLiteral("--login"), QStringLiteral("desk-bot"),
                        QStringLiteral("--password"), Password}));
    NotificationChannel c = channel(sink.port(), true);
    c.caFile = m_cert;
    c.username = QStringLiteral("desk-bot");
    c.secretName = QStringLiteral("OPS_SMTP_PASSWORD");
    const QString wrong = QStringLiteral("not-the-pw-77");
    m_secrets.insert(c.secretName, wrong);
    auto n = notifier(c);
    QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
    n->alertFired(downAlert());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    const Notifier::Delivery d = n->recentDeliveries().constLast();
    QVERIFY2(d.error.startsWith(QStringLiteral("SMTP: Login denied")), qPrintable(d.error));
    QCOMPARE(d.status, 535);
    QCOMPARE(d.attempts, 1); // a wrong password does not get better by retrying
    QVERIFY(!d.error.contains(wrong));
    QVERIFY(!d.error.contains(QStringLiteral("127.0.0.1")));
    QVERIFY(!d.error.contains(QStringLiteral("desk-bot")));
}

void TestEmailNotifier::startTlsRequired_serverWithoutIt_refused()
{
    SmtpSink sink;
    QVERIFY(sink.start({}));
    NotificationChannel c = channel(sink.port(), true);
    c.username = QStringLiteral("desk-bot");
    c.secretName = QStringLiteral("OPS_SMTP_PASSWORD");
    m_secrets.insert(c.secretName, Password);
    auto n = notifier(c);
    QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
    n->alertFired(downAlert());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    const Notifier::Delivery d = n->recentDeliveries().constLast();
    QVERIFY2(d.error.startsWith(QStringLiteral("SMTP: Requested SSL level failed")),
             qPrintable(d.error));
    QCOMPARE(d.attempts, 1);

    // And a password never goes in the clear, even when the channel allows plain SMTP to a
    // server that is not on this machine.
    c.requireTls = false;
    c.url = QStringLiteral("smtp://mail.desk.example:25");
    auto plain = notifier(c);
    QSignalSpy plainFailed(plain.get(), &Notifier::deliveryFailed);
    plain->alertFired(downAlert());
    QTRY_COMPARE(plainFailed.size(), 1);
    QVERIFY(plain->recentDeliveries().constLast().error.contains(
        QStringLiteral("refusing to send the password without TLS")));
}

void TestEmailNotifier::deadServer_retriedThenReported()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const int port = probe.serverPort();
    probe.close(); // nobody listens there now
    auto n = notifier(channel(port, false));
    QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
    n->alertFired(downAlert());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    const Notifier::Delivery d = n->recentDeliveries().constLast();
    QCOMPARE(d.attempts, Notifier::MaxAttempts);
    QVERIFY2(d.error.startsWith(QStringLiteral("SMTP: Couldn't connect to server")),
             qPrintable(d.error));
    QVERIFY(!d.error.contains(QString::number(port)));
}

void TestEmailNotifier::silentServer_neverBlocksTheCaller()
{
    QTcpServer silent; // accepts, never greets: an SMTP client waits for "220"
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    auto n = notifier(channel(silent.serverPort(), false));
    QElapsedTimer t;
    t.start();
    n->alertFired(downAlert());
    QVERIFY2(t.elapsed() < 1000, "alertFired returned only after the SMTP exchange");
    QCOMPARE(n->pending(), 1);
    QTRY_VERIFY(silent.hasPendingConnections() || silent.waitForNewConnection(0));
    // The event loop keeps running meanwhile.
    bool ticked = false;
    QTimer::singleShot(50, this, [&ticked] { ticked = true; });
    QTRY_VERIFY(ticked);
    QCOMPARE(n->pending(), 1);
    t.restart();
    n.reset(); // cuts the transfer short instead of waiting for curl's timeout
    QVERIFY2(t.elapsed() < 5000, "destroying the notifier waited for the SMTP timeout");
}

QTEST_GUILESS_MAIN(TestEmailNotifier)
#include "tst_emailnotifier.moc"
