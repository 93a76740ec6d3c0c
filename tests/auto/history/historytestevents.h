#pragma once

// Small event builders shared by the history tests.

#include "apievent.h"

#include <QString>

namespace hd::test {

inline ApiEvent makeEvent(qint64 timeMs, std::optional<int> status, Category category,
                          const QString &endpoint = QStringLiteral("orders.list"),
                          const QString &environment = QStringLiteral("prod"))
{
    ApiEvent e;
    static int counter = 0;
    e.id = QStringLiteral("evt-%1").arg(++counter, 8, 10, QLatin1Char('0'));
    e.timeMs = timeMs;
    e.environment = environment;
    e.endpoint = endpoint;
    e.profile = QStringLiteral("generic");
    e.httpStatus = status;
    e.category = category;
    e.outcome = outcomeOf(category);
    e.durationMs = 10;
    if (category != Category::Ok) {
        e.error = ErrorInfo{};
        e.error->message = QStringLiteral("failed with %1").arg(toQString(toString(category)));
    }
    return e;
}

inline ApiEvent okEvent(qint64 timeMs, double durationMs = 10)
{
    ApiEvent e = makeEvent(timeMs, 200, Category::Ok);
    e.durationMs = durationMs;
    return e;
}

} // namespace hd::test
