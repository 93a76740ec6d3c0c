#pragma once

// The six classes the console charts stack: what an operator tells apart at a glance during an
// incident. Rate limits are their own class whatever their status (a 429, or a 403 that shows an
// exhausted quota), so "we are being throttled" never hides inside "4xx".

#include "eventtypes.h"

#include <QString>

namespace hd {

enum class ResponseClass {
    ConnectionError,
    ServerError,
    ClientError,
    RateLimited,
    BusinessError,
    Ok
};
inline constexpr int ResponseClassCount = int(ResponseClass::Ok) + 1;

ResponseClass responseClassOf(Category c);
// Short label for legends ("connection errors", "5xx", …).
QString responseClassLabel(ResponseClass c);

} // namespace hd
