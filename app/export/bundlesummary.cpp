#include "bundlesummary.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace hd {
namespace {

QString key(const ApiEvent &e)
{
    return e.environment + u'\x1f' + e.endpoint;
}

} // namespace

int BundleSummary::Bucket::total() const
{
    int sum = 0;
    for (int n : byOutcome)
        sum += n;
    return sum;
}

QString BundleSummary::outcomeName(int index)
{
    return toQString(toString(Outcome(index)));
}

QString BundleSummary::statusText(const ApiEvent &e)
{
    const QString category = toQString(toString(e.category));
    if (e.httpStatus)
        return QStringLiteral("%1 %2").arg(*e.httpStatus).arg(category);
    if (!e.networkError.isEmpty())
        return e.networkError + u' ' + category;
    return category;
}

BundleSummary BundleSummary::build(const QList<ApiEvent> &events,
                                   const SupportBundleRequest &request)
{
    BundleSummary s;
    s.createdMs = request.createdMs;
    s.selection = request.selection;
    s.incidents = request.incidents;
    s.total = int(events.size());
    if (request.workspace)
        s.workspaceName = request.workspace->name;
    if (!events.isEmpty()) {
        s.fromMs = events.front().timeMs;
        s.toMs = events.back().timeMs;
    }

    // Timeline: equal buckets over the events' own span (at least one second each).
    const qint64 span = std::max<qint64>(s.toMs - s.fromMs + 1, 1000);
    s.bucketMs = std::max<qint64>((span + TimelineBuckets - 1) / TimelineBuckets, 1);
    const int bucketCount = events.isEmpty() ? 0 : int((span + s.bucketMs - 1) / s.bucketMs);
    s.timeline.resize(bucketCount);
    for (int i = 0; i < bucketCount; ++i)
        s.timeline[i].startMs = s.fromMs + i * s.bucketMs;

    QHash<QString, int> categoryCounts;
    QHash<QString, int> endpointIndex;
    QHash<QString, QHash<QString, int>> endpointCategories;
    QSet<QString> environments;
    QSet<QString> endpointsSeen;
    for (const ApiEvent &e : events) {
        const int b = std::clamp(int((e.timeMs - s.fromMs) / s.bucketMs), 0, bucketCount - 1);
        ++s.timeline[b].byOutcome[std::size_t(e.outcome)];
        environments.insert(e.environment);
        endpointsSeen.insert(e.endpoint);
        const QString k = key(e);
        auto it = endpointIndex.find(k);
        if (it == endpointIndex.end()) {
            it = endpointIndex.insert(k, int(s.topEndpoints.size()));
            s.topEndpoints.append({e.environment, e.endpoint, 0, 0, {}, {}});
        }
        EndpointCount &ec = s.topEndpoints[*it];
        ++ec.total;
        if (e.isFailure()) {
            ++s.failures;
            ++ec.failures;
            ec.lastStatus = statusText(e);
            const QString category = toQString(toString(e.category));
            ++categoryCounts[category];
            ++endpointCategories[k][category];
        }
    }
    s.environments = QStringList(environments.cbegin(), environments.cend());
    s.environments.sort();

    for (auto it = categoryCounts.cbegin(); it != categoryCounts.cend(); ++it)
        s.categories.append({it.key(), it.value()});
    std::sort(s.categories.begin(), s.categories.end(), [](const auto &a, const auto &b) {
        return a.count != b.count ? a.count > b.count : a.category < b.category;
    });

    for (EndpointCount &ec : s.topEndpoints) {
        const auto &cats = endpointCategories.value(ec.environment + u'\x1f' + ec.endpoint);
        int best = 0;
        for (auto it = cats.cbegin(); it != cats.cend(); ++it)
            if (it.value() > best || (it.value() == best && it.key() < ec.topCategory)) {
                best = it.value();
                ec.topCategory = it.key();
            }
    }
    s.topEndpoints.removeIf([](const EndpointCount &ec) { return ec.failures == 0; });
    std::sort(s.topEndpoints.begin(), s.topEndpoints.end(), [](const auto &a, const auto &b) {
        if (a.failures != b.failures)
            return a.failures > b.failures;
        return a.environment + a.endpoint < b.environment + b.endpoint;
    });
    if (s.topEndpoints.size() > 10)
        s.topEndpoints.resize(10);

    // Client ids: the credentials of the endpoints in the selection (never their secrets).
    if (request.workspace) {
        QSet<QString> used;
        for (const Endpoint &ep : request.workspace->endpoints)
            if (endpointsSeen.contains(ep.id) && !ep.credential.isEmpty())
                used.insert(ep.credential);
        for (const QString &ep : endpointsSeen)
            if (ep.startsWith(u"token:"))
                used.insert(ep.mid(6));
        for (const Credential &c : request.workspace->credentials) {
            if (!used.contains(c.id) && !events.isEmpty())
                continue;
            QString id = c.clientId;
            if (id.isEmpty() && !c.appId.isEmpty())
                id = QStringLiteral("appId %1").arg(c.appId);
            if (id.isEmpty() && !c.username.isEmpty())
                id = QStringLiteral("user %1").arg(c.username);
            s.clientIds.append({c.id,
                                c.environment.isEmpty() ? QStringLiteral("all") : c.environment,
                                toString(c.method), id.isEmpty() ? QStringLiteral("-") : id});
        }
    }

    // The newest failures, with their retry chains and the token and rate-limit state then.
    QList<int> failureRows;
    for (qsizetype i = events.size() - 1; i >= 0; --i)
        if (events[i].isFailure())
            failureRows.append(int(i));
    const int keep = std::min<int>(int(failureRows.size()), std::max(0, request.maxReportFailures));
    s.failuresLeftOut = int(failureRows.size()) - keep;
    QSet<int> selected(failureRows.cbegin(), failureRows.cbegin() + keep);
    QHash<int, Failure> built;
    QHash<QString, std::pair<TokenInfo, qint64>> lastToken;
    QHash<QString, std::pair<RateLimitInfo, qint64>> lastRate;
    QHash<QString, QList<int>> chain; // endpoint → rows of its current retry chain
    for (int i = 0; i < int(events.size()); ++i) {
        const ApiEvent &e = events[i];
        const QString k = key(e);
        QList<int> &c = chain[k];
        if (e.attempt <= 1 || c.isEmpty() || events[c.back()].attempt != e.attempt - 1)
            c.clear();
        c.append(i);
        if (selected.contains(i)) {
            Failure f;
            f.event = e;
            for (int row : c)
                f.attempts.append(events[row]);
            if (e.token) {
                f.token = e.token;
                f.tokenSeenMs = e.timeMs;
            } else if (auto t = lastToken.find(k); t != lastToken.end()) {
                f.token = t->first;
                f.tokenSeenMs = t->second;
            }
            if (e.rateLimit) {
                f.rateLimit = e.rateLimit;
                f.rateLimitSeenMs = e.timeMs;
            } else if (auto r = lastRate.find(k); r != lastRate.end()) {
                f.rateLimit = r->first;
                f.rateLimitSeenMs = r->second;
            }
            built.insert(i, std::move(f));
        }
        if (e.token)
            lastToken.insert(k, {*e.token, e.timeMs});
        if (e.rateLimit)
            lastRate.insert(k, {*e.rateLimit, e.timeMs});
    }
    // Later attempts of a chain that come after the failure belong to its history too.
    for (auto it = built.begin(); it != built.end(); ++it) {
        int attempt = it->event.attempt;
        for (int j = it.key() + 1; j < int(events.size()); ++j) {
            if (key(events[j]) != key(it->event))
                continue;
            if (events[j].attempt != attempt + 1)
                break;
            it->attempts.append(events[j]);
            attempt = events[j].attempt;
        }
    }
    for (int i = 0; i < keep; ++i)
        s.selectedFailures.append(built.take(failureRows[i]));
    return s;
}

} // namespace hd
