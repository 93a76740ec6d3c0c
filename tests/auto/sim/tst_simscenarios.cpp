// Every route of GET /_sim/scenarios, sent through the real engine (HttpAttempt + Classifier on
// real loopback sockets), gets exactly the category the simulator declares for it.
#include "classifier.h"
#include "proberunner.h"
#include "simulator.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace hd;

class TestSimScenarios : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void catalogue_coversEveryCategory();
    void scenario_data();
    void scenario();

private:
    QByteArray control(const QByteArray &method, const QString &path, const QByteArray &body = {});
    ApiEvent probe(const QJsonObject &s);
    ApiEvent webSocket(const QJsonObject &s);

    SimConfig m_config;
    std::unique_ptr<Simulator> m_sim;
    QNetworkAccessManager m_nam;
    Classifier m_classifier;
    QJsonArray m_scenarios;
};

void TestSimScenarios::initTestCase()
{
    // Short windows so the stateful scenarios (quotas, the Tradovate lockout) stay fast.
    m_config.backgroundErrorRate = 0;
    m_config.tradovateWarnAt = 3;
    m_config.tradovateLockAt = 5;
    m_config.lockoutWindowMs = 2000;
    m_config.slowReportMs = 100;
    m_config.idleCutMs = 150;
    m_config.slowByteMs = 50;
    m_sim = std::make_unique<Simulator>(m_config);
    QVERIFY(m_sim->start(0) != 0);
    const QJsonDocument doc
        = QJsonDocument::fromJson(control("GET", QStringLiteral("/_sim/scenarios")));
    QVERIFY(doc.isArray());
    m_scenarios = doc.array();
    QVERIFY(m_scenarios.size() > 50);
}

void TestSimScenarios::init()
{
    m_nam.clearConnectionCache();
}

QByteArray TestSimScenarios::control(const QByteArray &method, const QString &path,
                                     const QByteArray &body)
{
    QNetworkRequest req(QUrl(m_sim->baseUrl().toString() + path));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    const QByteArray out = reply->readAll();
    reply->deleteLater();
    return out;
}

void TestSimScenarios::catalogue_coversEveryCategory()
{
    QSet<QString> declared;
    for (const QJsonValue &v : std::as_const(m_scenarios)) {
        const QJsonObject s = v.toObject();
        for (const char *key : {"id", "method", "path", "url", "description", "category"})
            QVERIFY2(!s.value(QLatin1String(key)).toString().isEmpty(),
                     qPrintable(s.value(QStringLiteral("id")).toString() + QStringLiteral(" lacks ")
                                + QLatin1String(key)));
        QVERIFY2(categoryFromString(s.value(QStringLiteral("category")).toString().toStdString()),
                 qPrintable(s.value(QStringLiteral("category")).toString()));
        declared.insert(s.value(QStringLiteral("category")).toString());
    }
    for (int c = 0; c < CategoryCount; ++c) {
        const QString name = toQString(toString(Category(c)));
        QVERIFY2(declared.contains(name),
                 qPrintable(QStringLiteral("no scenario for %1").arg(name)));
    }
}

void TestSimScenarios::scenario_data()
{
    QTest::addColumn<QJsonObject>("s");
    for (const QJsonValue &v : std::as_const(m_scenarios))
        QTest::newRow(qPrintable(v.toObject().value(QStringLiteral("id")).toString()))
            << v.toObject();
}

ApiEvent TestSimScenarios::probe(const QJsonObject &s)
{
    HttpRequestSpec spec;
    spec.method = s.value(QStringLiteral("method")).toString();
    spec.url = QUrl(s.value(QStringLiteral("url")).toString());
    spec.timeoutMs = s.value(QStringLiteral("timeout_ms")).toInt(5000);
    spec.profile = s.value(QStringLiteral("profile")).toString(QStringLiteral("auto"));
    const QJsonObject headers = s.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        spec.headers.append({it.key(), it.value().toString()});
    spec.body = s.value(QStringLiteral("body")).toString().toUtf8();
    if (const int size = s.value(QStringLiteral("body_size")).toInt(); size > 0)
        spec.body = QByteArray(size, 'x');
    ApiEvent last;
    const int repeat = s.value(QStringLiteral("repeat")).toInt(1);
    for (int i = 0; i < repeat; ++i) {
        ProbeRunner runner(&m_nam, &m_classifier, RetryPolicy(BackoffConfig{}));
        QList<ApiEvent> events;
        connect(&runner, &ProbeRunner::attemptFinished, this,
                [&](const ApiEvent &e) { events.append(e); });
        QSignalSpy done(&runner, &ProbeRunner::finished);
        runner.start(spec, 0);
        if (done.isEmpty())
            done.wait(30000);
        if (events.size() != 1)
            return {};
        last = events.front();
    }
    return last;
}

ApiEvent TestSimScenarios::webSocket(const QJsonObject &s)
{
    // The Tradovate WebSocket: frames go through the classifier as the engine's WebSocket
    // worker would pass them (HTTP 101 + the a[...] frame); a drop is a connection error.
    QWebSocket ws;
    QStringList frames;
    connect(&ws, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { frames.append(m); });
    QSignalSpy closed(&ws, &QWebSocket::disconnected);
    ws.open(QUrl(s.value(QStringLiteral("url")).toString()));
    if (!QTest::qWaitFor([&] { return frames.contains(QStringLiteral("o")); }, 5000))
        return {};
    ClassifyInput in;
    in.profile = s.value(QStringLiteral("profile")).toString(QStringLiteral("auto"));
    if (s.value(QStringLiteral("category")).toString() == u"stream_dropped") {
        if (closed.isEmpty() && !closed.wait(5000))
            return {};
        // Dropped: the connection ended without the server's c[…] frame or a close handshake
        // (Qt 6.4 reports close code 1000 even then, so the frames tell).
        if (std::any_of(frames.begin(), frames.end(),
                        [](const QString &f) { return f.startsWith(u"c["); }))
            return {};
        in.networkError = QStringLiteral("stream_dropped"); // no close frame: the stream dropped
        return m_classifier.classify(in);
    }
    ws.sendTextMessage(QStringLiteral("user/syncrequest\n7\n\n{}"));
    if (!QTest::qWaitFor([&] { return frames.size() > 1 && frames.last().startsWith(u"a["); },
                         5000))
        return {};
    in.status = 101;
    in.body = frames.last().toUtf8();
    return m_classifier.classify(in);
}

void TestSimScenarios::scenario()
{
    QFETCH(QJsonObject, s);
    // Each scenario starts from a fresh simulator state (quotas, lockouts, stores), through
    // the control API.
    QVERIFY(control("POST", QStringLiteral("/_sim/reset")).contains("reset"));
    const bool ws = s.value(QStringLiteral("transport")).toString() == u"websocket";
    const ApiEvent e = ws ? webSocket(s) : probe(s);
    QVERIFY2(!e.id.isEmpty() || ws, "the engine produced no event");
    const QString actual = toQString(toString(e.category));
    const QString declared = s.value(QStringLiteral("category")).toString();
    if (actual != declared) {
        // A few faults are real on the wire but look different through Qt 6.4 (a reset before
        // any response byte reads as an orderly close); the scenario names what it accepts.
        const QJsonArray accept = s.value(QStringLiteral("accept")).toArray();
        QVERIFY2(accept.contains(actual),
                 qPrintable(QStringLiteral("%1: declared %2, engine said %3 (%4, http %5)")
                                .arg(s.value(QStringLiteral("id")).toString(), declared, actual,
                                     e.networkError)
                                .arg(e.httpStatus.value_or(0))));
        qInfo("%s: declared %s, accepted %s (Qt 6.4 limitation)",
              qPrintable(s.value(QStringLiteral("id")).toString()), qPrintable(declared),
              qPrintable(actual));
    }
}

QTEST_GUILESS_MAIN(TestSimScenarios)
#include "tst_simscenarios.moc"
