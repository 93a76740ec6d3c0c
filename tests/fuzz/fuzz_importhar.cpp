// libFuzzer target: the har importer (app/import/harimporter). See importfuzz.h for the invariants.

#include "harimporter.h"
#include "importfuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    hd::fuzz::checkImport(hd::importHar(text, QStringLiteral("fuzz")));
    return 0;
}
