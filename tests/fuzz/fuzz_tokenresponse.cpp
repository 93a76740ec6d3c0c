// libFuzzer target: a token endpoint's answer (app/auth/tokenresponse), OAuth2 and Tradovate
// dialects. The body is whatever the server sent (up to limits::MaxTokenResponseBytes). Never
// a crash, a signed overflow or an unbounded value: lifetimes stay within their clamps, p-time
// within 0–24 h, the vendor's reason within its bound.

#include "tokenresponse.h"

#include <cstdio>
#include <cstdlib>

using namespace hd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto dialect
        = (data[0] & 1) ? TokenResponse::Dialect::Tradovate : TokenResponse::Dialect::OAuth2;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const TokenResponse r = TokenResponse::parse(body, dialect, 1795298400000);
    constexpr qint64 TenYearsMs = qint64(10) * 365 * 24 * 3600 * 1000;
    if ((r.holdForMs && (*r.holdForMs < 0 || *r.holdForMs > TenYearsMs)) || r.pTimeS < 0
        || r.pTimeS > 24 * 3600 || r.vendorReason.size() > TokenResponse::MaxReasonChars
        || (r.expiresInS && !(*r.expiresInS > 0)) || (!r.pTicket.isEmpty() && !r.token.isEmpty())) {
        std::fprintf(stderr, "invariant violated\n");
        std::abort();
    }
    return 0;
}
