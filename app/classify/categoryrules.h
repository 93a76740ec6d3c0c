#pragma once

// The general HTTP/connection rules of DESIGN §2, with advice sentences taken from the seeds'
// own guidance. Vendor-specific semantics live in profile files, not here.

#include "eventtypes.h"

#include <QString>

namespace hd {

struct CategoryRule
{
    ErrorType type;
    RetryAction action;
    bool retryable;
    const char *advice;
};

class CategoryRules
{
public:
    static const CategoryRule &of(Category c);
    static Category forStatus(int status);
    static QString advice(Category c) { return QString::fromUtf8(of(c).advice); }
    // Reason phrase for a status ("Too Many Requests"), empty when unknown.
    static QString reasonPhrase(int status);
};

} // namespace hd
