#pragma once

// Explains a 403 (seed 000: "your token is valid but doesn't have the required scope"): which
// scopes the token carries and, where the endpoint declares them, which it needs and lacks.

#include "apievent.h"

#include <QStringList>

namespace hd {

class ScopeCheck
{
public:
    // Required scopes the token lacks, in the endpoint's order.
    static QStringList missing(const QStringList &tokenScopes, const QStringList &requiredScopes);
    // One sentence for the event's error message.
    static QString explain(const QStringList &tokenScopes, const QStringList &requiredScopes);
    // Appends the explanation to a 403 event's error message and a "scope" detail. Does
    // nothing to other events.
    static void annotate(ApiEvent &event, const QStringList &tokenScopes,
                         const QStringList &requiredScopes);
};

} // namespace hd
