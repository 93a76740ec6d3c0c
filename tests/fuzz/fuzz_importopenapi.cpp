// libFuzzer target: the openapi importer (app/import/openapiimporter). See importfuzz.h for the
// invariants.

#include "importfuzz.h"
#include "openapiimporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    hd::fuzz::checkImport(hd::importOpenApi(text, QStringLiteral("fuzz")));
    return 0;
}
