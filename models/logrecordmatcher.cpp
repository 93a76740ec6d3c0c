#include "logrecordmatcher.h"

#include <algorithm>

namespace hd {

namespace {

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Case-insensitive (ASCII) substring search; the needle is already lower-case.
bool containsFolded(QByteArrayView haystack, const QByteArray &needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    if (haystack.size() < n)
        return false;
    const char first = needle[0];
    for (qsizetype i = 0; i + n <= haystack.size(); ++i) {
        if (asciiLower(haystack[i]) != first)
            continue;
        qsizetype j = 1;
        while (j < n && asciiLower(haystack[i + j]) == needle[j])
            ++j;
        if (j == n)
            return true;
    }
    return false;
}

bool equalsFolded(QByteArrayView s, const QByteArray &lowerNeedle)
{
    if (s.size() != lowerNeedle.size())
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (asciiLower(s[i]) != lowerNeedle[i])
            return false;
    }
    return true;
}

} // namespace

LogRecordMatcher::LogRecordMatcher(const LogFilter &filter, const LogPools *pools, qint64 nowMs)
    : m_filter(filter)
    , m_pools(pools)
{
    if (!m_filter.isValid())
        return;
    m_terms.reserve(std::size_t(m_filter.terms().size()));
    for (qsizetype i = 0; i < m_filter.terms().size(); ++i) {
        const LogFilter::Term &t = m_filter.terms()[i];
        Compiled c;
        c.termIndex = i;
        switch (t.key) {
        case LogFilter::Key::Text: {
            c.textCaches[0].pool = &pools->environment;
            c.textCaches[1].pool = &pools->endpoint;
            c.textCaches[2].pool = &pools->code;
            c.textCaches[3].pool = &pools->message;
            c.textCaches[4].pool = &pools->networkError;
            for (int k = 0; k < CategoryCount; ++k)
                c.categories[std::size_t(k)] = toQString(toString(Category(k))).contains(t.text);
            c.statuses.assign(600, false);
            for (int s = 100; s < 600; ++s)
                c.statuses[std::size_t(s)] = QString::number(s).contains(t.text);
            c.needleUtf8 = t.text.toUtf8();
            break;
        }
        case LogFilter::Key::Status:
            c.statuses.assign(600, false);
            for (int s = 0; s < 600; ++s)
                c.statuses[std::size_t(s)]
                    = t.matchesStatus(s == 0 ? std::nullopt : std::optional<int>(s));
            break;
        case LogFilter::Key::Category:
            for (const Category cat : t.categories)
                c.categories[std::size_t(cat)] = true;
            break;
        case LogFilter::Key::Outcome:
            for (const Outcome o : t.outcomes)
                c.outcomes[std::size_t(o)] = true;
            break;
        case LogFilter::Key::Environment:
            c.poolCache.pool = &pools->environment;
            break;
        case LogFilter::Key::Endpoint:
            c.poolCache.pool = &pools->endpoint;
            break;
        case LogFilter::Key::Code:
            c.poolCache.pool = &pools->code;
            break;
        case LogFilter::Key::Trace:
            c.traceExactOnly = std::all_of(
                t.patterns.cbegin(), t.patterns.cend(),
                [](const LogFilter::Pattern &p) { return p.glob.pattern().isEmpty(); });
            break;
        case LogFilter::Key::Since:
            c.sinceMs = t.sinceThreshold(nowMs);
            break;
        }
        m_terms.push_back(std::move(c));
    }
}

bool LogRecordMatcher::pooled(PoolCache &cache, quint32 id, const LogFilter::Term &term, bool text)
{
    if (id >= cache.known.size())
        cache.known.resize(std::max<std::size_t>(cache.pool->size(), id + 1), -1);
    qint8 &k = cache.known[id];
    if (k < 0) {
        const QString &s = cache.pool->at(id);
        if (text) {
            k = !s.isEmpty() && s.contains(term.text, Qt::CaseInsensitive);
        } else {
            k = std::any_of(term.patterns.cbegin(), term.patterns.cend(),
                            [&](const LogFilter::Pattern &p) { return p.matches(s); });
        }
    }
    return k > 0;
}

bool LogRecordMatcher::matches(Compiled &c, const LogRecord &r)
{
    const LogFilter::Term &t = m_filter.terms()[c.termIndex];
    switch (t.key) {
    case LogFilter::Key::Text:
        return (r.httpStatus < 600 && c.statuses[r.httpStatus]) || c.categories[r.category]
               || pooled(c.textCaches[1], r.endpoint, t, true)
               || pooled(c.textCaches[0], r.environment, t, true)
               || pooled(c.textCaches[2], r.code, t, true)
               || pooled(c.textCaches[3], r.message, t, true)
               || pooled(c.textCaches[4], r.networkError, t, true)
               || containsFolded(m_pools->arena.view(r.traceOffset, r.traceLength), c.needleUtf8);
    case LogFilter::Key::Status:
        return r.httpStatus < 600 && c.statuses[r.httpStatus];
    case LogFilter::Key::Category:
        return c.categories[r.category];
    case LogFilter::Key::Outcome:
        return r.outcome < 5 && c.outcomes[r.outcome];
    case LogFilter::Key::Environment:
        return pooled(c.poolCache, r.environment, t, false);
    case LogFilter::Key::Endpoint:
        return pooled(c.poolCache, r.endpoint, t, false);
    case LogFilter::Key::Code:
        return pooled(c.poolCache, r.code, t, false);
    case LogFilter::Key::Trace: {
        const QByteArrayView trace = m_pools->arena.view(r.traceOffset, r.traceLength);
        if (c.traceExactOnly) {
            if (c.needleUtf8.isNull()) {
                // Lazily: the exact patterns as lower-case UTF-8, joined for the common case of
                // one.
                c.needleUtf8 = t.patterns.first().text.toLower().toUtf8();
            }
            if (t.patterns.size() == 1)
                return equalsFolded(trace, c.needleUtf8);
        }
        const QString s = QString::fromUtf8(trace);
        return std::any_of(t.patterns.cbegin(), t.patterns.cend(),
                           [&](const LogFilter::Pattern &p) { return p.matches(s); });
    }
    case LogFilter::Key::Since:
        return r.timeMs >= c.sinceMs;
    }
    return false;
}

bool LogRecordMatcher::matches(const LogRecord &r)
{
    for (Compiled &c : m_terms) {
        if (matches(c, r) == m_filter.terms()[c.termIndex].negated)
            return false;
    }
    return true;
}

} // namespace hd
