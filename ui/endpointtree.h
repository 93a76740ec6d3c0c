#pragma once

// Environment → credential → endpoint tree. Endpoints show a status light, the last status,
// latency and category; credentials show a rate-limit headroom bar and the token countdown
// (from the session's aggregator); TLS endpoints show the days their server certificate has
// left (Certificate column; subject, issuer, not-after and chain problems in its tooltip), and a
// degraded endpoint (slow beyond its threshold, rate limited) an amber light; environments and
// credentials take the worst light of their endpoints. Updated from events in batches (the window
// calls refresh() on its tick). Paused endpoints read "paused". Selecting a row emits
// scopeChanged(kind, name) — the charts follow it — with ScopeKind::All and an empty name when
// nothing is selected. Object name "endpointTree"; items carry their scope in Qt::UserRole + 1
// (kind) / + 2 (name).

#include "aggregator.h"
#include "apievent.h"
#include "workspace.h"

#include <QHash>
#include <QTreeWidget>

#include <functional>

namespace hd {

class Aggregator;

class EndpointTree : public QTreeWidget
{
    Q_OBJECT
public:
    enum Column { Name, Status, Latency, Category, Headroom, Token, Certificate, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, ScopeNameRole, EnvironmentRole };

    explicit EndpointTree(QWidget *parent = nullptr);
    void setWorkspace(const Workspace &ws);
    // The session's aggregates for headroom and token countdown; may be null.
    void setAggregator(const Aggregator *aggregator) { m_aggregator = aggregator; }
    // Whether an endpoint is paused now (the engine's scheduler); may be unset. Read once here
    // and again on every refreshPaused(): the window calls that on PollScheduler::pausedChanged,
    // never on a timer.
    void setPausedQuery(std::function<bool(const QString &endpointId)> query)
    {
        m_isPaused = std::move(query);
        m_shownPaused.clear();
        refreshPaused();
    }
    void record(const ApiEvent &event); // cheap; visible at the next refresh()
    void refresh();
    // Re-reads every endpoint's paused state now (call it when the scheduler says it changed).
    void refreshPaused();
    // Stream monitors (docs/streams.md): their health, from the aggregator, in the tooltip.
    void refreshStreams(const Aggregator &aggregator);
    static QString streamToolTip(const StreamEndpoint &stream, const StreamHealth &health,
                                 qint64 nowMs);
    static QIcon light(Outcome outcome, bool known = true);
    // A success slower than the endpoint's degraded threshold: amber, not green.
    static QIcon degradedLight();
    // "41 d", "2 d 4 h", "expired 3 d ago": the Certificate column of a TLS endpoint.
    static QString certificateText(qint64 notAfterMs, qint64 nowMs);

    // The selected scope (ScopeKind::All and empty when nothing is selected).
    ScopeKind selectedKind() const;
    QString selectedName() const;
    // The selected endpoint id, or empty when the selection is not an endpoint.
    QString selectedEndpoint() const;
    // The endpoints the selection stands for (all of them when nothing is selected).
    QStringList selectedEndpoints() const;
    // Selects the row of a scope; false when there is none.
    bool selectScope(ScopeKind kind, const QString &name, const QString &environment = {});
    QTreeWidgetItem *itemForEndpoint(const QString &id) const { return m_items.value(id); }

    // "4:32", "58 s", "expired 12 s ago"
    static QString countdownText(qint64 ms);

signals:
    // The selection as a chart scope: an endpoint, an environment, or everything.
    void scopeChanged(hd::ScopeKind kind, const QString &name);

private:
    struct Latest
    {
        ApiEvent event;
        bool dirty = false;
    };
    void onCurrentItemChanged(QTreeWidgetItem *current);
    void refreshGroups();
    // One dataChanged per group of children (refresh() holds the per-cell signals back).
    void announceChanged(QTreeWidgetItem *parent);

    Workspace m_workspace;
    const Aggregator *m_aggregator = nullptr;
    std::function<bool(const QString &)> m_isPaused;
    QHash<QString, QTreeWidgetItem *> m_items; // endpoint id → item
    QList<QTreeWidgetItem *> m_credentialItems;
    QList<QTreeWidgetItem *> m_environmentItems;
    QHash<QString, Latest> m_latest;
    QHash<QString, bool> m_shownPaused; // as last read from m_isPaused
    QHash<QString, StreamEndpoint> m_streams;
    QHash<QString, TlsInfo> m_certificates; // endpoint → TLS facts of its newest TLS answer
};

} // namespace hd
