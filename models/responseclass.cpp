#include "responseclass.h"

namespace hd {

ResponseClass responseClassOf(Category c)
{
    if (c == Category::RateLimited)
        return ResponseClass::RateLimited;
    switch (outcomeOf(c)) {
    case Outcome::Success:
        return ResponseClass::Ok;
    case Outcome::ClientError:
        return ResponseClass::ClientError;
    case Outcome::ServerError:
        return ResponseClass::ServerError;
    case Outcome::BusinessError:
        return ResponseClass::BusinessError;
    case Outcome::ConnectionError:
        return ResponseClass::ConnectionError;
    }
    return ResponseClass::Ok;
}

QString responseClassLabel(ResponseClass c)
{
    switch (c) {
    case ResponseClass::ConnectionError:
        return QStringLiteral("connection errors");
    case ResponseClass::ServerError:
        return QStringLiteral("5xx");
    case ResponseClass::ClientError:
        return QStringLiteral("4xx");
    case ResponseClass::RateLimited:
        return QStringLiteral("rate limited");
    case ResponseClass::BusinessError:
        return QStringLiteral("business errors");
    case ResponseClass::Ok:
        return QStringLiteral("ok");
    }
    return {};
}

} // namespace hd
