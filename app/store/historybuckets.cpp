#include "historybuckets.h"

namespace hd {

qint64 HistoryBucketQuery::resolutionFor(qint64 spanMs, int maxBuckets)
{
    static constexpr qint64 steps[]{1000,          10 * 1000,      60 * 1000,
                                    5 * 60 * 1000, 15 * 60 * 1000, 60 * 60 * 1000};
    for (qint64 step : steps) {
        if (spanMs / step <= maxBuckets)
            return step;
    }
    return steps[std::size(steps) - 1];
}

} // namespace hd
