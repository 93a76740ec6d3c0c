// Why this file is long: one panel draws five charts that share one time axis, one range
// selector, one replot timer and one set of rings (live or from history); each replot*
// function owns one chart and stays short. If it grows again, the credential charts (headroom,
// token expiry) are the first to move into a class of their own.

#include "chartpanel.h"

#include "aggregator.h"
#include "chartstyle.h"
#include "customrangedialog.h"
#include "historystore.h"
#include "seriesbuilder.h"
#include "windowschedule.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace hd {

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Hour = 60 * Minute;
// How often a 24 h view asks the history again (it reads a day of rows on the reader thread).
constexpr qint64 HistoryRefreshMs = Minute;

// 1, 2, 5 × 10^n at or above v, so the y axis does not twitch with every tick.
double niceCeil(double v)
{
    if (!(v > 0))
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (v <= m * p)
            return m * p;
    }
    return 10 * p;
}

// A y range from 0 to a nice top with ticks on round steps (0.2, 0.5 or 1 of the leading digit).
void setNiceRange(QValueAxis *axis, double top, qreal plotHeight)
{
    const double max = niceCeil(top);
    const double p = std::pow(10.0, std::floor(std::log10(max) + 1e-9));
    const double lead = max / p;
    // Enough room per label, or Qt Charts elides them to "…" in a short chart.
    const int ticks = plotHeight < 50    ? 2
                      : plotHeight < 110 ? 3
                      : lead < 1.5       ? 6
                      : lead < 3         ? 5
                                         : 6;
    if (axis->tickCount() != ticks)
        axis->setTickCount(ticks);
    // Whole numbers once the steps are whole (no "1e+05" on a storm's counts).
    const QString format = max >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.4g");
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
    axis->setRange(0, max);
}

QString formatSpan(qint64 ms)
{
    if (ms % Hour == 0)
        return QStringLiteral("%1 h").arg(ms / Hour);
    if (ms % Minute == 0)
        return QStringLiteral("%1 min").arg(ms / Minute);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0);
}

QString formatCountdown(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("expired");
    const qint64 s = ms / 1000;
    if (s >= 3600)
        return QStringLiteral("%1 h %2").arg(s / 3600).arg((s % 3600) / 60, 2, 10,
                                                           QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QList<QPointF> toList(const QVector<QPointF> &v)
{
    return QList<QPointF>(v.cbegin(), v.cend());
}

// One replace() per series per tick. Rates are lines (issue 23: dots on every point read as
// noise); only a series of one or two points, which a line would draw as nothing or a speck,
// gets small markers.
void replaceLine(QLineSeries *series, const QList<QPointF> &points)
{
    const bool dots = points.size() < 3;
    if (series->pointsVisible() != dots) {
        series->setPointsVisible(dots);
        series->setMarkerSize(4);
    }
    series->replace(points);
}

} // namespace

ChartPanel::ChartPanel(const Clock &clock, QWidget *parent)
    : QWidget(parent)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("chartPanel"));

    m_rangeBox = new QComboBox;
    m_rangeBox->setObjectName(QStringLiteral("chartRange"));
    m_rangeBox->addItem(tr("Last 15 min"), int(Range::Last15Minutes));
    m_rangeBox->addItem(tr("Last 1 h"), int(Range::LastHour));
    m_rangeBox->addItem(tr("Last 24 h"), int(Range::Last24Hours));
    m_rangeBox->addItem(tr("Custom…"), int(Range::Custom));
    connect(m_rangeBox, &QComboBox::activated, this, &ChartPanel::onRangeActivated);
    m_latencyBox = new QComboBox;
    m_latencyBox->setObjectName(QStringLiteral("chartLatencyView"));
    m_latencyBox->setToolTip(tr("What the latency chart draws: percentiles, or the mean time of "
                                "each phase of a request (DNS, connect and TLS, server, "
                                "transfer) stacked"));
    m_latencyBox->addItem(tr("Latency percentiles"), int(LatencyView::Percentiles));
    m_latencyBox->addItem(tr("Latency by phase"), int(LatencyView::Phases));
    connect(m_latencyBox, &QComboBox::activated, this, [this](int index) {
        setLatencyView(LatencyView(m_latencyBox->itemData(index).toInt()));
    });
    m_scopeLabel = new QLabel;
    m_scopeLabel->setObjectName(QStringLiteral("chartScope"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("chartStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(new QLabel(tr("Charts:")));
    top->addWidget(m_scopeLabel);
    top->addStretch(1);
    top->addWidget(m_status);
    top->addWidget(m_latencyBox);
    top->addWidget(m_rangeBox);

    m_categories = makeChart(QStringLiteral("chartCategories"), tr("Responses"), tr("responses"));
    for (int c = 0; c < ResponseClassCount; ++c) {
        auto *upper = new QLineSeries(this);
        upper->setObjectName(QStringLiteral("classUpper%1").arg(c));
        m_classUpper[std::size_t(c)] = upper;
        // Each band lies on the one below it: connection errors at the bottom, ok on top.
        auto *area = new QAreaSeries(upper, c ? m_classUpper[std::size_t(c - 1)] : nullptr);
        area->setName(responseClassLabel(ResponseClass(c)));
        area->setObjectName(QStringLiteral("class.") + responseClassLabel(ResponseClass(c)));
        m_categories.chart->addSeries(area);
        area->attachAxis(m_categories.x);
        area->attachAxis(m_categories.y);
        m_classArea[std::size_t(c)] = area;
    }

    m_errorRate = makeChart(QStringLiteral("chartErrorRate"), tr("Error rate"), tr("%"));
    // Maintenance windows and closed trading hours: a band the height of the plot, added first
    // so the lines are drawn over it.
    m_windowUpper = new QLineSeries(this);
    m_windowUpper->setObjectName(QStringLiteral("windowUpper"));
    m_windowArea = new QAreaSeries(m_windowUpper);
    m_windowArea->setName(tr("maintenance / market closed"));
    m_windowArea->setObjectName(QStringLiteral("windowBand"));
    m_errorRate.chart->addSeries(m_windowArea);
    m_windowArea->attachAxis(m_errorRate.x);
    m_windowArea->attachAxis(m_errorRate.y);
    m_errorSeries = addLine(m_errorRate, tr("error rate"));
    m_errorSeries->setObjectName(QStringLiteral("errorRate"));
    m_sloSeries = addLine(m_errorRate, tr("SLO 1 %"));
    m_sloSeries->setObjectName(QStringLiteral("sloLine"));

    m_latency = makeChart(QStringLiteral("chartLatency"), tr("Latency"), tr("ms"));
    const char *names[]{"p50", "p95", "p99"};
    for (std::size_t i = 0; i < m_percentiles.size(); ++i) {
        m_percentiles[i] = addLine(m_latency, QString::fromLatin1(names[i]));
        m_percentiles[i]->setObjectName(QStringLiteral("latency.") + QLatin1String(names[i]));
    }
    // Phases stacked like the response classes: each band lies on the one below it, in the
    // order a request goes through them. Hidden until "Latency by phase" is chosen.
    const QString phaseNames[PhaseCount]{tr("DNS"),  tr("connect"),    tr("connect + TLS"),
                                         tr("sent"), tr("first byte"), tr("transfer")};
    const char *phaseIds[PhaseCount]{"dns", "connect", "tls", "sent", "firstByte", "transfer"};
    for (std::size_t p = 0; p < PhaseCount; ++p) {
        auto *upper = new QLineSeries(this);
        m_phaseUpper[p] = upper;
        auto *area = new QAreaSeries(upper, p ? m_phaseUpper[p - 1] : nullptr);
        area->setName(phaseNames[p]);
        area->setObjectName(QStringLiteral("phase.") + QLatin1String(phaseIds[p]));
        m_latency.chart->addSeries(area);
        area->attachAxis(m_latency.x);
        area->attachAxis(m_latency.y);
        area->setVisible(false);
        m_phaseArea[p] = area;
    }

    m_headroom = makeChart(QStringLiteral("chartHeadroom"), tr("Rate-limit headroom"), tr("%"));
    m_headroom.y->setRange(0, 100);
    m_headroom.y->setTickCount(5);
    // Several credentials: their names fit beside the plot better than under it (under it,
    // six names are cut to "tra…").
    m_headroom.chart->legend()->setAlignment(Qt::AlignRight);
    m_tokens = makeChart(QStringLiteral("chartTokens"), tr("Token time to expiry"), tr("min"));
    m_tokens.chart->legend()->setAlignment(Qt::AlignRight);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    grid->addWidget(m_categories.view, 0, 0, 1, 2);
    grid->addWidget(m_errorRate.view, 0, 2);
    grid->addWidget(m_latency.view, 1, 0);
    grid->addWidget(m_headroom.view, 1, 1);
    grid->addWidget(m_tokens.view, 1, 2);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addLayout(grid, 1);

    m_pending = new QTimer(this);
    m_pending->setSingleShot(true);
    m_pending->setInterval(15);
    connect(m_pending, &QTimer::timeout, this, &ChartPanel::replotNow);
    m_timer = new QTimer(this);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ChartPanel::requestReplot);
    m_timer->start();

    setScope(ScopeKind::All, {});
    applyStyle();
}

ChartPanel::~ChartPanel()
{
    if (m_history && m_historyInFlight)
        m_history->cancel(m_historyTicket);
}

ChartPanel::Chart ChartPanel::makeChart(const QString &objectName, const QString &title,
                                        const QString &yTitle)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setObjectName(objectName + QStringLiteral("Chart"));
    c.chart->setTitle(title);
    QFont titleFont = font();
    titleFont.setBold(true);
    c.chart->setTitleFont(titleFont);
    c.chart->setMargins(QMargins(2, 2, 2, 2));
    c.chart->layout()->setContentsMargins(0, 0, 0, 0);
    c.chart->setBackgroundRoundness(0);
    c.chart->setAnimationOptions(QChart::NoAnimation);
    QFont small = font();
    small.setPointSizeF(std::max(6.5, small.pointSizeF() - 1.5));
    c.chart->legend()->setFont(small);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.x = new QDateTimeAxis;
    c.x->setFormat(QStringLiteral("HH:mm"));
    c.x->setLabelsFont(small);
    c.y = new QValueAxis;
    c.y->setLabelFormat(QStringLiteral("%.4g"));
    c.y->setLabelsFont(small);
    c.y->setTitleText(yTitle);
    c.y->setTitleFont(small);
    c.y->setRange(0, 1);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    c.view = new QChartView(c.chart);
    c.view->setObjectName(objectName);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setMinimumSize(220, 150);
    return c;
}

QLineSeries *ChartPanel::addLine(Chart &c, const QString &name)
{
    auto *s = new QLineSeries;
    s->setName(name);
    c.chart->addSeries(s);
    s->attachAxis(c.x);
    s->attachAxis(c.y);
    return s;
}

void ChartPanel::setSources(const Aggregator *aggregator, HistoryStore *history,
                            const Workspace &workspace)
{
    if (m_history && m_historyInFlight)
        m_history->cancel(m_historyTicket);
    m_historyInFlight = false;
    m_bucketsValid = false;
    m_aggregator = aggregator;
    m_history = history;
    m_workspace = workspace;
    setScope(m_kind, m_name);
}

void ChartPanel::clearSources()
{
    m_windows = nullptr;
    setSources(nullptr, nullptr, Workspace{});
}

void ChartPanel::setWindows(const WindowSchedule *windows)
{
    m_windows = windows;
    requestReplot();
}

void ChartPanel::replotWindows(qint64 from, qint64 to)
{
    QList<QPointF> band;
    if (m_windows && !m_windows->isEmpty()) {
        // The scope as the schedule knows it: an endpoint with its environment, an environment,
        // or (all endpoints, a credential) only the windows on "*".
        QString endpoint;
        QString environment;
        if (m_kind == ScopeKind::Endpoint) {
            endpoint = m_name;
            if (const Endpoint *e = m_workspace.endpoint(m_name))
                environment = e->environment;
            else if (const StreamEndpoint *st = m_workspace.stream(m_name))
                environment = st->environment;
        } else if (m_kind == ScopeKind::Environment) {
            environment = m_name;
        }
        const double top = m_errorRate.y->max();
        for (const WindowInterval &i : m_windows->intervals(endpoint, environment, from, to))
            band << QPointF(double(i.startMs), 0) << QPointF(double(i.startMs), top)
                 << QPointF(double(i.endMs), top) << QPointF(double(i.endMs), 0);
    }
    m_windowUpper->replace(band);
    const auto markers = m_errorRate.chart->legend()->markers(m_windowArea);
    for (QLegendMarker *m : markers)
        m->setVisible(!band.isEmpty());
}

void ChartPanel::setScope(ScopeKind kind, const QString &name)
{
    m_kind = kind;
    m_name = kind == ScopeKind::All ? QString() : name;
    switch (kind) {
    case ScopeKind::All:
        m_scopeLabel->setText(tr("all endpoints"));
        break;
    case ScopeKind::Environment:
        m_scopeLabel->setText(tr("environment %1").arg(m_name));
        break;
    case ScopeKind::Endpoint:
        m_scopeLabel->setText(tr("endpoint %1").arg(m_name));
        break;
    case ScopeKind::Credential:
        m_scopeLabel->setText(tr("credential %1").arg(m_name));
        break;
    }

    // The credentials behind the scope, in workspace order.
    QStringList used;
    for (const Endpoint &ep : m_workspace.endpoints) {
        if (ep.credential.isEmpty())
            continue;
        const bool inScope = kind == ScopeKind::All
                             || (kind == ScopeKind::Environment && ep.environment == m_name)
                             || (kind == ScopeKind::Endpoint && ep.id == m_name)
                             || (kind == ScopeKind::Credential && ep.credential == m_name);
        if (inScope && !used.contains(ep.credential))
            used.append(ep.credential);
    }
    if (kind == ScopeKind::Credential && !used.contains(m_name))
        used.append(m_name);
    QStringList ordered;
    QStringList tokens;
    for (const Credential &c : m_workspace.credentials) {
        if (!used.contains(c.id))
            continue;
        ordered.append(c.id);
        if (c.method == Credential::Method::OAuth2ClientCredentials
            || c.method == Credential::Method::TradovateToken)
            tokens.append(c.id);
    }
    for (const QString &c : used) {
        if (!ordered.contains(c))
            ordered.append(c);
    }
    m_credentials = ordered;
    m_tokenCredentials = tokens;
    rebuildCredentialSeries();
    m_bucketsValid = false;
    fetchHistoryIfNeeded(true);
    requestReplot();
}

void ChartPanel::rebuildCredentialSeries()
{
    for (QLineSeries *s : std::as_const(m_headroomSeries)) {
        m_headroom.chart->removeSeries(s);
        delete s;
    }
    for (QLineSeries *s : std::as_const(m_tokenSeries)) {
        m_tokens.chart->removeSeries(s);
        delete s;
    }
    m_headroomSeries.clear();
    m_tokenSeries.clear();
    for (const QString &c : std::as_const(m_credentials)) {
        QLineSeries *s = addLine(m_headroom, c);
        s->setObjectName(QStringLiteral("headroom.") + c);
        m_headroomSeries.append(s);
    }
    for (const QString &c : std::as_const(m_tokenCredentials)) {
        QLineSeries *s = addLine(m_tokens, c);
        s->setObjectName(QStringLiteral("token.") + c);
        m_tokenSeries.append(s);
    }
    applyStyle();
}

void ChartPanel::setRange(Range range)
{
    m_range = range;
    const int index = m_rangeBox->findData(int(range));
    m_rangeBox->setCurrentIndex(index);
    m_lastRangeIndex = index;
    m_bucketsValid = false;
    fetchHistoryIfNeeded(true);
    requestReplot();
}

void ChartPanel::setCustomRange(qint64 fromMs, qint64 toMs)
{
    m_customFromMs = std::min(fromMs, toMs);
    m_customToMs = std::max(fromMs, toMs);
    if (m_customToMs == m_customFromMs)
        m_customToMs = m_customFromMs + 1000;
    setRange(Range::Custom);
}

qint64 ChartPanel::rangeFromMs() const
{
    const qint64 now = m_clock.nowMs();
    switch (m_range) {
    case Range::Last15Minutes:
        return now - 15 * Minute;
    case Range::LastHour:
        return now - Hour;
    case Range::Last24Hours:
        return now - 24 * Hour;
    case Range::Custom:
        return m_customFromMs;
    }
    return now - 15 * Minute;
}

qint64 ChartPanel::rangeToMs() const
{
    return m_range == Range::Custom ? m_customToMs : m_clock.nowMs();
}

void ChartPanel::onRangeActivated(int index)
{
    const auto range = Range(m_rangeBox->itemData(index).toInt());
    if (range == Range::Custom) {
        openCustomRangeDialog();
        return;
    }
    setRange(range);
}

void ChartPanel::openCustomRangeDialog()
{
    const qint64 now = m_clock.nowMs();
    const qint64 from = m_customToMs > m_customFromMs ? m_customFromMs : now - 6 * Hour;
    const qint64 to = m_customToMs > m_customFromMs ? m_customToMs : now;
    auto *dialog = new CustomRangeDialog(from, to, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { setCustomRange(dialog->fromMs(), dialog->toMs()); });
    connect(dialog, &QDialog::rejected, this,
            [this] { m_rangeBox->setCurrentIndex(m_lastRangeIndex); });
    dialog->open();
}

void ChartPanel::setReplotIntervalMs(int ms)
{
    m_timer->setInterval(std::max(50, ms));
}

void ChartPanel::requestReplot()
{
    // PlotJuggler's pattern: a burst of requests (events, resizes, range changes) arms one
    // short single-shot timer; nothing more is queued while it is pending.
    if (!m_pending->isActive()) {
        ++m_armedReplots;
        m_pending->start();
    }
}

bool ChartPanel::wantsHistory() const
{
    return m_history && (m_range == Range::Last24Hours || m_range == Range::Custom);
}

bool ChartPanel::isShowingHistory() const
{
    return wantsHistory() && m_bucketsValid && m_buckets.scope;
}

QString ChartPanel::statusText() const
{
    return m_status->text();
}

void ChartPanel::fetchHistoryIfNeeded(bool force)
{
    if (!wantsHistory())
        return;
    const qint64 now = m_clock.nowMs();
    if (m_historyInFlight) {
        if (!force)
            return;
        m_history->cancel(m_historyTicket);
        m_historyInFlight = false;
    }
    if (!force && m_range == Range::Custom && m_bucketsValid)
        return; // a fixed range does not change (unless it reaches up to now)
    if (!force && m_bucketsValid && now - m_historyFetchedAtMs < HistoryRefreshMs)
        return;
    HistoryBucketQuery q;
    q.fromMs = rangeFromMs();
    q.toMs = m_range == Range::Custom ? m_customToMs : now + 1;
    q.resolutionMs = HistoryBucketQuery::resolutionFor(q.toMs - q.fromMs);
    q.kind = m_kind;
    q.name = m_name;
    q.credentials = m_credentials;
    for (const Endpoint &ep : m_workspace.endpoints) {
        if (!ep.credential.isEmpty())
            q.credentialOfEndpoint.insert(ep.id, ep.credential);
    }
    m_historyInFlight = true;
    m_historyFetchedAtMs = now;
    m_status->setText(tr("reading history…"));
    m_historyTicket = m_history->fetchBuckets(q, this, [this](const HistoryBuckets &b) {
        m_historyInFlight = false;
        m_historyError = b.error;
        if (b.error.isEmpty()) {
            m_buckets = b;
            m_bucketsValid = true;
        }
        emit historyLoaded(b.error);
        requestReplot();
    });
}

ChartPanel::Rings ChartPanel::rings() const
{
    Rings r;
    if (isShowingHistory()) {
        r.counts = m_buckets.scope.get();
        r.latency = r.counts;
        for (auto it = m_buckets.credentials.cbegin(); it != m_buckets.credentials.cend(); ++it)
            r.credentials.insert(it.key(), it.value().get());
        r.fromHistory = true;
        return r;
    }
    if (!m_aggregator)
        return r;
    const Resolution res = m_aggregator->resolutionFor(rangeToMs() - rangeFromMs());
    r.counts = m_aggregator->ring(m_kind, m_name, res);
    // Percentiles need histograms: the finest ring at or above res that has them.
    for (int i = int(res); i < ResolutionCount; ++i) {
        if (m_aggregator->config().histograms[std::size_t(i)] || i == ResolutionCount - 1) {
            r.latency = m_aggregator->ring(m_kind, m_name, Resolution(i));
            break;
        }
    }
    for (const QString &c : m_credentials)
        r.credentials.insert(c, m_aggregator->ring(ScopeKind::Credential, c, res));
    return r;
}

qint64 ChartPanel::shownFrom(const Rings &r, qint64 from, qint64 to) const
{
    if (r.fromHistory || !r.counts || m_range == Range::Custom || m_range == Range::Last24Hours)
        return from;
    qint64 firstIndex = -1;
    r.counts->forEach(from, to, [&firstIndex](const TimeBucket &b, const LatencyHistogram *) {
        if (firstIndex < 0 && b.total > 0)
            firstIndex = b.index;
    });
    if (firstIndex < 0)
        return std::max(from, to - MinShownSpanMs); // nothing yet: the last two minutes
    const qint64 res = r.counts->resolutionMs();
    return std::clamp((firstIndex - 1) * res, from, std::max(from, to - MinShownSpanMs));
}

int ChartPanel::plotWidth(const Chart &c)
{
    const int w = int(c.chart->plotArea().width());
    return std::max(50, w > 20 ? w : c.view->width() - 80);
}

bool ChartPanel::isShown(const Chart &c)
{
    // The viewport, not the view: the view's own region is covered by its viewport child.
    return c.view->isVisible() && !c.view->viewport()->visibleRegion().isEmpty();
}

void ChartPanel::setAxisX(Chart &c, qint64 from, qint64 to)
{
    const qint64 span = to - from;
    const QString format = span > 36 * Hour     ? QStringLiteral("dd.MM HH:mm")
                           : span >= 5 * Minute ? QStringLiteral("HH:mm")
                                                : QStringLiteral("HH:mm:ss");
    if (c.x->format() != format)
        c.x->setFormat(format);
    const int ticks = std::clamp(plotWidth(c) / 90 + 1, 3, 9);
    if (c.x->tickCount() != ticks)
        c.x->setTickCount(ticks);
    c.x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
}

void ChartPanel::replotNow()
{
    m_pending->stop();
    if (!isVisible() || (window() && window()->isMinimized()))
        return;
    fetchHistoryIfNeeded(false);
    const qint64 now = m_clock.nowMs();
    const qint64 to = rangeToMs();
    const Rings r = rings();
    const qint64 from = shownFrom(r, rangeFromMs(), to);
    m_shownFromMs = from;

    QString status;
    if (wantsHistory() && !isShowingHistory())
        status = m_historyInFlight ? tr("reading history…") : tr("history: %1").arg(m_historyError);
    else if (!m_history && (m_range == Range::Last24Hours || m_range == Range::Custom))
        status = tr("no history database: showing what the live aggregator holds");
    else if (r.fromHistory)
        status = tr("from history (%1 buckets)").arg(formatSpan(m_buckets.query.resolutionMs));
    if (m_status->text() != status)
        m_status->setText(status);

    if (isShown(m_categories))
        replotCategories(r, from, to, now);
    if (isShown(m_errorRate))
        replotErrorRate(r, from, to, now);
    if (isShown(m_latency))
        replotLatency(r, from, to, now);
    replotCredentials(r, from, to, now);
    ++m_replots;
    emit replotted();
}

void ChartPanel::replotCategories(const Rings &r, qint64 from, qint64 to, qint64 now)
{
    setAxisX(m_categories, from, to);
    const int pw = plotWidth(m_categories);
    StackedCounts s;
    if (r.counts)
        s = SeriesBuilder::stacked(*r.counts, from, to, now, pw);
    QVector<double> sum(s.x.size(), 0.0);
    double top = 0;
    for (int c = 0; c < ResponseClassCount; ++c) {
        const QVector<double> &v = s.counts[std::size_t(c)];
        QList<QPointF> points;
        points.reserve(s.x.size());
        for (qsizetype i = 0; i < s.x.size(); ++i) {
            sum[i] += v.value(i);
            points.append(QPointF(s.x[i], sum[i]));
            top = std::max(top, sum[i]);
        }
        m_classUpper[std::size_t(c)]->replace(points);
    }
    setNiceRange(m_categories.y, top, m_categories.chart->plotArea().height());
    const QString title
        = tr("Responses per %1").arg(formatSpan(s.columnMs ? s.columnMs : 10 * 1000));
    if (m_categories.chart->title() != title)
        m_categories.chart->setTitle(title);
}

void ChartPanel::replotErrorRate(const Rings &r, qint64 from, qint64 to, qint64 now)
{
    setAxisX(m_errorRate, from, to);
    const int pw = plotWidth(m_errorRate);
    QVector<QPointF> rate;
    if (r.counts)
        rate = SeriesBuilder::series(*r.counts, SeriesMetric::ErrorRate, from, to, now, pw);
    double top = 0;
    for (const QPointF &p : std::as_const(rate))
        top = std::max(top, p.y());
    replaceLine(m_errorSeries, toList(rate));
    const double slo = m_aggregator ? m_aggregator->config().sloErrorRate * 100.0 : 1.0;
    m_sloSeries->replace(QList<QPointF>{QPointF(double(from), slo), QPointF(double(to), slo)});
    setNiceRange(m_errorRate.y, std::min(100.0, std::max(top * 1.05, slo * 2)),
                 m_errorRate.chart->plotArea().height());
    replotWindows(from, to);
    QString title = tr("Error rate vs %1 % SLO").arg(slo);
    if (m_aggregator && !r.fromHistory) {
        const SloStatus st = m_aggregator->slo(m_kind, m_name);
        if (st.requests)
            // Short enough for a third of the window (issue 23: it was cut at "breac…").
            title = tr("Error rate %1 % / 30 min %2 SLO %3 %")
                        .arg(st.errorRate * 100.0, 0, 'f', 2)
                        .arg(st.breached() ? QStringLiteral(">") : QStringLiteral("≤"))
                        .arg(slo);
    }
    if (m_errorRate.chart->title() != title)
        m_errorRate.chart->setTitle(title);
}

void ChartPanel::setLatencyView(LatencyView view)
{
    m_latencyView = view;
    m_latencyBox->setCurrentIndex(m_latencyBox->findData(int(view)));
    const bool phases = view == LatencyView::Phases;
    for (QLineSeries *s : m_percentiles)
        s->setVisible(!phases);
    if (!phases)
        for (QAreaSeries *a : m_phaseArea)
            a->setVisible(false);
    // Phase bands appear with their data (replotPhases shows only the phases observed).
    requestReplot();
}

void ChartPanel::replotPhases(const Rings &r, qint64 from, qint64 to, qint64 now)
{
    StackedPhases s;
    if (r.counts)
        s = SeriesBuilder::phases(*r.counts, from, to, now, plotWidth(m_latency));
    QVector<double> sum(s.x.size(), 0.0);
    double top = 0;
    for (std::size_t p = 0; p < PhaseCount; ++p) {
        const QVector<double> &mean = s.meanMs[p];
        QList<QPointF> points;
        points.reserve(s.x.size());
        bool seen = false;
        for (qsizetype i = 0; i < s.x.size(); ++i) {
            seen = seen || mean[i] > 0;
            sum[i] += mean[i];
            points.append(QPointF(s.x[i], sum[i]));
            top = std::max(top, sum[i]);
        }
        m_phaseUpper[p]->replace(points);
        // A phase nobody went through (connect on an https-only scope, sent without bodies)
        // keeps its band of zero height and stays out of the legend.
        if (m_phaseArea[p]->isVisible() != seen)
            m_phaseArea[p]->setVisible(seen);
    }
    setNiceRange(m_latency.y, top * 1.05, m_latency.chart->plotArea().height());
    const QString title = s.x.isEmpty()
                              ? tr("Latency by phase: no timings in range")
                              : tr("Mean latency by phase per %1").arg(formatSpan(s.columnMs));
    if (m_latency.chart->title() != title)
        m_latency.chart->setTitle(title);
}

void ChartPanel::replotLatency(const Rings &r, qint64 from, qint64 to, qint64 now)
{
    setAxisX(m_latency, from, to);
    if (m_latencyView == LatencyView::Phases) {
        replotPhases(r, from, to, now);
        return;
    }
    const int pw = plotWidth(m_latency);
    const SeriesMetric metrics[]{SeriesMetric::LatencyP50, SeriesMetric::LatencyP95,
                                 SeriesMetric::LatencyP99};
    double top = 0;
    for (std::size_t i = 0; i < m_percentiles.size(); ++i) {
        QVector<QPointF> pts;
        if (r.latency)
            pts = SeriesBuilder::series(*r.latency, metrics[i], from, to, now, pw);
        for (const QPointF &p : std::as_const(pts))
            top = std::max(top, p.y());
        replaceLine(m_percentiles[i], toList(pts));
    }
    setNiceRange(m_latency.y, top * 1.05, m_latency.chart->plotArea().height());
    const QString title = r.latency
                              ? tr("Latency per %1").arg(formatSpan(r.latency->resolutionMs()))
                              : tr("Latency");
    if (m_latency.chart->title() != title)
        m_latency.chart->setTitle(title);
}

void ChartPanel::replotCredentials(const Rings &r, qint64 from, qint64 to, qint64 now)
{
    if (isShown(m_headroom)) {
        setAxisX(m_headroom, from, to);
        const int headroomTicks = m_headroom.chart->plotArea().height() < 110 ? 3 : 5;
        if (m_headroom.y->tickCount() != headroomTicks)
            m_headroom.y->setTickCount(headroomTicks);
        const int pw = plotWidth(m_headroom);
        bool any = false;
        for (qsizetype i = 0; i < m_headroomSeries.size(); ++i) {
            const BucketRing *ring = r.credentials.value(m_credentials.value(i));
            QVector<QPointF> pts;
            if (ring)
                pts = SeriesBuilder::series(*ring, SeriesMetric::Headroom, from, to, now, pw);
            any = any || !pts.isEmpty();
            replaceLine(m_headroomSeries[i], toList(pts));
        }
        const QString title = any || m_headroomSeries.isEmpty()
                                  ? tr("Rate-limit headroom")
                                  : tr("Rate-limit headroom (no rate-limit headers yet)");
        if (m_headroom.chart->title() != title)
            m_headroom.chart->setTitle(title);
    }
    if (isShown(m_tokens)) {
        setAxisX(m_tokens, from, to);
        const int pw = plotWidth(m_tokens);
        double top = 0;
        for (qsizetype i = 0; i < m_tokenSeries.size(); ++i) {
            const QString credential = m_tokenCredentials.value(i);
            const BucketRing *ring = r.credentials.value(credential);
            if (!ring && m_aggregator) // tokens are charted at the live ring's resolution
                ring = m_aggregator->ring(ScopeKind::Credential, credential,
                                          m_aggregator->resolutionFor(to - from));
            QVector<QPointF> pts;
            if (ring)
                pts = SeriesBuilder::series(*ring, SeriesMetric::TokenExpiresIn, from, to, now, pw);
            QList<QPointF> minutes;
            minutes.reserve(pts.size());
            for (const QPointF &p : std::as_const(pts)) {
                minutes.append(QPointF(p.x(), p.y() / 60.0));
                top = std::max(top, p.y() / 60.0);
            }
            replaceLine(m_tokenSeries[i], minutes);
            QString name = credential;
            if (m_aggregator) {
                if (const auto left
                    = m_aggregator->tokenExpiresInMs(ScopeKind::Credential, credential))
                    name += QLatin1Char(' ') + formatCountdown(*left);
            }
            if (m_tokenSeries[i]->name() != name)
                m_tokenSeries[i]->setName(name);
        }
        setNiceRange(m_tokens.y, top * 1.05, m_tokens.chart->plotArea().height());
    }
}

void ChartPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyStyle();
}

void ChartPanel::applyStyle()
{
    const QPalette pal = palette();
    const bool dark = ChartStyle::isDark(pal);
    for (Chart *c : {&m_categories, &m_errorRate, &m_latency, &m_headroom, &m_tokens}) {
        if (c->chart)
            ChartStyle::apply(c->chart, pal);
    }
    for (int c = 0; c < ResponseClassCount; ++c) {
        QAreaSeries *area = m_classArea[std::size_t(c)];
        if (!area)
            continue;
        const QColor color = ChartStyle::classColor(ResponseClass(c), dark);
        area->setBrush(color);
        area->setPen(QPen(dark ? color.lighter(120) : color.darker(135), 1));
    }
    auto line
        = [](QLineSeries *s, const QColor &color, qreal width, Qt::PenStyle style = Qt::SolidLine) {
              if (!s)
                  return;
              QPen pen(color, width);
              pen.setStyle(style);
              s->setPen(pen);
          };
    if (m_windowArea) {
        m_windowArea->setBrush(dark ? QColor(255, 255, 255, 36) : QColor(0, 0, 0, 28));
        m_windowArea->setPen(Qt::NoPen);
    }
    line(m_errorSeries, ChartStyle::lineColor(0, dark), 2);
    line(m_sloSeries, ChartStyle::sloColor(dark), 1.5, Qt::DashLine);
    line(m_percentiles[0], ChartStyle::lineColor(0, dark), 1.5);
    line(m_percentiles[1], ChartStyle::lineColor(1, dark), 1.5);
    line(m_percentiles[2], ChartStyle::lineColor(2, dark), 1.5);
    for (std::size_t p = 0; p < PhaseCount; ++p) {
        if (!m_phaseArea[p])
            continue;
        const QColor color = ChartStyle::phaseColor(Phase(p), dark);
        m_phaseArea[p]->setBrush(color);
        m_phaseArea[p]->setPen(QPen(dark ? color.lighter(120) : color.darker(135), 1));
    }
    for (qsizetype i = 0; i < m_headroomSeries.size(); ++i)
        line(m_headroomSeries[i], ChartStyle::lineColor(int(i), dark), 1.5);
    for (qsizetype i = 0; i < m_tokenSeries.size(); ++i)
        line(m_tokenSeries[i], ChartStyle::lineColor(int(i), dark), 1.5);
}

} // namespace hd
