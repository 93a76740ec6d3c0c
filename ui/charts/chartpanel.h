#pragma once

// The console's live charts (issue 7), following a scope (everything, an environment, an
// endpoint, a credential): responses per class stacked over time, error rate against the 1 %
// SLO, latency p50/p95/p99, rate-limit headroom and token time to expiry per credential.
//
// Charts pull: a replot timer asks the Aggregator (15 min, 1 h) or buckets built from the
// SQLite history on its reader thread (24 h, custom ranges) for series already reduced to the
// plot's pixel width and hands each series to QXYSeries::replace() once per tick — never a
// point-by-point append. Requests to replot are coalesced (one pending replot at a time), and
// hidden or minimised charts are not replotted.

#include "aggregatortypes.h"
#include "clock.h"
#include "historybuckets.h"
#include "responseclass.h"
#include "timebucket.h"
#include "workspace.h"

#include <QHash>
#include <QList>
#include <QWidget>

#include <array>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTimer;
class QValueAxis;
QT_END_NAMESPACE

namespace hd {

class Aggregator;
class BucketRing;
class HistoryStore;
class WindowSchedule;

class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Last15Minutes, LastHour, Last24Hours, Custom };
    Q_ENUM(Range)
    // What the latency chart draws: p50/p95/p99, or the mean time per phase of a request
    // (DNS, connect and TLS, sent, first byte, transfer) stacked, from the events' timings.
    enum class LatencyView { Percentiles, Phases };
    Q_ENUM(LatencyView)

    explicit ChartPanel(const Clock &clock = Clock::system(), QWidget *parent = nullptr);
    ~ChartPanel() override;

    // The session's aggregator (live) and history store (may be null: 24 h and custom ranges
    // then show what the aggregator still holds and say so). Both must outlive the panel or a
    // clearSources() call.
    void setSources(const Aggregator *aggregator, HistoryStore *history,
                    const Workspace &workspace);
    void clearSources();
    // Maintenance windows and closed trading hours (docs/calendars.md), shaded behind the error
    // rate. The schedule must outlive the panel or a clearSources() call; null: no shading.
    void setWindows(const WindowSchedule *windows);

    void setScope(hd::ScopeKind kind, const QString &name);
    ScopeKind scopeKind() const { return m_kind; }
    QString scopeName() const { return m_name; }

    void setRange(Range range);
    // A custom range (UTC ms); what "Custom…" in the range selector sets.
    void setCustomRange(qint64 fromMs, qint64 toMs);
    Range range() const { return m_range; }
    void setLatencyView(LatencyView view);
    LatencyView latencyView() const { return m_latencyView; }
    // The x range the charts show now.
    qint64 rangeFromMs() const;
    qint64 rangeToMs() const;
    // Where the time axis starts: rangeFromMs(), except that a live range (15 min, 1 h) whose
    // data begins later — the first minutes after the console started — starts one bucket
    // before its first data (at least MinShownSpanMs before now), growing to the full range as
    // data comes in, instead of a sliver at the right edge (issue 23). History ranges keep
    // their span.
    qint64 shownFromMs() const { return m_shownFromMs; }
    static constexpr qint64 MinShownSpanMs = 2 * 60 * 1000;

    void setReplotIntervalMs(int ms);
    // Coalesced: at most one replot is pending; a burst of requests becomes one redraw.
    void requestReplot();
    // Replots at once (visible charts only).
    void replotNow();
    quint64 replotCount() const { return m_replots; }
    // Replots armed: requests that found none pending. Each armed replot runs (replotCount()
    // grows) or is skipped because the panel is hidden; tests wait on this, not on the clock.
    quint64 armedReplotCount() const { return m_armedReplots; }
    // True when the current range is drawn from history buckets (not the live aggregator).
    bool isShowingHistory() const;
    QString statusText() const;
    // Credentials whose headroom and token lines the current scope shows.
    QStringList credentialsInScope() const { return m_credentials; }

signals:
    void replotted();
    void historyLoaded(const QString &error);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Chart
    {
        QChartView *view = nullptr;
        QChart *chart = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };
    struct Rings
    {
        const BucketRing *counts = nullptr;
        const BucketRing *latency = nullptr;
        QHash<QString, const BucketRing *> credentials;
        bool fromHistory = false;
    };

    Chart makeChart(const QString &objectName, const QString &title, const QString &yTitle);
    QLineSeries *addLine(Chart &c, const QString &name);
    void rebuildCredentialSeries();
    void applyStyle();
    void onRangeActivated(int index);
    void openCustomRangeDialog();
    void fetchHistoryIfNeeded(bool force);
    bool wantsHistory() const;
    Rings rings() const;
    qint64 shownFrom(const Rings &r, qint64 from, qint64 to) const;
    static int plotWidth(const Chart &c);
    static bool isShown(const Chart &c);
    void replotCategories(const Rings &r, qint64 from, qint64 to, qint64 now);
    void replotErrorRate(const Rings &r, qint64 from, qint64 to, qint64 now);
    void replotWindows(qint64 from, qint64 to);
    void replotLatency(const Rings &r, qint64 from, qint64 to, qint64 now);
    void replotPhases(const Rings &r, qint64 from, qint64 to, qint64 now);
    void replotCredentials(const Rings &r, qint64 from, qint64 to, qint64 now);
    void setAxisX(Chart &c, qint64 from, qint64 to);

    const Clock &m_clock;
    const Aggregator *m_aggregator = nullptr;
    const WindowSchedule *m_windows = nullptr;
    QLineSeries *m_windowUpper = nullptr;
    QAreaSeries *m_windowArea = nullptr;
    HistoryStore *m_history = nullptr;
    Workspace m_workspace;
    ScopeKind m_kind = ScopeKind::All;
    QString m_name;
    Range m_range = Range::Last15Minutes;
    qint64 m_customFromMs = 0;
    qint64 m_customToMs = 0;
    qint64 m_shownFromMs = 0; // the axis start of the last replot
    QStringList m_credentials;
    QStringList m_tokenCredentials;

    QComboBox *m_rangeBox = nullptr;
    QComboBox *m_latencyBox = nullptr;
    LatencyView m_latencyView = LatencyView::Percentiles;
    QLabel *m_scopeLabel = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_timer = nullptr;
    QTimer *m_pending = nullptr;

    Chart m_categories;
    Chart m_errorRate;
    Chart m_latency;
    Chart m_headroom;
    Chart m_tokens;
    std::array<QLineSeries *, ResponseClassCount> m_classUpper{};
    std::array<QAreaSeries *, ResponseClassCount> m_classArea{};
    std::array<QLineSeries *, PhaseCount> m_phaseUpper{};
    std::array<QAreaSeries *, PhaseCount> m_phaseArea{};
    QLineSeries *m_errorSeries = nullptr;
    QLineSeries *m_sloSeries = nullptr;
    std::array<QLineSeries *, 3> m_percentiles{};
    QList<QLineSeries *> m_headroomSeries;
    QList<QLineSeries *> m_tokenSeries;

    // History buckets for 24 h / custom; the query they answer and when they were fetched.
    HistoryBuckets m_buckets;
    bool m_bucketsValid = false;
    quint64 m_historyTicket = 0;
    bool m_historyInFlight = false;
    qint64 m_historyFetchedAtMs = 0;
    QString m_historyError;
    quint64 m_replots = 0;
    quint64 m_armedReplots = 0;
    int m_lastRangeIndex = 0;
};

} // namespace hd
