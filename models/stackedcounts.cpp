#include "stackedcounts.h"

namespace hd {

QVector<double> StackedCounts::cumulative(ResponseClass upTo) const
{
    QVector<double> sum(x.size(), 0.0);
    for (int c = 0; c <= int(upTo); ++c) {
        const QVector<double> &v = counts[std::size_t(c)];
        for (qsizetype i = 0; i < sum.size() && i < v.size(); ++i)
            sum[i] += v[i];
    }
    return sum;
}

} // namespace hd
