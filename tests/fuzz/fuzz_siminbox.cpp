// libFuzzer target: the simulator inbox's listing as the console reads it
// (app/sim/simwebhooklisting). The inbox keeps whatever anyone on loopback posted, so any bytes
// must give a listing or one error line — never a crash, an uncaught exception, a sanitizer
// report or a hang — and every text of a listing is one bounded line.

#include "simwebhooklisting.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

namespace {
void check(const QString &text, const char *what)
{
    if (text.size() > SimWebhookListing::MaxTextChars || text.contains(u'\n')
        || text.contains(u'\r')) {
        std::fprintf(stderr, "invariant violated: %s is one bounded line\n", what);
        std::abort();
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto listing = SimWebhookListing::parse(body, &error);
    if (listing.has_value() == !error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: a listing xor an error\n");
        std::abort();
    }
    if (error.contains(u'\n')) {
        std::fprintf(stderr, "invariant violated: the error is one line\n");
        std::abort();
    }
    if (!listing)
        return 0;
    if (listing->messages.size() > SimWebhookListing::MaxEntries || listing->received < 0)
        std::abort();
    for (const SimWebhookMessage &m : listing->messages) {
        check(m.title, "a title");
        check(m.action, "an action");
        check(m.severity, "a severity");
        if (m.shape.isEmpty() || m.timeMs < 0 || m.bytes < 0)
            std::abort();
    }
    return 0;
}
