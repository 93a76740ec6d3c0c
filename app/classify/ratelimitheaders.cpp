#include "ratelimitheaders.h"

#include "resourcelimits.h"
#include "saturating.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <cmath>

namespace hd {
namespace {

std::optional<double> toNumber(QByteArrayView v)
{
    bool ok = false;
    const double d = v.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(d) || d < 0)
        return std::nullopt;
    return d;
}

std::optional<qint64> toInt(QByteArrayView v)
{
    // Some servers send "100, 100" (comma-joined duplicates) or "100;w=60": take the first number.
    QByteArrayView t = v.trimmed();
    qsizetype end = 0;
    while (end < t.size() && (std::isdigit(static_cast<unsigned char>(t[end])) != 0))
        ++end;
    if (end == 0 || end > 15)
        return std::nullopt;
    return t.first(end).toLongLong();
}

struct Item
{
    QByteArray name; // policy name, unquoted
    QList<std::pair<QByteArray, QByteArray>> params;

    std::optional<QByteArray> param(const char *key) const
    {
        for (const auto &[k, v] : params)
            if (k == key)
                return v;
        return std::nullopt;
    }
};

// Parses a structured-field list: "burst";q=100;w=60, "daily";q=1000;w=86400
QList<Item> parseSfList(const QByteArray &value)
{
    QList<Item> items;
    for (const QByteArray &member : value.split(',')) {
        const QList<QByteArray> parts = member.split(';');
        if (parts.isEmpty())
            continue;
        Item item;
        QByteArray name = parts.front().trimmed();
        if (name.size() >= 2 && name.startsWith('"') && name.endsWith('"'))
            name = name.mid(1, name.size() - 2);
        item.name = name;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray p = parts[i].trimmed();
            const qsizetype eq = p.indexOf('=');
            if (eq > 0)
                item.params.append({p.left(eq).trimmed().toLower(), p.mid(eq + 1).trimmed()});
        }
        items.append(item);
    }
    return items;
}

// Clamps a parsed duration to its bound and says so.
void bound(std::optional<double> &seconds, qint64 maxS, const char *what, bool &clamped,
           QStringList *notes)
{
    if (!seconds)
        return;
    const ClampedSeconds c = clampSeconds(*seconds, double(maxS));
    if (!c.clamped)
        return;
    if (notes)
        notes->append(QStringLiteral("%1 of %2 s clamped to %3 s (the longest wait HealthDeck "
                                     "honours)")
                          .arg(QLatin1String(what), secondsText(*seconds))
                          .arg(maxS));
    seconds = c.seconds;
    clamped = true;
}

} // namespace

std::optional<QByteArray> headerValue(const RawHeaders &headers, const char *name)
{
    const QByteArrayView n(name);
    for (const auto &[k, v] : headers) {
        if (k.compare(n, Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}

std::optional<qint64> RateLimitHeaders::parseHttpDate(const QByteArray &value)
{
    // RFC 9110 §5.6.7: the weekday is redundant, and Qt rejects a date whose weekday does not
    // match — which every RFC 850 two-digit year does until it is moved to the right century.
    // So drop the weekday and parse what is left.
    QString s = QString::fromLatin1(value).simplified();
    if (s.size() > 64)
        return std::nullopt;
    if (const qsizetype comma = s.indexOf(u','); comma > 0 && comma <= 9)
        s = s.mid(comma + 1).trimmed(); // IMF-fixdate, RFC 850
    else if (const qsizetype space = s.indexOf(u' '); space == 3)
        s = s.mid(space + 1); // asctime
    const QLocale c = QLocale::c();
    QDateTime dt;
    // IMF-fixdate: 06 Nov 1994 08:49:37 GMT ; RFC 850: 06-Nov-94 08:49:37 GMT ;
    // asctime: Nov 6 08:49:37 1994 (after simplified())
    for (const char *fmt :
         {"dd MMM yyyy HH:mm:ss 'GMT'", "d MMM yyyy HH:mm:ss 'GMT'", "dd-MMM-yy HH:mm:ss 'GMT'",
          "MMM d HH:mm:ss yyyy", "dd MMM yyyy HH:mm:ss 'UTC'"}) {
        dt = c.toDateTime(s, QString::fromLatin1(fmt));
        if (dt.isValid())
            break;
    }
    if (!dt.isValid())
        return std::nullopt;
    dt = QDateTime(dt.date(), dt.time(), QTimeZone::utc());
    if (dt.date().year() < 1970) // two-digit years: RFC 9110 says interpret as recent
        dt = dt.addYears(100);
    return dt.toMSecsSinceEpoch();
}

std::optional<double> RateLimitHeaders::parseDuration(QByteArrayView value)
{
    const QByteArrayView v = value.trimmed();
    if (v.isEmpty() || v.size() > 64)
        return std::nullopt;
    double total = 0;
    qsizetype i = 0;
    while (i < v.size()) {
        const qsizetype start = i;
        while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.'))
            ++i;
        if (i == start)
            return std::nullopt;
        bool ok = false;
        const double number = v.sliced(start, i - start).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < v.size() && std::isalpha(static_cast<unsigned char>(v[i])))
            ++i;
        const QByteArrayView unit = v.sliced(unitStart, i - unitStart);
        double scale = 0;
        if (unit == "h")
            scale = 3600;
        else if (unit == "m")
            scale = 60;
        else if (unit == "s")
            scale = 1;
        else if (unit == "ms")
            scale = 1e-3;
        else if (unit == "us")
            scale = 1e-6;
        else if (unit == "ns")
            scale = 1e-9;
        else
            return std::nullopt; // a bare number is not a duration (it is seconds or an epoch)
        total += number * scale;
    }
    if (!std::isfinite(total))
        return std::nullopt;
    return total;
}

std::optional<double> RateLimitHeaders::parseRetryAfter(const QByteArray &value, qint64 nowMs)
{
    if (auto n = toNumber(value))
        return *n;
    if (auto when = parseHttpDate(value))
        return std::max(0.0, double(*when - nowMs) / 1000.0);
    return std::nullopt;
}

std::optional<double> RateLimitHeaders::resetToDelta(double value, qint64 nowMs)
{
    if (!std::isfinite(value) || value < 0)
        return std::nullopt;
    if (value > 1e12) // epoch milliseconds
        return std::max(0.0, (value - double(nowMs)) / 1000.0);
    if (value > 1e9) // epoch seconds
        return std::max(0.0, value - double(nowMs) / 1000.0);
    return value; // delta seconds
}

std::optional<RateLimitInfo> RateLimitHeaders::parse(const RawHeaders &headers, qint64 nowMs,
                                                     QStringList *notes)
{
    RateLimitInfo info;

    // Current IETF structured form first: it is the most expressive.
    const auto policyHeader = headerValue(headers, "RateLimit-Policy");
    const auto rateLimit = headerValue(headers, "RateLimit");
    if (rateLimit && rateLimit->contains('=') && !rateLimit->contains(';')
        && (rateLimit->contains("limit") || rateLimit->contains("remaining"))) {
        // Draft one-header form: limit=100, remaining=50, reset=5
        for (const QByteArray &part : rateLimit->split(',')) {
            const qsizetype eq = part.indexOf('=');
            if (eq <= 0)
                continue;
            const QByteArray key = part.left(eq).trimmed().toLower();
            const QByteArray val = part.mid(eq + 1);
            if (key == "limit")
                info.limit = toInt(val);
            else if (key == "remaining")
                info.remaining = toInt(val);
            else if (key == "reset") {
                if (auto d = toNumber(val))
                    info.resetS = resetToDelta(*d, nowMs);
            }
        }
        info.source = QStringLiteral("RateLimit");
    } else if (rateLimit) {
        const QList<Item> limits = parseSfList(*rateLimit);
        const QList<Item> policies = policyHeader ? parseSfList(*policyHeader) : QList<Item>{};
        // Pick the most constrained policy: lowest remaining share of its quota.
        double bestShare = 2.0;
        for (const Item &lim : limits) {
            const auto r = lim.param("r");
            if (!r)
                continue;
            RateLimitInfo candidate;
            candidate.remaining = toInt(*r);
            if (auto t = lim.param("t"))
                if (auto d = toNumber(*t))
                    candidate.resetS = *d;
            QString policyText = QString::fromUtf8(lim.name);
            for (const Item &pol : policies) {
                if (pol.name != lim.name)
                    continue;
                if (auto q = pol.param("q"))
                    candidate.limit = toInt(*q);
                if (auto w = pol.param("w"))
                    policyText += QStringLiteral(";w=") + QString::fromLatin1(*w);
            }
            const double share
                = candidate.limit && *candidate.limit > 0 && candidate.remaining
                      ? double(*candidate.remaining) / double(*candidate.limit)
                      : (candidate.remaining && *candidate.remaining == 0 ? 0.0 : 1.0);
            if (share < bestShare) {
                bestShare = share;
                candidate.policy = policyText;
                info = candidate;
            }
        }
        if (!info.isEmpty())
            info.source = QStringLiteral("RateLimit-Policy");
    }

    if (info.isEmpty()) {
        // One family per resource: x-ratelimit-{limit,remaining,reset}-<resource> (requests,
        // tokens, …). Report the tightest resource: the lowest remaining share of its limit.
        struct Resource
        {
            QByteArray name;
            RateLimitInfo info;
        };
        QList<Resource> resources;
        for (const auto &[key, value] : headers) {
            if (resources.size() >= 16)
                break;
            QByteArray k = key.toLower();
            if (!k.startsWith("x-ratelimit-"))
                continue;
            k = k.mid(12);
            int kind = -1; // 0 limit, 1 remaining, 2 reset
            qsizetype skip = 0;
            if (k.startsWith("limit-"))
                kind = 0, skip = 6;
            else if (k.startsWith("remaining-"))
                kind = 1, skip = 10;
            else if (k.startsWith("reset-"))
                kind = 2, skip = 6;
            if (kind < 0 || k.size() <= skip)
                continue;
            const QByteArray resource = k.mid(skip).left(40);
            auto it = std::find_if(resources.begin(), resources.end(),
                                   [&](const Resource &r) { return r.name == resource; });
            if (it == resources.end()) {
                resources.append({resource, {}});
                it = resources.end() - 1;
            }
            if (kind == 0)
                it->info.limit = toInt(value);
            else if (kind == 1)
                it->info.remaining = toInt(value);
            else if (auto d = toNumber(value))
                it->info.resetS = resetToDelta(*d, nowMs);
            else if (auto dur = parseDuration(value))
                it->info.resetS = *dur;
        }
        double bestShare = 2.0;
        for (const Resource &r : resources) {
            const double share = r.info.limit && *r.info.limit > 0 && r.info.remaining
                                     ? double(*r.info.remaining) / double(*r.info.limit)
                                     : (r.info.remaining && *r.info.remaining == 0 ? 0.0 : 1.0);
            if (share < bestShare && (r.info.limit || r.info.remaining)) {
                bestShare = share;
                info = r.info;
                info.policy = QString::fromLatin1(r.name);
                info.source = QStringLiteral("X-RateLimit-*-") + QString::fromLatin1(r.name);
            }
        }
    }

    if (info.isEmpty()) {
        // Header families with one header per value.
        for (const char *prefix : {"X-RateLimit-", "RateLimit-", "X-Rate-Limit-"}) {
            const QByteArray p(prefix);
            const auto limit = headerValue(headers, QByteArray(p + "Limit").constData());
            const auto remaining = headerValue(headers, QByteArray(p + "Remaining").constData());
            const auto reset = headerValue(headers, QByteArray(p + "Reset").constData());
            if (!limit && !remaining && !reset)
                continue;
            if (limit)
                info.limit = toInt(*limit);
            if (remaining)
                info.remaining = toInt(*remaining);
            if (reset) {
                if (auto d = toNumber(*reset))
                    info.resetS = resetToDelta(*d, nowMs);
                else if (auto dur = parseDuration(*reset))
                    info.resetS = *dur;
                else if (auto when = parseHttpDate(*reset))
                    info.resetS = std::max(0.0, double(*when - nowMs) / 1000.0);
            }
            info.source = QString::fromLatin1(p.chopped(1));
            break;
        }
        if (policyHeader && info.policy.isEmpty())
            info.policy = QString::fromUtf8(policyHeader->trimmed()).left(200);
    }

    if (const auto retryAfter = headerValue(headers, "Retry-After")) {
        info.retryAfterS = parseRetryAfter(*retryAfter, nowMs);
        if (info.source.isEmpty() && info.retryAfterS)
            info.source = QStringLiteral("Retry-After");
    }
    if (!info.retryAfterS) {
        // retry-after-ms (OpenAI, Azure OpenAI): the same wait in milliseconds.
        if (const auto ms = headerValue(headers, "retry-after-ms"))
            if (auto d = toNumber(*ms)) {
                info.retryAfterS = *d / 1000.0;
                if (info.source.isEmpty())
                    info.source = QStringLiteral("retry-after-ms");
            }
    }

    if (info.isEmpty())
        return std::nullopt;
    bound(info.retryAfterS, limits::MaxRetryAfterS, "Retry-After", info.clamped, notes);
    bound(info.resetS, limits::MaxRateLimitResetS, "rate-limit reset", info.clamped, notes);
    return info;
}

} // namespace hd
