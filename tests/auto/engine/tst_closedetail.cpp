// Issue #18: what a closed connection honestly tells. Qt 6.4 reports a reset (RST) and an
// orderly close (FIN) as the same RemoteHostClosedError with the same text, so the event says
// where the exchange stopped (before any response byte, mid-body, during the TLS handshake) and
// whether the connection was fresh or reused — observed, not guessed — and the advice follows
// from that. Against the simulator's fault switches on real sockets.
#include "classifier.h"
#include "httpattempt.h"
#include "simulator.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace hd;

class TestCloseDetail : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void reset_beforeAnyByte_onAFreshConnection();
    void orderlyClose_readsLikeReset_becauseQtCannotTellThemApart();
    void truncate_midBody_saysHowFarItGot();
    void idleCut_afterTheRequestWasSent();
    void explanation_saysTheEngineObservedIt();

private:
    void inject(const QString &fault);
    ApiEvent get(const QString &path) { return send(path, {}); }
    ApiEvent send(const QString &path, const QByteArray &body);

    std::unique_ptr<Simulator> m_sim;
    Classifier m_classifier;
};

void TestCloseDetail::initTestCase()
{
    SimConfig config;
    config.backgroundErrorRate = 0;
    config.idleCutMs = 100;
    m_sim = std::make_unique<Simulator>(config);
    QVERIFY(m_sim->start(0) != 0);
}

void TestCloseDetail::init()
{
    m_sim->reset();
}

void TestCloseDetail::inject(const QString &fault)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(m_sim->baseUrl().resolved(QUrl(QStringLiteral("/_sim/faults"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray body
        = QJsonDocument(QJsonObject{{QStringLiteral("path"), QStringLiteral("/s004/v1/health")},
                                    {QStringLiteral("fault"), fault}})
              .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = nam.post(request, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    reply->deleteLater();
}

ApiEvent TestCloseDetail::send(const QString &path, const QByteArray &body)
{
    QNetworkAccessManager nam;
    HttpRequestSpec spec;
    spec.url = m_sim->baseUrl().resolved(QUrl(path));
    if (!body.isEmpty()) {
        spec.method = QStringLiteral("PUT"); // idempotent: retry safety says nothing extra
        spec.body = body;
    }
    spec.timeoutMs = 5000;
    spec.endpoint = QStringLiteral("health");
    HttpAttempt attempt(&nam, &m_classifier);
    QSignalSpy done(&attempt, &HttpAttempt::finished);
    attempt.start(spec, 1);
    if (!done.wait(10000))
        return {};
    return done.first().first().value<ApiEvent>();
}

void TestCloseDetail::reset_beforeAnyByte_onAFreshConnection()
{
    inject(QStringLiteral("reset"));
    const ApiEvent e = get(QStringLiteral("/s004/v1/health"));
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    QVERIFY(e.error);
    // A GET has no body: Qt 6.4 does not say when it was written, so the words do not either.
    QVERIFY2(e.error->message.contains(QStringLiteral(
                 "the connection ended before any response byte, on a connection opened for "
                 "this request")),
             qPrintable(e.error->message));
    QVERIFY2(e.retry.advice.contains(QStringLiteral("closed without answering")),
             qPrintable(e.retry.advice));
    QVERIFY(e.timing && e.timing->reusedConnection == std::optional<bool>(false));
}

void TestCloseDetail::orderlyClose_readsLikeReset_becauseQtCannotTellThemApart()
{
    inject(QStringLiteral("reset"));
    const ApiEvent reset = get(QStringLiteral("/s004/v1/health"));
    m_sim->reset();
    inject(QStringLiteral("close"));
    const ApiEvent fin = get(QStringLiteral("/s004/v1/health"));
    QVERIFY(reset.error && fin.error);
    // The same observation, so the same words and category: the event claims no more than Qt
    // lets it see (docs/network.md, "Closed connections").
    HD_COMPARE_ENUM(fin.category, reset.category);
    QCOMPARE(fin.error->message, reset.error->message);
}

void TestCloseDetail::truncate_midBody_saysHowFarItGot()
{
    inject(QStringLiteral("truncate"));
    const ApiEvent e = get(QStringLiteral("/s004/v1/health"));
    HD_COMPARE_ENUM(e.outcome, Outcome::ConnectionError);
    QVERIFY(e.error);
    QVERIFY2(e.error->message.contains(QStringLiteral("in the middle of the response body")),
             qPrintable(e.error->message));
    QVERIFY2(e.error->message.contains(QStringLiteral("after HTTP 200 headers")),
             qPrintable(e.error->message));
    QVERIFY2(e.retry.advice.contains(QStringLiteral("cut mid-transfer")),
             qPrintable(e.retry.advice));
}

void TestCloseDetail::idleCut_afterTheRequestWasSent()
{
    // With a body Qt reports requestSent, so the event can say the request left this machine.
    inject(QStringLiteral("idle_cut"));
    const ApiEvent e = send(QStringLiteral("/s004/v1/health"), QByteArrayLiteral("{\"a\":1}"));
    HD_COMPARE_ENUM(e.category, Category::RemoteClosed);
    QVERIFY(e.error);
    QVERIFY2(e.error->message.contains(QStringLiteral("after the request was sent, before any "
                                                      "response byte")),
             qPrintable(e.error->message));
    // Plain http on a fresh connection: connect_ms runs to requestSent; no response head came.
    QVERIFY(e.timing && e.timing->connectMs && !e.timing->firstByteMs);
}

void TestCloseDetail::explanation_saysTheEngineObservedIt()
{
    // The same detail through the classifier's own path (ClassifyInput::networkErrorDetail).
    ClassifyInput in;
    in.networkError = QStringLiteral("other side closed");
    in.networkErrorDetail = QStringLiteral("Connection closed: the connection ended after the "
                                           "request was sent, before any response byte");
    Explanation why;
    const ApiEvent e = m_classifier.classify(in, &why);
    QCOMPARE(e.error->message, in.networkErrorDetail);
    QVERIFY(why.message.startsWith(QStringLiteral("engine:")));
}

QTEST_GUILESS_MAIN(TestCloseDetail)
#include "tst_closedetail.moc"
