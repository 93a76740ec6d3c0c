// libFuzzer target: event JSON (models/eventjson), as read back from events.jsonl files, history
// rows and support bundles. Any bytes give an event or an error; an event that parses writes
// back to the same line it reads as (the round trip is lossless).

#include "eventjson.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const EventParseResult r = eventFromJsonText(text);
    if (r.event.has_value() == !r.error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: an event xor an error\n");
        std::abort();
    }
    if (r.event) {
        const QByteArray line = toJsonLine(*r.event);
        const EventParseResult back = eventFromJsonText(line);
        if (!back.event || toJsonLine(*back.event) != line) {
            std::fprintf(stderr, "invariant violated: event JSON round trip\n");
            std::abort();
        }
    }
    return 0;
}
