#include "endpointtree.h"

#include <QHeaderView>
#include <QPainter>

namespace hd {

EndpointTree::EndpointTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("endpointTree"));
    setColumnCount(ColumnCount);
    setHeaderLabels({tr("Endpoint"), tr("Last"), tr("Latency"), tr("Category")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    header()->setSectionResizeMode(Name, QHeaderView::Stretch);
    header()->setStretchLastSection(false);
    for (int c : {int(Status), int(Latency), int(Category)})
        header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
}

QIcon EndpointTree::light(Outcome outcome, bool known)
{
    QColor c(QStringLiteral("#9e9e9e"));
    if (known) {
        switch (outcome) {
        case Outcome::Success:
            c = QColor(QStringLiteral("#2e7d32"));
            break;
        case Outcome::ClientError:
            c = QColor(QStringLiteral("#ef8f00"));
            break;
        case Outcome::BusinessError:
            c = QColor(QStringLiteral("#8e24aa"));
            break;
        case Outcome::ServerError:
            c = QColor(QStringLiteral("#d32f2f"));
            break;
        case Outcome::ConnectionError:
            c = QColor(QStringLiteral("#6d1b1b"));
            break;
        }
    }
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(c.darker(130));
    p.setBrush(c);
    p.drawEllipse(QRectF(1.5, 1.5, 11, 11));
    return QIcon(pm);
}

void EndpointTree::setWorkspace(const Workspace &ws)
{
    clear();
    m_items.clear();
    m_latest.clear();
    m_streams.clear();
    for (const Environment &env : ws.environments) {
        auto *envItem = new QTreeWidgetItem(this, {env.name.isEmpty() ? env.id : env.name});
        envItem->setData(Name, Qt::UserRole, QString(QStringLiteral("env:") + env.id));
        QFont f = envItem->font(Name);
        f.setBold(true);
        envItem->setFont(Name, f);
        for (const Endpoint &ep : ws.endpoints) {
            if (ep.environment != env.id)
                continue;
            auto *item = new QTreeWidgetItem(envItem, {ep.name.isEmpty() ? ep.id : ep.name});
            item->setData(Name, Qt::UserRole, ep.id);
            item->setToolTip(Name, QString(QStringLiteral("%1 %2 · every %3 s")
                                               .arg(ep.method, ep.path)
                                               .arg(ep.intervalMs / 1000.0)));
            item->setIcon(Name, light(Outcome::Success, false));
            item->setText(Status, tr("waiting"));
            m_items.insert(ep.id, item);
        }
        for (const StreamEndpoint &st : ws.streams) {
            if (st.environment != env.id)
                continue;
            auto *item = new QTreeWidgetItem(envItem, {st.name.isEmpty() ? st.id : st.name});
            item->setData(Name, Qt::UserRole, st.id);
            item->setToolTip(Name, streamToolTip(st, StreamHealth{}, 0));
            item->setIcon(Name, light(Outcome::Success, false));
            item->setText(Status, tr("waiting"));
            m_items.insert(st.id, item);
            m_streams.insert(st.id, st);
        }
    }
    expandAll();
}

void EndpointTree::record(const ApiEvent &event)
{
    Latest &l = m_latest[event.endpoint];
    l.event = event;
    l.dirty = true;
}

void EndpointTree::refresh()
{
    for (auto it = m_latest.begin(); it != m_latest.end(); ++it) {
        if (!it->dirty)
            continue;
        it->dirty = false;
        QTreeWidgetItem *item = m_items.value(it.key());
        if (!item)
            continue;
        const ApiEvent &e = it->event;
        item->setIcon(Name, light(e.outcome));
        item->setText(Status, e.httpStatus ? QString::number(*e.httpStatus) : e.networkError);
        item->setText(Latency, QStringLiteral("%1 ms").arg(qRound(e.durationMs)));
        item->setText(Category, toQString(toString(e.category)));
        item->setToolTip(Category, e.retry.advice);
    }
}

QString EndpointTree::streamToolTip(const StreamEndpoint &st, const StreamHealth &h, qint64 nowMs)
{
    QString tip = tr("WebSocket %1 · stream").arg(st.path);
    if (h.sampledAtMs == 0)
        return tip;
    tip += u'\n' + tr("state: %1").arg(toString(h.state));
    if (h.connectedSinceMs)
        tip += u'\n' + tr("connected for %1 s").arg((nowMs - h.connectedSinceMs) / 1000);
    tip += u'\n'
           + tr("connected in all: %1 s · sessions %2 · reconnects %3 · drops %4")
                 .arg(h.connectedTotalMs / 1000)
                 .arg(h.sessions)
                 .arg(h.reconnects)
                 .arg(h.drops);
    if (h.nextReconnectAtMs)
        tip += u'\n'
               + tr("next reconnect in %1 ms")
                     .arg(std::max<qint64>(0, h.nextReconnectAtMs - nowMs));
    tip += u'\n'
           + tr("heartbeat gap: last %1 ms, max %2 ms · missed %3")
                 .arg(h.lastHeartbeatGapMs)
                 .arg(h.maxHeartbeatGapMs)
                 .arg(h.heartbeatMisses);
    tip += u'\n' + tr("%1 frames/s · %2 frames").arg(h.messagesPerSecond, 0, 'f', 1).arg(h.frames);
    if (h.lastFrameMs)
        tip += u'\n'
               + tr("last frame %1 s ago: %2")
                     .arg((nowMs - h.lastFrameMs) / 1000)
                     .arg(h.lastFrame.left(80));
    return tip;
}

void EndpointTree::refreshStreams(const Aggregator &aggregator)
{
    const qint64 now = Clock::system().nowMs();
    for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it) {
        QTreeWidgetItem *item = m_items.value(it.key());
        const auto health = aggregator.streamHealth(it.key());
        if (!item || !health)
            continue;
        item->setToolTip(Name, streamToolTip(*it, *health, now));
    }
}

QString EndpointTree::selectedEndpoint() const
{
    const auto items = selectedItems();
    return items.isEmpty() ? QString() : items.front()->data(Name, Qt::UserRole).toString();
}

} // namespace hd
