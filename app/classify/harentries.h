#pragma once

// The entries of a HAR 1.2 file (a browser's developer tools "Save all as HAR", or HealthDeck's
// own support bundle) as classifier inputs: status, headers and body of each response, the
// request line, start time and duration. A response without a status (Chrome writes status 0
// and _error "net::ERR_CONNECTION_RESET") becomes a connection error with the seed 000 name.
// Bounded: at most MaxEntries entries, bodies capped like any response.

#include "classifier.h"

#include <QString>

#include <vector>

namespace hd {

struct HarEntry
{
    ClassifyInput input;
    RequestInfo request;
    qint64 startedMs = 0;
    double durationMs = 0;
};

struct HarEntries
{
    std::vector<HarEntry> entries;
    QString error; // one line when the file is not a usable HAR; entries is then empty
};

class HarReader
{
public:
    static constexpr int MaxEntries = 100000;
    static HarEntries parse(const QByteArray &text);
    // Chrome's and Firefox's net error names → seed 000 names ("net::ERR_CONNECTION_RESET" →
    // "ECONNRESET"); "network_other" when unknown.
    static QString networkErrorName(const QString &browserError);
};

} // namespace hd
