// libFuzzer target: workspace files (models/workspacefile). A workspace is a file a user may
// receive from someone else, so any bytes must give a workspace or one error line — never a
// crash, an uncaught exception, a sanitizer report or a hang — and a loaded workspace must
// survive a save/load round trip.

#include "workspacefile.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const WorkspaceLoadResult r = WorkspaceFile::parse(text, QStringLiteral("fuzz.json"));
    if (r.workspace.has_value() == !r.error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: a workspace xor an error\n");
        std::abort();
    }
    if (!r.error.isEmpty() && r.error.contains(u'\n')) {
        std::fprintf(stderr, "invariant violated: the error is one line\n");
        std::abort();
    }
    if (r.workspace) {
        // What we load we can write back and read again.
        const std::string again = WorkspaceFile::toJson(*r.workspace).dump();
        const WorkspaceLoadResult back
            = WorkspaceFile::parse(QByteArray::fromStdString(again), QStringLiteral("again.json"));
        if (!back.workspace) {
            std::fprintf(stderr, "invariant violated: a saved workspace loads again: %s\n",
                         qPrintable(back.error));
            std::abort();
        }
    }
    return 0;
}
