#include "simratelimitheaders.h"

namespace hd {

void SimRateLimitHeaders::xRateLimit(SimResponse &r, const SimQuota::Result &q)
{
    r.setHeader("X-RateLimit-Limit", QByteArray::number(q.limit));
    r.setHeader("X-RateLimit-Remaining", QByteArray::number(q.remaining));
    r.setHeader("X-RateLimit-Reset", QByteArray::number(ceilSeconds(q.resetMs)));
}

void SimRateLimitHeaders::draft(SimResponse &r, const SimQuota::Result &q)
{
    r.setHeader("RateLimit-Limit", QByteArray::number(q.limit));
    r.setHeader("RateLimit-Remaining", QByteArray::number(q.remaining));
    r.setHeader("RateLimit-Reset", QByteArray::number(ceilSeconds(q.resetMs)));
}

void SimRateLimitHeaders::oneHeader(SimResponse &r, const SimQuota::Result &q)
{
    r.setHeader("RateLimit", "limit=" + QByteArray::number(q.limit)
                                 + ", remaining=" + QByteArray::number(q.remaining)
                                 + ", reset=" + QByteArray::number(ceilSeconds(q.resetMs)));
}

void SimRateLimitHeaders::structured(SimResponse &r, const SimQuota::Result &q, int windowS)
{
    r.setHeader("RateLimit-Policy", "\"window\";q=" + QByteArray::number(q.limit)
                                        + ";w=" + QByteArray::number(windowS));
    r.setHeader("RateLimit", "\"window\";r=" + QByteArray::number(q.remaining)
                                 + ";t=" + QByteArray::number(ceilSeconds(q.resetMs)));
}

void SimRateLimitHeaders::retryAfter(SimResponse &r, qint64 ms)
{
    r.setHeader("Retry-After", QByteArray::number(ceilSeconds(ms)));
}

} // namespace hd
