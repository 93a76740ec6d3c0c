#include "stormevents.h"

#include <QStringList>

namespace hd::bench {

std::vector<ApiEvent> makeStormEvents(int n, qint64 startMs, int perSecond)
{
    static const QStringList messages{QStringLiteral("Rate limit exceeded, retry later"),
                                      QStringLiteral("Position limit reached for account"),
                                      QStringLiteral("Service temporarily unavailable"),
                                      QStringLiteral("Order rejected: insufficient margin"),
                                      QStringLiteral("Upstream timed out")};
    static const Category failures[]
        = {Category::RateLimited,      Category::Unavailable,     Category::InternalError,
           Category::BusinessRejected, Category::ConnectionReset, Category::Locked};
    static const int statuses[] = {429, 503, 500, 200, 0, 423};
    std::vector<ApiEvent> events;
    events.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        ApiEvent e;
        e.id = QStringLiteral("3f1c2a4e-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
        e.timeMs = startMs + qint64(i) * 1000 / perSecond;
        e.environment = i % 3 == 0
                            ? QStringLiteral("prod")
                            : (i % 3 == 1 ? QStringLiteral("preprod") : QStringLiteral("dev"));
        e.endpoint = QStringLiteral("orders.endpoint%1").arg(i % 200);
        e.profile = QStringLiteral("tradovate");
        e.durationMs = 5.0 + double((i * 7919) % 400);
        e.identifiers.traceId = QStringLiteral("trx-%1").arg(i);
        if (i % 10 < 7) {
            e.httpStatus = 200;
            e.category = Category::Ok;
        } else {
            const int k = i % 6;
            e.category = failures[k];
            if (statuses[k])
                e.httpStatus = statuses[k];
            else
                e.networkError = QStringLiteral("ECONNRESET");
            e.error = ErrorInfo{};
            e.error->code = QStringLiteral("Code%1").arg(i % 40);
            e.error->message = messages[i % messages.size()];
        }
        e.outcome = outcomeOf(e.category);
        if (i % 5 == 0)
            e.rateLimit = RateLimitInfo{100, qint64(i % 100), 17.0, std::nullopt, {}, {}};
        events.push_back(std::move(e));
    }
    return events;
}

} // namespace hd::bench
