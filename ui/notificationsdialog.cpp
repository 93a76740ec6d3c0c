#include "notificationsdialog.h"

#include "urljoin.h"

#include "channelpayload.h"
#include "monitorsession.h"
#include "simulator.h"
#include "simwebhooklisting.h"
#include "theme.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace hd {

namespace {

constexpr int ChannelIdRole = Qt::UserRole + 1;

QString timeText(qint64 ms)
{
    return ms > 0
               ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
               : QString();
}

QString minutesText(int seconds)
{
    if (seconds % 60 != 0 || seconds < 60)
        return NotificationsDialog::tr("%1 s").arg(seconds);
    return NotificationsDialog::tr("%1 min").arg(seconds / 60);
}

// An address that is not a secret (the workspace keeps secret ones in the keychain), shown
// without user info, query or fragment all the same.
QString shownUrl(const QString &url)
{
    return QUrl(url)
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toString();
}

QString kindText(const QString &kind)
{
    if (kind == u"webhook")
        return NotificationsDialog::tr("webhook (JSON)");
    if (kind == u"slack")
        return QStringLiteral("Slack");
    if (kind == u"teams")
        return NotificationsDialog::tr("Microsoft Teams");
    if (kind == u"pagerduty")
        return QStringLiteral("PagerDuty");
    if (kind == u"email")
        return NotificationsDialog::tr("e-mail (SMTP)");
    return kind;
}

} // namespace

NotificationsDialog::NotificationsDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("notificationsDialog"));
    setWindowTitle(tr("Notifications — HealthDeck"));
    setModal(false);
    m_network = new QNetworkAccessManager(this);

    // ---- Channels
    auto *channelsPage = new QWidget;
    auto *intro = new QLabel(
        tr("Where alerts are sent and which rules send them. Addresses and keys that let someone "
           "post are secrets: they stay in the keychain and only their names are shown here. "
           "Channels and routing are edited in the workspace file (docs/notifications.md)."));
    intro->setWordWrap(true);
    m_channels = new QTreeWidget;
    m_channels->setObjectName(QStringLiteral("notificationChannels"));
    m_channels->setColumnCount(Test + 1);
    m_channels->setHeaderLabels({tr("Channel / rule"), tr("Kind"), tr("Destination / scope"),
                                 tr("Secret"), tr("Reminders"), tr("Grouping"), tr("Flapping"),
                                 QString()});
    m_channels->setAlternatingRowColors(true);
    m_channels->setUniformRowHeights(false);
    m_channels->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *header = m_channels->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(Destination, QHeaderView::Stretch);
    header->setSectionResizeMode(Test, QHeaderView::ResizeToContents);
    const std::pair<int, int> widths[] = {{ChannelName, 165}, {ChannelKind, 110}, {Secret, 320},
                                          {Reminders, 115},   {Grouping, 145},    {Flapping, 130}};
    for (const auto &[column, width] : widths)
        m_channels->setColumnWidth(column, width);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("notificationsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *channelsLayout = new QVBoxLayout(channelsPage);
    channelsLayout->addWidget(intro);
    channelsLayout->addWidget(m_channels, 1);
    channelsLayout->addWidget(m_status);

    // ---- Deliveries
    auto *deliveriesPage = new QWidget;
    m_deliveries = new QTreeWidget;
    m_deliveries->setObjectName(QStringLiteral("notificationDeliveries"));
    m_deliveries->setColumnCount(Result + 1);
    m_deliveries->setHeaderLabels(
        {tr("Time"), tr("Channel"), tr("Action"), tr("Message"), tr("Attempts"), tr("Result")});
    m_deliveries->setRootIsDecorated(false);
    m_deliveries->setUniformRowHeights(true);
    m_deliveries->setAlternatingRowColors(true);
    m_deliveries->header()->setStretchLastSection(false);
    m_deliveries->header()->setSectionResizeMode(DeliveryTitle, QHeaderView::Stretch);
    m_deliveries->setColumnWidth(DeliveryTime, 160);
    m_deliveries->setColumnWidth(DeliveryChannel, 140);
    m_deliveries->setColumnWidth(DeliveryAction, 80);
    m_deliveries->setColumnWidth(Attempts, 70);
    m_deliveries->setColumnWidth(Result, 300);
    auto *deliveriesNote = new QLabel(
        tr("The last %1 deliveries of this session, newest first. A network error, a 5xx or a 429 "
           "is retried twice; a 4xx is not.")
            .arg(Notifier::KeptDeliveries));
    deliveriesNote->setWordWrap(true);
    auto *deliveriesLayout = new QVBoxLayout(deliveriesPage);
    deliveriesLayout->addWidget(deliveriesNote);
    deliveriesLayout->addWidget(m_deliveries, 1);

    // ---- Inbox
    auto *inboxPage = new QWidget;
    m_inbox = new QTreeWidget;
    m_inbox->setObjectName(QStringLiteral("webhookInbox"));
    m_inbox->setColumnCount(InboxShape + 1);
    m_inbox->setHeaderLabels(
        {tr("Received"), tr("Action"), tr("Severity"), tr("Title"), tr("Shape")});
    m_inbox->setRootIsDecorated(false);
    m_inbox->setUniformRowHeights(true);
    m_inbox->setAlternatingRowColors(true);
    m_inbox->header()->setStretchLastSection(false);
    m_inbox->header()->setSectionResizeMode(InboxTitle, QHeaderView::Stretch);
    m_inbox->setColumnWidth(InboxTime, 160);
    m_inbox->setColumnWidth(InboxAction, 80);
    m_inbox->setColumnWidth(InboxSeverity, 80);
    m_inbox->setColumnWidth(InboxShape, 110);
    m_inboxStatus = new QLabel;
    m_inboxStatus->setObjectName(QStringLiteral("inboxStatus"));
    m_inboxStatus->setWordWrap(true);
    m_inboxStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inboxRefresh = new QPushButton(tr("&Refresh"));
    m_inboxRefresh->setObjectName(QStringLiteral("inboxRefresh"));
    m_inboxClear = new QPushButton(tr("C&lear Inbox"));
    m_inboxClear->setObjectName(QStringLiteral("inboxClear"));
    connect(m_inboxRefresh, &QPushButton::clicked, this, &NotificationsDialog::refreshInbox);
    connect(m_inboxClear, &QPushButton::clicked, this, &NotificationsDialog::clearInbox);
    auto *inboxButtons = new QHBoxLayout;
    inboxButtons->addWidget(m_inboxStatus, 1);
    inboxButtons->addWidget(m_inboxRefresh);
    inboxButtons->addWidget(m_inboxClear);
    auto *inboxNote = new QLabel(
        tr("The built-in simulator's inbox (/_sim/webhook): what channels pointed at \"sim:\" "
           "posted, as the simulator received it, oldest first. The demo workspace routes every "
           "alert here, so notifications arrive without any account anywhere."));
    inboxNote->setWordWrap(true);
    auto *inboxLayout = new QVBoxLayout(inboxPage);
    inboxLayout->addWidget(inboxNote);
    inboxLayout->addWidget(m_inbox, 1);
    inboxLayout->addLayout(inboxButtons);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("notificationsTabs"));
    m_tabs->insertTab(ChannelsTab, channelsPage, tr("&Channels"));
    m_tabs->insertTab(DeliveriesTab, deliveriesPage, tr("&Deliveries"));
    m_tabs->insertTab(InboxTab, inboxPage, tr("&Inbox"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == InboxTab)
            refreshInbox();
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(1440, 640);
    setSession(nullptr);
}

NotificationsDialog::~NotificationsDialog()
{
    if (QNetworkReply *old = m_inboxReply.data()) {
        m_inboxReply = nullptr;
        old->abort();
    }
}

void NotificationsDialog::setSession(MonitorSession *session)
{
    if (m_notifier)
        disconnect(m_notifier.data(), nullptr, this, nullptr);
    if (m_session)
        disconnect(m_session.data(), nullptr, this, nullptr);
    m_session = session;
    m_notifier = session ? session->notifier() : nullptr;
    m_testing.clear();
    if (m_session)
        connect(m_session.data(), &QObject::destroyed, this, [this] { setSession(nullptr); });
    if (m_notifier) {
        connect(m_notifier.data(), &Notifier::delivered, this,
                [this](const Notifier::Delivery &d) { addDelivery(d, true); });
        connect(m_notifier.data(), &Notifier::deliveryFailed, this,
                [this](const Notifier::Delivery &d) { addDelivery(d, true); });
    }
    showStatus(m_session ? QString() : tr("No workspace is running."), false);
    rebuildChannels();
    rebuildDeliveries();
    m_inbox->clear();
    const bool sim = !inboxUrl().isEmpty();
    m_inboxRefresh->setEnabled(sim);
    m_inboxClear->setEnabled(sim);
    m_inboxStatus->setText(
        sim ? QString()
            : tr("The built-in simulator is not running in this workspace, so there is no inbox "
                 "to show. Open the demo workspace (File → Open Demo Workspace) to try it."));
    if (sim && m_tabs->currentIndex() == InboxTab && isVisible())
        refreshInbox();
}

void NotificationsDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        rebuildChannels();
        rebuildDeliveries();
    }
}

QString NotificationsDialog::inboxUrl() const
{
    Simulator *sim = m_session ? m_session->simulator() : nullptr;
    if (!sim || !sim->isRunning())
        return {};
    return Simulator::resolveUrl(QStringLiteral("sim:/_sim/webhook"), sim->port());
}

void NotificationsDialog::rebuildChannels()
{
    m_channels->clear();
    if (!m_session)
        return;
    const Workspace &ws = m_session->workspace();
    if (ws.channels.isEmpty()) {
        auto *none = new QTreeWidgetItem(m_channels);
        none->setText(ChannelName, tr("No channels"));
        none->setText(Destination,
                      tr("This workspace sends alerts nowhere but this window and the desktop. Add "
                         "\"channels\" to the workspace file and name them in alert rules "
                         "(docs/notifications.md)."));
        return;
    }
    QFont bold = m_channels->font();
    bold.setBold(true);
    const QColor muted = palette().color(QPalette::PlaceholderText);
    for (const NotificationChannel &c : ws.channels) {
        auto *item = new QTreeWidgetItem(m_channels);
        item->setData(ChannelName, ChannelIdRole, c.id);
        item->setText(ChannelName, c.id);
        item->setFont(ChannelName, bold);
        item->setToolTip(ChannelName, c.name.isEmpty() ? c.id : c.name);
        item->setText(ChannelKind, kindText(c.kind));

        // Where it posts, and the secret it needs — never a secret's value: its name, what it
        // is for, and whether it is stored (and where).
        QString where;
        QString secretRole;
        if (c.kind == u"email") {
            where = tr("%1 → %2").arg(shownUrl(c.url), c.to.join(QStringLiteral(", ")));
            if (c.url.startsWith(QStringLiteral("smtp:")))
                where += c.requireTls ? tr(", STARTTLS") : tr(", no TLS");
            secretRole = c.username.isEmpty() ? tr("the SMTP password")
                                              : tr("the SMTP password of login %1").arg(c.username);
        } else if (isSimulatorUrl(c.url)) {
            where = tr("the simulator's inbox (%1)").arg(c.url);
            secretRole = c.kind == u"pagerduty" ? tr("the routing key") : tr("a key");
        } else if (c.kind == u"pagerduty") {
            where = c.url.isEmpty() ? tr("PagerDuty Events API v2")
                                    : tr("events to %1").arg(shownUrl(c.url));
            secretRole = tr("the routing key");
        } else if (!c.url.isEmpty()) {
            where = shownUrl(c.url);
            secretRole = tr("a key");
        } else {
            where = tr("the address in the secret");
            secretRole = tr("the webhook address");
        }
        item->setText(Destination, where);
        item->setToolTip(Destination, where);
        if (c.secretName.isEmpty()) {
            item->setText(Secret, tr("none needed"));
            item->setForeground(Secret, muted);
        } else {
            const QString source = m_session->secretSource(c.secretName);
            item->setText(Secret, source.isEmpty()
                                      ? tr("%1 — not stored").arg(c.secretName)
                                      : tr("%1 — stored (%2)").arg(c.secretName, source));
            item->setToolTip(Secret, tr("Secret %1 holds %2; its value is never shown. Set it with "
                                        "Workspace → Set Secret….")
                                         .arg(c.secretName, secretRole));
            if (source.isEmpty())
                item->setForeground(Secret, Theme::errorText());
        }

        auto *test = new QPushButton(tr("Send test"));
        test->setObjectName(QStringLiteral("sendTest:") + c.id);
        test->setToolTip(tr("Send a message marked as a test to %1 now").arg(c.id));
        test->setEnabled(bool(m_notifier));
        const QString id = c.id;
        connect(test, &QPushButton::clicked, this, [this, id] { sendTest(id); });
        m_channels->setItemWidget(item, Test, test);

        // The rules that route here, with their noise-control settings.
        int routed = 0;
        for (const AlertRule &r : ws.alerts) {
            if (!r.channels.contains(c.id))
                continue;
            ++routed;
            auto *rule = new QTreeWidgetItem(item);
            rule->setText(ChannelName, r.id);
            rule->setText(ChannelKind, r.kind);
            rule->setText(Destination, r.scope.isEmpty() || r.scope == u"*"
                                           ? tr("scope: everything")
                                           : tr("scope: %1").arg(r.scope));
            if (c.kind == u"pagerduty")
                rule->setText(Reminders, tr("PagerDuty's own"));
            else
                rule->setText(Reminders, r.remindEveryS > 0
                                             ? tr("every %1").arg(minutesText(r.remindEveryS))
                                             : tr("none"));
            rule->setToolTip(Reminders,
                             c.kind == u"pagerduty"
                                 ? tr("PagerDuty escalates by itself: no reminders are sent there.")
                                 : tr("Told again this often until the alert is acknowledged or "
                                      "resolves."));
            rule->setText(Grouping,
                          r.groupWindowS <= 0 || r.groupBy == u"none"
                              ? tr("none")
                              : tr("by %1, %2").arg(r.groupBy, minutesText(r.groupWindowS)));
            rule->setText(
                Flapping,
                r.flapCount <= 0
                    ? tr("not suppressed")
                    : tr("%1 firings in %2").arg(r.flapCount + 1).arg(minutesText(r.flapWindowS)));
            rule->setToolTip(Grouping,
                             tr("Alerts of this rule on endpoints of one %1 that fire within the "
                                "window make one incident and one message.")
                                 .arg(r.groupBy));
            rule->setToolTip(Flapping,
                             tr("An alert that fires more than %1 times within %2 is said once as "
                                "flapping, then held until it is stable for that long.")
                                 .arg(r.flapCount)
                                 .arg(minutesText(r.flapWindowS)));
        }
        if (routed == 0) {
            auto *none = new QTreeWidgetItem(item);
            none->setText(ChannelName, tr("(no alert rule routes here)"));
            none->setForeground(ChannelName, muted);
            none->setFirstColumnSpanned(true);
        }
        item->setExpanded(true);
    }
}

void NotificationsDialog::rebuildDeliveries()
{
    m_deliveries->clear();
    if (!m_notifier)
        return;
    for (const Notifier::Delivery &d : m_notifier->recentDeliveries())
        addDelivery(d, false);
}

void NotificationsDialog::addDelivery(const Notifier::Delivery &d, bool live)
{
    auto *item = new QTreeWidgetItem;
    item->setText(DeliveryTime, timeText(d.finishedAtMs));
    item->setText(DeliveryChannel, d.channel);
    item->setToolTip(DeliveryChannel, kindText(d.channelKind));
    item->setText(DeliveryAction, AlertNotification::actionName(d.notification.action));
    const QString title = channelpayload::title(d.notification);
    item->setText(DeliveryTitle, title);
    item->setToolTip(DeliveryTitle, title);
    item->setText(Attempts, QString::number(d.attempts));
    item->setTextAlignment(Attempts, Qt::AlignRight | Qt::AlignVCenter);
    if (d.error.isEmpty()) {
        const bool mail = d.channelKind == u"email";
        item->setText(Result, d.status <= 0 ? tr("delivered")
                              : mail        ? tr("delivered (SMTP %1)").arg(d.status)
                                            : tr("delivered (HTTP %1)").arg(d.status));
    } else {
        item->setText(Result, tr("failed: %1").arg(d.error));
        item->setToolTip(Result, d.error);
        for (int c = 0; c <= Result; ++c)
            item->setForeground(c, Theme::errorText());
    }
    // Newest first.
    m_deliveries->insertTopLevelItem(0, item);
    while (m_deliveries->topLevelItemCount() > Notifier::KeptDeliveries)
        delete m_deliveries->takeTopLevelItem(m_deliveries->topLevelItemCount() - 1);
    if (!live)
        return;
    if (d.notification.action == AlertNotification::Action::Test && d.channel == m_testing) {
        m_testing.clear();
        showStatus(d.error.isEmpty()
                       ? tr("Test to %1 delivered after %n attempt(s).", nullptr, d.attempts)
                             .arg(d.channel)
                       : tr("Test to %1 failed after %n attempt(s): %2", nullptr, d.attempts)
                             .arg(d.channel, d.error),
                   !d.error.isEmpty());
    }
    // What reached the simulator's inbox shows there too.
    if (d.error.isEmpty() && m_session && m_tabs->currentIndex() == InboxTab && isVisible()) {
        const QList<NotificationChannel> &channels = m_session->workspace().channels;
        const bool toInbox = std::any_of(channels.cbegin(), channels.cend(), [&d](const auto &c) {
            return c.id == d.channel && isSimulatorUrl(c.url);
        });
        if (toInbox)
            refreshInbox();
    }
}

void NotificationsDialog::sendTest(const QString &channelId)
{
    if (!m_notifier) {
        showStatus(tr("No workspace is running."), true);
        return;
    }
    // Set before sending: a missing secret fails at once, inside sendTest().
    m_testing = channelId;
    showStatus(tr("Sending a test to %1…").arg(channelId), false);
    const QString error = m_notifier->sendTest(channelId);
    if (!error.isEmpty()) {
        m_testing.clear();
        showStatus(error, true);
    }
}

void NotificationsDialog::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText,
                 error ? Theme::errorText() : palette().color(QPalette::WindowText));
    m_status->setPalette(pal);
}

void NotificationsDialog::refreshInbox()
{
    const QString url = inboxUrl();
    if (url.isEmpty())
        return;
    // A newer read replaces one in flight; the old one's finished() (emitted inside abort())
    // must not count as an answer.
    if (QNetworkReply *old = m_inboxReply.data()) {
        m_inboxReply = nullptr;
        old->abort();
    }
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_network->get(request);
    m_inboxReply = reply;
    // The inbox is bounded, but what it lists came from anyone on loopback: cap what is read.
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > SimWebhookListing::MaxBytes) {
            reply->setProperty("tooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { inboxReplied(reply); });
    m_inboxStatus->setText(tr("Reading %1…").arg(url));
}

void NotificationsDialog::clearInbox()
{
    const QString url = inboxUrl();
    if (url.isEmpty())
        return;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_network->deleteResource(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            m_inboxStatus->setText(
                tr("Could not clear the inbox (HTTP %1).")
                    .arg(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()));
            return;
        }
        refreshInbox();
    });
}

void NotificationsDialog::inboxReplied(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_inboxReply)
        return; // superseded by a newer request
    m_inboxReply = nullptr;
    ++m_inboxFetches;
    if (reply->property("tooLarge").toBool()) {
        m_inboxStatus->setText(tr("The inbox listing is larger than %1 MiB; clear the inbox.")
                                   .arg(SimWebhookListing::MaxBytes / (1024 * 1024)));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_inboxStatus->setText(status > 0 ? tr("The inbox answered HTTP %1.").arg(status)
                                          : tr("Could not read the inbox (the simulator did not "
                                               "answer)."));
        return;
    }
    QString error;
    const auto listing = SimWebhookListing::parse(reply->readAll(), &error);
    if (!listing) {
        m_inboxStatus->setText(error);
        return;
    }
    m_inbox->clear();
    const QColor errorColor = Theme::errorText();
    const QColor warningColor = Theme::warningText();
    // Newest first, like the deliveries.
    for (qsizetype i = listing->messages.size() - 1; i >= 0; --i) {
        const SimWebhookMessage &m = listing->messages.at(i);
        auto *item = new QTreeWidgetItem(m_inbox);
        item->setText(InboxTime, timeText(m.timeMs));
        item->setText(InboxAction, m.action);
        item->setText(InboxSeverity, m.severity);
        item->setText(InboxTitle, m.title.isEmpty()
                                      ? tr("(%n byte(s), no title)", nullptr, int(m.bytes))
                                      : m.title);
        item->setToolTip(InboxTitle, m.title);
        item->setText(InboxShape, m.shape);
        if (m.severity == u"critical" || m.severity == u"error")
            item->setForeground(InboxSeverity, errorColor);
        else if (m.severity == u"warning")
            item->setForeground(InboxSeverity, warningColor);
    }
    m_inboxStatus->setText(
        tr("%n message(s) in the inbox", nullptr, int(listing->messages.size()))
        + (listing->received > listing->messages.size()
               ? tr(" (%1 received since the simulator started; it keeps the newest)")
                     .arg(listing->received)
               : QString())
        + tr(" — %1").arg(inboxUrl()));
}

} // namespace hd
