// libFuzzer target: HAR files read by `hdeck classify --har` (app/classify/harentries). A HAR is
// saved by a browser or received from someone else: any bytes must give entries or one error
// line, and every entry must classify into an event whose JSON parses back — never a crash, an
// uncaught exception, a sanitizer report or a hang.

#include "classifier.h"
#include "eventjson.h"
#include "harentries.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

const Classifier &classifier()
{
    static const Classifier c;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const HarEntries har = HarReader::parse(text);
    check(har.error.isEmpty() || har.entries.empty(), "entries xor an error");
    check(!har.error.contains(u'\n'), "the error is one line");
    check(har.entries.size() <= size_t(HarReader::MaxEntries), "at most MaxEntries entries");
    for (const HarEntry &entry : har.entries) {
        check(entry.durationMs >= 0, "a duration is never negative");
        ClassifyInput in = entry.input;
        if (!classifier().knowsProfile(in.profile))
            in.profile = QStringLiteral("auto");
        const ApiEvent e = classifier().classify(in);
        check((e.category == Category::Ok) == !e.error.has_value(), "error exactly when not ok");
        check(eventFromJsonText(toJsonLine(e)).event.has_value(), "event JSON parses back");
    }
    return 0;
}
