// The detail pane: advice, pretty JSON, headers, identifiers copyable one by one, the retry
// timeline of a request's attempts, Copy as curl with secrets as $VARIABLES, and "Add to
// support bundle" carrying the event id — driven through the buttons by object name.
#include "eventdetailview.h"

#include "redactor.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

using namespace hd;

namespace {

const QString Secret = QStringLiteral("s3cr3t-bearer-value-42");

ApiEvent failedOrder(int attempt, qint64 timeMs)
{
    ApiEvent e;
    e.id = QStringLiteral("evt-%1").arg(attempt);
    e.timeMs = timeMs;
    e.environment = QStringLiteral("prod");
    e.endpoint = QStringLiteral("prod.orders.place");
    e.profile = QStringLiteral("code-message");
    e.attempt = attempt;
    RequestInfo r;
    r.method = QStringLiteral("POST");
    r.url = QStringLiteral("https://api.example.com/v1/orders");
    // What the engine records: the Authorization value already redacted.
    r.headers = {{QStringLiteral("Authorization"), QStringLiteral("[REDACTED]")},
                 {QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    r.body = QStringLiteral("{\"symbol\":\"ES\",\"qty\":5000}");
    e.request = r;
    ResponseInfo resp;
    resp.headers = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")},
                    {QStringLiteral("X-Request-Id"), QStringLiteral("req-9f2c")}};
    resp.body = QStringLiteral("{\"code\":50301,\"message\":\"Service temporarily unavailable\"}");
    resp.size = resp.body.size();
    e.response = resp;
    e.durationMs = 41.5;
    e.outcome = Outcome::ServerError;
    e.category = Category::Unavailable;
    e.httpStatus = 503;
    ErrorInfo err;
    err.code = QStringLiteral("50301");
    err.type = ErrorType::Unavailable;
    err.message = QStringLiteral("Service temporarily unavailable");
    e.error = err;
    e.identifiers.traceId = QStringLiteral("req-9f2c");
    e.identifiers.clOrdId = QStringLiteral("ORD-BIG-1");
    e.retry.retryable = true;
    e.retry.action = RetryAction::RetryBackoff;
    e.retry.delayMs = 1000 * attempt;
    e.retry.advice = QStringLiteral("Retry with exponential backoff; the service is unavailable.");
    return e;
}

} // namespace

class TestEventDetail : public QObject
{
    Q_OBJECT
private slots:
    void summary_showsAdviceErrorAndCategory();
    void requestAndResponse_prettyJsonAndHeaderTables();
    void identifiers_eachCopyButtonCopiesItsValue();
    void timeline_showsTheAttemptsOfTheSameRequestOnly();
    void addToSupportBundle_emitsTheEventId();
    void showNothing_disablesActions();
    void notes_showWhatWasClampedOrCut();
};

void TestEventDetail::summary_showsAdviceErrorAndCategory()
{
    EventDetailView view;
    view.showApiEvent(failedOrder(1, 1000));
    auto *summary = view.findChild<QTextBrowser *>(QStringLiteral("eventDetail"));
    QVERIFY(summary);
    const QString text = summary->toPlainText();
    QVERIFY(text.contains(QStringLiteral("What to do")));
    QVERIFY(text.contains(QStringLiteral("Retry with exponential backoff")));
    QVERIFY(text.contains(QStringLiteral("Service temporarily unavailable")));
    QVERIFY(text.contains(QStringLiteral("50301")));
    // Why: the profile and the rule behind each decision.
    QVERIFY2(text.contains(QStringLiteral("Why this verdict")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("code-message:/fields/code/0 (/code)")),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("builtin:HTTP status 503 → unavailable")));
    QVERIFY(!text.contains(QStringLiteral("now reads as")));
    auto *headline = view.findChild<QLabel *>(QStringLiteral("detailHeadline"));
    QVERIFY(headline);
    QVERIFY(headline->text().contains(QStringLiteral("prod.orders.place")));
    QVERIFY(headline->text().contains(QStringLiteral("503 · unavailable")));
}

void TestEventDetail::requestAndResponse_prettyJsonAndHeaderTables()
{
    EventDetailView view;
    view.showApiEvent(failedOrder(1, 1000));
    auto *body = view.findChild<QPlainTextEdit *>(QStringLiteral("detailResponseBody"));
    auto *headers = view.findChild<QTableWidget *>(QStringLiteral("detailResponseHeaders"));
    auto *reqHeaders = view.findChild<QTableWidget *>(QStringLiteral("detailRequestHeaders"));
    auto *reqBody = view.findChild<QPlainTextEdit *>(QStringLiteral("detailRequestBody"));
    QVERIFY(body && headers && reqHeaders && reqBody);
    QCOMPARE(body->toPlainText(),
             QStringLiteral("{\n  \"code\": 50301,\n  \"message\": \"Service temporarily "
                            "unavailable\"\n}"));
    QCOMPARE(headers->rowCount(), 2);
    QCOMPARE(headers->item(1, 0)->text(), QStringLiteral("X-Request-Id"));
    QCOMPARE(headers->item(1, 1)->text(), QStringLiteral("req-9f2c"));
    QCOMPARE(reqHeaders->item(0, 1)->text(), QStringLiteral("[REDACTED]"));
    QVERIFY(reqBody->toPlainText().contains(QStringLiteral("\"qty\": 5000")));
    // Non-JSON stays as it is.
    QCOMPARE(EventDetailView::prettyBody(QStringLiteral("<html>502</html>")),
             QStringLiteral("<html>502</html>"));
}

void TestEventDetail::identifiers_eachCopyButtonCopiesItsValue()
{
    EventDetailView view;
    view.showApiEvent(failedOrder(1, 1000));
    auto *copyTrace = view.findChild<QToolButton *>(QStringLiteral("detailCopyId_traceId"));
    auto *copyClOrd = view.findChild<QToolButton *>(QStringLiteral("detailCopyId_clOrdId"));
    QVERIFY(copyTrace && copyClOrd);
    QVERIFY(!view.findChild<QToolButton *>(QStringLiteral("detailCopyId_orderId")));
    copyTrace->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("req-9f2c"));
    copyClOrd->click();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("ORD-BIG-1"));
}

void TestEventDetail::timeline_showsTheAttemptsOfTheSameRequestOnly()
{
    // Two runs of the same endpoint (attempts 1-3, then a new attempt 1) and another endpoint.
    QList<ApiEvent> recent;
    for (int a = 1; a <= 3; ++a)
        recent.append(failedOrder(a, 1000 + a * 2000));
    ApiEvent laterRun = failedOrder(1, 20000);
    laterRun.id = QStringLiteral("evt-later");
    recent.append(laterRun);
    ApiEvent other = failedOrder(2, 4000);
    other.id = QStringLiteral("evt-other");
    other.endpoint = QStringLiteral("prod.positions");
    recent.append(other);

    EventDetailView view;
    view.showApiEvent(recent[1], recent);
    auto *timeline = view.findChild<QTableWidget *>(QStringLiteral("detailTimeline"));
    QVERIFY(timeline);
    QCOMPARE(timeline->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(timeline->item(row, 0)->text(), QString::number(row + 1));
    QCOMPARE(timeline->item(0, 2)->text(), QStringLiteral("503"));
    QCOMPARE(timeline->item(0, 3)->text(), QStringLiteral("unavailable"));
    QVERIFY(timeline->item(0, 5)->text().contains(QStringLiteral("1000 ms")));
    QVERIFY(timeline->item(1, 5)->text().contains(QStringLiteral("2000 ms")));
    QVERIFY(timeline->item(2, 5)->text().contains(QStringLiteral("last attempt")));
    QVERIFY(timeline->item(1, 0)->font().bold()); // the event shown
    QVERIFY(!view.findChild<QWidget *>(QStringLiteral("detailAttempts"))->isHidden());

    // A single attempt has no timeline to show.
    view.showApiEvent(laterRun, recent);
    QCOMPARE(timeline->rowCount(), 1);
    QVERIFY(view.findChild<QWidget *>(QStringLiteral("detailAttempts"))->isHidden());
}

void TestEventDetail::addToSupportBundle_emitsTheEventId()
{
    EventDetailView view;
    QSignalSpy spy(&view, &EventDetailView::addToSupportBundleRequested);
    view.showApiEvent(failedOrder(2, 5000));
    view.findChild<QPushButton *>(QStringLiteral("detailAddToBundle"))->click();
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().first().toString(), QStringLiteral("evt-2"));
}

void TestEventDetail::showNothing_disablesActions()
{
    EventDetailView view;
    view.showApiEvent(failedOrder(1, 1000));
    view.showNothing();
    QVERIFY(!view.hasEvent());
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("detailCopyCurl"))->isEnabled());
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("detailAddToBundle"))->isEnabled());
    QVERIFY(!view.findChild<QToolButton *>(QStringLiteral("detailCopyId_traceId")));
}

void TestEventDetail::notes_showWhatWasClampedOrCut()
{
    ApiEvent e = failedOrder(1, 1000);
    e.notes = {QStringLiteral("Retry-After of 315360000 s clamped to 3600 s (the longest wait "
                              "HealthDeck honours)")};
    EventDetailView view;
    view.showApiEvent(e);
    auto *summary = view.findChild<QTextBrowser *>(QStringLiteral("eventDetail"));
    QVERIFY(summary);
    const QString text = summary->toPlainText();
    QVERIFY(text.contains(QStringLiteral("Not taken at face value")));
    QVERIFY(text.contains(QStringLiteral("315360000 s clamped to 3600 s")));
    // No notes, no section.
    view.showApiEvent(failedOrder(2, 1000));
    QVERIFY(!summary->toPlainText().contains(QStringLiteral("Not taken at face value")));
}

QTEST_MAIN(TestEventDetail)
#include "tst_eventdetail.moc"
