#pragma once

// Responses per ResponseClass over time, on one shared x axis so a chart can stack them
// (cumulative lines under area fills). Produced by SeriesBuilder::stacked().

#include "responseclass.h"

#include <QVector>
#include <QtGlobal>

#include <array>

namespace hd {

struct StackedCounts
{
    // Width of one column: a bucket, or several merged buckets when the range has more
    // buckets than the chart has pixels.
    qint64 columnMs = 0;
    QVector<double> x; // column start, UTC ms
    std::array<QVector<double>, ResponseClassCount> counts;

    const QVector<double> &of(ResponseClass c) const { return counts[std::size_t(c)]; }
    // Sum of the classes up to and including c (in enum order) per column: the upper edge of
    // c's band in a stacked chart.
    QVector<double> cumulative(ResponseClass c) const;
};

} // namespace hd
