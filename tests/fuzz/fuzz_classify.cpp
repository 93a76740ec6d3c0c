// libFuzzer target: Classifier::classify, RateLimitHeaders::parse, the redactor and the profile
// parser on hostile input. Besides "no crash, no sanitizer report" it checks the invariants
// every event must keep (DESIGN §2): outcome follows category, an error exactly when the
// category is not ok, the stored body capped, and the event survives a JSON round trip.

#include "classifier.h"
#include "eventjson.h"
#include "profile.h"
#include "ratelimitheaders.h"
#include "redactor.h"
#include "responsebody.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

using namespace hd;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

const char *const kProfiles[]
    = {"auto",           "generic",      "tradovate", "signals",        "code-message",
       "error-envelope", "problem-json", "oauth2",    "no-such-profile"};
const char *const kHeaderNames[] = {"Content-Type",
                                    "Retry-After",
                                    "X-RateLimit-Limit",
                                    "X-RateLimit-Remaining",
                                    "X-RateLimit-Reset",
                                    "RateLimit-Limit",
                                    "RateLimit-Remaining",
                                    "RateLimit-Reset",
                                    "RateLimit",
                                    "RateLimit-Policy",
                                    "X-Rate-Limit-Remaining",
                                    "grpc-status",
                                    "grpc-message",
                                    "X-Request-Id",
                                    "X-Trace-Id",
                                    "X-Amzn-Trace-Id",
                                    "traceparent",
                                    "Authorization",
                                    "Set-Cookie",
                                    "X-Api-Key",
                                    "WWW-Authenticate",
                                    "Proxy-Authenticate",
                                    "Retry-After-Ms",
                                    "X-RateLimit-Limit-Requests",
                                    "X-RateLimit-Remaining-Requests",
                                    "X-RateLimit-Reset-Requests",
                                    "X-RateLimit-Reset-Tokens",
                                    "x-amzn-RequestId",
                                    "X-Cloud-Trace-Context",
                                    "Content-Encoding",
                                    "Connection"};
const char *const kNetworkErrors[]
    = {"ECONNRESET",     "EPIPE",     "ECONNREFUSED",     "ETIMEDOUT", "other side closed",
       "14 UNAVAILABLE", "ENOTFOUND", "CERT_HAS_EXPIRED", "bogus"};

const Classifier &classifier()
{
    static const Classifier c(std::make_shared<ProfileRegistry>());
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const uint8_t mode = fdp.ConsumeIntegral<uint8_t>();

    if (mode % 16 == 15) {
        // The profile parser on arbitrary text: an error or a profile, never a crash.
        const std::string text = fdp.ConsumeRemainingBytesAsString();
        const auto r = ProfileParser::parse(QByteArray(text.data(), qsizetype(text.size())),
                                            QStringLiteral("fuzz.json"));
        check(r.profile.has_value() != !r.error.isEmpty(), "profile xor error");
        return 0;
    }

    ClassifyInput in;
    if (mode & 1)
        in.status = fdp.ConsumeIntegralInRange<int>(-5, 1005);
    else
        in.status = fdp.PickValueInArray(
            {200, 201, 400, 401, 403, 404, 409, 413, 422, 423, 429, 500, 502, 503, 504});
    if ((mode & 0x70) == 0x70)
        in.networkError = QString::fromLatin1(fdp.PickValueInArray(kNetworkErrors));
    in.profile = QString::fromLatin1(fdp.PickValueInArray(kProfiles));
    in.nowMs = fdp.ConsumeIntegralInRange<qint64>(1, qint64(4102444800000));
    const int headerCount = fdp.ConsumeIntegralInRange<int>(0, 8);
    for (int i = 0; i < headerCount; ++i) {
        QByteArray name = fdp.ConsumeBool()
                              ? QByteArray(fdp.PickValueInArray(kHeaderNames))
                              : QByteArray::fromStdString(fdp.ConsumeRandomLengthString(24));
        const std::string value = fdp.ConsumeRandomLengthString(160);
        in.headers.append({name, QByteArray(value.data(), qsizetype(value.size()))});
    }
    const std::string body = fdp.ConsumeRemainingBytesAsString();
    in.body = QByteArray(body.data(), qsizetype(body.size()));

    if (!classifier().knowsProfile(in.profile))
        in.profile = QStringLiteral("auto");
    // Half the inputs also ask why (hdeck classify --explain): the explanation never changes
    // the verdict.
    Explanation why;
    const bool explain = (mode & 0x80) != 0;
    const ApiEvent e = classifier().classify(in, explain ? &why : nullptr);
    if (explain) {
        const ApiEvent plain = classifier().classify(in);
        check(plain.category == e.category && plain.retry.action == e.retry.action
                  && plain.error.has_value() == e.error.has_value()
                  && (!e.error
                      || (plain.error->code == e.error->code
                          && plain.error->message == e.error->message)),
              "explaining does not change the verdict");
        check(!why.category.isEmpty(), "an explanation names the rule that decided the category");
    }

    check(e.outcome == outcomeOf(e.category), "outcome follows category");
    check((e.category == Category::Ok) == !e.error.has_value(), "error exactly when not ok");
    check(!e.retry.delayMs || *e.retry.delayMs >= 0, "delay is not negative");
    if (e.response) {
        check(e.response->size == in.body.size(), "response.size is the full size");
        check(e.response->body.size() <= ResponseBody::DisplayCap + 200, "response.body is capped");
    }
    if (e.error)
        check(!e.error->message.isEmpty(), "an error always has a message");

    const QByteArray line = toJsonLine(e);
    const auto back = eventFromJsonText(line);
    check(back.event.has_value(), "event JSON parses back");
    check(toJsonLine(*back.event) == line, "event JSON round trip is lossless");

    // The header parser on its own, with the same hostile headers.
    if (const auto rl = RateLimitHeaders::parse(in.headers, in.nowMs)) {
        check(!rl->isEmpty(), "rate limit info is not empty");
        check(!rl->resetS || *rl->resetS >= 0, "reset is not negative");
        check(!rl->retryAfterS || *rl->retryAfterS >= 0, "retry-after is not negative");
    }

    // The redactor on the raw text (bounded: it is text based and runs on capped bodies).
    const QString text = QString::fromUtf8(in.body.left(8192));
    const QString redacted = Redactor::shared().redactBody(text);
    Redactor::shared().redactUrl(QStringLiteral("https://h/p?") + text.left(512));
    if (text.contains(QStringLiteral("\"password\":\"fuzzsecret\"")))
        check(!redacted.contains(QStringLiteral("fuzzsecret")), "password is redacted");
    return 0;
}
