// libFuzzer target: the curl importer (app/import/curlimporter). See importfuzz.h for the
// invariants.

#include "curlimporter.h"
#include "importfuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    hd::fuzz::checkImport(hd::importCurl(text, QStringLiteral("fuzz")));
    return 0;
}
