#include "seriesdecimator.h"

#include <algorithm>

namespace hd {

QVector<QPointF> SeriesDecimator::decimate(const QVector<QPointF> &points, double xFrom, double xTo,
                                           int pixelWidth)
{
    if (pixelWidth <= 0 || points.size() <= 2 * qsizetype(pixelWidth) || !(xTo > xFrom))
        return points;

    const double columnWidth = (xTo - xFrom) / pixelWidth;
    QVector<QPointF> out;
    out.reserve(2 * pixelWidth);

    qsizetype i = 0;
    const qsizetype n = points.size();
    while (i < n) {
        const int column
            = std::clamp(int((points[i].x() - xFrom) / columnWidth), 0, pixelWidth - 1);
        qsizetype minAt = i;
        qsizetype maxAt = i;
        qsizetype j = i + 1;
        for (; j < n; ++j) {
            const int c = std::clamp(int((points[j].x() - xFrom) / columnWidth), 0, pixelWidth - 1);
            if (c != column)
                break;
            if (points[j].y() < points[minAt].y())
                minAt = j;
            if (points[j].y() > points[maxAt].y())
                maxAt = j;
        }
        out.append(points[std::min(minAt, maxAt)]);
        if (minAt != maxAt)
            out.append(points[std::max(minAt, maxAt)]);
        i = j;
    }
    return out;
}

} // namespace hd
