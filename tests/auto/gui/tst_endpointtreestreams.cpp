// The endpoint tree lists stream monitors under their environment and shows their health
// (docs/streams.md) in the tooltip, from the aggregator the session feeds.
#include "aggregator.h"
#include "endpointtree.h"

#include <QTest>

using namespace hd;

class TestEndpointTreeStreams : public QObject
{
    Q_OBJECT
private slots:
    void streams_areListedWithTheirHealthInTheTooltip();
};

void TestEndpointTreeStreams::streams_areListedWithTheirHealthInTheTooltip()
{
    Workspace ws;
    ws.environments.append(
        {QStringLiteral("prod"), QStringLiteral("Production"), QStringLiteral("sim:/prod"), {}});
    Endpoint ep;
    ep.id = QStringLiteral("orders");
    ep.environment = QStringLiteral("prod");
    ws.endpoints.append(ep);
    StreamEndpoint st;
    st.id = QStringLiteral("md");
    st.name = QStringLiteral("Market data stream");
    st.environment = QStringLiteral("prod");
    ws.streams.append(st);

    EndpointTree tree;
    tree.setWorkspace(ws);
    QCOMPARE(tree.topLevelItemCount(), 1);
    QTreeWidgetItem *env = tree.topLevelItem(0);
    QCOMPARE(env->childCount(), 2);
    QTreeWidgetItem *item = env->child(1);
    QCOMPARE(item->text(EndpointTree::Name), QStringLiteral("Market data stream"));
    QCOMPARE(item->data(EndpointTree::Name, Qt::UserRole).toString(), QStringLiteral("md"));
    QVERIFY(item->toolTip(EndpointTree::Name).contains(QStringLiteral("/s003/v1/websocket")));

    ManualClock clock(Clock::system().nowMs());
    Aggregator aggregator(clock);
    StreamHealth h;
    h.state = StreamHealth::State::Reconnecting;
    h.sampledAtMs = clock.nowMs();
    h.connectedTotalMs = 42000;
    h.sessions = 2;
    h.reconnects = 3;
    h.drops = 2;
    h.heartbeatMisses = 1;
    h.lastHeartbeatGapMs = 2500;
    h.maxHeartbeatGapMs = 2600;
    h.messagesPerSecond = 2.5;
    h.frames = 99;
    h.lastFrameMs = clock.nowMs();
    h.lastFrame = QStringLiteral("h");
    h.nextReconnectAtMs = clock.nowMs() + 60000;
    aggregator.setStreamHealth(QStringLiteral("md"), h);
    tree.refreshStreams(aggregator);
    const QString tip = item->toolTip(EndpointTree::Name);
    for (const char *part : {"state: reconnecting", "sessions 2", "reconnects 3", "drops 2",
                             "max 2600 ms", "missed 1", "2.5 frames/s", "next reconnect in"})
        QVERIFY2(tip.contains(QLatin1String(part)), qPrintable(tip));
    // HTTP endpoints keep their own tooltip.
    QVERIFY(!env->child(0)->toolTip(EndpointTree::Name).contains(QStringLiteral("state:")));
}

QTEST_MAIN(TestEndpointTreeStreams)
#include "tst_endpointtreestreams.moc"
