// libFuzzer target: PagerDuty V3 webhook deliveries (app/notify/pagerdutywebhook), which arrive
// from the network at POST /pagerduty. The first line of the input is the X-PagerDuty-Signature
// header, the rest the body: any bytes must give a verdict on the signature and an event or
// one error line — never a crash, an uncaught exception, a sanitizer report or a hang — and
// what is read must respect its bounds.

#include "pagerdutywebhook.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray header = newline < 0 ? QByteArray() : input.left(newline);
    const QByteArray body = newline < 0 ? input : input.mid(newline + 1);
    // A forged signature never passes: the fuzzer does not know this key.
    if (pagerdutywebhook::verifySignature(body, header, "fuzz-secret-6d1f0c")
        && !header.contains("v1=")) {
        std::fprintf(stderr, "invariant violated: a signature without v1= passed\n");
        std::abort();
    }
    QString error;
    const auto event = pagerdutywebhook::parse(body, &error);
    if (event.has_value() == !error.isEmpty() || error.contains(u'\n')) {
        std::fprintf(stderr, "invariant violated: an event xor one error line\n");
        std::abort();
    }
    if (event
        && (event->eventType.isEmpty() || event->eventType.size() > 200
            || event->incidentKey.size() > 200 || event->agent.size() > 200
            || event->agent.contains(u'\n'))) {
        std::fprintf(stderr, "invariant violated: bounded, single-line texts\n");
        std::abort();
    }
    return 0;
}
