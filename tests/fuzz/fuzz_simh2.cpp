// libFuzzer target: the simulator's HTTP/2 session (app/sim/simh2session), the code its "h2"
// TLS route runs on every byte a client sends after the handshake. Frames arrive in arbitrary
// pieces; each complete request is answered with a response the fuzzer chooses (status, body
// size, fault). Never a crash or a leak; requests keep within their limits; open streams
// within MaxStreams.
//
// Most inputs start with the client connection preface so the fuzzer gets past it; the seed
// corpus (tests/fuzz/corpus/simh2) holds real HEADERS/DATA frames.

#include "simh2session.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    constexpr int MaxBody = 64 * 1024;
    std::vector<qint32> pending;
    int requests = 0;
    SimH2Session session(
        MaxBody,
        [&](qint32 id, SimRequest r) {
            if (r.body.size() > MaxBody || r.headers.size() > SimH2Session::MaxHeaders + 1) {
                std::fprintf(stderr, "invariant violated: request beyond its limits\n");
                std::abort();
            }
            ++requests;
            pending.push_back(id);
        },
        [] { return qint64(1795298400000); });
    if (fdp.ConsumeBool())
        session.receive(QByteArrayLiteral("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    while (fdp.remaining_bytes() > 0 && requests < 256) {
        const std::string piece = fdp.ConsumeRandomLengthString(1024);
        const bool ok = session.receive(QByteArray::fromStdString(piece));
        for (qint32 id : pending) {
            SimResponse r;
            r.status = fdp.ConsumeIntegralInRange(100, 599);
            r.body = QByteArray(fdp.ConsumeIntegralInRange(0, 70000), 'x');
            r.headers.append({QByteArrayLiteral("X-Fuzz"),
                              QByteArray::fromStdString(fdp.ConsumeRandomLengthString(64))});
            r.headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("keep-alive")});
            r.fault = SimFault(fdp.ConsumeIntegralInRange(0, int(SimFault::Malformed)));
            session.respond(id, r, 1795298400000);
        }
        pending.clear();
        (void)session.takeOutput();
        if (session.openStreams() > SimH2Session::MaxStreams) {
            std::fprintf(stderr, "invariant violated: %d open streams\n", session.openStreams());
            std::abort();
        }
        if (!ok || !session.isAlive())
            break;
    }
    return 0;
}
