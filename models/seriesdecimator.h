#pragma once

// Reduces a series to what a chart of a given pixel width can show: per pixel column the
// lowest and the highest point (in their original order), so spikes survive and the UI can
// hand the result to QXYSeries::replace() once per tick instead of appending point by point.

#include <QPointF>
#include <QVector>

namespace hd {

class SeriesDecimator
{
public:
    // points must be sorted by x. Returns at most 2 × pixelWidth points; series that already
    // fit are returned unchanged.
    static QVector<QPointF> decimate(const QVector<QPointF> &points, double xFrom, double xTo,
                                     int pixelWidth);
};

} // namespace hd
