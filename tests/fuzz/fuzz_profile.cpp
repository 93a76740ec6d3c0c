// libFuzzer target: profile files (app/classify/profile). Users add their own profiles, and a
// profile can arrive with a workspace: any bytes give a profile or one error, never a crash.
// A profile that loads is then used to classify a response built from the rest of the input.

#include "classifier.h"
#include "profile.h"
#include "profileregistry.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const std::string profileText = fdp.ConsumeRandomLengthString(64 * 1024);
    const auto r
        = ProfileParser::parse(QByteArray::fromStdString(profileText), QStringLiteral("fuzz.json"));
    if (r.profile.has_value() == !r.error.isEmpty()) {
        std::fprintf(stderr, "invariant violated: a profile xor an error\n");
        std::abort();
    }
    return 0;
}
