#pragma once

// A LogFilter compiled against the error log's string pools. Each distinct pooled string is
// tested at most once per filter (the answer is cached per pool id), so testing a row is a
// few table look-ups; only free text and trace terms look at per-row bytes.

#include "logfilter.h"
#include "logrecord.h"
#include "stringarena.h"
#include "stringpool.h"

#include <array>
#include <vector>

namespace hd {

struct LogPools
{
    StringPool environment;
    StringPool endpoint;
    StringPool code;
    StringPool message;
    StringPool networkError;
    StringArena arena;
};

class LogRecordMatcher
{
public:
    LogRecordMatcher() = default; // matches everything
    LogRecordMatcher(const LogFilter &filter, const LogPools *pools, qint64 nowMs);

    bool matchesAll() const { return m_terms.empty(); }
    bool matches(const LogRecord &r);

private:
    // Per pool id: -1 not yet known, 0 no, 1 yes.
    struct PoolCache
    {
        const StringPool *pool = nullptr;
        std::vector<qint8> known;
    };

    struct Compiled
    {
        qsizetype termIndex = 0;             // into m_filter.terms(), which survives copies
        PoolCache poolCache;                 // Environment, Endpoint, Code
        std::array<PoolCache, 5> textCaches; // Text: env, endpoint, code, message, network
        std::array<bool, CategoryCount> categories{};
        std::array<bool, 5> outcomes{};
        std::vector<bool> statuses; // index = status, 0 = none
        QByteArray needleUtf8;      // Text and exact Trace, lower-cased
        bool traceExactOnly = true;
        qint64 sinceMs = 0;
    };

    bool pooled(PoolCache &cache, quint32 id, const LogFilter::Term &term, bool text);
    bool matches(Compiled &c, const LogRecord &r);

    LogFilter m_filter; // owns the terms the compiled entries point to
    const LogPools *m_pools = nullptr;
    std::vector<Compiled> m_terms;
};

} // namespace hd
