// libFuzzer target: requests to the metrics endpoint (app/metrics/metricsrequest), which is
// the network-facing HTTP of `hdeck watch --metrics` and takes PagerDuty's webhooks. The first
// byte picks whether POST bodies are read; the rest is what arrived on the connection. Any
// bytes must give "wait", one refusal or one request — never a crash, a sanitizer report or a
// hang — and a request must respect the bounds the server relies on.

#include "metricsrequest.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

static void fail(const char *what)
{
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool acceptPost = data[0] & 1;
    const QByteArray buffer(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const MetricsRequest r = MetricsRequest::parse(buffer, acceptPost);
    switch (r.state) {
    case MetricsRequest::State::Incomplete:
        if (buffer.size() > MetricsRequest::MaxHeaderBytes + MetricsRequest::MaxBodyBytes + 4)
            fail("waiting for more than a header and a body can hold");
        break;
    case MetricsRequest::State::Refused:
        if (r.status != 400 && r.status != 411 && r.status != 413 && r.status != 431)
            fail("a refusal is 400, 411, 413 or 431");
        if (r.reason.isEmpty() || !r.message.endsWith('\n'))
            fail("a refusal says why");
        break;
    case MetricsRequest::State::Complete:
        if (r.method.isEmpty() || r.path.contains('?'))
            fail("a request has a method and a path without its query");
        if (r.body.size() > MetricsRequest::MaxBodyBytes)
            fail("a body within its bound");
        if (!r.body.isEmpty() && r.body.size() != r.headers.value("content-length").toLongLong())
            fail("the body is exactly Content-Length bytes");
        if (!acceptPost && (!r.headers.isEmpty() || !r.body.isEmpty()))
            fail("no headers or body are read without a POST handler");
        break;
    }
    return 0;
}
