// Alerts → Notifications… on the demo workspace and its simulator: the Channels tab lists the
// demo's channel (the simulator's inbox) with the rules that route to it and their reminder,
// grouping and flapping settings; "Send test" goes through the Notifier, shows in the
// Deliveries tab and arrives in the Inbox tab (read from the simulator's /_sim/webhook), and
// Clear empties the inbox. A second workspace adds Slack, PagerDuty and e-mail channels whose
// secrets are shown by name and state only, never by value. Saves
// docs/screenshots/notification-settings.png when HD_SCREENSHOT_DIR is set.
#include "consoletest.h"
#include "monitorsession.h"
#include "notificationsdialog.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>

#include <functional>

using namespace hd;

class TestConsoleNotifications : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void demo_channelsSendTestDeliveriesAndInbox();
    void secrets_shownByNameAndStateOnly();

private:
    static NotificationsDialog *open(MainWindow &w);
    static QTreeWidgetItem *channelItem(QTreeWidget *tree, const QString &id);
    static QTreeWidgetItem *inboxTest(QTreeWidget *inbox);
    QTemporaryDir m_home;
};

void TestConsoleNotifications::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

NotificationsDialog *TestConsoleNotifications::open(MainWindow &w)
{
    auto *action = w.findChild<QAction *>(QStringLiteral("actionNotifications"));
    if (!action)
        return nullptr;
    action->trigger();
    auto *d = w.findChild<NotificationsDialog *>(QStringLiteral("notificationsDialog"));
    if (!d || !QTest::qWaitForWindowExposed(d))
        return nullptr;
    return d;
}

QTreeWidgetItem *TestConsoleNotifications::channelItem(QTreeWidget *tree, const QString &id)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(NotificationsDialog::ChannelName) == id)
            return tree->topLevelItem(i);
    return nullptr;
}

QTreeWidgetItem *TestConsoleNotifications::inboxTest(QTreeWidget *inbox)
{
    for (int i = 0; i < inbox->topLevelItemCount(); ++i)
        if (inbox->topLevelItem(i)->text(NotificationsDialog::InboxAction) == u"test")
            return inbox->topLevelItem(i);
    return nullptr;
}

void TestConsoleNotifications::demo_channelsSendTestDeliveriesAndInbox()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openDemoAndWait(w));
    NotificationsDialog *d = open(w);
    QVERIFY(d);
    QVERIFY(!d->isModal());
    auto *tabs = d->findChild<QTabWidget *>(QStringLiteral("notificationsTabs"));
    auto *channels = d->findChild<QTreeWidget *>(QStringLiteral("notificationChannels"));
    auto *status = d->findChild<QLabel *>(QStringLiteral("notificationsStatus"));
    auto *deliveries = d->findChild<QTreeWidget *>(QStringLiteral("notificationDeliveries"));
    auto *inbox = d->findChild<QTreeWidget *>(QStringLiteral("webhookInbox"));
    QVERIFY(tabs && channels && status && deliveries && inbox);

    // The demo's one channel, the simulator's inbox, and every rule that routes to it.
    QCOMPARE(channels->topLevelItemCount(), 1);
    QTreeWidgetItem *sim = channelItem(channels, QStringLiteral("sim-inbox"));
    QVERIFY(sim);
    QCOMPARE(sim->text(NotificationsDialog::ChannelKind), QStringLiteral("webhook (JSON)"));
    QVERIFY2(sim->text(NotificationsDialog::Destination)
                 .contains(QStringLiteral("the simulator's inbox (sim:/_sim/webhook)")),
             qPrintable(sim->text(NotificationsDialog::Destination)));
    QCOMPARE(sim->childCount(), int(w.workspace().alerts.size()));
    QTreeWidgetItem *down = nullptr;
    for (int i = 0; i < sim->childCount(); ++i)
        if (sim->child(i)->text(NotificationsDialog::ChannelName) == u"prod-down")
            down = sim->child(i);
    QVERIFY(down);
    QCOMPARE(down->text(NotificationsDialog::ChannelKind), QStringLiteral("down"));
    QCOMPARE(down->text(NotificationsDialog::Destination), QStringLiteral("scope: prod"));
    QCOMPARE(sim->text(NotificationsDialog::Secret), QStringLiteral("none needed"));
    QCOMPARE(down->text(NotificationsDialog::Reminders), QStringLiteral("every 10 min"));
    QCOMPARE(down->text(NotificationsDialog::Grouping), QStringLiteral("by host, 1 min"));
    QCOMPARE(down->text(NotificationsDialog::Flapping), QStringLiteral("4 firings in 30 min"));

    // Send test: through the Notifier to the simulator's inbox.
    auto *send = d->findChild<QPushButton *>(QStringLiteral("sendTest:sim-inbox"));
    QVERIFY(send && send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        status->text().startsWith(QStringLiteral("Test to sim-inbox delivered")), 10000);

    // Deliveries: newest first, live from the Notifier's signals.
    tabs->setCurrentIndex(NotificationsDialog::DeliveriesTab);
    QTreeWidgetItem *delivery = nullptr;
    for (int i = 0; i < deliveries->topLevelItemCount() && !delivery; ++i)
        if (deliveries->topLevelItem(i)->text(NotificationsDialog::DeliveryAction) == u"test")
            delivery = deliveries->topLevelItem(i);
    QVERIFY(delivery);
    QCOMPARE(delivery->text(NotificationsDialog::DeliveryChannel), QStringLiteral("sim-inbox"));
    QCOMPARE(delivery->text(NotificationsDialog::Attempts), QStringLiteral("1"));
    QCOMPARE(delivery->text(NotificationsDialog::Result), QStringLiteral("delivered (HTTP 202)"));
    QVERIFY(
        delivery->text(NotificationsDialog::DeliveryTitle)
            .startsWith(QStringLiteral("TEST: HealthDeck test notification to channel sim-inbox")));

    // Inbox: read from the simulator when the tab is shown.
    const int fetches = d->inboxFetches();
    tabs->setCurrentIndex(NotificationsDialog::InboxTab);
    QTRY_VERIFY(d->inboxFetches() > fetches);
    QTreeWidgetItem *arrived = inboxTest(inbox);
    QVERIFY(arrived);
    QCOMPARE(arrived->text(NotificationsDialog::InboxSeverity), QStringLiteral("info"));
    QCOMPARE(arrived->text(NotificationsDialog::InboxShape), QStringLiteral("webhook"));
    QVERIFY(
        arrived->text(NotificationsDialog::InboxTitle)
            .startsWith(QStringLiteral("TEST: HealthDeck test notification to channel sim-inbox")));
    QVERIFY(d->findChild<QLabel *>(QStringLiteral("inboxStatus"))
                ->text()
                .contains(QStringLiteral("in the inbox")));
    d->resize(1560, 660);
    test::docScreenshot(d, "notification-inbox.png");

    // Clear: DELETE, then the inbox is read again without the test in it.
    const int beforeClear = d->inboxFetches();
    QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("inboxClear")), Qt::LeftButton);
    QTRY_VERIFY(d->inboxFetches() > beforeClear);
    QVERIFY(!inboxTest(inbox));
}

void TestConsoleNotifications::secrets_shownByNameAndStateOnly()
{
    // The demo plus channels whose addresses are secrets. The values come from the environment
    // (HDECK_SECRET_<NAME>) and must never appear; every address is on loopback.
    const QByteArray slackAddress = "http://127.0.0.1:9/services/T000/B000/SECRETPATH";
    const QByteArray routingKey = "R0UT1NGKEY0000000000000000SECRET";
    qputenv("HDECK_SECRET_DESK_SLACK_WEBHOOK", slackAddress);
    qputenv("HDECK_SECRET_PAGERDUTY_ROUTING_KEY", routingKey);
    QFile demo(QStringLiteral(":/healthdeck/demo/workspace.json"));
    QVERIFY(demo.open(QIODevice::ReadOnly));
    auto loaded = WorkspaceFile::parse(demo.readAll(), QStringLiteral("demo"));
    QVERIFY2(loaded.workspace, qPrintable(loaded.error));
    Workspace ws = *loaded.workspace;
    ws.name = QStringLiteral("Trading desk");
    NotificationChannel slack;
    slack.id = QStringLiteral("desk-slack");
    slack.kind = QStringLiteral("slack");
    slack.name = QStringLiteral("#trading-desk-alerts");
    slack.secretName = QStringLiteral("DESK_SLACK_WEBHOOK");
    NotificationChannel pagerDuty;
    pagerDuty.id = QStringLiteral("on-call");
    pagerDuty.kind = QStringLiteral("pagerduty");
    pagerDuty.name = QStringLiteral("Broker APIs on-call");
    pagerDuty.secretName = QStringLiteral("PAGERDUTY_ROUTING_KEY");
    pagerDuty.url = QStringLiteral("sim:/_sim/webhook"); // the simulator stands in for PagerDuty
    NotificationChannel mail;
    mail.id = QStringLiteral("ops-mail");
    mail.kind = QStringLiteral("email");
    mail.name = QStringLiteral("Operations mailbox");
    mail.url = QStringLiteral("smtp://mail.example.com:587");
    mail.from = QStringLiteral("healthdeck@example.com");
    mail.to = {QStringLiteral("ops@example.com")};
    mail.username = QStringLiteral("healthdeck");
    mail.secretName = QStringLiteral("OPS_SMTP_PASSWORD");
    qputenv("HDECK_SECRET_OPS_SMTP_PASSWORD", "SMTPSECRETPASSWORD");
    ws.channels << slack << pagerDuty << mail;
    for (AlertRule &r : ws.alerts) {
        if (r.id == u"prod-down" || r.id == u"prod-budget-burn")
            r.channels << slack.id << pagerDuty.id;
        if (r.id == u"prod-down")
            r.groupBy = QStringLiteral("environment");
        if (r.id == u"degraded")
            r.flapCount = 0;
    }
    const QString path = m_home.filePath(QStringLiteral("desk.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(test::openAndWait(w, path));
    NotificationsDialog *d = open(w);
    QVERIFY(d);
    auto *channels = d->findChild<QTreeWidget *>(QStringLiteral("notificationChannels"));
    QCOMPARE(channels->topLevelItemCount(), 4);
    QTreeWidgetItem *slackItem = channelItem(channels, QStringLiteral("desk-slack"));
    QCOMPARE(slackItem->text(NotificationsDialog::Destination),
             QStringLiteral("the address in the secret"));
    QCOMPARE(slackItem->text(NotificationsDialog::Secret),
             QStringLiteral("DESK_SLACK_WEBHOOK — stored (environment)"));
    QVERIFY(slackItem->toolTip(NotificationsDialog::Secret)
                .contains(QStringLiteral("holds the webhook address; its value is never shown")));
    QCOMPARE(channelItem(channels, QStringLiteral("on-call"))->text(NotificationsDialog::Secret),
             QStringLiteral("PAGERDUTY_ROUTING_KEY — stored (environment)"));
    QTreeWidgetItem *mailItem = channelItem(channels, QStringLiteral("ops-mail"));
    QCOMPARE(mailItem->text(NotificationsDialog::Destination),
             QStringLiteral("smtp://mail.example.com:587 → ops@example.com, STARTTLS"));
    QVERIFY(mailItem->toolTip(NotificationsDialog::Secret)
                .contains(QStringLiteral("the SMTP password of login healthdeck")));
    QCOMPARE(mailItem->text(NotificationsDialog::Secret),
             QStringLiteral("OPS_SMTP_PASSWORD — stored (environment)"));
    QCOMPARE(mailItem->childCount(), 1);
    QCOMPARE(mailItem->child(0)->text(NotificationsDialog::ChannelName),
             QStringLiteral("(no alert rule routes here)"));
    QTreeWidgetItem *onCall = channelItem(channels, QStringLiteral("on-call"));
    QCOMPARE(onCall->childCount(), 2);
    QCOMPARE(onCall->child(0)->text(NotificationsDialog::Reminders),
             QStringLiteral("PagerDuty's own"));
    QCOMPARE(onCall->child(0)->text(NotificationsDialog::Grouping),
             QStringLiteral("by environment, 1 min"));

    // A test to the PagerDuty stand-in: its trigger and the resolve that closes it at once.
    QTest::mouseClick(d->findChild<QPushButton *>(QStringLiteral("sendTest:on-call")),
                      Qt::LeftButton);
    auto *status = d->findChild<QLabel *>(QStringLiteral("notificationsStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Test to on-call delivered")),
                             10000);
    d->resize(1560, 660);
    channels->setCurrentItem(nullptr);
    channels->clearSelection();
    test::docScreenshot(d, "notification-settings.png");

    // No secret value anywhere in the window, whatever tab.
    const auto everyText = [](QTreeWidget *tree) {
        QString all;
        std::function<void(QTreeWidgetItem *)> walk = [&](QTreeWidgetItem *item) {
            for (int c = 0; c < tree->columnCount(); ++c)
                all += item->text(c) + item->toolTip(c) + u'\n';
            for (int i = 0; i < item->childCount(); ++i)
                walk(item->child(i));
        };
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            walk(tree->topLevelItem(i));
        return all;
    };
    auto *tabs = d->findChild<QTabWidget *>(QStringLiteral("notificationsTabs"));
    tabs->setCurrentIndex(NotificationsDialog::InboxTab);
    QTRY_VERIFY(d->inboxFetches() > 0);
    QString shown = everyText(channels) + status->text();
    for (auto *tree : d->findChildren<QTreeWidget *>())
        shown += everyText(tree);
    for (auto *label : d->findChildren<QLabel *>())
        shown += label->text();
    for (const QByteArray &secret :
         {slackAddress, routingKey, QByteArray("SECRETPATH"), QByteArray("SMTPSECRETPASSWORD")})
        QVERIFY2(!shown.contains(QString::fromLatin1(secret)), secret.constData());
    qunsetenv("HDECK_SECRET_DESK_SLACK_WEBHOOK");
    qunsetenv("HDECK_SECRET_PAGERDUTY_ROUTING_KEY");
    qunsetenv("HDECK_SECRET_OPS_SMTP_PASSWORD");
}

QTEST_MAIN(TestConsoleNotifications)
#include "tst_consolenotifications.moc"
