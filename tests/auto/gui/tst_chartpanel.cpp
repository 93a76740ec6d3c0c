// The console's charts (issue 7) on the offscreen platform: an Aggregator fed synthetic events
// through a ManualClock, the real ChartPanel and EndpointTree, driven by object name. Checks
// the drawn series (per-class stacked counts, error rate and the 1 % SLO line, p95, headroom
// and token expiry per credential), the range selector (15 min, 1 h, custom from the real
// SQLite history), the scope following the tree, that a replot replaces each series once and
// never appends, coalescing, hidden panels, and the light/dark palette.
#include "aggregator.h"
#include "charts/chartpanel.h"
#include "charts/chartstyle.h"
#include "charts/customrangedialog.h"
#include "endpointtree.h"
#include "historystore.h"
#include "windowschedule.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>
#include <QValueAxis>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000; // 2026-11-21T22:00:00Z, on a minute

ApiEvent makeEvent(qint64 timeMs, Category category,
                   const QString &endpoint = QStringLiteral("orders"),
                   const QString &environment = QStringLiteral("prod"), double durationMs = 10)
{
    static int n = 0;
    ApiEvent e;
    e.id = QStringLiteral("e%1").arg(++n);
    e.timeMs = timeMs;
    e.endpoint = endpoint;
    e.environment = environment;
    e.category = category;
    e.outcome = outcomeOf(category);
    e.durationMs = durationMs;
    return e;
}

Workspace workspace()
{
    Workspace ws;
    ws.name = QStringLiteral("charts");
    for (const char *id : {"prod", "dev"}) {
        Environment env;
        env.id = QString::fromLatin1(id);
        env.name = env.id;
        ws.environments.append(env);
    }
    Credential broker;
    broker.id = QStringLiteral("broker");
    broker.method = Credential::Method::OAuth2ClientCredentials;
    Credential key;
    key.id = QStringLiteral("apikey");
    key.method = Credential::Method::ApiKeyHeader;
    ws.credentials = {broker, key};
    auto endpoint = [](const char *id, const char *env, const char *credential) {
        Endpoint ep;
        ep.id = QString::fromLatin1(id);
        ep.name = ep.id;
        ep.environment = QString::fromLatin1(env);
        ep.credential = QString::fromLatin1(credential);
        ep.method = QStringLiteral("GET");
        ep.path = QStringLiteral("/x");
        return ep;
    };
    ws.endpoints = {endpoint("orders", "prod", "broker"), endpoint("quotes", "prod", "apikey"),
                    endpoint("devorders", "dev", "broker")};
    return ws;
}

template<typename T>
T *seriesNamed(ChartPanel &panel, const char *chart, const QString &name)
{
    auto *view = panel.findChild<QChartView *>(QString::fromLatin1(chart));
    if (!view)
        return nullptr;
    for (QAbstractSeries *s : view->chart()->series()) {
        if (s->objectName() == name)
            return qobject_cast<T *>(s);
    }
    return nullptr;
}

QLineSeries *classUpper(ChartPanel &panel, ResponseClass c)
{
    auto *area = seriesNamed<QAreaSeries>(panel, "chartCategories",
                                          QStringLiteral("class.") + responseClassLabel(c));
    return area ? area->upperSeries() : nullptr;
}

// The y of the point at x, or NaN.
double yAt(const QXYSeries *s, qint64 x)
{
    for (const QPointF &p : s->points()) {
        if (qint64(p.x()) == x)
            return p.y();
    }
    return std::nan("");
}

int plotWidth(ChartPanel &panel, const char *chart)
{
    return int(
        panel.findChild<QChartView *>(QString::fromLatin1(chart))->chart()->plotArea().width());
}

qint64 axisSpan(ChartPanel &panel, const char *chart)
{
    auto *view = panel.findChild<QChartView *>(QString::fromLatin1(chart));
    auto *axis = qobject_cast<QDateTimeAxis *>(view->chart()->axes(Qt::Horizontal).value(0));
    return axis->min().msecsTo(axis->max());
}

} // namespace

class TestChartPanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void categories_stackEachClassPerBucket();
    void errorRate_isDrawnAgainstTheOnePercentSloLine();
    void errorRate_shadesTheScopesMaintenanceWindows();
    void latency_p95ComesFromTheHistogramRing();
    void latency_byPhaseStacksTheMeanOfEachPhase();
    void rates_areLinesWithDotsOnlyForALonePoint();
    void credentials_headroomAndTokenExpiryPerCredential();
    void rangeSelector_changesTheAxisSpan();
    void liveRange_startsWhereTheDataStarts();
    void customRange_readsTheHistoryOffTheUiThread();
    void scope_followsTheTreeSelection();
    void replot_replacesEachSeriesOnceAndNeverAppends();
    void replot_requestsAreCoalescedAndHiddenPanelsSkip();
    void palette_darkAndLightKeepClassColoursAndFollowTheText();

private:
    void showPanel();

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Aggregator> m_agg;
    std::unique_ptr<QWidget> m_window;
    ChartPanel *m_panel = nullptr;
};

void TestChartPanel::init()
{
    m_clock = std::make_unique<ManualClock>(T0 + 10 * 60 * 1000);
    AggregatorConfig config;
    config.histograms = {false, true, true}; // 10 s percentiles for the 15 min view
    m_agg = std::make_unique<Aggregator>(*m_clock, config);
    m_window = std::make_unique<QWidget>();
    m_window->resize(1200, 600);
    auto *layout = new QVBoxLayout(m_window.get());
    m_panel = new ChartPanel(*m_clock);
    m_panel->setReplotIntervalMs(60 * 60 * 1000); // the test replots by hand
    layout->addWidget(m_panel);
    m_panel->setSources(m_agg.get(), nullptr, workspace());
}

void TestChartPanel::cleanup()
{
    m_window.reset();
    m_agg.reset();
}

void TestChartPanel::showPanel()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_panel->replotNow(); // first pass lays the charts out
    QCoreApplication::processEvents();
    m_panel->replotNow();
}

void TestChartPanel::categories_stackEachClassPerBucket()
{
    // In the 10 s bucket at T0 + 5 min: 3 ok, 2 × 503, 1 × 429, 1 reset, 1 business, 1 × 400.
    const qint64 b = T0 + 5 * 60 * 1000;
    for (int i = 0; i < 3; ++i)
        m_agg->add(makeEvent(b + i, Category::Ok));
    m_agg->add(makeEvent(b + 10, Category::Unavailable));
    m_agg->add(makeEvent(b + 20, Category::InternalError));
    m_agg->add(makeEvent(b + 30, Category::RateLimited));
    m_agg->add(makeEvent(b + 40, Category::ConnectionReset));
    m_agg->add(makeEvent(b + 50, Category::BusinessRejected));
    m_agg->add(makeEvent(b + 60, Category::BadRequest));
    m_agg->add(makeEvent(b + 20000, Category::Ok)); // a later bucket
    showPanel();

    // Bands stack bottom-up: connection, 5xx, 4xx, rate limited, business, ok.
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::ConnectionError), b), 1.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::ServerError), b), 3.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::ClientError), b), 4.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::RateLimited), b), 5.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::BusinessError), b), 6.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b), 9.0);
    // Zero-filled: the bucket before is 0 in every band, the later one has just the ok.
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b - 10000), 0.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::BusinessError), b + 20000), 0.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b + 20000), 1.0);
    // Every band is on the same x values as the others (so the areas stack).
    const auto ok = classUpper(*m_panel, ResponseClass::Ok)->points();
    const auto conn = classUpper(*m_panel, ResponseClass::ConnectionError)->points();
    QCOMPARE(ok.size(), conn.size());
    for (qsizetype i = 0; i < ok.size(); ++i)
        QCOMPARE(ok[i].x(), conn[i].x());
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartCategories"))->chart();
    QCOMPARE(chart->title(), QStringLiteral("Responses per 10 s"));
    QCOMPARE(chart->series().size(), ResponseClassCount); // one area per class, with a legend
    QVERIFY(chart->legend()->isVisible());
}

void TestChartPanel::errorRate_isDrawnAgainstTheOnePercentSloLine()
{
    const qint64 b = T0 + 6 * 60 * 1000;
    for (int i = 0; i < 196; ++i)
        m_agg->add(makeEvent(b + i, Category::Ok));
    for (int i = 0; i < 4; ++i)
        m_agg->add(makeEvent(b + 500 + i, Category::GatewayTimeout));
    showPanel();
    auto *rate = seriesNamed<QLineSeries>(*m_panel, "chartErrorRate", QStringLiteral("errorRate"));
    auto *slo = seriesNamed<QLineSeries>(*m_panel, "chartErrorRate", QStringLiteral("sloLine"));
    QVERIFY(rate && slo);
    QCOMPARE(yAt(rate, b), 2.0); // 4 of 200
    QCOMPARE(slo->points().size(), 2);
    QCOMPARE(slo->points()[0].y(), 1.0);
    QCOMPARE(slo->points()[1].y(), 1.0);
    QCOMPARE(qint64(slo->points()[0].x()), m_panel->shownFromMs());
    QCOMPARE(qint64(slo->points()[1].x()), m_panel->rangeToMs());
    QCOMPARE(slo->pen().style(), Qt::DashLine);
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartErrorRate"))->chart();
    QVERIFY2(chart->title().contains(QStringLiteral("2.00 %")), qPrintable(chart->title()));
    QCOMPARE(chart->title(), QStringLiteral("Error rate 2.00 % / 30 min > SLO 1 %"));
}

void TestChartPanel::errorRate_shadesTheScopesMaintenanceWindows()
{
    // A deploy window on prod from T0 + 2 min to T0 + 4 min, inside the 15-minute view.
    MaintenanceWindow deploy;
    deploy.id = QStringLiteral("deploy");
    deploy.scope = QStringLiteral("prod");
    deploy.kind = MaintenanceWindow::Kind::Once;
    deploy.start = QStringLiteral("2026-11-21T22:02");
    deploy.end = QStringLiteral("2026-11-21T22:04");
    WindowSchedule windows;
    QCOMPARE(windows.add(deploy), QString());
    m_panel->setWindows(&windows);
    showPanel();
    auto *band = seriesNamed<QAreaSeries>(*m_panel, "chartErrorRate", QStringLiteral("windowBand"));
    QVERIFY(band);
    QVERIFY(band->upperSeries()->points().isEmpty()); // "all endpoints": a prod window is not all

    auto shaded = [&](ScopeKind kind, const QString &name) {
        m_panel->setScope(kind, name);
        m_panel->replotNow();
        return band->upperSeries()->points();
    };
    const auto prod = shaded(ScopeKind::Environment, QStringLiteral("prod"));
    QCOMPARE(prod.size(), 4);
    QCOMPARE(qint64(prod[0].x()), T0 + 2 * 60 * 1000);
    QCOMPARE(prod[0].y(), 0.0);
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartErrorRate"))->chart();
    auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
    QCOMPARE(prod[1].y(), y->max()); // the full height of the plot
    QCOMPARE(qint64(prod[2].x()), T0 + 4 * 60 * 1000);
    QCOMPARE(prod[3].y(), 0.0);
    QCOMPARE(shaded(ScopeKind::Endpoint, QStringLiteral("orders")).size(), 4); // a prod endpoint
    QVERIFY(shaded(ScopeKind::Endpoint, QStringLiteral("devorders")).isEmpty());
    QVERIFY(shaded(ScopeKind::Environment, QStringLiteral("dev")).isEmpty());
    m_panel->clearSources(); // before the schedule goes
}

void TestChartPanel::latency_p95ComesFromTheHistogramRing()
{
    const qint64 b = T0 + 7 * 60 * 1000;
    for (int i = 1; i <= 100; ++i)
        m_agg->add(
            makeEvent(b + i, Category::Ok, QStringLiteral("orders"), QStringLiteral("prod"), i));
    showPanel();
    auto *p95 = seriesNamed<QLineSeries>(*m_panel, "chartLatency", QStringLiteral("latency.p95"));
    auto *p50 = seriesNamed<QLineSeries>(*m_panel, "chartLatency", QStringLiteral("latency.p50"));
    QVERIFY(p95 && p50);
    const double v95 = yAt(p95, b);
    const double v50 = yAt(p50, b);
    QVERIFY2(qAbs(v95 - 95.0) <= 95.0 * 0.07, qPrintable(QString::number(v95)));
    QVERIFY2(qAbs(v50 - 50.0) <= 50.0 * 0.07, qPrintable(QString::number(v50)));
    QCOMPARE(p95->points().size(), 1); // gaps where nothing happened, not zeros
}

void TestChartPanel::latency_byPhaseStacksTheMeanOfEachPhase()
{
    const qint64 b = T0 + 7 * 60 * 1000;
    // Two https polls in one 10 s bucket: a new connection and a reused one.
    ApiEvent fresh
        = makeEvent(b, Category::Ok, QStringLiteral("orders"), QStringLiteral("prod"), 60);
    fresh.timing = TimingInfo{};
    fresh.timing->dnsMs = 4;
    fresh.timing->tlsMs = 16;
    fresh.timing->firstByteMs = 36;
    fresh.timing->transferMs = 4;
    ApiEvent reused
        = makeEvent(b + 1, Category::Ok, QStringLiteral("orders"), QStringLiteral("prod"), 22);
    reused.timing = TimingInfo{};
    reused.timing->dnsMs = 0;
    reused.timing->firstByteMs = 20;
    reused.timing->transferMs = 2;
    reused.timing->reusedConnection = true;
    m_agg->add(fresh);
    m_agg->add(reused);
    showPanel();

    auto *view = m_panel->findChild<QComboBox *>(QStringLiteral("chartLatencyView"));
    QVERIFY(view);
    auto *tls = seriesNamed<QAreaSeries>(*m_panel, "chartLatency", QStringLiteral("phase.tls"));
    auto *p95 = seriesNamed<QLineSeries>(*m_panel, "chartLatency", QStringLiteral("latency.p95"));
    QVERIFY(tls && p95);
    QVERIFY(!tls->isVisible() && p95->isVisible()); // percentiles by default

    view->setCurrentIndex(view->findData(int(ChartPanel::LatencyView::Phases)));
    emit view->activated(view->currentIndex());
    m_panel->replotNow();
    QCOMPARE(m_panel->latencyView(), ChartPanel::LatencyView::Phases);
    QVERIFY(!p95->isVisible());
    auto upper = [this](const char *id) {
        auto *a = seriesNamed<QAreaSeries>(*m_panel, "chartLatency",
                                           QStringLiteral("phase.") + QLatin1String(id));
        return a ? a->upperSeries() : nullptr;
    };
    // Means over the two polls, stacked in the order a request goes through them:
    // DNS 2, connect + TLS 8, first byte 28, transfer 3.
    QCOMPARE(yAt(upper("dns"), b), 2.0);
    QCOMPARE(yAt(upper("tls"), b), 10.0);
    QCOMPARE(yAt(upper("sent"), b), 10.0);
    QCOMPARE(yAt(upper("firstByte"), b), 38.0);
    QCOMPARE(yAt(upper("transfer"), b), 41.0);
    // Phases nobody went through stay out of the chart and its legend.
    QVERIFY(tls->isVisible());
    QVERIFY(!seriesNamed<QAreaSeries>(*m_panel, "chartLatency", QStringLiteral("phase.connect"))
                 ->isVisible());
    QVERIFY(!seriesNamed<QAreaSeries>(*m_panel, "chartLatency", QStringLiteral("phase.sent"))
                 ->isVisible());
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartLatency"))->chart();
    QCOMPARE(chart->title(), QStringLiteral("Mean latency by phase per 10 s"));
    QCOMPARE(upper("transfer")->count(), 1); // no zero columns where nothing was timed

    m_panel->setLatencyView(ChartPanel::LatencyView::Percentiles);
    m_panel->replotNow();
    QVERIFY(p95->isVisible() && !tls->isVisible());
    QVERIFY(chart->title().startsWith(QStringLiteral("Latency per")));
}

void TestChartPanel::rates_areLinesWithDotsOnlyForALonePoint()
{
    const qint64 b = T0 + 5 * 60 * 1000;
    m_agg->add(makeEvent(b, Category::Unavailable));
    showPanel();
    auto *rate = seriesNamed<QLineSeries>(*m_panel, "chartErrorRate", QStringLiteral("errorRate"));
    QVERIFY(rate);
    QCOMPARE(rate->count(), 1);
    QVERIFY(rate->pointsVisible()); // one point: a line would draw nothing
    for (int i = 1; i < 12; ++i)
        m_agg->add(makeEvent(b + i * 10000, i % 3 ? Category::Ok : Category::Unavailable));
    m_panel->replotNow();
    QVERIFY(rate->count() >= 12);
    QVERIFY(!rate->pointsVisible()); // a rate is a line
}

void TestChartPanel::credentials_headroomAndTokenExpiryPerCredential()
{
    const qint64 b = T0 + 8 * 60 * 1000;
    ApiEvent e = makeEvent(b, Category::Ok);
    e.rateLimit = RateLimitInfo{};
    e.rateLimit->limit = 100;
    e.rateLimit->remaining = 40;
    e.token = TokenInfo{};
    e.token->expiresInS = 900;
    m_agg->add(e, QStringLiteral("broker"));
    ApiEvent q = makeEvent(b + 100, Category::Ok, QStringLiteral("quotes"));
    q.rateLimit = RateLimitInfo{};
    q.rateLimit->limit = 10;
    q.rateLimit->remaining = 10;
    m_agg->add(q, QStringLiteral("apikey"));
    showPanel();
    QCOMPARE(m_panel->credentialsInScope(),
             (QStringList{QStringLiteral("broker"), QStringLiteral("apikey")}));
    auto *broker
        = seriesNamed<QLineSeries>(*m_panel, "chartHeadroom", QStringLiteral("headroom.broker"));
    auto *apikey
        = seriesNamed<QLineSeries>(*m_panel, "chartHeadroom", QStringLiteral("headroom.apikey"));
    QVERIFY(broker && apikey);
    QVERIFY(qAbs(yAt(broker, b) - 40.0) < 1e-3);
    QVERIFY(qAbs(yAt(apikey, b) - 100.0) < 1e-3);
    // Only token credentials get a token line; its value is minutes left at the bucket's end.
    auto *token = seriesNamed<QLineSeries>(*m_panel, "chartTokens", QStringLiteral("token.broker"));
    QVERIFY(token);
    QVERIFY(!seriesNamed<QLineSeries>(*m_panel, "chartTokens", QStringLiteral("token.apikey")));
    QCOMPARE(yAt(token, b), (900.0 - 10.0) / 60.0);
    // The legend counts down from the aggregator: expires at b + 900 s, now is T0 + 10 min.
    QCOMPARE(token->name(), QStringLiteral("broker 13:00"));
}

void TestChartPanel::rangeSelector_changesTheAxisSpan()
{
    // Data from the start of each range (oldest first), so each shows its whole span.
    m_agg->add(makeEvent(T0 - 50 * 60 * 1000, Category::Ok)); // the first minute of the hour
    m_agg->add(makeEvent(T0 - 5 * 60 * 1000, Category::Ok));  // the first 10 s of the 15 min
    m_agg->add(makeEvent(T0 + 9 * 60 * 1000, Category::Ok));
    showPanel();
    QCOMPARE(axisSpan(*m_panel, "chartCategories"), qint64(15 * 60 * 1000));
    auto *range = m_panel->findChild<QComboBox *>(QStringLiteral("chartRange"));
    QVERIFY(range);
    range->setFocus();
    QTest::keyClick(range, Qt::Key_Down); // the user picks "Last 1 h"
    QCOMPARE(m_panel->range(), ChartPanel::Range::LastHour);
    QTRY_COMPARE(axisSpan(*m_panel, "chartCategories"), qint64(60 * 60 * 1000));
    QCOMPARE(axisSpan(*m_panel, "chartLatency"), qint64(60 * 60 * 1000));
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartCategories"))->chart();
    QCOMPARE(chart->title(), QStringLiteral("Responses per 1 min"));
    QTest::keyClick(range, Qt::Key_Down); // "Last 24 h": no history here, and it says so
    QTRY_COMPARE(axisSpan(*m_panel, "chartErrorRate"), qint64(24 * 60 * 60 * 1000));
    QVERIFY(m_panel->statusText().contains(QStringLiteral("no history")));
    // Moving time scrolls the axis with it.
    m_clock->advance(30000);
    m_panel->replotNow();
    auto *axis = qobject_cast<QDateTimeAxis *>(chart->axes(Qt::Horizontal).value(0));
    QCOMPARE(axis->max().toMSecsSinceEpoch(), m_clock->nowMs());
}

void TestChartPanel::liveRange_startsWhereTheDataStarts()
{
    // The console started a few minutes ago: a 15-minute axis would draw the data as a sliver
    // at the right edge. Nothing yet: the last two minutes.
    showPanel();
    QCOMPARE(axisSpan(*m_panel, "chartCategories"), ChartPanel::MinShownSpanMs);
    // Data since T0 + 6 min (now is T0 + 10 min): from one bucket before it.
    m_agg->add(makeEvent(T0 + 6 * 60 * 1000 + 3000, Category::Ok));
    m_agg->add(makeEvent(T0 + 9 * 60 * 1000, Category::Unavailable));
    m_panel->replotNow();
    QCOMPARE(m_panel->shownFromMs(), T0 + 6 * 60 * 1000 - 10000);
    QCOMPARE(axisSpan(*m_panel, "chartCategories"), qint64(4 * 60 * 1000 + 10000));
    QCOMPARE(axisSpan(*m_panel, "chartErrorRate"), qint64(4 * 60 * 1000 + 10000));
    QCOMPARE(axisSpan(*m_panel, "chartLatency"), qint64(4 * 60 * 1000 + 10000));
    // It grows with the data (polled every 10 s for 20 more minutes), never beyond the range.
    for (int i = 0; i < 120; ++i) {
        m_clock->advance(10000);
        m_agg->add(makeEvent(m_clock->nowMs() - 1000, Category::Ok));
    }
    m_panel->replotNow();
    QCOMPARE(axisSpan(*m_panel, "chartCategories"), qint64(15 * 60 * 1000));
    QCOMPARE(m_panel->shownFromMs(), m_panel->rangeFromMs());
}

void TestChartPanel::customRange_readsTheHistoryOffTheUiThread()
{
    QTemporaryDir dir;
    HistoryStore store(*m_clock);
    QVERIFY(store.open(dir.filePath(QStringLiteral("h.db"))).ok);
    // Yesterday, far beyond the aggregator's window: 3 ok and 1 × 502 a minute for 2 hours.
    const qint64 from = T0 - 24 * 3600 * 1000LL;
    QList<ApiEvent> events;
    for (int m = 0; m < 120; ++m) {
        for (int i = 0; i < 3; ++i)
            events.append(makeEvent(from + m * 60000LL + i, Category::Ok));
        events.append(makeEvent(from + m * 60000LL + 10, Category::BadGateway));
    }
    store.append(events);
    store.flush();
    m_panel->setSources(m_agg.get(), &store, workspace());
    showPanel();

    auto *range = m_panel->findChild<QComboBox *>(QStringLiteral("chartRange"));
    range->setFocus();
    range->setCurrentIndex(2);
    QTest::keyClick(range, Qt::Key_Down); // "Custom…" opens the dialog
    CustomRangeDialog *dialog = nullptr;
    QTRY_VERIFY(
        (dialog = m_panel->findChild<CustomRangeDialog *>(QStringLiteral("customRangeDialog"))));
    dialog->findChild<QDateTimeEdit *>(QStringLiteral("customRangeFrom"))
        ->setDateTime(QDateTime::fromMSecsSinceEpoch(from));
    dialog->findChild<QDateTimeEdit *>(QStringLiteral("customRangeTo"))
        ->setDateTime(QDateTime::fromMSecsSinceEpoch(from + 2 * 3600 * 1000LL));
    QSignalSpy loaded(m_panel, &ChartPanel::historyLoaded);
    dialog->accept();
    QCOMPARE(m_panel->range(), ChartPanel::Range::Custom);
    QVERIFY(!m_panel->isShowingHistory()); // answered later, never inside the UI call
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QCOMPARE(loaded.first().at(0).toString(), QString());
    QTRY_VERIFY(m_panel->isShowingHistory());
    m_panel->replotNow();
    QCOMPARE(axisSpan(*m_panel, "chartCategories"), qint64(2 * 3600 * 1000));
    QVERIFY(m_panel->statusText().contains(QStringLiteral("from history")));
    // 2 h at 1 s history buckets fits no plot: columns of several seconds, sums kept.
    auto *ok = classUpper(*m_panel, ResponseClass::Ok);
    auto *server = classUpper(*m_panel, ResponseClass::ServerError);
    double okTotal = 0;
    double serverTotal = 0;
    const auto okPoints = ok->points();
    const auto serverPoints = server->points();
    for (qsizetype i = 0; i < okPoints.size(); ++i) {
        okTotal += okPoints[i].y() - serverPoints[i].y(); // the ok band is on top of the rest
        serverTotal += serverPoints[i].y();
    }
    QCOMPARE(serverTotal, 120.0);
    QCOMPARE(okTotal, 360.0);
    QVERIFY(okPoints.size() <= plotWidth(*m_panel, "chartCategories"));
    m_panel->clearSources();
}

void TestChartPanel::scope_followsTheTreeSelection()
{
    const qint64 b = T0 + 9 * 60 * 1000;
    m_agg->add(makeEvent(b, Category::Ok, QStringLiteral("orders")), QStringLiteral("broker"));
    m_agg->add(makeEvent(b + 1, Category::Ok, QStringLiteral("quotes")), QStringLiteral("apikey"));
    m_agg->add(
        makeEvent(b + 2, Category::Unavailable, QStringLiteral("devorders"), QStringLiteral("dev")),
        QStringLiteral("broker"));
    auto *tree = new EndpointTree;
    tree->setWorkspace(workspace());
    m_window->layout()->addWidget(tree);
    connect(tree, &EndpointTree::scopeChanged, m_panel, &ChartPanel::setScope);
    showPanel();
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b), 3.0);

    auto find = [tree](const QString &id) -> QTreeWidgetItem * {
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            if ((*it)->data(0, Qt::UserRole).toString() == id)
                return *it;
        }
        return nullptr;
    };
    tree->setCurrentItem(find(QStringLiteral("quotes")));
    QCOMPARE(m_panel->scopeKind(), ScopeKind::Endpoint);
    QCOMPARE(m_panel->scopeName(), QStringLiteral("quotes"));
    QCOMPARE(m_panel->credentialsInScope(), QStringList{QStringLiteral("apikey")});
    m_panel->replotNow();
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b), 1.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::ServerError), b), 0.0);

    tree->setCurrentItem(find(QStringLiteral("env:dev")));
    QCOMPARE(m_panel->scopeKind(), ScopeKind::Environment);
    QCOMPARE(m_panel->scopeName(), QStringLiteral("dev"));
    m_panel->replotNow();
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::ServerError), b), 1.0);
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b), 1.0); // 5xx band + no ok

    tree->clearSelection();
    QCOMPARE(m_panel->scopeKind(), ScopeKind::All);
    m_panel->replotNow();
    QCOMPARE(yAt(classUpper(*m_panel, ResponseClass::Ok), b), 3.0);
}

void TestChartPanel::replot_replacesEachSeriesOnceAndNeverAppends()
{
    // A 10 s-bucket day would be 8,640 points; use a big 1 s ring instead: 15 min = 900 buckets.
    AggregatorConfig config;
    config.buckets = {1800, 90, 60};
    Aggregator big(*m_clock, config);
    for (qint64 t = T0; t < m_clock->nowMs(); t += 250)
        big.add(makeEvent(t, (t / 1000) % 7 ? Category::Ok : Category::Unavailable),
                QStringLiteral("broker"));
    m_panel->setSources(&big, nullptr, workspace());
    m_window->resize(700, 500); // a plot narrower than the 900 buckets
    showPanel();

    QList<QXYSeries *> all;
    for (QChartView *view : m_panel->findChildren<QChartView *>()) {
        for (QAbstractSeries *s : view->chart()->series()) {
            if (!s->isVisible()) // the latency-by-phase bands, while percentiles are shown
                continue;
            if (auto *area = qobject_cast<QAreaSeries *>(s))
                all.append(area->upperSeries());
            else if (auto *xy = qobject_cast<QXYSeries *>(s))
                all.append(xy);
        }
    }
    QVERIFY(all.size() >= 6 + 2 + 3 + 2 + 1);
    std::vector<std::unique_ptr<QSignalSpy>> added;
    std::vector<std::unique_ptr<QSignalSpy>> replaced;
    for (QXYSeries *s : all) {
        added.push_back(std::make_unique<QSignalSpy>(s, &QXYSeries::pointAdded));
        replaced.push_back(std::make_unique<QSignalSpy>(s, &QXYSeries::pointsReplaced));
    }
    m_clock->advance(1000);
    big.add(makeEvent(m_clock->nowMs() - 10, Category::RateLimited), QStringLiteral("broker"));
    m_panel->replotNow();
    for (std::size_t i = 0; i < std::size_t(all.size()); ++i) {
        QCOMPARE(added[i]->count(), 0);
        QCOMPARE(replaced[i]->count(), 1); // exactly one replace() per series per tick
    }
    // Decimated to the plot: stacked columns ≤ pixels, lines ≤ 2 points (min, max) per pixel.
    const int stackedWidth = plotWidth(*m_panel, "chartCategories");
    QVERIFY(stackedWidth < 900);
    QVERIFY(classUpper(*m_panel, ResponseClass::Ok)->count() <= stackedWidth);
    QVERIFY(classUpper(*m_panel, ResponseClass::Ok)->count() > stackedWidth / 4);
    auto *rate = seriesNamed<QLineSeries>(*m_panel, "chartErrorRate", QStringLiteral("errorRate"));
    QVERIFY(rate->count() <= 2 * plotWidth(*m_panel, "chartErrorRate"));
    m_panel->clearSources();
}

void TestChartPanel::replot_requestsAreCoalescedAndHiddenPanelsSkip()
{
    showPanel();
    const quint64 before = m_panel->replotCount();
    const quint64 armed = m_panel->armedReplotCount();
    for (int i = 0; i < 100; ++i)
        m_panel->requestReplot();
    QCOMPARE(m_panel->armedReplotCount(), armed + 1); // a hundred requests, one replot armed
    QTRY_COMPARE(m_panel->replotCount(), before + 1);

    // The real timer drives it.
    m_panel->setReplotIntervalMs(100);
    QTRY_VERIFY(m_panel->replotCount() >= before + 3);

    m_window->hide();
    QCoreApplication::processEvents();
    const quint64 hidden = m_panel->replotCount();
    m_panel->replotNow();
    QCOMPARE(m_panel->replotCount(), hidden);
    // The timer keeps asking; a second armed replot means the first one ran its course — and
    // was skipped.
    quint64 asked = m_panel->armedReplotCount();
    QTRY_VERIFY(m_panel->armedReplotCount() >= asked + 2);
    QCOMPARE(m_panel->replotCount(), hidden);
    m_window->showMinimized();
    asked = m_panel->armedReplotCount();
    QTRY_VERIFY(m_panel->armedReplotCount() >= asked + 2);
    QCOMPARE(m_panel->replotCount(), hidden);
}

void TestChartPanel::palette_darkAndLightKeepClassColoursAndFollowTheText()
{
    showPanel();
    auto *chart = m_panel->findChild<QChartView *>(QStringLiteral("chartCategories"))->chart();
    auto *rateLimited = seriesNamed<QAreaSeries>(*m_panel, "chartCategories",
                                                 QStringLiteral("class.rate limited"));
    const QColor lightBrush = rateLimited->brush().color();

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x25));
    dark.setColor(QPalette::Base, QColor(0x18, 0x1a, 0x1d));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    m_window->setPalette(dark); // propagates: the panel gets a PaletteChange
    QCoreApplication::processEvents();
    QCOMPARE(chart->backgroundBrush().color(), QColor(0x18, 0x1a, 0x1d));
    QCOMPARE(chart->titleBrush().color(), QColor(0xe8, 0xe8, 0xe8));
    QCOMPARE(chart->axes(Qt::Vertical).value(0)->labelsColor(), QColor(0xe8, 0xe8, 0xe8));
    QCOMPARE(chart->legend()->labelColor(), QColor(0xe8, 0xe8, 0xe8));
    QCOMPARE(rateLimited->brush().color(), lightBrush); // a class keeps its colour
    QCOMPARE(rateLimited->brush().color(),
             ChartStyle::classColor(ResponseClass::RateLimited, true));

    m_window->setPalette(QPalette(QColor(0xf0, 0xf0, 0xf0)));
    QCoreApplication::processEvents();
    QVERIFY(!ChartStyle::isDark(m_panel->palette()));
    QVERIFY(chart->titleBrush().color().lightness() < 100);
    // The six classes are distinct colours in both palettes.
    for (bool isDark : {false, true}) {
        QSet<QRgb> colours;
        for (int c = 0; c < ResponseClassCount; ++c)
            colours.insert(ChartStyle::classColor(ResponseClass(c), isDark).rgb());
        QCOMPARE(colours.size(), ResponseClassCount);
    }
}

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
