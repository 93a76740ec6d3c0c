// The request composer against the built-in simulator on 127.0.0.1 (real sockets): an
// endpoint prefills the form, Send goes through the engine on the composer's own network
// thread, and the classified result (category, status, advice, headers, pretty body) shows
// up; the credential's secret never appears in the form, the result or the history. A token
// credential gets its token from the engine's TokenService first. Set HDECK_SCREENSHOT_DIR to
// keep a PNG of the composer with its result.
#include "composer/requestcomposer.h"

#include "eventdetailview.h"
#include "monitorsession.h"
#include "simdemosecrets.h"
#include "simulator.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>

using namespace hd;

namespace {

const char *WorkspaceJson = R"({
  "schema": "healthdeck.workspace/1",
  "name": "Composer test",
  "simulator": { "enabled": true, "seed": 7 },
  "environments": [
    { "id": "prod", "name": "Production", "baseUrl": "sim:/prod" },
    { "id": "uat", "name": "UAT over TLS", "baseUrl": "sim+tls-short:/preprod",
      "caFile": "sim:ca.pem", "caMode": "replace" }
  ],
  "credentials": [
    { "id": "signals-key", "method": "api_key_header", "headerName": "X-API-Key",
      "secretName": "HDECK_SIM_API_KEY" },
    { "id": "trading-oauth", "method": "oauth2_client_credentials",
      "tokenUrl": "sim:/s000/oauth/token", "clientId": "sim-client", "audience": "s000",
      "scope": "orders:read orders:write", "secretName": "HDECK_SIM_CLIENT_SECRET" }
  ],
  "endpoints": [
    { "id": "prod.signals.list", "environment": "prod", "path": "/s001/api/v1/signals",
      "credential": "signals-key", "intervalMs": 60000 },
    { "id": "prod.orders.list", "environment": "prod", "path": "/s000/v1/orders",
      "credential": "trading-oauth", "intervalMs": 60000 }
  ]
})";

// Every piece of text the composer shows, to look for a secret in.
QString allVisibleText(QWidget *root)
{
    QString text;
    for (auto *l : root->findChildren<QLabel *>())
        text += l->text() + u'\n';
    for (auto *e : root->findChildren<QLineEdit *>())
        text += e->text() + u'\n';
    for (auto *p : root->findChildren<QPlainTextEdit *>())
        text += p->toPlainText() + u'\n';
    for (auto *b : root->findChildren<QTextBrowser *>())
        text += b->toPlainText() + u'\n';
    for (auto *t : root->findChildren<QTableWidget *>())
        for (int r = 0; r < t->rowCount(); ++r)
            for (int c = 0; c < t->columnCount(); ++c)
                if (t->item(r, c))
                    text += t->item(r, c)->text() + u'\n';
    for (auto *l : root->findChildren<QListWidget *>())
        for (int r = 0; r < l->count(); ++r)
            text += l->item(r)->text() + u'\n';
    return text;
}

} // namespace

class TestComposer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void prefilledEndpoint_sendShowsClassifiedResult();
    void tokenCredential_getsTokenThenSends();
    void retries_followThePolicyAndFormTheTimeline();
    void history_keepsEveryRequestAndRestoresIt();
    void badInput_saysWhatIsMissing();
    void simulatorTlsEnvironment_showsAndUsesItsAddress();

private:
    static void grab(QWidget &w, const char *name);
    MonitorSession *m_session = nullptr;
};

void TestComposer::grab(QWidget &w, const char *name)
{
    const QString dir = qEnvironmentVariable("HDECK_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w.grab().save(dir + u'/' + QLatin1String(name));
}

void TestComposer::initTestCase()
{
    const auto parsed = WorkspaceFile::parse(WorkspaceJson, QStringLiteral("test"));
    QVERIFY2(parsed.workspace, qPrintable(parsed.error));
    m_session = new MonitorSession(this);
    // Opened (simulator running, engine loaded) but not polling: only the composer sends.
    const QString error = m_session->open(*parsed.workspace);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_session->simulator() && m_session->simulator()->isRunning());
}

void TestComposer::cleanupTestCase()
{
    m_session->close();
}

void TestComposer::prefilledEndpoint_sendShowsClassifiedResult()
{
    RequestComposer composer(m_session);
    composer.resize(1300, 860);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    auto *endpoint = composer.findChild<QComboBox *>(QStringLiteral("composerEndpoint"));
    auto *method = composer.findChild<QComboBox *>(QStringLiteral("composerMethod"));
    auto *url = composer.findChild<QLineEdit *>(QStringLiteral("composerUrl"));
    auto *credential = composer.findChild<QComboBox *>(QStringLiteral("composerCredential"));
    auto *body = composer.findChild<QPlainTextEdit *>(QStringLiteral("composerBody"));
    auto *send = composer.findChild<QPushButton *>(QStringLiteral("composerSend"));
    auto *status = composer.findChild<QLabel *>(QStringLiteral("composerStatus"));
    QVERIFY(endpoint && method && url && credential && body && send && status);

    // Choosing the endpoint fills the form.
    const int index = endpoint->findData(QStringLiteral("prod.signals.list"));
    QVERIFY(index > 0);
    endpoint->setCurrentIndex(index);
    emit endpoint->activated(index);
    QCOMPARE(url->text(), QStringLiteral("/s001/api/v1/signals"));
    QCOMPARE(credential->currentData().toString(), QStringLiteral("signals-key"));

    // A signal without its required fields: seed 001's VALIDATION_ERROR.
    method->setCurrentText(QStringLiteral("POST"));
    body->setPlainText(QStringLiteral("{\"qty\": 1}"));
    QSignalSpy finished(&composer, &RequestComposer::finished);
    QSignalSpy events(&composer, &RequestComposer::eventReady);
    send->click();
    QVERIFY(!send->isEnabled()); // busy while the answer is on its way
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QVERIFY(send->isEnabled());
    QCOMPARE(events.size(), 1);
    const ApiEvent event = events.first().first().value<ApiEvent>();
    QCOMPARE(event.httpStatus, std::optional<int>(400));
    HD_COMPARE_ENUM(event.category, Category::BadRequest);
    QVERIFY(!event.retry.advice.isEmpty());

    QVERIFY2(status->text().contains(QStringLiteral("HTTP 400")), qPrintable(status->text()));
    QVERIFY(status->text().contains(QStringLiteral("bad_request")));
    auto *summary = composer.findChild<QTextBrowser *>(QStringLiteral("eventDetail"));
    QVERIFY(summary->toPlainText().contains(QStringLiteral("What to do")));
    QVERIFY(summary->toPlainText().contains(event.retry.advice));
    auto *responseBody = composer.findChild<QPlainTextEdit *>(QStringLiteral("detailResponseBody"));
    QVERIFY(responseBody->toPlainText().contains(QStringLiteral("VALIDATION_ERROR")));
    QVERIFY(responseBody->toPlainText().contains(QStringLiteral("\n  "))); // pretty-printed
    auto *requestHeaders
        = composer.findChild<QTableWidget *>(QStringLiteral("detailRequestHeaders"));
    bool sawKeyHeader = false;
    for (int r = 0; r < requestHeaders->rowCount(); ++r)
        if (requestHeaders->item(r, 0)->text().compare(QStringLiteral("X-API-Key"),
                                                       Qt::CaseInsensitive)
            == 0) {
            sawKeyHeader = true;
            QCOMPARE(requestHeaders->item(r, 1)->text(), QStringLiteral("[REDACTED]"));
        }
    QVERIFY(sawKeyHeader);

    const auto secret = SimDemoSecrets::lookup(QStringLiteral("HDECK_SIM_API_KEY"));
    QVERIFY(secret && !secret->isEmpty());
    QVERIFY(!allVisibleText(&composer).contains(*secret));
    composer.findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(0);
    grab(composer, "composer.png");
}

void TestComposer::tokenCredential_getsTokenThenSends()
{
    RequestComposer composer(m_session);
    composer.prefill(QStringLiteral("prod.orders.list"));
    QSignalSpy finished(&composer, &RequestComposer::finished);
    QSignalSpy events(&composer, &RequestComposer::eventReady);
    composer.send();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(events.size(), 1);
    const ApiEvent event = events.first().first().value<ApiEvent>();
    QCOMPARE(event.httpStatus, std::optional<int>(200));
    HD_COMPARE_ENUM(event.category, Category::Ok);
    QVERIFY(m_session->engine()->tokenService(QStringLiteral("trading-oauth"))->hasUsableToken());
    QVERIFY(!allVisibleText(&composer).contains(
        m_session->engine()->tokenService(QStringLiteral("trading-oauth"))->token()));
}

void TestComposer::retries_followThePolicyAndFormTheTimeline()
{
    // Seed 004's maintenance answer: 503, retry with backoff. Short backoff so nothing sleeps.
    RequestComposer composer(m_session);
    composer.resize(1300, 860);
    composer.show();
    BackoffConfig backoff;
    backoff.baseMs = 5;
    backoff.capMs = 20;
    composer.setRetryBackoff(backoff);
    composer.findChild<QLineEdit *>(QStringLiteral("composerUrl"))
        ->setText(QStringLiteral("/s004/v1/maintenance/status"));
    composer.findChild<QSpinBox *>(QStringLiteral("composerRetries"))->setValue(2);
    QSignalSpy finished(&composer, &RequestComposer::finished);
    composer.findChild<QPushButton *>(QStringLiteral("composerSend"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(composer.history().size(), 1);
    const auto &attempts = composer.history().first().attempts;
    QCOMPARE(attempts.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(attempts[i].attempt, i + 1);
        HD_COMPARE_ENUM(attempts[i].category, Category::Unavailable);
    }
    auto *timeline = composer.findChild<QTableWidget *>(QStringLiteral("detailTimeline"));
    QCOMPARE(timeline->rowCount(), 3);
    QVERIFY(timeline->item(0, 5)->text().contains(QStringLiteral("retry_backoff, retried after")));
    QVERIFY(timeline->item(2, 5)->text().contains(QStringLiteral("last attempt")));
    auto *detail = composer.resultView();
    detail->resize(1000, 640);
    grab(*detail, "detail-pane.png");
}

void TestComposer::history_keepsEveryRequestAndRestoresIt()
{
    RequestComposer composer(m_session);
    auto *url = composer.findChild<QLineEdit *>(QStringLiteral("composerUrl"));
    auto *history = composer.findChild<QListWidget *>(QStringLiteral("composerHistory"));
    QSignalSpy finished(&composer, &RequestComposer::finished);
    url->setText(QStringLiteral("/s000/v1/health"));
    composer.send();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    url->setText(QStringLiteral("/s000/v1/no-such-thing"));
    composer.send();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
    QCOMPARE(composer.history().size(), 2);
    QCOMPARE(history->count(), 2);
    QVERIFY2(history->item(0)->text().contains(QStringLiteral("404")),
             qPrintable(history->item(0)->text()));
    QVERIFY2(history->item(1)->text().contains(QStringLiteral("200 ok")),
             qPrintable(history->item(1)->text()));
    history->setCurrentRow(1);
    QCOMPARE(url->text(), QStringLiteral("/s000/v1/health"));
    QCOMPARE(composer.resultView()->shownEvent().httpStatus, std::optional<int>(200));
}

void TestComposer::badInput_saysWhatIsMissing()
{
    RequestComposer composer(m_session);
    auto *status = composer.findChild<QLabel *>(QStringLiteral("composerStatus"));
    composer.send();
    QCOMPARE(status->text(), QStringLiteral("Enter a URL or a path first."));
    composer.findChild<QLineEdit *>(QStringLiteral("composerUrl"))
        ->setText(QStringLiteral("ftp://x"));
    composer.send();
    QVERIFY2(status->text().contains(QStringLiteral("not an http(s) URL")),
             qPrintable(status->text()));
    QVERIFY(composer.history().isEmpty());

    RequestComposer noSession(nullptr);
    noSession.findChild<QLineEdit *>(QStringLiteral("composerUrl"))
        ->setText(QStringLiteral("/relative"));
    noSession.send();
    QVERIFY(noSession.findChild<QLabel *>(QStringLiteral("composerStatus"))
                ->text()
                .contains(QStringLiteral("full http:// or https:// URL")));
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"

// An environment on the simulator's TLS routes (sim+tls…:, its own CA) is sent to over https
// with that CA, and the form shows the address requests go to, not the placeholder.
void TestComposer::simulatorTlsEnvironment_showsAndUsesItsAddress()
{
    RequestComposer composer(m_session);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    auto *environment = composer.findChild<QComboBox *>(QStringLiteral("composerEnvironment"));
    auto *base = composer.findChild<QLabel *>(QStringLiteral("composerBaseUrl"));
    auto *url = composer.findChild<QLineEdit *>(QStringLiteral("composerUrl"));
    auto *send = composer.findChild<QPushButton *>(QStringLiteral("composerSend"));
    QVERIFY(environment && base && url && send);
    const int uat = environment->findData(QStringLiteral("uat"));
    QVERIFY(uat >= 0);
    environment->setCurrentIndex(uat);
    QVERIFY2(base->text().contains(QStringLiteral("https://127.0.0.1:")), qPrintable(base->text()));
    QVERIFY2(!base->text().contains(QStringLiteral("sim+tls")), qPrintable(base->text()));

    url->setText(QStringLiteral("/s004/v1/health"));
    QSignalSpy finished(&composer, &RequestComposer::finished);
    QSignalSpy events(&composer, &RequestComposer::eventReady);
    send->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QCOMPARE(events.size(), 1);
    const ApiEvent event = events.first().first().value<ApiEvent>();
    QVERIFY(event.request);
    QVERIFY2(event.request->url.startsWith(QStringLiteral("https://127.0.0.1:")),
             qPrintable(event.request->url));
    HD_COMPARE_ENUM(event.category, Category::Ok);
    QVERIFY(event.tls.has_value());
    QVERIFY(event.tls->daysLeft.has_value());
    QVERIFY2(*event.tls->daysLeft <= 7, "the short-lived route's certificate");
}
