// libFuzzer target: JWT decoding (app/auth/jwt). Tokens come from servers; decoding any text
// gives claims or one sentence, never a crash, and every derived number is well defined.

#include "jwt.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const qint64 nowMs = fdp.ConsumeIntegral<qint64>();
    QString token;
    if (fdp.ConsumeBool()) {
        // Build a well-formed shape from fuzzed JSON parts, so the claim readers are reached.
        const auto part = [&fdp] {
            const std::string json = fdp.ConsumeRandomLengthString(2048);
            return QString::fromLatin1(QByteArray::fromStdString(json).toBase64(
                QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        };
        token = part() + u'.' + part() + u'.' + part();
    } else {
        token = QString::fromStdString(fdp.ConsumeRemainingBytesAsString());
    }
    QString error;
    const auto jwt = Jwt::decode(token, &error);
    if (!jwt) {
        if (error.isEmpty()) {
            std::fprintf(stderr, "invariant violated: a failed decode says why\n");
            std::abort();
        }
        return 0;
    }
    (void)jwt->expiresInS(nowMs);
    (void)jwt->lifetimeS();
    (void)jwt->notYetValid(nowMs);
    (void)jwt->summary(nowMs);
    return 0;
}
