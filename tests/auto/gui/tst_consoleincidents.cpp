// Incidents in the console, end to end on the built-in simulator: an endpoint goes down, the
// incident appears in the Incidents dock with "told inbox" in its timeline, Acknowledge takes
// it in the name typed in "As" (the alert is acknowledged, the channel is told who took it), a
// note with a token pasted into it is kept masked, a failed-event link opens the event, and
// after a restart the incident is still there — closed, saying why.

#include "alertengine.h"
#include "consoletest.h"
#include "eventdetailview.h"
#include "incidentlog.h"
#include "incidentpanel.h"
#include "monitorsession.h"
#include "simulator.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace hd;

class TestConsoleIncidents : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void downEndpoint_incidentAcknowledgedNotedAndKept();

private:
    QTemporaryDir m_home;
};

void TestConsoleIncidents::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsoleIncidents::downEndpoint_incidentAcknowledgedNotedAndKept()
{
    AlertRule down;
    down.id = QStringLiteral("health-down");
    down.kind = QStringLiteral("down");
    down.scope = QStringLiteral("*");
    down.count = 2;
    down.groupWindowS = 0; // told at once: the test runs on the real clock
    down.channels = {QStringLiteral("inbox")};
    Workspace ws = test::simWorkspace(
        QStringLiteral("incidents"),
        {test::simEndpoint(QStringLiteral("prod.maintenance"),
                           QStringLiteral("/s004/v1/maintenance/status"), 200),
         test::simEndpoint(QStringLiteral("prod.health"), QStringLiteral("/s000/v1/health"), 1000)},
        {down});
    NotificationChannel inbox;
    inbox.id = QStringLiteral("inbox");
    inbox.kind = QStringLiteral("webhook");
    inbox.name = QStringLiteral("Simulator inbox");
    inbox.url = QStringLiteral("sim:/_sim/webhook");
    ws.channels = {inbox};
    const QString path = m_home.filePath(QStringLiteral("incidents.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    QString incidentId;
    {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(test::openAndWait(w, path));
        IncidentPanel *panel = w.incidentPanel();
        QVERIFY(panel);
        auto *dock = w.findChild<QDockWidget *>(QStringLiteral("incidentDock"));
        QVERIFY(dock);
        QVERIFY(!dock->isVisible());
        auto *show = w.findChild<QAction *>(QStringLiteral("actionShowIncidents"));
        QVERIFY(show);
        show->trigger();
        QVERIFY(dock->isVisible());

        QTRY_VERIFY_WITH_TIMEOUT(panel->tree()->topLevelItemCount() > 0, 20000);
        QTreeWidgetItem *item = panel->tree()->topLevelItem(0);
        QCOMPARE(item->text(IncidentPanel::State), QStringLiteral("firing"));
        QCOMPARE(item->text(IncidentPanel::Subject), QStringLiteral("prod.maintenance"));
        panel->tree()->setCurrentItem(item);
        incidentId = panel->currentIncidentId();
        QVERIFY(incidentId.startsWith(QStringLiteral("inc-")));
        // The notifier's delivery is written into the timeline.
        QTRY_VERIFY_WITH_TIMEOUT(panel->timeline()->toPlainText().contains(
                                     QStringLiteral("told inbox (webhook, trigger)")),
                                 10000);

        auto *author = panel->findChild<QLineEdit *>(QStringLiteral("incidentAuthor"));
        QVERIFY(author);
        author->setText(QStringLiteral("alice"));
        auto *ack = panel->findChild<QPushButton *>(QStringLiteral("incidentAcknowledge"));
        QVERIFY(ack && ack->isEnabled());
        ack->click();
        QVERIFY(!ack->isEnabled());
        const Incident acked = *w.session()->incidents()->incident(incidentId);
        QCOMPARE(acked.acknowledgedBy, QStringLiteral("alice"));
        QCOMPARE(acked.acknowledgedVia, QStringLiteral("console"));
        QCOMPARE(item->text(IncidentPanel::Acknowledged), QStringLiteral("alice via console"));
        const QList<AlertState> active = w.session()->alerts()->active();
        QVERIFY(std::any_of(active.cbegin(), active.cend(), [](const AlertState &a) {
            return a.subject == u"prod.maintenance" && a.acknowledged;
        }));
        QTRY_VERIFY_WITH_TIMEOUT(panel->timeline()->toPlainText().contains(
                                     QStringLiteral("told inbox (webhook, acknowledge)")),
                                 10000);

        auto *note = panel->findChild<QPlainTextEdit *>(QStringLiteral("incidentNote"));
        QVERIFY(note);
        note->setPlainText(QStringLiteral("Vendor ticket 88120. Tried it by hand with "
                                          "access_token=tok_live_5b7d9e1f3a"));
        panel->findChild<QPushButton *>(QStringLiteral("incidentAddNote"))->click();
        QVERIFY(note->toPlainText().isEmpty());
        const QString timeline = panel->timeline()->toPlainText();
        QVERIFY2(timeline.contains(QStringLiteral("Vendor ticket 88120")), qPrintable(timeline));
        QVERIFY2(!timeline.contains(QStringLiteral("tok_live_5b7d9e1f3a")), qPrintable(timeline));

        // A failed event of the incident opens in the detail pane.
        const Incident withEvents = *w.session()->incidents()->incident(incidentId);
        QVERIFY(!withEvents.eventIds.isEmpty());
        QVERIFY(panel->timeline()->toHtml().contains(QStringLiteral("event:")));
        emit panel->timeline()->anchorClicked(
            QUrl(QStringLiteral("event:") + withEvents.eventIds.first()));
        auto *detail = w.findChild<EventDetailView *>();
        QTRY_VERIFY(detail->curlCommand().contains(QStringLiteral("/s004/v1/maintenance/status")));

        w.resizeDocks({dock}, {430}, Qt::Vertical);
        test::docScreenshot(&w, "incident-timeline.png");
        w.close();
    }

    // The next start: the incident is read back from the history, closed with the reason.
    MainWindow again;
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(test::openAndWait(again, path));
    const auto restored = again.session()->incidents()->incident(incidentId);
    QVERIFY(restored);
    QCOMPARE(restored->acknowledgedBy, QStringLiteral("alice"));
    QVERIFY(!restored->open());
    QVERIFY(restored->timeline.last().text.contains(QStringLiteral("started again")));
    QVERIFY(
        std::any_of(restored->timeline.cbegin(), restored->timeline.cend(),
                    [](const IncidentEntry &e) { return e.kind == IncidentEntry::Kind::Note; }));
}

QTEST_MAIN(TestConsoleIncidents)
#include "tst_consoleincidents.moc"
