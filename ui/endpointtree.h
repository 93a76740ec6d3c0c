#pragma once

// Environment → endpoint tree with a status light, the last status, latency and category per
// endpoint. Updated from events in batches (the window calls refresh() on its replot tick).

#include "aggregatortypes.h"
#include "apievent.h"
#include "workspace.h"

#include <QHash>
#include <QTreeWidget>

namespace hd {

class EndpointTree : public QTreeWidget
{
    Q_OBJECT
public:
    enum Column { Name, Status, Latency, Category, ColumnCount };

    explicit EndpointTree(QWidget *parent = nullptr);
    void setWorkspace(const Workspace &ws);
    void record(const ApiEvent &event); // cheap; visible at the next refresh()
    void refresh();
    static QIcon light(Outcome outcome, bool known = true);
    // The selected endpoint id, environment id, or empty for "all".
    QString selectedEndpoint() const;

signals:
    // The selection as a chart scope: an endpoint, an environment, or everything.
    void scopeChanged(hd::ScopeKind kind, const QString &name);

private:
    struct Latest
    {
        ApiEvent event;
        bool dirty = false;
    };
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<QString, Latest> m_latest;
};

} // namespace hd
