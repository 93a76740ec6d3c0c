#include "endpointtree.h"

#include <QHeaderView>
#include <QPainter>
#include <QSignalBlocker>

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
    connect(this, &QTreeWidget::itemSelectionChanged, this, [this] {
        const QString id = selectedEndpoint();
        if (id.isEmpty())
            emit scopeChanged(ScopeKind::All, {});
        else if (id.startsWith(QStringLiteral("env:")))
            emit scopeChanged(ScopeKind::Environment, id.mid(4));
        else
            emit scopeChanged(ScopeKind::Endpoint, id);
    });
}

QIcon EndpointTree::light(Outcome outcome, bool known)
{
    // Drawn once per state: refresh() asks for one per endpoint per tick.
    static QHash<int, QIcon> cache;
    const int key = known ? int(outcome) : -1;
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
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
    p.end();
    return *cache.insert(key, QIcon(pm));
}

void EndpointTree::setWorkspace(const Workspace &ws)
{
    clear();
    m_items.clear();
    m_latest.clear();
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
    // Every setText/setIcon on an item is a dataChanged, and each one makes the
    // ResizeToContents columns measure every row again: 25 endpoints × 4 cells cost 10–50 ms a
    // tick under a storm (issue 7's stall measurement). Update the items with the model's
    // signals held back, then announce one change per environment.
    QAbstractItemModel *m = model();
    bool changed = false;
    {
        const QSignalBlocker hold(m);
        for (auto it = m_latest.begin(); it != m_latest.end(); ++it) {
            if (!it->dirty)
                continue;
            it->dirty = false;
            QTreeWidgetItem *item = m_items.value(it.key());
            if (!item)
                continue;
            changed = true;
            const ApiEvent &e = it->event;
            item->setIcon(Name, light(e.outcome));
            item->setText(Status, e.httpStatus ? QString::number(*e.httpStatus) : e.networkError);
            item->setText(Latency, QStringLiteral("%1 ms").arg(qRound(e.durationMs)));
            item->setText(Category, toQString(toString(e.category)));
            item->setToolTip(Category, e.retry.advice);
        }
    }
    if (!changed)
        return;
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *env = topLevelItem(i);
        if (!env->childCount())
            continue;
        const QModelIndex parent = indexFromItem(env);
        emit m->dataChanged(m->index(0, 0, parent),
                            m->index(env->childCount() - 1, ColumnCount - 1, parent));
    }
}

QString EndpointTree::selectedEndpoint() const
{
    const auto items = selectedItems();
    return items.isEmpty() ? QString() : items.front()->data(Name, Qt::UserRole).toString();
}

} // namespace hd
