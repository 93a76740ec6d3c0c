#pragma once

// Turns one BucketRing into what a chart draws, already reduced to the chart's pixel width, so
// the UI hands the result to QXYSeries::replace() once per series per tick. Shared by the live
// Aggregator and by rings built from the SQLite history (24 h, custom ranges).

#include "aggregatortypes.h"
#include "bucketring.h"
#include "stackedcounts.h"

#include <QPointF>
#include <QVector>

namespace hd {

// Mean time per phase over time, for a stacked "latency by phase" chart: only columns in which
// some event carried timings (no zero-filling: an idle minute has no latency, not a latency
// of 0).
struct StackedPhases
{
    qint64 columnMs = 0;
    QVector<double> x;                              // column start, UTC ms
    std::array<QVector<double>, PhaseCount> meanMs; // per Phase, per column
    QVector<quint32> timed;                         // events with timings, per column
};

class SeriesBuilder
{
public:
    // One metric over [fromMs, toMs): x is the bucket start (UTC ms). Count metrics are
    // zero-filled from the oldest bucket the ring still covers up to nowMs; the others leave
    // gaps where nothing happened. Decimated by SeriesDecimator (≤ 2 points per pixel column;
    // pixelWidth <= 0: no decimation).
    static QVector<QPointF> series(const BucketRing &ring, SeriesMetric metric, qint64 fromMs,
                                   qint64 toMs, qint64 nowMs, int pixelWidth);

    // Responses per ResponseClass, zero-filled like a count metric, on one shared x axis.
    // When the range holds more buckets than pixelWidth, k consecutive buckets are summed
    // into one column (k the smallest that fits; columns aligned to multiples of k buckets
    // since the epoch, so they do not shift from tick to tick); columnMs says how wide.
    static StackedCounts stacked(const BucketRing &ring, qint64 fromMs, qint64 toMs, qint64 nowMs,
                                 int pixelWidth);

    // Mean milliseconds per Phase, columns merged like stacked() (a merged column's mean is
    // weighted by the events of each bucket).
    static StackedPhases phases(const BucketRing &ring, qint64 fromMs, qint64 toMs, qint64 nowMs,
                                int pixelWidth);

    // Range of bucket indexes [first, last] a zero-filled series over [fromMs, toMs) covers;
    // false when there is none.
    static bool zeroFillRange(const BucketRing &ring, qint64 fromMs, qint64 toMs, qint64 nowMs,
                              qint64 *first, qint64 *last);
};

} // namespace hd
