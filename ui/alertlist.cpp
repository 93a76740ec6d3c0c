#include "alertlist.h"

#include "alertbanner.h"

#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hd {

namespace {
QString timeText(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QString();
}
} // namespace

AlertList::AlertList(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("alertList"));
    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("alertListTree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels(
        {tr("State"), tr("Kind"), tr("Subject"), tr("Message"), tr("Fired"), tr("Resolved")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(Message, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    for (int c : {int(State), int(Kind), int(Subject), int(Fired), int(Resolved)})
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *ackAction = new QAction(tr("Acknowledge"), m_tree);
    m_tree->addAction(ackAction);
    connect(ackAction, &QAction::triggered, this, &AlertList::acknowledgeCurrent);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, &AlertList::acknowledgeCurrent);

    m_ack = new QPushButton(tr("Acknowledge"));
    m_ack->setObjectName(QStringLiteral("alertListAcknowledge"));
    connect(m_ack, &QPushButton::clicked, this, &AlertList::acknowledgeCurrent);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_ack);
    layout->addLayout(buttons);
}

void AlertList::setAlerts(const QList<AlertState> &active, const QList<AlertState> &resolved,
                          const QList<AlertState> &held)
{
    QList<AlertState> firing = active;
    std::stable_sort(firing.begin(), firing.end(), [](const AlertState &a, const AlertState &b) {
        return AlertBanner::severity(a.kind) > AlertBanner::severity(b.kind);
    });
    // Rebuild only when something changed (the window calls this every tick).
    QString signature;
    for (const AlertState &a : std::as_const(firing))
        signature += a.ruleId + u'|' + a.subject + u'|' + QString::number(a.firedAtMs)
                     + (a.acknowledged ? u'a' : u'-') + u';';
    for (const AlertState &a : held)
        signature += u'h' + a.ruleId + u'|' + a.subject + u'|' + QString::number(a.heldUntilMs);
    signature += u'#' + QString::number(resolved.size());
    if (!resolved.isEmpty())
        signature += QString::number(resolved.front().resolvedAtMs);
    if (signature == m_signature)
        return;
    m_signature = signature;
    m_firing = int(firing.size());

    const QString current = m_tree->currentItem()
                                ? m_tree->currentItem()->data(State, Qt::UserRole).toString()
                                : QString();
    m_tree->clear();
    auto add = [this, &current](const AlertState &a) {
        const QString state = !a.firing()      ? tr("resolved")
                              : a.acknowledged ? tr("acknowledged")
                                               : tr("FIRING");
        auto *item = new QTreeWidgetItem(m_tree, {state, a.kind, a.subject, a.message,
                                                  timeText(a.firedAtMs), timeText(a.resolvedAtMs)});
        const QString key = a.ruleId + u'\n' + a.subject;
        item->setData(State, Qt::UserRole, key);
        item->setData(State, Qt::UserRole + 1, a.firing());
        item->setToolTip(Message, a.message + u'\n' + AlertBanner::kindAdvice(a.kind));
        if (a.firing() && !a.acknowledged) {
            QFont f = item->font(State);
            f.setBold(true);
            item->setFont(State, f);
        }
        if (key == current && a.firing())
            m_tree->setCurrentItem(item);
    };
    for (const AlertState &a : std::as_const(firing))
        add(a);
    // Held: true now, but a window says silence is right; not acknowledgeable (nothing fired).
    const QColor muted = palette().color(QPalette::Disabled, QPalette::Text);
    for (const AlertState &a : held) {
        const QString until
            = a.heldUntilMs ? tr(" until %1").arg(timeText(a.heldUntilMs)) : QString();
        auto *item = new QTreeWidgetItem(
            m_tree,
            {tr("held"), a.kind, a.subject,
             tr("%1 — held by %2%3").arg(a.message, a.heldReason, until), QString(), QString()});
        item->setData(State, Qt::UserRole, QString(a.ruleId + u'\n' + a.subject));
        item->setData(State, Qt::UserRole + 1, false);
        item->setToolTip(Message, tr("The condition holds, but %1 holds the alert%2: it fires "
                                     "then if the condition still holds.")
                                      .arg(a.heldReason, until));
        for (int c = 0; c < ColumnCount; ++c)
            item->setForeground(c, muted);
    }
    for (const AlertState &a : resolved)
        add(a);
}

void AlertList::acknowledgeCurrent()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    if (!item || !item->data(State, Qt::UserRole + 1).toBool())
        return;
    const QStringList parts = item->data(State, Qt::UserRole).toString().split(u'\n');
    if (parts.size() == 2)
        emit acknowledgeRequested(parts[0], parts[1]);
}

} // namespace hd
