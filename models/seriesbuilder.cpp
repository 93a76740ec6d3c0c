#include "seriesbuilder.h"

#include "seriesdecimator.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace hd {

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// Buckets per column: the smallest k whose columns fit the pixels of the whole range (columns
// aligned to multiples of k buckets since the epoch, so they do not shift from tick to tick).
qint64 bucketsPerColumn(qint64 resMs, qint64 fromMs, qint64 toMs, int pixelWidth)
{
    const qint64 rangeBuckets = std::max<qint64>(1, (toMs - fromMs + resMs - 1) / resMs);
    return pixelWidth > 0 ? std::max<qint64>(1, (rangeBuckets + pixelWidth - 1) / pixelWidth) : 1;
}

bool isCountMetric(SeriesMetric m)
{
    return m == SeriesMetric::Requests || m == SeriesMetric::Failures;
}

std::optional<double> valueOf(SeriesMetric metric, const TimeBucket &b, const LatencyHistogram *h,
                              qint64 resMs, qint64 nowMs)
{
    switch (metric) {
    case SeriesMetric::Requests:
        return double(b.total);
    case SeriesMetric::Failures:
        return double(b.failures());
    case SeriesMetric::ErrorRate:
        return b.errorRate() * 100.0;
    case SeriesMetric::LatencyMean:
        return b.meanLatencyMs();
    case SeriesMetric::LatencyMax:
        return double(b.latencyMaxMs);
    case SeriesMetric::LatencyP50:
        return h ? std::optional(h->percentileMs(0.50)) : std::nullopt;
    case SeriesMetric::LatencyP95:
        return h ? std::optional(h->percentileMs(0.95)) : std::nullopt;
    case SeriesMetric::LatencyP99:
        return h ? std::optional(h->percentileMs(0.99)) : std::nullopt;
    case SeriesMetric::Headroom:
        return b.minHeadroom >= 0 ? std::optional(double(b.minHeadroom) * 100.0) : std::nullopt;
    case SeriesMetric::TokenExpiresIn: {
        if (b.tokenExpiresAtMs == 0)
            return std::nullopt;
        const qint64 at = std::min((b.index + 1) * resMs, nowMs);
        return double(b.tokenExpiresAtMs - at) / 1000.0;
    }
    }
    return std::nullopt;
}

} // namespace

bool SeriesBuilder::zeroFillRange(const BucketRing &ring, qint64 fromMs, qint64 toMs, qint64 nowMs,
                                  qint64 *first, qint64 *last)
{
    if (ring.newestIndex() < 0 || toMs <= fromMs)
        return false;
    const qint64 res = ring.resolutionMs();
    const qint64 oldest = ring.newestIndex() - ring.capacity() + 1;
    *first = std::max(floorDiv(fromMs, res), oldest);
    // Up to now: seconds after the newest event are idle, not unknown.
    *last = std::min(floorDiv(toMs - 1, res), std::max(ring.newestIndex(), floorDiv(nowMs, res)));
    return *first <= *last;
}

QVector<QPointF> SeriesBuilder::series(const BucketRing &ring, SeriesMetric metric, qint64 fromMs,
                                       qint64 toMs, qint64 nowMs, int pixelWidth)
{
    QVector<QPointF> points;
    if (toMs <= fromMs)
        return points;
    const qint64 res = ring.resolutionMs();
    if (isCountMetric(metric)) {
        qint64 first = 0;
        qint64 last = 0;
        if (!zeroFillRange(ring, fromMs, toMs, nowMs, &first, &last))
            return points;
        points.reserve(qsizetype(last - first + 1));
        for (qint64 i = first; i <= last; ++i)
            points.append(QPointF(double(i * res), 0.0));
        ring.visit(fromMs, toMs, [&](const TimeBucket &b, const LatencyHistogram *h) {
            const qsizetype at = qsizetype(b.index - first);
            if (at >= 0 && at < points.size())
                points[at].setY(*valueOf(metric, b, h, res, nowMs));
        });
    } else {
        ring.visit(fromMs, toMs, [&](const TimeBucket &b, const LatencyHistogram *h) {
            if (const auto v = valueOf(metric, b, h, res, nowMs))
                points.append(QPointF(double(b.index * res), *v));
        });
    }
    return SeriesDecimator::decimate(points, double(fromMs), double(toMs), pixelWidth);
}

StackedCounts SeriesBuilder::stacked(const BucketRing &ring, qint64 fromMs, qint64 toMs,
                                     qint64 nowMs, int pixelWidth)
{
    StackedCounts out;
    const qint64 res = ring.resolutionMs();
    out.columnMs = res;
    qint64 first = 0;
    qint64 last = 0;
    if (!zeroFillRange(ring, fromMs, toMs, nowMs, &first, &last))
        return out;
    const qint64 k = bucketsPerColumn(res, fromMs, toMs, pixelWidth);
    out.columnMs = k * res;
    const qint64 firstColumn = floorDiv(first, k);
    const qint64 lastColumn = floorDiv(last, k);
    const qsizetype columns = qsizetype(lastColumn - firstColumn + 1);
    out.x.reserve(columns);
    for (qint64 c = firstColumn; c <= lastColumn; ++c)
        out.x.append(double(c * k * res));
    for (QVector<double> &v : out.counts)
        v.fill(0.0, columns);

    // Classes from the outcome counters: rate_limited is a client-error category (categories
    // partition outcomes), so 4xx is the client errors minus the rate limits. Six reads per
    // bucket instead of one per category.
    static_assert(int(ResponseClass::Ok) == ResponseClassCount - 1);
    auto &conn = out.counts[std::size_t(ResponseClass::ConnectionError)];
    auto &server = out.counts[std::size_t(ResponseClass::ServerError)];
    auto &client = out.counts[std::size_t(ResponseClass::ClientError)];
    auto &limited = out.counts[std::size_t(ResponseClass::RateLimited)];
    auto &business = out.counts[std::size_t(ResponseClass::BusinessError)];
    auto &ok = out.counts[std::size_t(ResponseClass::Ok)];
    ring.visit(first * res, (last + 1) * res, [&](const TimeBucket &b, const LatencyHistogram *) {
        const qsizetype at = qsizetype(floorDiv(b.index, k) - firstColumn);
        if (at < 0 || at >= columns)
            return;
        const quint32 rateLimited = b.categories[std::size_t(Category::RateLimited)];
        if (rateLimited > b.outcomes[std::size_t(Outcome::ClientError)]) {
            // An event whose outcome does not follow its category (another tool's JSON):
            // classify by category, the slow way.
            for (std::size_t c = 0; c < b.categories.size(); ++c)
                out.counts[std::size_t(responseClassOf(Category(c)))][at] += b.categories[c];
            return;
        }
        conn[at] += b.outcomes[std::size_t(Outcome::ConnectionError)];
        server[at] += b.outcomes[std::size_t(Outcome::ServerError)];
        client[at] += b.outcomes[std::size_t(Outcome::ClientError)] - rateLimited;
        limited[at] += rateLimited;
        business[at] += b.outcomes[std::size_t(Outcome::BusinessError)];
        ok[at] += b.outcomes[std::size_t(Outcome::Success)];
    });
    return out;
}

StackedPhases SeriesBuilder::phases(const BucketRing &ring, qint64 fromMs, qint64 toMs,
                                    qint64 nowMs, int pixelWidth)
{
    StackedPhases out;
    const qint64 res = ring.resolutionMs();
    out.columnMs = res;
    qint64 first = 0;
    qint64 last = 0;
    if (!zeroFillRange(ring, fromMs, toMs, nowMs, &first, &last))
        return out;
    const qint64 k = bucketsPerColumn(res, fromMs, toMs, pixelWidth);
    out.columnMs = k * res;
    // Buckets arrive oldest first: a column is complete when the next one starts.
    qint64 column = std::numeric_limits<qint64>::min();
    quint32 timed = 0;
    std::array<double, PhaseCount> sums{};
    const auto flush = [&] {
        if (timed == 0)
            return;
        out.x.append(double(column * k * res));
        out.timed.append(timed);
        for (std::size_t p = 0; p < PhaseCount; ++p)
            out.meanMs[p].append(sums[p] / double(timed));
    };
    ring.visit(first * res, (last + 1) * res, [&](const TimeBucket &b, const LatencyHistogram *) {
        const qint64 c = floorDiv(b.index, k);
        if (c != column) {
            flush();
            column = c;
            timed = 0;
            sums = {};
        }
        timed += b.timed;
        for (std::size_t p = 0; p < PhaseCount; ++p)
            sums[p] += b.phaseSumMs[p];
    });
    flush();
    return out;
}

} // namespace hd
