// libFuzzer target: WebSocket frames of the seed 003 protocol (app/net/streamframe). Frames come
// from a server: any text is a frame or Malformed with a reason, never a crash.

#include "streamframe.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const StreamFrame f = StreamFrame::parse(text);
    if (f.type == StreamFrame::Type::Malformed && f.problem.isEmpty()) {
        std::fprintf(stderr, "invariant violated: a malformed frame says why\n");
        std::abort();
    }
    for (const auto &m : f.messages) {
        (void)StreamFrame::isResponse(m);
        (void)StreamFrame::isPush(m);
        (void)StreamFrame::requestId(m);
    }
    return 0;
}
