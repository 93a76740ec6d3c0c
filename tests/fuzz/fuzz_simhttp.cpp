// libFuzzer target: the simulator's incremental HTTP/1.1 request parser (app/sim/simhttpparser).
// The simulator listens on a socket; bytes arrive in arbitrary pieces. Any input, cut anywhere,
// ends in NeedMore, a request or an error status — never a crash, and never more buffered than
// its limits allow.

#include "simhttpparser.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    constexpr int MaxHead = 8 * 1024;
    constexpr int MaxBody = 64 * 1024;
    SimHttpParser parser(MaxHead, MaxBody);
    int requests = 0;
    while (fdp.remaining_bytes() > 0 && requests < 64) {
        const std::string piece = fdp.ConsumeRandomLengthString(512);
        SimHttpParser::State s = parser.feed(QByteArray::fromStdString(piece));
        while (s == SimHttpParser::State::HeadComplete || s == SimHttpParser::State::Complete) {
            if (s == SimHttpParser::State::Complete) {
                const SimRequest r = parser.takeRequest();
                if (r.body.size() > MaxBody) {
                    std::fprintf(stderr, "invariant violated: body within its limit\n");
                    std::abort();
                }
                ++requests;
            }
            s = parser.advance();
        }
        if (s == SimHttpParser::State::Error) {
            const int st = parser.errorStatus();
            if (st != 400 && st != 413 && st != 431 && st != 501) {
                std::fprintf(stderr, "invariant violated: error status %d\n", st);
                std::abort();
            }
            break;
        }
        if (parser.buffered() > qsizetype(MaxHead + MaxBody + 512)) {
            std::fprintf(stderr, "invariant violated: buffered %lld\n",
                         static_cast<long long>(parser.buffered()));
            std::abort();
        }
    }
    return 0;
}
