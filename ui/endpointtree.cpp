#include "endpointtree.h"

#include "aggregator.h"
#include "endpointhealth.h"
#include "headroomdelegate.h"

#include <QDateTime>

#include <QHeaderView>
#include <QPainter>
#include <QSignalBlocker>

namespace hd {

namespace {
// Worse outcomes rank higher; the group rows show the worst of their endpoints.
int rank(Outcome o)
{
    switch (o) {
    case Outcome::Success:
        return 1;
    case Outcome::BusinessError:
        return 2;
    case Outcome::ClientError:
        return 3;
    case Outcome::ServerError:
        return 4;
    case Outcome::ConnectionError:
        return 5;
    }
    return 0;
}
} // namespace

EndpointTree::EndpointTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("endpointTree"));
    setColumnCount(ColumnCount);
    setHeaderLabels({tr("Endpoint"), tr("Last"), tr("Latency"), tr("Category"), tr("Headroom"),
                     tr("Token"), tr("Cert")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    // Ctrl/Shift+click selects several rows for bulk edit, pause and send-now; the charts
    // follow the current row.
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setItemDelegateForColumn(Headroom, new HeadroomDelegate(this));
    header()->setSectionResizeMode(Name, QHeaderView::Stretch);
    header()->setStretchLastSection(false);
    for (int c : {int(Status), int(Latency), int(Category), int(Token), int(Certificate)})
        header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(Headroom, QHeaderView::Fixed);
    header()->resizeSection(Headroom, 96);
    // The category is in the light's colour, the tooltip and the log; the name needs the room.
    setColumnHidden(Category, true);
    connect(this, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) { onCurrentItemChanged(current); });
    // Deselecting (Ctrl+click, clearSelection) keeps the current item but means "everything".
    connect(this, &QTreeWidget::itemSelectionChanged, this, [this] {
        if (selectedItems().isEmpty())
            emit scopeChanged(ScopeKind::All, QString());
        else if (currentItem() && currentItem()->isSelected())
            onCurrentItemChanged(currentItem());
    });
}

QIcon EndpointTree::light(Outcome outcome, bool known)
{
    // Mid-tone colours with a light rim read on light and dark backgrounds alike. Drawn once
    // per state: refresh() asks for one per endpoint per tick.
    static QHash<int, QIcon> cache;
    const int key = known ? int(outcome) : -1;
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    QColor c(QStringLiteral("#9e9e9e"));
    if (known) {
        switch (outcome) {
        case Outcome::Success:
            c = QColor(QStringLiteral("#43a047"));
            break;
        case Outcome::ClientError:
            c = QColor(QStringLiteral("#fb8c00"));
            break;
        case Outcome::BusinessError:
            c = QColor(QStringLiteral("#ab47bc"));
            break;
        case Outcome::ServerError:
            c = QColor(QStringLiteral("#e53935"));
            break;
        case Outcome::ConnectionError:
            c = QColor(QStringLiteral("#b71c1c"));
            break;
        }
    }
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(255, 255, 255, 140), 1));
    p.setBrush(c);
    p.drawEllipse(QRectF(1.5, 1.5, 11, 11));
    p.end();
    return *cache.insert(key, QIcon(pm));
}

QIcon EndpointTree::degradedLight()
{
    static const QIcon icon = [] {
        QPixmap pm(14, 14);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(QColor(255, 255, 255, 140), 1));
        p.setBrush(QColor(QStringLiteral("#fdd835")));
        p.drawEllipse(QRectF(1.5, 1.5, 11, 11));
        p.end();
        return QIcon(pm);
    }();
    return icon;
}

QString EndpointTree::certificateText(qint64 notAfterMs, qint64 nowMs)
{
    const qint64 left = notAfterMs - nowMs;
    const qint64 hours = (left < 0 ? -left : left) / 3600000;
    const QString span = hours >= 48 ? tr("%1 d").arg(hours / 24)
                                     : tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
    return left < 0 ? tr("expired %1 ago").arg(span) : span;
}

QString EndpointTree::countdownText(qint64 ms)
{
    if (ms < 0)
        return tr("expired %1 s ago").arg(-ms / 1000);
    const qint64 s = ms / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

void EndpointTree::setWorkspace(const Workspace &ws)
{
    m_workspace = ws;
    clear();
    m_items.clear();
    m_credentialItems.clear();
    m_environmentItems.clear();
    m_latest.clear();
    m_shownPaused.clear();
    QFont bold = font();
    bold.setBold(true);
    m_streams.clear();
    for (const Environment &env : ws.environments) {
        auto *envItem = new QTreeWidgetItem(this, {env.name.isEmpty() ? env.id : env.name});
        envItem->setData(Name, Qt::UserRole, QString(QStringLiteral("env:") + env.id));
        envItem->setData(Name, KindRole, int(ScopeKind::Environment));
        envItem->setData(Name, ScopeNameRole, env.id);
        envItem->setData(Name, EnvironmentRole, env.id);
        envItem->setToolTip(Name, env.baseUrl);
        envItem->setFont(Name, bold);
        envItem->setIcon(Name, light(Outcome::Success, false));
        m_environmentItems.append(envItem);
        QHash<QString, QTreeWidgetItem *> credentialItems;
        // Endpoints and streams of a credential sit under it; the others under the environment.
        auto groupFor = [&](const QString &credentialId) -> QTreeWidgetItem * {
            if (credentialId.isEmpty())
                return envItem;
            QTreeWidgetItem *&credItem = credentialItems[credentialId];
            if (!credItem) {
                const Credential *cred = ws.credential(credentialId);
                const QString label = cred && !cred->name.isEmpty() ? cred->name : credentialId;
                credItem = new QTreeWidgetItem(envItem, {label});
                credItem->setData(Name, Qt::UserRole,
                                  QString(QStringLiteral("cred:") + credentialId));
                credItem->setData(Name, KindRole, int(ScopeKind::Credential));
                credItem->setData(Name, ScopeNameRole, credentialId);
                credItem->setData(Name, EnvironmentRole, env.id);
                credItem->setToolTip(
                    Name, cred ? tr("credential %1 (%2)").arg(cred->id, toString(cred->method))
                               : credentialId);
                credItem->setIcon(Name, light(Outcome::Success, false));
                m_credentialItems.append(credItem);
            }
            return credItem;
        };
        for (const Endpoint &ep : ws.endpoints) {
            if (ep.environment != env.id)
                continue;
            QTreeWidgetItem *parentItem = groupFor(ep.credential);
            auto *item = new QTreeWidgetItem(parentItem, {ep.name.isEmpty() ? ep.id : ep.name});
            item->setData(Name, Qt::UserRole, ep.id);
            item->setData(Name, KindRole, int(ScopeKind::Endpoint));
            item->setData(Name, ScopeNameRole, ep.id);
            item->setData(Name, EnvironmentRole, env.id);
            item->setToolTip(Name, QString(QStringLiteral("%1 · %2 %3 · every %4 s")
                                               .arg(ep.id, ep.method, ep.path)
                                               .arg(ep.intervalMs / 1000.0)));
            item->setIcon(Name, light(Outcome::Success, false));
            item->setText(Status, tr("waiting"));
            m_items.insert(ep.id, item);
        }
        for (const StreamEndpoint &st : ws.streams) {
            if (st.environment != env.id)
                continue;
            auto *item = new QTreeWidgetItem(groupFor(st.credential),
                                             {st.name.isEmpty() ? st.id : st.name});
            item->setData(Name, Qt::UserRole, st.id);
            item->setData(Name, KindRole, int(ScopeKind::Endpoint));
            item->setData(Name, ScopeNameRole, st.id);
            item->setData(Name, EnvironmentRole, env.id);
            item->setToolTip(Name, streamToolTip(st, StreamHealth{}, 0));
            item->setIcon(Name, light(Outcome::Success, false));
            item->setText(Status, tr("waiting"));
            m_items.insert(st.id, item);
            m_streams.insert(st.id, st);
        }
    }
    expandAll();
    refreshPaused();
    emit scopeChanged(ScopeKind::All, QString());
}

void EndpointTree::record(const ApiEvent &event)
{
    Latest &l = m_latest[event.endpoint];
    l.event = event;
    l.dirty = true;
}

void EndpointTree::refresh()
{
    // Every setText/setIcon on an item is a dataChanged, and each one makes the
    // ResizeToContents columns measure every row again: a hundred cells cost 10–50 ms a tick
    // under a storm (issue 7's stall measurement). Update the items with the model's signals
    // held back, then announce one change per group.
    {
        const QSignalBlocker hold(model());
        for (auto it = m_latest.begin(); it != m_latest.end(); ++it) {
            if (!it->dirty)
                continue;
            it->dirty = false;
            QTreeWidgetItem *item = m_items.value(it.key());
            if (!item)
                continue;
            const ApiEvent &e = it->event;
            const Health health = healthOf(e);
            item->setIcon(Name, e.outcome == Outcome::Success && health == Health::Degraded
                                    ? degradedLight()
                                    : light(e.outcome));
            item->setData(Name, Qt::UserRole + 10, rank(e.outcome));
            QString status = e.httpStatus ? QString::number(*e.httpStatus) : e.networkError;
            if (health == Health::Degraded)
                status += tr(" · degraded");
            item->setText(Status, status);
            if (e.tls && e.tls->notAfterMs > 0)
                m_certificates.insert(it.key(), *e.tls);
            if (const auto cert = m_certificates.constFind(it.key());
                cert != m_certificates.constEnd()) {
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                item->setText(Certificate, certificateText(cert->notAfterMs, now));
                QString tip = tr("%1\nissued by %2\nvalid until %3")
                                  .arg(cert->subject, cert->issuer,
                                       QDateTime::fromMSecsSinceEpoch(cert->notAfterMs, Qt::UTC)
                                           .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
                if (!cert->protocol.isEmpty())
                    tip += u'\n' + cert->protocol;
                for (const QString &p : cert->problems)
                    tip += u'\n' + p;
                item->setToolTip(Certificate, tip);
                const qint64 days = (cert->notAfterMs - now) / 86400000;
                item->setForeground(Certificate,
                                    days < 7    ? QBrush(QColor(QStringLiteral("#e53935")))
                                    : days < 30 ? QBrush(QColor(QStringLiteral("#fb8c00")))
                                                : QBrush());
            }
            item->setText(Latency, QStringLiteral("%1 ms").arg(qRound(e.durationMs)));
            item->setText(Category, toQString(toString(e.category)));
            item->setToolTip(Category, e.retry.advice);
            item->setToolTip(Status, QStringLiteral("%1: %2").arg(toQString(toString(e.category)),
                                                                  e.retry.advice));
            if (m_shownPaused.value(it.key())) // an in-flight answer landed after the pause
                item->setText(Status, tr("paused"));
        }
        refreshGroups();
    }
    announceChanged(invisibleRootItem());
}

void EndpointTree::announceChanged(QTreeWidgetItem *parent)
{
    const int n = parent->childCount();
    if (n == 0)
        return;
    const QModelIndex first = indexFromItem(parent->child(0), 0);
    const QModelIndex last = indexFromItem(parent->child(n - 1), ColumnCount - 1);
    emit model()->dataChanged(first, last);
    for (int i = 0; i < n; ++i)
        announceChanged(parent->child(i));
}

void EndpointTree::refreshPaused()
{
    if (!m_isPaused)
        return;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        const bool paused = m_isPaused(it.key());
        if (m_shownPaused.contains(it.key()) && m_shownPaused.value(it.key()) == paused)
            continue;
        m_shownPaused.insert(it.key(), paused);
        QTreeWidgetItem *item = *it;
        QFont f = item->font(Name);
        f.setItalic(paused);
        item->setFont(Name, f);
        if (paused)
            item->setText(Status, tr("paused"));
        else if (const auto l = m_latest.constFind(it.key()); l != m_latest.cend())
            item->setText(Status, l->event.httpStatus ? QString::number(*l->event.httpStatus)
                                                      : l->event.networkError);
        else
            item->setText(Status, tr("waiting"));
    }
}

void EndpointTree::refreshGroups()
{
    auto worstChild = [](QTreeWidgetItem *group, auto &self) -> int {
        int worst = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *c = group->child(i);
            worst = std::max(worst, c->childCount() ? self(c, self)
                                                    : c->data(Name, Qt::UserRole + 10).toInt());
        }
        return worst;
    };
    auto setLight = [](QTreeWidgetItem *item, int worst) {
        if (item->data(Name, Qt::UserRole + 10).toInt() == worst)
            return;
        item->setData(Name, Qt::UserRole + 10, worst);
        static const Outcome byRank[]
            = {Outcome::Success,     Outcome::Success,     Outcome::BusinessError,
               Outcome::ClientError, Outcome::ServerError, Outcome::ConnectionError};
        item->setIcon(Name, light(byRank[std::clamp(worst, 0, 5)], worst > 0));
    };
    for (QTreeWidgetItem *env : std::as_const(m_environmentItems))
        setLight(env, worstChild(env, worstChild));
    for (QTreeWidgetItem *cred : std::as_const(m_credentialItems)) {
        setLight(cred, worstChild(cred, worstChild));
        if (!m_aggregator)
            continue;
        const QString id = cred->data(Name, ScopeNameRole).toString();
        const auto headroom = m_aggregator->headroom(ScopeKind::Credential, id);
        if (headroom)
            cred->setData(Headroom, Qt::UserRole, *headroom);
        const auto expires = m_aggregator->tokenExpiresInMs(ScopeKind::Credential, id);
        const QString token = expires ? countdownText(*expires) : QString();
        if (cred->text(Token) != token) {
            cred->setText(Token, token);
            cred->setToolTip(Token, expires
                                        ? tr("the newest token of %1 expires in %2").arg(id, token)
                                        : QString());
        }
    }
}

ScopeKind EndpointTree::selectedKind() const
{
    const QTreeWidgetItem *item = currentItem();
    return item && item->isSelected() ? ScopeKind(item->data(Name, KindRole).toInt())
                                      : ScopeKind::All;
}

QString EndpointTree::selectedName() const
{
    const QTreeWidgetItem *item = currentItem();
    return item && item->isSelected() ? item->data(Name, ScopeNameRole).toString() : QString();
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
    return selectedKind() == ScopeKind::Endpoint ? selectedName() : QString();
}

QStringList EndpointTree::selectedEndpoints() const
{
    if (const QList<QTreeWidgetItem *> items = selectedItems(); items.size() > 1) {
        // Several rows: every endpoint one of them stands for, in workspace order.
        QStringList out;
        for (const Endpoint &ep : m_workspace.endpoints)
            for (const QTreeWidgetItem *item : items) {
                const auto kind = ScopeKind(item->data(Name, KindRole).toInt());
                const QString name = item->data(Name, ScopeNameRole).toString();
                const QString env = item->data(Name, EnvironmentRole).toString();
                if ((kind == ScopeKind::Endpoint && ep.id == name)
                    || (kind == ScopeKind::Environment && ep.environment == name)
                    || (kind == ScopeKind::Credential && ep.credential == name
                        && ep.environment == env)) {
                    out.append(ep.id);
                    break;
                }
            }
        return out;
    }
    const ScopeKind kind = selectedKind();
    const QString name = selectedName();
    const QString env
        = currentItem() ? currentItem()->data(Name, EnvironmentRole).toString() : QString();
    QStringList out;
    for (const Endpoint &ep : m_workspace.endpoints) {
        const bool in
            = kind == ScopeKind::All || (kind == ScopeKind::Endpoint && ep.id == name)
              || (kind == ScopeKind::Environment && ep.environment == name)
              || (kind == ScopeKind::Credential && ep.credential == name && ep.environment == env);
        if (in)
            out.append(ep.id);
    }
    return out;
}

bool EndpointTree::selectScope(ScopeKind kind, const QString &name, const QString &environment)
{
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        QTreeWidgetItem *item = *it;
        if (ScopeKind(item->data(Name, KindRole).toInt()) == kind
            && item->data(Name, ScopeNameRole).toString() == name
            && (environment.isEmpty()
                || item->data(Name, EnvironmentRole).toString() == environment)) {
            setCurrentItem(item);
            item->setSelected(true);
            return true;
        }
    }
    return false;
}

void EndpointTree::onCurrentItemChanged(QTreeWidgetItem *current)
{
    if (!current) {
        emit scopeChanged(ScopeKind::All, QString());
        return;
    }
    emit scopeChanged(ScopeKind(current->data(Name, KindRole).toInt()),
                      current->data(Name, ScopeNameRole).toString());
}

} // namespace hd
