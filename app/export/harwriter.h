#pragma once

// requests.har: HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of the selected
// requests and responses, valid against the HAR 1.2 schema (tests/export/validate-har.js).
// Events are already redacted; what HAR has no field for (category, identifiers, retry advice)
// goes into underscore-prefixed custom fields, which the format allows.

#include "apievent.h"

#include <QByteArray>
#include <QList>

namespace hd {

class HarWriter
{
public:
    // Serialises events (oldest first) that carry a request; returns the HAR document.
    static QByteArray write(const QList<const ApiEvent *> &events, const QString &comment);
    // The URL as HAR wants it: a valid URI ("[REDACTED]" percent-encoded).
    static QString harUrl(const QString &url);
};

} // namespace hd
