// libFuzzer target: an incident row of the history database (healthdeck.incident/1,
// Incident::fromJson). The database is a file on disk that anyone with access may have edited
// or damaged, so any bytes must give an incident or one error line — never a crash, an
// uncaught exception, a sanitizer report or a hang — and an incident that loads must respect
// the bounds the console relies on and survive a round trip unchanged.

#include "incidentlog.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto incident = Incident::fromJson(text, &error);
    if (incident.has_value() == !error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: an incident xor an error\n");
        std::abort();
    }
    if (error.contains(u'\n')) {
        std::fprintf(stderr, "invariant violated: the error is one line\n");
        std::abort();
    }
    if (!incident)
        return 0;
    if (incident->timeline.size() > Incident::MaxTimeline
        || incident->eventIds.size() > Incident::MaxEventIds || incident->eventCount < 0) {
        std::fprintf(stderr, "invariant violated: bounds\n");
        std::abort();
    }
    // What was read is written back and read again to the same incident.
    const auto again = Incident::fromJson(incident->toJsonBytes(), &error);
    if (!again || !(*again == *incident)) {
        std::fprintf(stderr, "invariant violated: round trip (%s)\n", qPrintable(error));
        std::abort();
    }
    (void)incident->state();
    return 0;
}
