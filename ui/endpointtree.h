#pragma once

// Environment → endpoint tree with a status light, the last status, latency and category per
// endpoint. Updated from events in batches (the window calls refresh() on its replot tick).

#include "aggregator.h"
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
    // Stream monitors (docs/streams.md): their health, from the aggregator, in the tooltip.
    void refreshStreams(const Aggregator &aggregator);
    static QString streamToolTip(const StreamEndpoint &stream, const StreamHealth &health,
                                 qint64 nowMs);
    static QIcon light(Outcome outcome, bool known = true);
    // The selected endpoint id, environment id, or empty for "all".
    QString selectedEndpoint() const;

private:
    struct Latest
    {
        ApiEvent event;
        bool dirty = false;
    };
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<QString, Latest> m_latest;
    QHash<QString, StreamEndpoint> m_streams;
};

} // namespace hd
