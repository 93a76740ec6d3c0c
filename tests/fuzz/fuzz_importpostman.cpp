// libFuzzer target: the Postman importer (app/import/postmanimporter), collection and optional
// environment file. The input is split at the first NUL byte: before it the collection, after it
// the environment. See importfuzz.h for the invariants.

#include "importfuzz.h"
#include "postmanimporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype cut = input.indexOf('\0');
    const QByteArray collection = cut < 0 ? input : input.left(cut);
    const QByteArray environment = cut < 0 ? QByteArray() : input.mid(cut + 1);
    hd::fuzz::checkImport(hd::importPostman(collection, QStringLiteral("fuzz"), environment,
                                            QStringLiteral("fuzz-env")));
    return 0;
}
