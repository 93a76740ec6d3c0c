// libFuzzer target: rate-limit headers (app/classify/ratelimitheaders). Every header family of
// DESIGN §4 with hostile values: numbers out of range, dates, structured fields. Results must be
// well defined: no negative waits, nothing that is not a finite number.

#include "ratelimitheaders.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace hd;

namespace {
const char *const kNames[] = {"Retry-After",
                              "X-RateLimit-Limit",
                              "X-RateLimit-Remaining",
                              "X-RateLimit-Reset",
                              "RateLimit-Limit",
                              "RateLimit-Remaining",
                              "RateLimit-Reset",
                              "RateLimit",
                              "RateLimit-Policy",
                              "X-Rate-Limit-Limit",
                              "X-Rate-Limit-Remaining",
                              "X-Rate-Limit-Reset",
                              "x-ratelimit-limit-requests",
                              "x-ratelimit-remaining-requests",
                              "x-ratelimit-reset-requests",
                              "x-ratelimit-reset-tokens"};

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const qint64 nowMs = fdp.ConsumeIntegralInRange<qint64>(0, qint64(4102444800000));
    RawHeaders headers;
    const int count = fdp.ConsumeIntegralInRange<int>(1, 10);
    for (int i = 0; i < count && fdp.remaining_bytes() > 0; ++i) {
        const QByteArray name = fdp.ConsumeBool()
                                    ? QByteArray(fdp.PickValueInArray(kNames))
                                    : QByteArray::fromStdString(fdp.ConsumeRandomLengthString(40));
        headers.append({name, QByteArray::fromStdString(fdp.ConsumeRandomLengthString(200))});
    }
    if (const auto rl = RateLimitHeaders::parse(headers, nowMs)) {
        check(!rl->isEmpty(), "rate limit info is not empty");
        check(!rl->resetS || (*rl->resetS >= 0 && std::isfinite(double(*rl->resetS))),
              "reset is finite and not negative");
        check(!rl->retryAfterS
                  || (*rl->retryAfterS >= 0 && std::isfinite(double(*rl->retryAfterS))),
              "retry-after is finite and not negative");
    }
    for (const auto &[name, value] : headers) {
        if (const auto ra = RateLimitHeaders::parseRetryAfter(value, nowMs))
            check(*ra >= 0 && std::isfinite(*ra), "parsed Retry-After is finite, not negative");
        (void)RateLimitHeaders::parseHttpDate(value);
    }
    return 0;
}
